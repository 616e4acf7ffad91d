#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet parser in userspace: unit tests (under ASan/UBSan), then
# libFuzzer for 300,000 inputs.
. "$(dirname "$0")/../lib.sh"
dir=$ARC_ROOT/selftests/net
parser_check "packet parser" "$dir/pkt_test" "$dir/pkt_fuzz" 256
