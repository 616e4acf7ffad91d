#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs rd_io (kselftest harness) against a fresh 64 MiB /dev/arcram0.
. "$(dirname "$0")/../lib.sh"
trap arc_unload_all EXIT
ramdisk_load size_mb=64
"$(dirname "$0")/rd_io"
