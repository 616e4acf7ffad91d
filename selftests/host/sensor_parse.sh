#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The USB sensor's transfer parser and device clock in userspace: unit
# tests (under ASan/UBSan), then libFuzzer for 300,000 inputs.
. "$(dirname "$0")/../lib.sh"
dir=$ARC_ROOT/selftests/usb_sensor
parser_check "sensor parser" "$dir/parse_test" "$dir/parse_fuzz" 512
