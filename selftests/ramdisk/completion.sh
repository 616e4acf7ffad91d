#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Requests that complete later (ARC_BLOCK's arc_blk_complete() and
# arc_blk_complete_after()) and requests that time out:
# - completion=softirq and completion=timer keep data correct under fio
#   verify;
# - completion=timer really waits completion_nsec per request, also past
#   the block layer's timeout (arc's timer ends those, not the timeout);
# - hold_every=N (test only) keeps every Nth write until the block
#   layer's timeout, whose handler ends it with the status it was served
#   with: nothing lost, data intact, every held request counted as a
#   timeout once.
. "$(dirname "$0")/../lib.sh"
need fio
data=$(mktemp)
trap 'rm -f "$data" "$data.2"; arc_unload_all' EXIT
cd /tmp || fail "cd /tmp"
dd if=/dev/urandom of="$data" bs=4k count=64 status=none
sysdir=/sys/block/arcram0
ms() { echo $(($(date +%s%N) / 1000000)); }

verify() {
	local out
	out=$(fio --name=verify --filename=/dev/arcram0 --direct=1 --ioengine=libaio \
		--iodepth=16 --numjobs=2 --size=16M --offset_increment=16M \
		--verify=crc32c --verify_fatal=1 --do_verify=1 --verify_state_save=0 \
		--group_reporting --output-format=terse --terse-version=3 "$@" 2>&1) ||
		{ echo "$out"; fail "fio $*"; }
	echo "$out" | awk -F';' '/^3;/ { n++; if ($5 != 0) bad = 1 }
		END { exit bad || n != 1 }' || { echo "$out"; fail "fio $* reported errors"; }
}

for mode in softirq timer; do
	ramdisk_load size_mb=64 completion=$mode completion_nsec=50000
	verify --rw=randwrite --bs=4k
	verify --rw=randwrite --bsrange=512-128k
	echo "# completion=$mode: fio verified"
	ramdisk_unload || fail "rmmod ($mode)"
done

# 20 ms per request: ten reads one after another take at least 200 ms.
ramdisk_load size_mb=8 completion=timer completion_nsec=20000000
t0=$(ms)
dd if=/dev/arcram0 of=/dev/null bs=4k count=10 iflag=direct status=none || fail "reads"
took=$(($(ms) - t0))
[ "$took" -ge 200 ] || fail "10 reads with completion_nsec=20 ms took $took ms"
echo "# completion=timer, 20 ms: 10 reads in $took ms"
ramdisk_unload || fail "rmmod"

# Longer than the timeout: arc's timer ends the request, no timeout.
ramdisk_load size_mb=8 completion=timer completion_nsec=1000000000
echo 300 >$sysdir/queue/io_timeout || fail "io_timeout"
t0=$(ms)
head -c 8192 "$data" >"$data.2"
dd if="$data.2" of=/dev/arcram0 bs=4k count=2 oflag=direct status=none || fail "write past the timeout"
took=$(($(ms) - t0))
[ "$took" -ge 2000 ] || fail "2 writes of 1 s each took $took ms"
expect_eq "timeouts of requests on arc's timer" "$(sysfs_read $sysdir/ramdisk/timeouts)" 0
dev_matches "$data.2" if=/dev/arcram0 bs=4k count=2 iflag=direct ||
	fail "data written with 1 s completions reads back different"
ramdisk_unload || fail "rmmod"

# Held requests: the timeout path ends them.
ramdisk_load size_mb=8 hold_every=16
echo 1000 >$sysdir/queue/io_timeout || fail "io_timeout"
t0=$(ms)
dd if="$data" of=/dev/arcram0 bs=4k count=64 oflag=direct status=none ||
	fail "writes with held requests"
dev_matches "$data" if=/dev/arcram0 bs=4k count=64 iflag=direct ||
	fail "data written with held requests reads back different"
took=$(($(ms) - t0))
held=$(sysfs_read $sysdir/ramdisk/held)
timeouts=$(sysfs_read $sysdir/ramdisk/timeouts)
[ "$held" -ge 4 ] || fail "only $held of 64 writes held with hold_every=16"
expect_eq "held requests ended by the timeout" "$timeouts" "$held"
[ "$took" -ge $((held * 1000)) ] || fail "$held held requests took only $took ms in all"
reports=$(kernel_reports)
[ -z "$reports" ] || fail "kernel reports: $reports"
ramdisk_unload || fail "rmmod"
pass "softirq and timer completions verified; a 20 ms timer waits; $held held requests ended by the timeout, data intact"
