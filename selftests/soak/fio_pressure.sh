#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak: fio writes and verifies arcram0 for ARC_SOAK_SECONDS (default 600)
# while the system is kept near its memory limit. Huge pages take most of
# the memory first (real, unreclaimable allocations, as in
# ramdisk/pressure.sh); the disk is then filled once, so that every page
# it needs is allocated; then a hog process keeps MemAvailable between
# 144 and 176 MiB, just above the disk's reserve (64 MiB) where the page
# cache, slab and every request's allocations are reclaimed for (and the
# disk's new pages: the margin above the reserve is what keeps those
# writes from failing with ENOMEM as they should below it), and
# frees a quarter of what it holds every two seconds to take it again.
# Meanwhile fio runs round after round, each with a new seed: three jobs
# on disjoint thirds of the disk, O_DIRECT random writes of 512 B-64 KiB
# (crc32c) and of 4 KiB at queue depth 16 (md5; its third is discarded
# before each round, so that its pages are allocated again under the
# pressure: fio 3.33's own trim verification dies of an assertion), and
# buffered random writes through the page cache (crc32c), each verified
# after writing.
# Every round must verify, nothing may be OOM-killed.
. "$(dirname "$0")/../lib.sh"
need fio python3 blkdiscard
secs=${ARC_SOAK_SECONDS:-600}
disk_mb=192
work=$(mktemp -d /tmp/arc-fiop.XXXXXX)
hog=
cleanup() {
	touch "$work/stop"
	[ -n "$hog" ] && wait "$hog"
	echo 0 >/proc/sys/vm/nr_hugepages
	rm -rf "$work"
	arc_unload_all
}
trap cleanup EXIT

mem_mb() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' /proc/meminfo; }
ooms=$(dmesg | grep -c 'invoked oom-killer')
hp_kb=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
spare=$((disk_mb + 400))
if [ -n "$hp_kb" ] && [ "$(mem_mb MemAvailable)" -gt $((spare + 64)) ]; then
	echo $((($(mem_mb MemAvailable) - spare) * 1024 / hp_kb)) >/proc/sys/vm/nr_hugepages
fi
ramdisk_load size_mb=$disk_mb reserve_mb=64
dd if=/dev/zero of=/dev/arcram0 bs=1M count=$disk_mb oflag=direct status=none ||
	fail "filling the disk"
expect_eq "pages after filling" "$(rd_pages)" $((disk_mb * 256))
echo "# $(mem_mb MemAvailable) MiB available with the disk full;" \
	"$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo) huge pages held"

python3 -S - "$work/stop" >"$work/hog" <<'PY' &
import os, sys, time
stop, low, high, step = sys.argv[1], 144, 176, 4 << 20
def avail():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) >> 10
held, most, least, last = [], 0, 1 << 30, time.monotonic()
while not os.path.exists(stop):
    a = avail()
    least = min(least, a)
    if a > high:
        held.append(b"\1" * step)
        most = max(most, len(held))
    elif a < low and held:
        held.pop()
    else:
        time.sleep(0.05)
    if time.monotonic() - last > 2:
        del held[:len(held) // 4]
        last = time.monotonic()
print(most * step >> 20, least)
PY
hog=$!

part=$((disk_mb / 3))
cat >"$work/job" <<EOF
[global]
filename=/dev/arcram0
size=${part}M
verify_fatal=1
do_verify=1
verify_state_save=0
group_reporting=0

[direct-mixed]
offset=0
direct=1
ioengine=libaio
iodepth=4
rw=randwrite
bsrange=512-64k
verify=crc32c

[direct-4k]
offset=${part}M
direct=1
ioengine=libaio
iodepth=16
rw=randwrite
bs=4k
verify=md5

[buffered]
offset=$((2 * part))M
direct=0
ioengine=psync
rw=randwrite
bsrange=4k-64k
verify=crc32c
EOF

t0=$SECONDS
rounds=0
while [ $((SECONDS - t0)) -lt "$secs" ]; do
	blkdiscard -o $((part << 20)) -l $((part << 20)) /dev/arcram0 ||
		fail "discard before round $((rounds + 1))"
	out=$(cd "$work" && fio --randseed=$((rounds + 1)) --output-format=terse \
		--terse-version=3 job 2>&1) || { echo "$out"; fail "fio round $((rounds + 1))"; }
	# terse v3: one line per job, field 5 its error count.
	echo "$out" | awk -F';' '/^3;/ { n++; if ($5 != 0) bad = 1 }
		END { exit bad || n != 3 }' ||
		{ echo "$out"; fail "fio round $((rounds + 1)) reported errors"; }
	rounds=$((rounds + 1))
	kill -0 "$hog" 2>/dev/null || fail "the memory hog died (OOM?)"
done
secs_run=$((SECONDS - t0))
touch "$work/stop"
wait "$hog"
hog=
read -r hog_mb least <"$work/hog"
echo "# $rounds fio rounds in $secs_run s, ${part} MiB x 3 jobs written and verified each;" \
	"the hog held up to $hog_mb MiB, MemAvailable fell to $least MiB;" \
	"$(sysfs_read /sys/block/arcram0/ramdisk/deferred) requests served by the disk's worker"
expect_eq "OOM kills" "$(dmesg | grep -c 'invoked oom-killer')" "$ooms"
[ "$rounds" -gt 0 ] || fail "no fio round completed"
ramdisk_unload || fail "rmmod"
pass "fio verify under memory pressure: $rounds rounds in $secs_run s"
