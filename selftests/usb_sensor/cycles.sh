#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes: 20 cycles of unplugging the device mid-stream (UDC unbind)
# and plugging it back, each with a reader open; unbinding the driver
# mid-stream through sysfs and binding it again; rmmod while streaming.
# Each time the reader ends with an error rather than hanging, the
# interface comes back bound with fresh counters, and memory stays
# within a bound (a leak of the URBs' buffers, 16 KiB a binding, or of
# an input device would show in make check-debug's kmemleak; here the
# bound is coarse).
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup
sensor_load
gadget_start c --pattern test
sensor_wait_bound c
udc_file=/sys/kernel/config/usb_gadget/c/UDC
udc=$(cat "$udc_file")
[ -n "$udc" ] || fail "gadget c has no UDC in $udc_file"

# reader_streaming PID WHAT: usblib's, for gadget c and its reader's log.
reader_streaming() { sensor_reader_streaming c "$1" "$2" /tmp/arc-cycles-reader; }

# no_failed_stream WHAT: nothing so far was logged as a failed stream (a
# resubmit refused with -ENODEV or -ESHUTDOWN as the device goes is none:
# seen on the debug kernel).
no_failed_stream() {
	if dmesg | grep -E 'stream on endpoint .* stopped|stopped reading samples'; then
		fail "$1 was reported as a failed stream"
	fi
}

# reader_gone PID WHAT: the reader must end in 5 s, seeing the device go.
reader_gone() {
	local i
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$1" 2>/dev/null && fail "$2: the reader still blocks after 5 s"
	wait "$1"
	rc=$?
	[ $rc = 3 ] || cat /tmp/arc-cycles-reader 2>/dev/null
	expect_eq "$2: how the reader ended (3: the device went away)" $rc 3
}

prev=0
cycle() {
	local i=$1 ev fresh
	sensor_wait_bound c
	# A new binding counts from zero: only what udev's probe of the new
	# input device took, far less than a second of streaming.
	fresh=$(sensor_stat c samples)
	[ "$fresh" -lt 200 ] || fail "cycle $i: a fresh binding has counted $fresh samples already"
	ev=$(sensor_event c) || fail "cycle $i: no input device"
	"$EV_READ" --gaps --quiet "$ev" 1000000000 2>/tmp/arc-cycles-reader &
	r=$!
	reader_streaming $r "cycle $i"
	sleep 1
	prev=$(sensor_stat c samples)
	[ "$prev" -gt "$fresh" ] || fail "cycle $i: no samples while the reader was open"
	echo "" >"$udc_file" || fail "cycle $i: UDC unbind"
	reader_gone $r "cycle $i: unplug"
	[ -z "$(sensor_usbdev c)" ] || fail "cycle $i: the device is still there after unplug"
	echo "$udc" >"$udc_file" || fail "cycle $i: UDC bind"
	for j in $(seq 100); do [ -n "$(sensor_usbdev c)" ] && break; sleep 0.1; done
}

cycle 0
before=$(mem_avail_mb)
dmesg -C
for i in $(seq 20); do cycle "$i"; done
sensor_wait_bound c
n=$(dmesg | grep -c 'USB Sensor disconnected')
expect_eq "disconnects logged" "$n" 20
no_failed_stream "an unplug"

# The driver unbound and bound again through sysfs while streaming.
intf=$(basename "$(sensor_intf c)")
ev=$(sensor_event c)
"$EV_READ" --gaps --quiet "$ev" 1000000000 2>/tmp/arc-cycles-reader &
r=$!
reader_streaming $r "sysfs unbind"
sleep 0.5
echo "$intf" >/sys/bus/usb/drivers/arc_usb_sensor/unbind || fail "sysfs unbind"
reader_gone $r "sysfs unbind"
dmesg | grep -q "$intf: USB Sensor unbound" || fail "no 'unbound' message"
echo "$intf" >/sys/bus/usb/drivers/arc_usb_sensor/bind || fail "sysfs bind"
sensor_wait_bound c
"$EV_READ" --gaps --quiet "$(sensor_event c)" 500 || fail "reading after sysfs bind"

# rmmod while a reader streams: the module goes, the reader ends.
"$EV_READ" --gaps --quiet "$(sensor_event c)" 1000000000 2>/tmp/arc-cycles-reader &
r=$!
reader_streaming $r "rmmod"
sleep 0.5
rmmod arc_usb_sensor || fail "rmmod while streaming"
reader_gone $r "rmmod"
expect_eq "driver after rmmod" "$(sensor_driver c)" none
sensor_load
sensor_wait_bound c
"$EV_READ" --gaps --quiet "$(sensor_event c)" 500 || fail "reading after insmod"
no_failed_stream "an unbind or rmmod"
after=$(mem_avail_mb)
echo "# available: before ${before} MiB, after ${after} MiB (20 unplug cycles, unbind, rmmod)"
[ $((before - after)) -lt 16 ] || fail "lost $((before - after)) MiB"
pass "20 unplug cycles, sysfs unbind/bind and rmmod while streaming"
