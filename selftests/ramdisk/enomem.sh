#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory runs out: a RAM disk nearly as large as RAM is written until page
# allocation fails. The writes must fail with an error (not hang), the
# kernel must not crash, and discarding gives the memory back.
. "$(dirname "$0")/../lib.sh"
trap arc_unload_all EXIT
total=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
ramdisk_load size_mb=$((total - 64))
dmesg -C
start=$(date +%s)
# Direct I/O from one small process: the page cache does not compete.
timeout 900 dd if=/dev/zero of=/dev/arcram0 bs=1M oflag=direct status=none 2>/tmp/arc-dd.err
rc=$?
cat /tmp/arc-dd.err
[ "$rc" -eq 124 ] && fail "writing hung (timeout)"
[ "$rc" -ne 0 ] || fail "filled $((total - 64)) MiB of a ${total} MiB machine without an error"
grep -qiE 'Input/output error|Cannot allocate memory|No space' /tmp/arc-dd.err ||
	fail "dd failed for another reason"
used=$(( $(cat /sys/block/arcram0/ramdisk/mem_used_bytes) >> 20 ))
echo "write failed after $(( $(date +%s) - start )) s with $used MiB in the disk"
blkdiscard /dev/arcram0 || fail "discard"
expect_eq "pages after discard" "$(rd_pages)" 0
# The disk works again once memory is back.
dd if=/dev/urandom of=/tmp/arc-small bs=1M count=4 status=none
dd if=/tmp/arc-small of=/dev/arcram0 bs=1M oflag=direct status=none || fail "write after recovery"
cmp <(dd if=/dev/arcram0 bs=1M count=4 iflag=direct status=none) /tmp/arc-small || fail "read back"
rm -f /tmp/arc-small /tmp/arc-dd.err
dmesg | grep -E 'BUG|Oops|WARNING' && fail "kernel complained"
rmmod arc_ramdisk || fail "rmmod"
pass "allocation failure surfaced as an I/O error after $used MiB; memory recovered"
