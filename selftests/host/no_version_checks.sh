#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module sources and the public headers never test kernel versions or
# probe results: that belongs in shim/compat only.
. "$(dirname "$0")/../lib.sh"
cd "$ARC_ROOT" || fail "cd"
pattern='LINUX_VERSION_CODE|KERNEL_VERSION *\(|RHEL_RELEASE|#\s*if.*ARC_HAVE_'

# The check itself must see the forms it exists to catch.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf '#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)\n#endif\n' >"$t/a.c"
printf '#ifdef ARC_HAVE_KMAP_LOCAL\n#endif\n' >"$t/b.h"
expect_eq "planted conditionals found" "$(grep -rlE "$pattern" "$t" | wc -l)" 2

hits=$(grep -rnE "$pattern" modules include --include='*.[ch]' || true)
if [ -n "$hits" ]; then
	echo "$hits"
	fail "kernel-version conditionals outside shim/"
fi
pass "no version conditionals in modules/ or include/"
