#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS end to end in the guest: make dkms-install builds arc for the
# running kernel, modprobe arc_ramdisk pulls in arc.ko from DKMS's tree,
# make dkms-remove takes it all away again.
. "$(dirname "$0")/../lib.sh"
need dkms make gcc
mounts=()
cleanup() {
	local i
	modprobe -r arc_ramdisk arc 2>/dev/null
	arc_unload_all
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}"; done
}
trap cleanup EXIT
# overlay DIR: make DIR writable for this test, writes vanish at the end.
overlay() {
	local t
	t=$(mktemp -d)
	# A tmpfs of its own: the guest's /tmp may itself be an overlay,
	# which older kernels refuse as an upper layer.
	mount -t tmpfs tmpfs "$t" && mounts+=("$t")
	mkdir -p "$t/upper" "$t/work"
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$t/upper,workdir=$t/work" "$1" ||
		fail "cannot overlay $1"
	mounts+=("$1")
}

kver=$(uname -r)
loaded arc && fail "arc already loaded before the test"
moddir=$(readlink -f "/lib/modules/$kver")
kdir=$(readlink -f "/lib/modules/$kver/build") || true
# run CMD...: in the environment the kernel's build tree needs.
run() { "$@"; }
sysroot=
if [ ! -f "$kdir/Makefile" ] && [ -n "${ARC_KROOT:-}" ] &&
   [ -f "$ARC_KROOT/usr/src/linux-headers-$kver/Makefile" ]; then
	# 7.2: the headers' tools need the sid chroot's glibc and gcc
	# (scripts/kernels.sh). DKMS runs there, in a writable overlay of
	# it, and installs into the chroot's module tree, which is also
	# the one this guest booted with (/lib/modules/KVER points into it).
	sysroot=$ARC_KROOT
	overlay "$sysroot"
	mount -t proc proc "$sysroot/proc" && mounts+=("$sysroot/proc")
	mount --bind /dev "$sysroot/dev" && mounts+=("$sysroot/dev")
	run() { chroot "$sysroot" "$@"; }
	echo "$kver builds in its chroot $sysroot"
else
	[ -f "$kdir/Makefile" ] || skip "no build tree for $kver"
	# A kernel unpacked by scripts/kernels.sh has its modules on the
	# host's read-only tree: DKMS installs into an overlay of it.
	if touch "$moddir/.arc-w" 2>/dev/null; then
		rm -f "$moddir/.arc-w"
	else
		overlay "$moddir"
	fi
fi

# Debian's headers name the gcc the kernel was built with (5.10: gcc-10,
# not in bookworm): stand in the host's gcc-12, as scripts/kernels.sh
# does for the regular build.
cc=$(sed -n 's/^CC = .*)gcc-\([0-9]*\)$/gcc-\1/p' "$kdir/.kernelvariables" 2>/dev/null)
if [ -z "$sysroot" ] && [ -n "$cc" ] && ! command -v "$cc" >/dev/null &&
   command -v gcc-12 >/dev/null; then
	bin=$(mktemp -d)
	ln -s "$(command -v gcc-12)" "$bin/$cc"
	export PATH=$bin:$PATH
	echo "$kver wants $cc: using gcc-12 in its place"
fi

# The tree is read-only in the guest; build from a copy.
work=/tmp/arc-dkms-src
rm -rf "$sysroot$work"
mkdir -p "$sysroot$work"
(cd "$ARC_ROOT" && tar -cf - Kbuild Makefile dkms.conf include shim modules scripts \
	$(ls -d .cache/probes/"$kver"-* 2>/dev/null)) | tar -xf - -C "$sysroot$work"
SECONDS=0
run make -s -C "$work" dkms-install KVER="$kver" >/tmp/arc-dkms.log 2>&1 ||
	{ tail -n 40 /tmp/arc-dkms.log; fail "make dkms-install"; }
echo "dkms-install (build inside the guest, probe results of the host's build reused): ${SECONDS} s"
run dkms status -m arc | grep -q installed || { run dkms status; fail "dkms status: not installed"; }

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

run make -s -C "$work" dkms-remove KVER="$kver" >>/tmp/arc-dkms.log 2>&1 ||
	{ tail -n 20 /tmp/arc-dkms.log; fail "make dkms-remove"; }
modinfo -n arc_ramdisk >/dev/null 2>&1 && fail "arc_ramdisk still installed after dkms-remove"
rm -rf "$sysroot$work" /tmp/arc-dkms
pass "dkms install, modprobe, remove"
