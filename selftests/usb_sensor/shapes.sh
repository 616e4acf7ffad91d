#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A device that claims to be the sensor but has the wrong endpoints is
# refused at probe, with a message that says what is wrong, and nothing
# is registered (no input device, no binding); a good one binds after.
# A zero wMaxPacketSize cannot be presented on dummy_hcd: the gadget
# stack refuses to enable such an endpoint (a WARNING in usb_ep_enable)
# and stalls SET_CONFIGURATION, so the host never gets to probe; the
# driver's check (arc_usb_find_endpoints) is there for real devices.
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup
sensor_load

# shape -> what the refusal must say
declare -A want=(
	[no-out]="no command OUT endpoint"
	[int-in]="sample IN endpoint .* is interrupt, not bulk"
	[wrong-dir]="no sample IN endpoint"
)
for shape in no-out int-in wrong-dir; do
	dmesg -C
	gadget_start bad --shape "$shape" --pattern test
	sleep 1
	msg=$(dmesg | grep 'arc_usb_sensor' | grep -E "${want[$shape]}")
	[ -n "$msg" ] || { dmesg | tail -n 20; fail "$shape: no refusal saying '${want[$shape]}'"; }
	echo "# $shape: ${msg#*] }"
	expect_eq "$shape: driver of the interface" "$(sensor_driver bad)" none
	[ -z "$(ls -d "$(sensor_intf bad)"/input/input* 2>/dev/null)" ] ||
		fail "$shape: an input device was registered"
	grep -qx "USB Sensor" /sys/class/input/input*/name 2>/dev/null &&
		fail "$shape: a USB Sensor input device exists"
	gadget_stop bad
done

gadget_start good --pattern test
sensor_wait_bound good
sensor_event good >/dev/null || fail "the good device has no input device"
pass "3 malformed devices refused with their reason; a good one binds"
