#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A discard of a whole, full disk frees every page of it. That is long
# work (up to a million pages for one 4 GiB request) and must not be done
# where the CPU cannot be given up: in ->queue_rq(), on the submitting
# CPU, with no rescheduling point, every other task waiting for that CPU
# waits for the whole discard (and on a big enough disk the soft-lockup
# and RCU-stall detectors fire). A task that wakes every 2 ms on the CPU
# that issues the discard measures how long it waited at worst. It must
# not have waited for a fifth of the discard or more, when that is more
# than 40 ms (the discard holding the CPU for one of the requests it is
# split into), nor more than ARC_DISCARD_LIMIT_MS (250) in any case.
# Measured on 5.10 with 1 GiB: before the fix, discards of 280-349 ms
# kept the probe waiting 109-111 ms; after it, discards of 417-476 ms
# kept it waiting 11-30 ms. WRITE_ZEROES frees the same way and is
# checked too.
. "$(dirname "$0")/../lib.sh"
trap 'kill "$probe" 2>/dev/null; wait; rm -f /tmp/arc-probe /tmp/arc-probe.out; arc_unload_all' EXIT
need python3 blkdiscard taskset
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
cpu=1
limit_ms=${ARC_DISCARD_LIMIT_MS:-250}

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
mb=$((avail - 512))
[ "$mb" -gt 1024 ] && mb=1024
[ "$mb" -ge 256 ] || skip "only $avail MiB available"
ramdisk_load size_mb=$mb

# probe: wake every 2 ms on $cpu until SIGTERM, then print the longest
# time one sleep took, in ms.
start_probe() {
	rm -f /tmp/arc-probe
	taskset -c $cpu python3 -S -c '
import signal, sys, time
stop = False
def done(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, done)
open("/tmp/arc-probe", "w").close()
worst = 0.0
while not stop:
    t = time.monotonic()
    time.sleep(0.002)
    worst = max(worst, time.monotonic() - t)
print(int(worst * 1000))
' >/tmp/arc-probe.out &
	probe=$!
	while [ ! -e /tmp/arc-probe ]; do sleep 0.1; done
	sleep 0.5
}
# Not in a subshell: only this shell can wait for the probe.
stop_probe() {
	kill -TERM "$probe"
	wait "$probe"
}

check() {
	local what=$1 cmd=$2 t0 ms worst
	dd if=/dev/zero of=/dev/arcram0 bs=1M count=$mb oflag=direct status=none ||
		fail "filling the disk"
	expect_eq "pages before $what" "$(rd_pages)" $((mb << 8))
	start_probe
	t0=$(date +%s%N)
	taskset -c $cpu $cmd /dev/arcram0 || fail "$what"
	ms=$((($(date +%s%N) - t0) / 1000000))
	stop_probe
	worst=$(sysfs_read /tmp/arc-probe.out)
	[ -n "$worst" ] || fail "$what: the probe printed nothing"
	expect_eq "pages after $what" "$(rd_pages)" 0
	echo "# $what of $mb MiB ($((mb << 8)) pages): $ms ms; the probe waited at worst $worst ms"
	[ "$worst" -le "$limit_ms" ] ||
		fail "$what: a task on the same CPU waited $worst ms (limit $limit_ms)"
	[ "$worst" -le 40 ] || [ $((worst * 5)) -lt "$ms" ] ||
		fail "$what: a task on the same CPU waited $worst ms of the $ms ms it took"
}

check blkdiscard blkdiscard
check "write zeroes" "blkdiscard -z"
pass "discard and write zeroes of $mb MiB left the CPU responsive"
