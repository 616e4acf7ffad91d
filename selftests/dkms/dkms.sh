#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS end to end: `make check` ran `make dkms-install` for this kernel on
# the build host (ARC_DKMS_DIR holds DKMS's trees; building inside the
# emulated guest takes ten minutes a kernel) and depmod over the result.
# Here that module tree becomes this kernel's: `modprobe arc_ramdisk` must
# pull in arc.ko and arc_block.ko from DKMS's updates/dkms, and not
# arc_net.ko, which it does not use; the disk must work; the firewall, the
# packet analyzer and the USB sensor likewise pull in only their own shim
# areas. On a kernel
# without USB (Debian's cloud flavour, in make check's matrix) DKMS
# installed every module but arc_usb and arc_usb_sensor. `make check`
# checks `make dkms-remove` after the guest exits.
. "$(dirname "$0")/../lib.sh"
need modprobe modinfo
[ -n "${ARC_DKMS_DIR:-}" ] || skip "ARC_DKMS_DIR not set: run through make check"
mounts=()
cleanup() {
	modprobe -r arc_ramdisk arc_firewall arc_pktan arc_usb_sensor arc_minivm 2>/dev/null
	arc_unload_all
	[ ${#mounts[@]} -eq 0 ] || umount -l "${mounts[@]}"
}
trap cleanup EXIT

kver=$(uname -r)
loaded arc && fail "arc already loaded before the test"
installed=$ARC_DKMS_DIR/modules/$kver/updates/dkms
# A kernel without USB (Debian's cloud flavour) gets everything else.
if [ -d /sys/bus/usb ] || modinfo usbcore >/dev/null 2>&1; then
	usb=1 want="arc arc_block arc_firewall arc_input arc_kvm arc_minivm arc_net arc_pktan arc_ramdisk arc_usb arc_usb_sensor"
else
	usb= want="arc arc_block arc_firewall arc_input arc_kvm arc_minivm arc_net arc_pktan arc_ramdisk"
fi
got=$(cd "$installed" && ls | sed 's/\.ko.*//' | sort | xargs)
expect_eq "modules DKMS installed for $kver (USB: ${usb:-none})" "$got" "$want"
for m in $got; do
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
modprobe arc_pktan || fail "modprobe arc_pktan"
loaded arc_net || fail "modprobe arc_pktan did not pull in arc_net.ko"
loaded arc_block && fail "modprobe arc_pktan loaded arc_block.ko, which it does not use"
modprobe -r arc_pktan || fail "modprobe -r arc_pktan"
loaded arc && fail "arc still loaded after modprobe -r arc_pktan"
modprobe arc_minivm || fail "modprobe arc_minivm"
loaded arc_kvm || fail "modprobe arc_minivm did not pull in arc_kvm.ko"
loaded arc_net || loaded arc_block && fail "modprobe arc_minivm loaded a shim area it does not use"
[ -c /dev/arc_vm ] || fail "arc_minivm made no /dev/arc_vm"
modprobe -r arc_minivm || fail "modprobe -r arc_minivm"
loaded arc && fail "arc still loaded after modprobe -r arc_minivm"
if [ -n "$usb" ]; then
	modprobe arc_usb_sensor || fail "modprobe arc_usb_sensor"
	loaded arc_usb && loaded arc_input ||
		fail "modprobe arc_usb_sensor did not pull in arc_usb.ko and arc_input.ko"
	loaded arc_block || loaded arc_net &&
		fail "modprobe arc_usb_sensor loaded a shim area it does not use"
	[ -d /sys/bus/usb/drivers/arc_usb_sensor ] || fail "arc_usb_sensor registered no USB driver"
	modprobe -r arc_usb_sensor || fail "modprobe -r arc_usb_sensor"
	loaded arc && fail "arc still loaded after modprobe -r arc_usb_sensor"
else
	# Nothing to load, and modprobe says so plainly.
	out=$(modprobe arc_usb_sensor 2>&1) && fail "modprobe arc_usb_sensor succeeded without USB"
	case $out in *"not found"*) ;; *) fail "modprobe arc_usb_sensor without USB: '$out'" ;; esac
	loaded arc && fail "a failed modprobe arc_usb_sensor left arc loaded"
fi
rm -f /tmp/arc-dkms
pass "DKMS-built modules for $kver load with modprobe from updates/dkms"
