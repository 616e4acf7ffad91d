#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A sensor end to end: usbtouchscreen is loaded before the device appears
# (it matches 1234:5678 too) and arc's udev rules hand the device to
# arc_usb_sensor; the input device is "USB Sensor" with three axes; a
# reader sees exactly the samples sent, in order, values exact (the test
# pattern has -32768, 32767, 0, -1 and 1 on every axis), timestamps
# monotonic, no SYN_DROPPED; the counters agree with the device's; the
# sample rate reaches the device and bad rates are refused; closing the
# input device stops the stream.
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup

# usbtouchscreen first, as a stock system has it loaded once any device
# with one of its ids was seen (the debug kernel is built without it).
if modprobe usbtouchscreen 2>/dev/null; then
	touch=1
else
	touch=
	echo "# usbtouchscreen: not in this kernel; the binding contest is not tested here"
fi
# Registered before arc_usb_sensor, usbtouchscreen is offered the device
# first and takes it; the udev rule must move it.
sensor_load

dmesg -C
gadget_start s1 --pattern test --seq-start 1000
sensor_wait_bound s1
intf=$(sensor_intf s1)
if [ -n "$touch" ]; then
	# usbtouchscreen names its input device after the USB strings.
	dmesg | grep -q "input: arc arc USB sensor .*$(basename "$intf")" ||
		fail "usbtouchscreen never had the device: the contest did not happen"
	echo "# usbtouchscreen took the device first; the udev rule gave it to arc_usb_sensor"
fi
ev=$(sensor_event s1) || fail "no input device under $intf"
inp=$(dirname "$(readlink -f "/sys/class/input/${ev#/dev/input/}")")
expect_eq "input device name" "$(cat "$inp/name")" "USB Sensor"
case $(cat "$inp/phys") in
usb-dummy_hcd*/input0) ;;
*) fail "phys '$(cat "$inp/phys")' is not the USB path" ;;
esac
expect_eq "input id" "$(cat "$inp/id/vendor"):$(cat "$inp/id/product"):$(cat "$inp/id/bustype")" "1234:5678:0003"
expect_eq "streaming before open" "$(sysfs_read "$intf/streaming")" 0

# 10,000 samples in order, each the pattern's for its sequence number
# (the first one found by its values: udev's probe of the new device
# took some), none missing.
out=$("$EV_READ" "$ev" 10000) || fail "reading the samples: $out"
echo "# $out"
sleep 0.5
expect_eq "streaming after close" "$(sysfs_read "$intf/streaming")" 0
sent=$(gadget_stat s1 samples)
got=$(sensor_stat s1 samples)
# The reader stops at 20,000 and closes; the device stops on the STOP
# command, so what was sent and what the driver counted agree exactly.
expect_eq "samples the driver counted vs the device sent" "$got" "$sent"
for c in short odd garbage out_of_sequence lost err_proto err_other halts failures; do
	expect_eq "stats/$c" "$(sensor_stat s1 "$c")" 0
done
[ "$got" -ge 10000 ] || fail "driver counted $got samples, fewer than were read"

# The sample rate: validated, and sent to the device.
for bad in 0 100001 -5 abc ""; do
	echo "$bad" >"$intf/rate" 2>/dev/null && fail "rate '$bad' accepted"
done
expect_eq "rate after refused writes" "$(sysfs_read "$intf/rate")" 1000
# Closed, a new rate is kept for the next open; open, it goes to the
# device at once. Every open sends the rate before START.
echo 250 >"$intf/rate" || fail "rate 250 refused"
"$EV_READ" --quiet --gaps "$ev" 10 >/dev/null || fail "reading after the rate change"
expect_eq "the device's rate after an open" "$(gadget_stat s1 rate)" 250
"$EV_READ" --quiet --gaps --timeout 30 "$ev" 1000000000 >/dev/null 2>&1 &
r=$!
sleep 1
echo 500 >"$intf/rate" || fail "rate 500 refused while open"
expect_eq "the device's rate while open" "$(gadget_stat s1 rate)" 500
kill $r
wait $r 2>/dev/null
expect_eq "sysfs rate" "$(sysfs_read "$intf/rate")" 500
starts=$(gadget_stat s1 cmd_start)
expect_eq "SET_RATE commands: one per START and one while open" \
	"$(gadget_stat s1 cmd_set_rate)" $((starts + 1))
expect_eq "STOP commands: one per START" "$(gadget_stat s1 cmd_stop)" "$starts"
pass "$got samples exact; rate control; counters agree with the device"
