#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel without USB still gets the rest of arc: DKMS builds and
# installs arc against the headers of Debian's cloud kernel (bookworm's
# linux-image-cloud-amd64, built with CONFIG_USB_SUPPORT off) in scratch
# trees: every module but arc_usb and arc_usb_sensor, which need USB.
. "$(dirname "$0")/../lib.sh"
need dkms
# Unpacked under the kernel cache, not installed: installed, its headers
# would become the newest /lib/modules/*/build, arc's default KVER.
env=$("$ARC_ROOT/scripts/kernels.sh" cloud) || fail "scripts/kernels.sh cloud"
eval "$env"
kdir=$KDIR kver=$KVER
grep -q '^CONFIG_USB=' "$kdir/.config" && fail "$kver has CONFIG_USB: not the kernel this test is about"
grep -q '^CONFIG_INPUT=y' "$kdir/.config" || fail "$kver has no CONFIG_INPUT"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
ARC_DKMS_DIR=$t "$ARC_ROOT/scripts/dkms.sh" install "$kver" "$kdir" >"$t/log" 2>&1 ||
	{ cat "$t/log"; fail "dkms install for $kver"; }
got=$(cd "$t/modules/$kver/updates/dkms" && ls | sed 's/\.ko.*//' | sort | xargs)
expect_eq "modules DKMS installed for $kver" "$got" "arc arc_block arc_firewall arc_input arc_net arc_ramdisk"
for m in $got; do
	magic=$(modinfo -F vermagic "$t/modules/$kver/updates/dkms/$m.ko"* | cut -d' ' -f1)
	expect_eq "$m vermagic" "$magic" "$kver"
done
pass "DKMS on $kver (no USB): $got"
