#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.conf skips, not fails, what arc does not support (a kernel older
# than 5.10, or one without loadable modules), and a kernel built without
# a subsystem gets every module that does not need it. DKMS runs on the
# host with its trees in a scratch directory; nothing is built.
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
out=$(build 6.1.0-99-amd64 "$(kernel_tree nomod CONFIG_BLOCK CONFIG_NET CONFIG_NETFILTER)")
expect_eq "6.1 without CONFIG_MODULES: dkms exit status" "$?" 77

# modules KDIR: the modules dkms.conf has DKMS build and install for the
# kernel tree KDIR (DKMS sources it with kernel_source_dir set).
modules() {
	(kernel_source_dir=$1 && . "$ARC_ROOT/dkms.conf" &&
		for i in "${!BUILT_MODULE_NAME[@]}"; do
			echo "${BUILT_MODULE_NAME[i]}:${BUILT_MODULE_LOCATION[i]}:${DEST_MODULE_LOCATION[i]}"
		done | sort | xargs)
}
expect_eq "modules for a kernel with everything" "$(modules "$(kernel_tree all "${full[@]}")")" \
	"arc:shim/:/updates/dkms arc_block:shim/:/updates/dkms arc_firewall:modules/firewall/:/updates/dkms arc_net:shim/:/updates/dkms arc_pktan:modules/pktan/:/updates/dkms arc_ramdisk:modules/ramdisk/:/updates/dkms"
expect_eq "modules for a kernel without CONFIG_NETFILTER" \
	"$(modules "$(kernel_tree nonf CONFIG_MODULES CONFIG_BLOCK CONFIG_NET)")" \
	"arc:shim/:/updates/dkms arc_block:shim/:/updates/dkms arc_ramdisk:modules/ramdisk/:/updates/dkms"
expect_eq "modules for a kernel without CONFIG_BLOCK" \
	"$(modules "$(kernel_tree noblk CONFIG_MODULES CONFIG_NET CONFIG_NETFILTER)")" \
	"arc:shim/:/updates/dkms arc_firewall:modules/firewall/:/updates/dkms arc_net:shim/:/updates/dkms arc_pktan:modules/pktan/:/updates/dkms"
expect_eq "modules for a kernel with KVM only" \
	"$(modules "$(kernel_tree kvm CONFIG_MODULES CONFIG_KVM)")" \
	"arc:shim/:/updates/dkms arc_kvm:shim/:/updates/dkms arc_minivm:modules/minivm/:/updates/dkms"
# No readable configuration (dkms remove for a kernel whose build tree is
# gone): every module, so that all of them are removed.
expect_eq "modules for a kernel without a build tree" "$(modules "$t/no-such-tree")" \
	"arc:shim/:/updates/dkms arc_block:shim/:/updates/dkms arc_firewall:modules/firewall/:/updates/dkms arc_input:shim/:/updates/dkms arc_kvm:shim/:/updates/dkms arc_minivm:modules/minivm/:/updates/dkms arc_net:shim/:/updates/dkms arc_pktan:modules/pktan/:/updates/dkms arc_ramdisk:modules/ramdisk/:/updates/dkms arc_usb:shim/:/updates/dkms arc_usb_sensor:modules/usb_sensor/:/updates/dkms"
# What Kbuild writes for a module (=m) counts like built in (=y).
printf 'CONFIG_BLOCK=m\n' >"$t/k-nonf/.config"
expect_eq "modules for CONFIG_BLOCK=m" "$(modules "$t/k-nonf")" \
	"arc:shim/:/updates/dkms arc_block:shim/:/updates/dkms arc_ramdisk:modules/ramdisk/:/updates/dkms"

# A kernel without a subsystem gets past the exclusions (and then fails:
# the fake tree has no Makefile): it still gets the modules that do not
# need that subsystem.
for k in nousb:CONFIG_MODULES,CONFIG_BLOCK,CONFIG_NET,CONFIG_NETFILTER \
	nonf:CONFIG_MODULES,CONFIG_BLOCK,CONFIG_NET; do
	IFS=, read -r -a cfg <<<"${k#*:}"
	k=${k%%:*}
	out=$(build 6.1.0-99-amd64 "$(kernel_tree "$k" "${cfg[@]}")")
	rc=$?
	echo "config '$k': dkms exit $rc (expected past the exclusions)"
	[ "$rc" -ne 77 ] || fail "config '$k' was excluded: $out"
	echo "$out" | grep -q BUILD_EXCLUSIVE && fail "config '$k': '$out'"
done
pass "old kernel and kernels without modules skipped with exit 77; each kernel gets the modules its subsystems allow"
