#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module sources and the public headers never test kernel versions or
# probe results: that belongs in shim/compat only.
. "$(dirname "$0")/../lib.sh"
cd "$ARC_ROOT" || fail "cd"
hits=$(grep -rnE 'LINUX_VERSION_CODE|KERNEL_VERSION *\(|RHEL_RELEASE|#\s*if.*ARC_HAVE_' \
	modules include --include='*.[ch]' || true)
if [ -n "$hits" ]; then
	echo "$hits"
	fail "kernel-version conditionals outside shim/"
fi
pass "no version conditionals in modules/ or include/"
