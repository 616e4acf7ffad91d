#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet parser in userspace: unit tests (under ASan/UBSan), then
# libFuzzer for 300,000 inputs.
. "$(dirname "$0")/../lib.sh"
need clang
dir=$ARC_ROOT/selftests/net
"$dir/pkt_test" || fail "pkt_test"
mkdir -p /tmp/arc-fuzz-corpus
"$dir/pkt_fuzz" -runs=300000 -max_len=256 -seed=1 /tmp/arc-fuzz-corpus 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "pkt_fuzz found a crash"
pass "parser unit tests and 300,000 fuzz inputs"
