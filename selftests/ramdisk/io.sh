#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs rd_io (kselftest harness) against a fresh 64 MiB /dev/arcram0, twice:
# with pages allocated on the submitting CPU (the default), then with
# alloc_nowait=0, where every write that needs a page is served again by
# the disk's worker in process context. The ramdisk/deferred counter shows
# which path served what: none deferred in the first run (the guest has
# memory to spare), and exactly one per 1 MiB write of fresh pages in the
# second (which also shows the disk takes 1 MiB requests whole). I/O
# statistics are off by default (iostats=0, as brd) and on with iostats=1.
# A disk with one hardware queue starts without an I/O scheduler.
. "$(dirname "$0")/../lib.sh"
trap 'rm -f /tmp/arc-io; arc_unload_all' EXIT
need blkdiscard
deferred() { sysfs_read /sys/block/arcram0/ramdisk/deferred; }

ramdisk_load size_mb=64
q=/sys/block/arcram0/queue
expect_eq "max_hw_sectors_kb" "$(sysfs_read $q/max_hw_sectors_kb)" 1024
expect_eq "max_sectors_kb" "$(sysfs_read $q/max_sectors_kb)" 1024
expect_eq "queue/iostats by default" "$(sysfs_read $q/iostats)" 0
"$(dirname "$0")/rd_io" || fail "rd_io, pages allocated without sleeping"
expect_eq "requests deferred to the worker" "$(deferred)" 0
read -r -a st </sys/block/arcram0/stat
expect_eq "reads and writes counted with iostats off" "${st[0]} ${st[4]}" "0 0"
ramdisk_unload || fail "rmmod"

ramdisk_load size_mb=64 alloc_nowait=0 iostats=1
expect_eq "queue/iostats with iostats=1" "$(sysfs_read $q/iostats)" 1
"$(dirname "$0")/rd_io" || fail "rd_io, pages allocated by the worker"
read -r -a st </sys/block/arcram0/stat
[ "${st[0]}" -gt 0 ] && [ "${st[4]}" -gt 0 ] ||
	fail "iostats=1, yet /sys/block/arcram0/stat counts ${st[0]} reads, ${st[4]} writes"
[ "$(deferred)" -gt 0 ] || fail "rd_io wrote, yet no request went to the worker"
blkdiscard /dev/arcram0 || fail "blkdiscard"
expect_eq "pages after discard" "$(rd_pages)" 0
d0=$(deferred)
dd if=/dev/urandom of=/tmp/arc-io bs=1M count=4 status=none
dd if=/tmp/arc-io of=/dev/arcram0 bs=1M seek=8 oflag=direct status=none ||
	fail "write through the worker"
expect_eq "deferred after 4 x 1 MiB of fresh pages" "$(deferred)" $((d0 + 4))
expect_eq "pages" "$(rd_pages)" 1024
dd if=/tmp/arc-io of=/dev/arcram0 bs=1M seek=8 oflag=direct status=none ||
	fail "overwrite"
expect_eq "deferred after overwriting them" "$(deferred)" $((d0 + 4))
dev_matches /tmp/arc-io if=/dev/arcram0 bs=1M skip=8 count=4 iflag=direct ||
	fail "data written by the worker reads back different"
ramdisk_unload || fail "rmmod"

if [ "$RAMDISK_MODE" = bio ]; then
	pass "rd_io on both allocation paths (bio-based); $((d0 + 4)) bios served again where they may sleep"
	exit 0
fi
# One hardware queue is where the block layer would pick mq-deadline.
ramdisk_load size_mb=64 hw_queues=1
expect_eq "I/O scheduler with one hardware queue" \
	"$(sed -n 's/.*\[\(.*\)\].*/\1/p' $q/scheduler)" none
# Where the kernel lets the administrator pick one, I/O goes through it.
if grep -qw mq-deadline $q/scheduler; then
	echo mq-deadline >$q/scheduler || fail "choosing mq-deadline"
	dd if=/dev/urandom of=/tmp/arc-io bs=64k count=16 status=none
	dd if=/tmp/arc-io of=/dev/arcram0 bs=4k oflag=direct status=none ||
		fail "write through mq-deadline"
	dev_matches /tmp/arc-io if=/dev/arcram0 bs=4k count=256 iflag=direct ||
		fail "data written through mq-deadline reads back different"
	echo none >$q/scheduler || fail "back to none"
	echo "# mq-deadline chosen at run time: data intact"
fi
ramdisk_unload || fail "rmmod"
pass "rd_io on both allocation paths; $((d0 + 4)) requests served by the worker"
