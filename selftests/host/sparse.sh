#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sparse (make C=2) has nothing to say about any arc source.
. "$(dirname "$0")/../lib.sh"
need sparse
log=$(mktemp)
make -C "$ARC_ROOT" sparse >"$log" 2>&1 || { tail -n 40 "$log"; fail "sparse build"; }
# Absolute or relative source paths (kbuild prints either, by version).
if grep -E '^[^ :]+\.[ch]:[0-9]+:[0-9]+: (warning|error):' "$log"; then
	fail "sparse warnings"
fi
checked=$(grep -c '^  CHECK' "$log")
[ "$checked" -gt 0 ] || fail "sparse checked nothing"
rm -f "$log"
pass "sparse clean over $checked files"
