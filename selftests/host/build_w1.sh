#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A clean build with W=1 and -Werror: no compiler warnings at all.
. "$(dirname "$0")/../lib.sh"
log=$(mktemp)
# Clean first: whatever is not compiled again cannot warn.
make -s -C "$ARC_ROOT" modules-clean >/dev/null 2>&1 || fail "modules-clean"
if ! make -C "$ARC_ROOT" modules W=1 ARC_WERROR=y >"$log" 2>&1; then
	grep -E 'warning|error' "$log" | head -n 40
	fail "W=1 build"
fi
if grep -E ': (warning|error):' "$log"; then
	fail "W=1 build printed warnings"
fi
compiled=$(grep -cE '^ +CC \[M\] ' "$log")
[ "$compiled" -gt 0 ] || fail "the W=1 build compiled nothing"
rm -f "$log"
pass "W=1 -Werror build of $(cd "$ARC_ROOT" && ls shim/*.ko modules/*/*.ko | xargs)"
