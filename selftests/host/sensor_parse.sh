#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The USB sensor's transfer parser and device clock in userspace: unit
# tests (under ASan/UBSan), then libFuzzer for 300,000 inputs.
. "$(dirname "$0")/../lib.sh"
need clang
dir=$ARC_ROOT/selftests/usb_sensor
"$dir/parse_test" || fail "parse_test"
mkdir -p /tmp/arc-sensor-corpus
"$dir/parse_fuzz" -runs=300000 -max_len=512 -seed=1 /tmp/arc-sensor-corpus 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "parse_fuzz found a crash"
pass "sensor parser unit tests and 300,000 fuzz inputs"
