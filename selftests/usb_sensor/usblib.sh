#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the USB sensor's selftests: a real USB device emulated by
# userspace/sensor-gadget (FunctionFS) on dummy_hcd, the host side of the
# same kernel binding arc_usb_sensor to it. Source it after lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SENSOR_KO=$ARC_ROOT/modules/usb_sensor/arc_usb_sensor.ko
GADGET=$ARC_ROOT/userspace/sensor-gadget/sensor-gadget
EV_READ=$ARC_ROOT/selftests/usb_sensor/ev_read
RULES=$ARC_ROOT/modules/usb_sensor/70-arc-usb-sensor.rules
GADGET_DIR=/tmp/arc-gadget
declare -A GADGET_PID

# CVE-2026-68370: dummy_hcd up to these releases reuses its one FIFO
# request for a short IN transfer while dummy_timer, on another CPU, is
# still calling the previous one's completion, which it then calls
# through the overwritten pointer: the guest dies (6.12.95, in faults.sh's
# unpaced bursts and fuzz_usb.sh, a NULL pointer in __queue_work from
# dummy_timer). Each pair is the first affected release and the first
# fixed one of a stable range.
DUMMY_HCD_RACY=(0 5.10.265 5.11 5.15.216 5.16 6.1.183 6.2 6.6.148 6.7 6.12.101
	6.13 6.18.42 6.19 7.1.6)
CPUS_OFF=

# kernel_release: the running kernel's upstream release (Debian's from
# /proc/version: 5.10.0-32-amd64 is 5.10.223), e.g. 6.12.95.
kernel_release() {
	local v
	v=$(sed -n 's/.* Debian \([0-9][0-9.]*\).*/\1/p' /proc/version)
	[ -n "$v" ] || v=$(uname -r | sed 's/^\([0-9][0-9.]*\).*/\1/')
	echo "$v"
}

