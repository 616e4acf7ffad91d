#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS end to end in the guest: make dkms-install builds arc for the
# running kernel, modprobe arc_ramdisk pulls in arc.ko from DKMS's tree,
# make dkms-remove takes it all away again.
. "$(dirname "$0")/../lib.sh"
need dkms make gcc
mnt=
trap 'modprobe -r arc_ramdisk arc 2>/dev/null; arc_unload_all; [ -n "$mnt" ] && umount "$mnt"' EXIT
kver=$(uname -r)
kdir=$(readlink -f "/lib/modules/$kver/build") || true
[ -f "$kdir/Makefile" ] ||
	skip "the build tree of $kver is not usable here (it lives in a chroot with its own toolchain)"
loaded arc && fail "arc already loaded before the test"

# A kernel unpacked by scripts/kernels.sh has its modules on the host's
# read-only tree: DKMS installs into a writable overlay of it.
moddir=$(readlink -f "/lib/modules/$kver")
if ! touch "$moddir/.arc-w" 2>/dev/null; then
	t=$(mktemp -d)
	mkdir -p "$t/upper" "$t/work"
	mount -t overlay overlay -o "lowerdir=$moddir,upperdir=$t/upper,workdir=$t/work" \
		"$moddir" || fail "cannot overlay $moddir"
	mnt=$moddir
fi
rm -f "$moddir/.arc-w"

# Debian's headers name the gcc the kernel was built with (5.10: gcc-10,
# not in bookworm): stand in the host's gcc-12, as scripts/kernels.sh
# does for the regular build.
cc=$(sed -n 's/^CC = .*)gcc-\([0-9]*\)$/gcc-\1/p' "$kdir/.kernelvariables" 2>/dev/null)
if [ -n "$cc" ] && ! command -v "$cc" >/dev/null && command -v gcc-12 >/dev/null; then
	bin=$(mktemp -d)
	ln -s "$(command -v gcc-12)" "$bin/$cc"
	export PATH=$bin:$PATH
	echo "$kver wants $cc: using gcc-12 in its place"
fi

# The tree is read-only in the guest; build from a copy.
work=$(mktemp -d)
(cd "$ARC_ROOT" && tar -cf - Kbuild Makefile dkms.conf include shim modules scripts) |
	tar -xf - -C "$work"
SECONDS=0
make -s -C "$work" dkms-install KVER="$kver" >/tmp/arc-dkms.log 2>&1 ||
	{ tail -n 40 /tmp/arc-dkms.log; fail "make dkms-install"; }
echo "dkms-install (probes and build inside the guest): ${SECONDS} s"
dkms status -m arc | grep -q installed || { dkms status; fail "dkms status: not installed"; }

path=$(modinfo -n arc_ramdisk) || fail "modinfo cannot find arc_ramdisk"
case $path in */updates/dkms/*) ;; *) fail "arc_ramdisk resolves to $path, not DKMS's tree" ;; esac
modprobe arc_ramdisk size_mb=8 || fail "modprobe arc_ramdisk"
loaded arc || fail "modprobe did not pull in arc.ko"
echo "modprobe loaded $(cat /sys/module/arc_ramdisk/version) from $path"
dd if=/dev/urandom of=/tmp/arc-dkms bs=1M count=2 status=none
dd if=/tmp/arc-dkms of=/dev/arcram0 bs=1M oflag=direct status=none || fail "write"
cmp <(dd if=/dev/arcram0 bs=1M count=2 iflag=direct status=none) /tmp/arc-dkms ||
	fail "read back"
modprobe -r arc_ramdisk arc || fail "modprobe -r"
loaded arc && fail "arc still loaded after modprobe -r"

make -s -C "$work" dkms-remove KVER="$kver" >>/tmp/arc-dkms.log 2>&1 ||
	{ tail -n 20 /tmp/arc-dkms.log; fail "make dkms-remove"; }
modinfo -n arc_ramdisk >/dev/null 2>&1 && fail "arc_ramdisk still installed after dkms-remove"
rm -rf "$work" /tmp/arc-dkms
pass "dkms install, modprobe, remove"
