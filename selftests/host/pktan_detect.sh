#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arc_pktan's analysis in userspace (malformation, DNS queries, the
# detectors' tables, the top talkers): unit tests (under ASan/UBSan), then
# libFuzzer for 300,000 inputs.
. "$(dirname "$0")/../lib.sh"
dir=$ARC_ROOT/selftests/pktan
parser_check "pktan analysis" "$dir/detect_test" "$dir/detect_fuzz" 1024
