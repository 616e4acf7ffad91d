#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory pressure: a disk as large as the guest's RAM cannot be filled.
# Writing it until memory runs short must fail a write with an error once
# less than reserve_mb is available (the request completes with
# BLK_STS_RESOURCE): no hang, no crash, no OOM kill of anything else,
# overwrites of allocated pages still work, and nothing written before
# the failure is lost. Discard then gives the memory back and the disk
# takes writes again.
. "$(dirname "$0")/../lib.sh"
trap 'echo 0 >/proc/sys/vm/nr_hugepages; arc_unload_all' EXIT
need python3 blkdiscard

mem_mb() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' /proc/meminfo; }
ram_mb=$(mem_mb MemTotal)
ooms=$(dmesg | grep -c 'invoked oom-killer')

# Most of the memory goes first to huge pages (real, unreclaimable
# allocations): the pressure is the same, the fill under emulation short.
hp_kb=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
if [ -n "$hp_kb" ]; then
	echo $((($(mem_mb MemAvailable) - 400) * 1024 / hp_kb)) >/proc/sys/vm/nr_hugepages
fi
avail0=$(mem_mb MemAvailable)

ramdisk_load size_mb="$ram_mb" reserve_mb=64

# Fill with O_DIRECT (no page cache in between), 1 MiB at a time, each
# chunk tagged with its index; stop at the first error. Then read back
# every chunk that was written and check its tag and contents.
out=$(python3 -S - /dev/arcram0 <<'PY'
import errno, mmap, os, sys, zlib
dev = sys.argv[1]
MB = 1 << 20
fd = os.open(dev, os.O_RDWR | os.O_DIRECT)
size = os.lseek(fd, 0, os.SEEK_END)
buf = mmap.mmap(-1, MB)
body = os.urandom(MB - 8)
n, err = 0, None
while n * MB < size:
    buf.seek(0)
    buf.write(n.to_bytes(8, "little") + body)
    try:
        os.pwrite(fd, buf, n * MB)
    except OSError as e:
        err = e.errno
        break
    n += 1
if err is None:
    print("FAIL: filled all %d MiB without an error" % n)
    sys.exit(1)
want = zlib.crc32(body)
bad = 0
for i in range(n):
    os.preadv(fd, [buf], i * MB)
    if int.from_bytes(buf[:8], "little") != i or zlib.crc32(buf[8:]) != want:
        bad += 1
# Full, but what is allocated can still be overwritten.
try:
    os.pwrite(fd, buf, 0)
except OSError as e:
    print("FAIL: overwriting the first MiB of a full disk: %s" % e)
    sys.exit(1)
print("%d %s %d" % (n, errno.errorcode.get(err, err), bad))
PY
) || fail "$out"
read -r written err bad <<<"$out"
echo "# $avail0 MiB available before; wrote $written of $ram_mb MiB, then $err;" \
	"$(rd_pages) pages held, $(mem_mb MemAvailable) MiB available," \
	"$(sysfs_read /sys/block/arcram0/ramdisk/deferred) requests served by the worker"
case $err in
ENOMEM|EIO|ENOSPC) ;;
*) fail "the failed write gave $err, want ENOMEM or EIO" ;;
esac
# The disk must have taken most of what was available before failing.
[ "$written" -gt $(((avail0 - 64) / 2)) ] || fail "failed after only $written MiB"
expect_eq "chunks corrupted after the failure" "$bad" 0
expect_eq "OOM kills" "$(dmesg | grep -c 'invoked oom-killer')" "$ooms"

# Discard gives every page back; then the disk works again.
blkdiscard /dev/arcram0 || fail "blkdiscard"
expect_eq "pages after discard" "$(rd_pages)" 0
dd if=/dev/urandom of=/tmp/arc-pressure bs=1M count=8 status=none
dd if=/tmp/arc-pressure of=/dev/arcram0 bs=1M oflag=direct status=none ||
	fail "write after discard"
cmp -n $((8 << 20)) /tmp/arc-pressure /dev/arcram0 || fail "read back after discard"
rm -f /tmp/arc-pressure
ramdisk_unload || fail "rmmod"
pass "a write past the memory left failed with $err after $written MiB, nothing lost"
