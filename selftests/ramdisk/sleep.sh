#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A request handler called with can_sleep true (from the disk's worker)
# may sleep, and it may do so with a segment mapped by arc_bvec_map(): the
# mapping must not be atomic on any kernel (on 5.10 it was kmap_atomic(),
# which disables preemption and page faults). With alloc_nowait=0 every
# write of fresh pages is served by the worker, and worker_sleep_ms=1
# makes the worker really sleep before each page it allocates, with the
# segment mapped, as it may under memory pressure. The kernel must report
# nothing: neither its own "scheduling while atomic" or "sleeping function
# called from invalid context" (on kernels that count preemption) nor
# arc_might_sleep()'s warning, which also sees the page faults an atomic
# mapping disables (all that Debian's 5.10 counts). The data reads back.
. "$(dirname "$0")/../lib.sh"
trap 'rm -f /tmp/arc-sleep; arc_unload_all' EXIT

reports() {
	dmesg | grep -cE 'scheduling while atomic|sleeping function called from invalid context|may sleep in atomic context'
}
r0=$(reports)

pages=256
ramdisk_load size_mb=16 alloc_nowait=0 worker_sleep_ms=1
dd if=/dev/urandom of=/tmp/arc-sleep bs=4k count=$pages status=none
t0=$(date +%s%N)
# One page per request, through the worker each time; then 1 MiB
# requests, many pages (and segments) per request.
dd if=/tmp/arc-sleep of=/dev/arcram0 bs=4k oflag=direct status=none ||
	fail "4 KiB writes through the worker"
dd if=/tmp/arc-sleep of=/dev/arcram0 bs=1M seek=4 oflag=direct status=none ||
	fail "1 MiB writes through the worker"
ms=$((($(date +%s%N) - t0) / 1000000))
deferred=$(sysfs_read /sys/block/arcram0/ramdisk/deferred)
[ "$deferred" -ge $((pages + 1)) ] ||
	fail "only $deferred requests went to the worker, want at least $((pages + 1))"
# Each of the 2 x $pages pages slept at least 1 ms.
[ "$ms" -ge $((2 * pages)) ] ||
	fail "$((2 * pages)) pages allocated in $ms ms: the worker did not sleep"
expect_eq "pages" "$(rd_pages)" $((2 * pages))
dev_matches /tmp/arc-sleep if=/dev/arcram0 bs=4k count=$pages iflag=direct ||
	fail "4 KiB writes read back different"
dev_matches /tmp/arc-sleep if=/dev/arcram0 bs=1M skip=4 count=1 iflag=direct ||
	fail "1 MiB writes read back different"
r=$(reports)
if [ "$r" != "$r0" ]; then
	dmesg | grep -A 12 -E 'scheduling while atomic|sleeping function called|may sleep in atomic context' |
		head -n 40 | sed 's/^/# /'
	fail "$((r - r0)) report(s) of sleeping in atomic context"
fi
ramdisk_unload || fail "rmmod"
pass "$deferred requests slept in the worker ($ms ms in all), nothing reported"
