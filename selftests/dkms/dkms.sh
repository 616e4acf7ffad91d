#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS end to end: `make check` ran `make dkms-install` for this kernel on
# the build host (ARC_DKMS_DIR holds DKMS's trees; building inside the
# emulated guest takes ten minutes a kernel) and depmod over the result.
# Here that module tree becomes this kernel's: `modprobe arc_ramdisk` must
# pull in arc.ko and arc_block.ko from DKMS's updates/dkms, and not
# arc_net.ko, which it does not use; the disk must work. `make check`
# checks `make dkms-remove` after the guest exits.
. "$(dirname "$0")/../lib.sh"
need modprobe modinfo
[ -n "${ARC_DKMS_DIR:-}" ] || skip "ARC_DKMS_DIR not set: run through make check"
mounts=()
cleanup() {
	modprobe -r arc_ramdisk arc_firewall 2>/dev/null
	arc_unload_all
	[ ${#mounts[@]} -eq 0 ] || umount -l "${mounts[@]}"
}
trap cleanup EXIT

kver=$(uname -r)
loaded arc && fail "arc already loaded before the test"
installed=$ARC_DKMS_DIR/modules/$kver/updates/dkms
for m in arc arc_block arc_net arc_ramdisk arc_firewall; do
	[ -f "$installed/$m.ko" ] || fail "DKMS did not install $m.ko for $kver (in $installed)"
	magic=$(modinfo -F vermagic "$installed/$m.ko" | cut -d' ' -f1)
	expect_eq "$m.ko vermagic" "$magic" "$kver"
done

# `make check` ran depmod on the build host over a copy of this kernel's
# module tree plus what DKMS installed (what `dkms install` does to
# /lib/modules on a real machine): that tree replaces the guest's own.
tree=$ARC_DKMS_DIR/root/lib/modules/$kver
deps=$(sed -n 's#^updates/dkms/arc_ramdisk.ko[^:]*:##p' "$tree/modules.dep" | xargs -n 1 basename 2>/dev/null | sed 's/\.ko.*//' | sort | xargs)
expect_eq "what arc_ramdisk depends on (modules.dep in $tree)" "$deps" "arc arc_block"
moddir=$(readlink -f "/lib/modules/$kver")
mount --bind "$tree" "$moddir" || fail "cannot mount $tree on $moddir"
mounts+=("$moddir")

path=$(modinfo -n arc_ramdisk) || fail "modinfo cannot find arc_ramdisk"
case $path in */updates/dkms/*) ;; *) fail "arc_ramdisk resolves to $path, not DKMS's tree" ;; esac
modprobe arc_ramdisk size_mb=8 || fail "modprobe arc_ramdisk"
loaded arc || fail "modprobe did not pull in arc.ko"
loaded arc_block || fail "modprobe did not pull in arc_block.ko"
loaded arc_net && fail "modprobe arc_ramdisk loaded arc_net.ko, which it does not use"
echo "# lsmod after modprobe arc_ramdisk: $(awk '$1 ~ /^arc/ { printf "%s(%s) ", $1, $4 }' /proc/modules)"
echo "modprobe loaded arc_ramdisk $(cat /sys/module/arc_ramdisk/version) from $path"
dd if=/dev/urandom of=/tmp/arc-dkms bs=1M count=2 status=none
dd if=/tmp/arc-dkms of=/dev/arcram0 bs=1M oflag=direct status=none || fail "write"
dev_matches /tmp/arc-dkms if=/dev/arcram0 bs=1M count=2 iflag=direct ||
	fail "read back"
modprobe -r arc_ramdisk || fail "modprobe -r"
loaded arc && fail "arc still loaded after modprobe -r"
loaded arc_block && fail "arc_block still loaded after modprobe -r"
modprobe arc_firewall || fail "modprobe arc_firewall"
loaded arc_net || fail "modprobe did not pull in arc_net.ko"
loaded arc_block && fail "modprobe arc_firewall loaded arc_block.ko, which it does not use"
modprobe -r arc_firewall || fail "modprobe -r arc_firewall"
loaded arc && fail "arc still loaded after modprobe -r arc_firewall"
rm -f /tmp/arc-dkms
pass "DKMS-built modules for $kver load with modprobe from updates/dkms"
