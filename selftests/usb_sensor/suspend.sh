#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Autosuspend: with autosuspend allowed (power/control auto), the sensor
# suspends while nobody has its input device open, resumes when a reader
# opens it (and streams exact samples), and suspends again after the last
# close. dummy_hcd suspends a port of its USB 2.0 root hub for real; the
# device side sees it (FunctionFS SUSPEND/RESUME events).
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup
sensor_load
gadget_start p --pattern test
sensor_wait_bound p
dev=$(sensor_usbdev p)
echo 0 >"$dev/power/autosuspend_delay_ms" || fail "autosuspend_delay_ms"
echo auto >"$dev/power/control" || fail "power/control auto"

# wait_status WANT: the device's runtime PM status becomes WANT (10 s).
wait_status() {
	local i
	for i in $(seq 100); do
		[ "$(cat "$dev/power/runtime_status")" = "$1" ] && return 0
		sleep 0.1
	done
	fail "$2: runtime status '$(cat "$dev/power/runtime_status")', want '$1'"
}

wait_status suspended "closed, autosuspend allowed"
before=$(cat "$dev/power/runtime_suspended_time")
out=$("$EV_READ" "$(sensor_event p)" 2000) || fail "reading after resume: $out"
echo "# $out"
wait_status suspended "after the last close"
after=$(cat "$dev/power/runtime_suspended_time")
[ "$(gadget_stat p ev_suspend)" -ge 1 ] || [ "$(gadget_stat p ev_resume)" -ge 1 ] ||
	fail "the device saw neither a suspend nor a resume"
echo "# device events: suspend $(gadget_stat p ev_suspend) resume $(gadget_stat p ev_resume); suspended ${before} ms before the read, ${after} ms after"
# Open, it must not suspend, however long the reader takes.
"$EV_READ" --gaps --quiet --timeout 30 "$(sensor_event p)" 1000000000 &
r=$!
sleep 3
expect_eq "runtime status while open" "$(cat "$dev/power/runtime_status")" active
kill $r
wait $r 2>/dev/null
wait_status suspended "after the reader was killed"
pass "suspends when closed, resumes on open with exact samples, stays up while open"