# version_lt A B: whether release A is older than B.
version_lt() {
	[ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
}

# dummy_hcd_racy: whether this kernel's dummy_hcd has CVE-2026-68370.
dummy_hcd_racy() {
	local v i
	v=$(kernel_release)
	for ((i = 0; i + 1 < ${#DUMMY_HCD_RACY[@]}; i += 2)); do
		if ! version_lt "$v" "${DUMMY_HCD_RACY[i]}" &&
		   version_lt "$v" "${DUMMY_HCD_RACY[i + 1]}"; then
			return 0
		fi
	done
	return 1
}

# one_cpu_for_dummy_hcd: on a kernel whose dummy_hcd has the race above,
# every CPU but the first goes offline until sensor_cleanup: the race
# needs two (dummy_queue() in process context against dummy_timer in a
# softirq), so arc's driver is then tested on one CPU only there.
one_cpu_for_dummy_hcd() {
	local c
	dummy_hcd_racy || return 0
	echo "# dummy_hcd of $(kernel_release) has CVE-2026-68370 (fixed in 5.10.265, 6.1.183, 6.6.148, 6.12.101, 7.1.6): one CPU online for this test"
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -e "$c" ] || continue
		[ "$(cat "$c")" = 1 ] || continue
		echo 0 >"$c" || fail "cannot take ${c%/online} offline"
		CPUS_OFF="$CPUS_OFF $c"
	done
}

# usb_setup [UDCS]: dummy_hcd with UDCS (default 2) controllers,
# libcomposite and FunctionFS, configfs mounted; arc's udev rules in
# place, as an installed arc has them (udev then loads arc_usb_sensor, not
# usbtouchscreen, for the sensor), and usbtouchscreen not loaded.
usb_setup() {
	local n=${1:-2}
	one_cpu_for_dummy_hcd
	[ -x "$GADGET" ] || fail "sensor-gadget not built ($GADGET)"
	[ -x "$EV_READ" ] || fail "ev_read not built ($EV_READ)"
	if ! loaded dummy_hcd; then
		modprobe dummy_hcd num="$n" || skip "no dummy_hcd in this kernel"
	fi
	modprobe libcomposite || skip "no libcomposite in this kernel"
	modprobe usb_f_fs || skip "no usb_f_fs (FunctionFS) in this kernel"
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config ||
		fail "cannot mount configfs"
	mkdir -p "$GADGET_DIR" /run/udev/rules.d
	cp "$RULES" /run/udev/rules.d/ || fail "install the udev rules"
	udevadm control --reload || fail "udevadm control --reload"
	if loaded usbtouchscreen; then rmmod usbtouchscreen || fail "rmmod usbtouchscreen"; fi
}

# sensor_load [PARAM=VALUE...]: the shim modules it uses, then the driver.
sensor_load() {
	arc_load usb input
	insmod "$SENSOR_KO" "$@" || fail "insmod arc_usb_sensor $*"
}

# gadget_start NAME [sensor-gadget options...]: a sensor on the next free
# UDC, waited for until the host has enumerated it. Its counters go to
# $GADGET_DIR/NAME.stats, its log to $GADGET_DIR/NAME.log.
gadget_start() {
	local name=$1 i
	shift
	rm -f "$GADGET_DIR/$name".{ready,stats}
	"$GADGET" --name "$name" --replace --stats "$GADGET_DIR/$name.stats" \
		--ready-file "$GADGET_DIR/$name.ready" "$@" >"$GADGET_DIR/$name.log" 2>&1 &
	GADGET_PID[$name]=$!
	for i in $(seq 100); do
		[ -e "$GADGET_DIR/$name.ready" ] && break
		kill -0 "${GADGET_PID[$name]}" 2>/dev/null ||
			{ cat "$GADGET_DIR/$name.log"; fail "sensor-gadget $name exited"; }
		sleep 0.1
	done
	[ -e "$GADGET_DIR/$name.ready" ] ||
		{ cat "$GADGET_DIR/$name.log"; fail "sensor-gadget $name not ready after 10 s"; }
	for i in $(seq 100); do
		[ -n "$(sensor_usbdev "$name")" ] && return 0
		sleep 0.1
	done
	cat "$GADGET_DIR/$name.log"
	fail "the host did not enumerate gadget $name"
}

# gadget_stop NAME: SIGTERM, and wait for it to clean up.
gadget_stop() {
	local pid=${GADGET_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "GADGET_PID[$1]"
}

gadget_stop_all() {
	local n
	for n in "${!GADGET_PID[@]}"; do gadget_stop "$n"; done
}

# gadget_stat NAME KEY: one of the gadget's counters, fresh: SIGUSR1 has
# it write them anew, to a new file renamed over the old one.
gadget_stat() {
	local f=$GADGET_DIR/$1.stats before i
	before=$(stat -c %i "$f" 2>/dev/null)
	kill -USR1 "${GADGET_PID[$1]}" 2>/dev/null || fail "gadget $1 is not running"
	for i in $(seq 100); do
		[ "$(stat -c %i "$f" 2>/dev/null)" != "$before" ] && break
		sleep 0.05
	done
	[ "$(stat -c %i "$f" 2>/dev/null)" != "$before" ] || fail "gadget $1 wrote no counters"
	tr ' ' '\n' <"$f" | sed -n "s/^$2=//p"
}

# sensor_usbdev NAME: the host's USB device directory of gadget NAME (its
# serial number is NAME), empty if not there.
sensor_usbdev() {
	local d
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/serial" ] && [ "$(cat "$d/serial")" = "$1" ] &&
			[ "$(cat "$d/idVendor" 2>/dev/null)" = 1234 ] && { echo "$d"; return; }
	done
}

# sensor_intf NAME: its interface directory (the one arc_usb_sensor binds).
sensor_intf() {
	local d
	d=$(sensor_usbdev "$1")
	[ -n "$d" ] || return 1
	ls -d "$d"/*:1.0 2>/dev/null | head -n 1
}

# sensor_driver NAME: the driver bound to its interface, or "none".
sensor_driver() {
	local i
	i=$(sensor_intf "$1") || { echo none; return; }
	if [ -e "$i/driver" ]; then basename "$(readlink "$i/driver")"; else echo none; fi
}

# sensor_wait_bound NAME: until arc_usb_sensor is bound (10 s).
sensor_wait_bound() {
	local i
	for i in $(seq 100); do
		if [ "$(sensor_driver "$1")" = arc_usb_sensor ]; then
			# udev opens a new input device to probe it (the
			# device sees a START and a STOP): let that pass.
			udevadm settle --timeout=5 2>/dev/null
			return 0
		fi
		sleep 0.1
	done
	fail "gadget $1: bound to '$(sensor_driver "$1")', not arc_usb_sensor"
}

# sensor_event NAME: the /dev/input/eventN of its input device.
sensor_event() {
	local e
	e=$(ls -d "$(sensor_intf "$1")"/input/input*/event* 2>/dev/null | head -n 1)
	[ -n "$e" ] || return 1
	echo "/dev/input/${e##*/}"
}

# sensor_stat NAME COUNTER: one of stats/ of its interface.
sensor_stat() {
	sysfs_read "$(sensor_intf "$1")/stats/$2"
}

# sensor_reader_streaming NAME PID WHAT [LOG]: the reader PID has gadget
# NAME's device open and streaming within 10 s (on make check-debug's
# kernel a reader took longer than half a second to start), or the test
# fails, showing LOG, the reader's output.
sensor_reader_streaming() {
	local i
	for i in $(seq 100); do
		[ "$(sysfs_read "$(sensor_intf "$1")/streaming" 2>/dev/null)" = 1 ] && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "${4:-}" ] && cat "$4" 2>/dev/null
	fail "$3: the reader never got the device streaming"
}

sensor_cleanup() {
	local c
	gadget_stop_all
	loaded arc_usb_sensor && rmmod arc_usb_sensor
	loaded usbtouchscreen && rmmod usbtouchscreen
	arc_unload_all
	rm -f /run/udev/rules.d/70-arc-usb-sensor.rules
	udevadm control --reload 2>/dev/null
	for c in $CPUS_OFF; do
		echo 1 >"$c" || echo "# cannot bring ${c%/online} back online"
	done
	CPUS_OFF=
	return 0
}
