#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two sensors at once, on the two controllers of dummy_hcd num=2: two
# input devices with their own USB paths, each reader sees exactly its
# own device's samples while both stream.
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup 2
[ "$(ls /sys/class/udc | grep -c dummy_udc)" -ge 2 ] || skip "dummy_hcd gave fewer than 2 UDCs"
sensor_load
gadget_start a --pattern test --seq-start 0
gadget_start b --pattern test --seq-start 3000000000
sensor_wait_bound a
sensor_wait_bound b
ea=$(sensor_event a) || fail "no input device for a"
eb=$(sensor_event b) || fail "no input device for b"
[ "$ea" != "$eb" ] || fail "one input device for both"
pa=$(cat "/sys/class/input/${ea#/dev/input/}/device/phys")
pb=$(cat "/sys/class/input/${eb#/dev/input/}/device/phys")
[ "$pa" != "$pb" ] || fail "both input devices have phys $pa"
"$EV_READ" "$ea" 10000 >/tmp/arc-ev-a 2>&1 &
ra=$!
"$EV_READ" --first 3000000000 "$eb" 10000 >/tmp/arc-ev-b 2>&1 &
rb=$!
wait $ra || { cat /tmp/arc-ev-a; fail "reader of a"; }
wait $rb || { cat /tmp/arc-ev-b; fail "reader of b"; }
echo "# a ($pa): $(cat /tmp/arc-ev-a)"
echo "# b ($pb): $(cat /tmp/arc-ev-b)"
for s in a b; do
	sleep 0.3
	expect_eq "$s: samples counted vs sent" "$(sensor_stat $s samples)" "$(gadget_stat $s samples)"
done
pass "two sensors streamed at once, 10,000 exact samples each"
