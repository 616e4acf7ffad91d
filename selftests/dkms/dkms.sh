#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS end to end: `make check` ran `make dkms-install` for this kernel on
# the build host (ARC_DKMS_DIR holds DKMS's trees; building inside the
# emulated guest takes ten minutes a kernel). Here what DKMS installed
# goes into this kernel's module tree, `modprobe arc_ramdisk` must pull in
# arc.ko from DKMS's updates/dkms, and the disk must work. `make check`
# checks `make dkms-remove` after the guest exits.
. "$(dirname "$0")/../lib.sh"
need modprobe modinfo depmod
[ -n "${ARC_DKMS_DIR:-}" ] || skip "ARC_DKMS_DIR not set: run through make check"
mounts=()
cleanup() {
	local i
	modprobe -r arc_ramdisk arc 2>/dev/null
	arc_unload_all
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}"; done
}
trap cleanup EXIT

kver=$(uname -r)
loaded arc && fail "arc already loaded before the test"
installed=$ARC_DKMS_DIR/modules/$kver/updates/dkms
for m in arc arc_ramdisk arc_firewall; do
	[ -f "$installed/$m.ko" ] || fail "DKMS did not install $m.ko for $kver (in $installed)"
	magic=$(modinfo -F vermagic "$installed/$m.ko" | cut -d' ' -f1)
	expect_eq "$m.ko vermagic" "$magic" "$kver"
done

# This kernel's module tree may be the host's read-only one (a kernel
# unpacked by scripts/kernels.sh): write into an overlay of it. Its upper
# layer gets a tmpfs of its own: the guest's /tmp may itself be an
# overlay, which older kernels refuse as an upper layer.
moddir=$(readlink -f "/lib/modules/$kver")
t=$(mktemp -d)
mount -t tmpfs tmpfs "$t" && mounts+=("$t")
mkdir -p "$t/upper" "$t/work"
mount -t overlay overlay -o "lowerdir=$moddir,upperdir=$t/upper,workdir=$t/work" "$moddir" ||
	fail "cannot overlay $moddir"
mounts+=("$moddir")
mkdir -p "$moddir/updates/dkms"
cp "$installed"/*.ko "$moddir/updates/dkms/"
depmod -a "$kver" || fail "depmod"

path=$(modinfo -n arc_ramdisk) || fail "modinfo cannot find arc_ramdisk"
case $path in */updates/dkms/*) ;; *) fail "arc_ramdisk resolves to $path, not DKMS's tree" ;; esac
modprobe arc_ramdisk size_mb=8 || fail "modprobe arc_ramdisk"
loaded arc || fail "modprobe did not pull in arc.ko"
echo "modprobe loaded arc_ramdisk $(cat /sys/module/arc_ramdisk/version) from $path"
dd if=/dev/urandom of=/tmp/arc-dkms bs=1M count=2 status=none
dd if=/tmp/arc-dkms of=/dev/arcram0 bs=1M oflag=direct status=none || fail "write"
cmp <(dd if=/dev/arcram0 bs=1M count=2 iflag=direct status=none) /tmp/arc-dkms ||
	fail "read back"
modprobe -r arc_ramdisk arc || fail "modprobe -r"
loaded arc && fail "arc still loaded after modprobe -r"
modprobe arc_firewall || fail "modprobe arc_firewall"
modprobe -r arc_firewall arc || fail "modprobe -r arc_firewall"
rm -f /tmp/arc-dkms
pass "DKMS-built modules for $kver load with modprobe from updates/dkms"
