#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict finds nothing in arc's kernel sources.
make -s -C "${ARC_ROOT:?}" checkpatch
