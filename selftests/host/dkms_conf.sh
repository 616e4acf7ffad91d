#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.conf skips, not fails, what arc does not support: a kernel older
# than 5.10, or one built without a subsystem the modules need. DKMS runs
# on the host with its trees in a scratch directory; nothing is built.
. "$(dirname "$0")/../lib.sh"
need dkms
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ARC_ROOT/dkms.conf")
mkdir -p "$t/src/arc-$ver" "$t/dkms"
cp "$ARC_ROOT/dkms.conf" "$ARC_ROOT/Makefile" "$ARC_ROOT/Kbuild" "$t/src/arc-$ver/"
trees=(--dkmstree "$t/dkms" --sourcetree "$t/src")
dkms add -m arc -v "$ver" "${trees[@]}" >/dev/null || fail "dkms add"

# kernel_tree KVER CONFIG...: a kernel build tree with only these options.
kernel_tree() {
	local k=$t/k-$1
	shift
	mkdir -p "$k"
	printf '%s=y\n' "$@" >"$k/.config"
	echo "$k"
}
# build KVER KDIR: dkms's exit status and output for one kernel.
build() {
	dkms build -m arc -v "$ver" -k "$1" --kernelsourcedir "$2" "${trees[@]}" 2>&1
}
full=(CONFIG_MODULES CONFIG_BLOCK CONFIG_NET CONFIG_NETFILTER)

out=$(build 4.19.0-27-amd64 "$(kernel_tree old "${full[@]}")")
expect_eq "4.19: dkms exit status" "$?" 77
echo "$out" | grep -q BUILD_EXCLUSIVE || fail "4.19: '$out'"
out=$(build 6.1.0-99-amd64 "$(kernel_tree nonf CONFIG_MODULES CONFIG_BLOCK CONFIG_NET)")
expect_eq "6.1 without CONFIG_NETFILTER: dkms exit status" "$?" 77
out=$(build 6.1.0-99-amd64 "$(kernel_tree noblk CONFIG_MODULES CONFIG_NET CONFIG_NETFILTER)")
expect_eq "6.1 without CONFIG_BLOCK: dkms exit status" "$?" 77
# A supported kernel gets past the exclusions (and then fails: the fake
# tree has no Makefile), so the directives do not exclude everything.
out=$(build 6.1.0-99-amd64 "$(kernel_tree ok "${full[@]}")")
rc=$?
echo "complete config: dkms exit $rc (expected past the exclusions)"
[ "$rc" -ne 77 ] || fail "a complete 6.1 config was excluded: $out"
echo "$out" | grep -q BUILD_EXCLUSIVE && fail "complete config: '$out'"
pass "old kernel and missing subsystems skipped with exit 77, supported kernel not"
