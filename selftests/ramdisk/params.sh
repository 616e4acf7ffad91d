#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module parameters: bad values refuse the load with a clear message and
# leave nothing registered; good values shape the disks as asked.
. "$(dirname "$0")/../lib.sh"
trap arc_unload_all EXIT
arc_load block

ram_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
cpus=$(nproc)

bad() {
	local msg
	dmesg -C
	if insmod "$RAMDISK_KO" "$@" 2>/dev/null; then
		fail "insmod arc_ramdisk $* succeeded"
	fi
	loaded arc_ramdisk && fail "$*: module stayed loaded"
	ls /sys/block | grep -q arcram && fail "$*: a disk stayed registered"
	msg=$(dmesg | grep 'arc_ramdisk: ' | grep -v 'invalid for parameter' | head -n 1)
	[ -n "$msg" ] || fail "$*: refused without a message of arc_ramdisk's"
	echo "refused $*: ${msg#*] }"
}

bad size_mb=0
bad size_mb=$((ram_mb * 2))
bad size_mb=-1
bad size_mb=12abc
bad nr_devices=0
bad nr_devices=100000
bad hw_queues=0
bad hw_queues=$((cpus + 1))
bad queue_depth=0
bad queue_depth=1000000
bad nr_devices=4 size_mb=$((ram_mb / 2))
bad reserve_mb=$((ram_mb + 1))
bad reserve_mb=lots
bad queue_mode=scsi
bad queue_mode=
bad completion=later
bad completion_nsec=$((1000000000 + 1))
bad hold_every=-1
bad queue_mode=bio completion=timer
bad queue_mode=bio completion=softirq
bad queue_mode=bio hold_every=10

# Defaults: one 100 MiB disk, one hardware queue per CPU, depth 128.
ramdisk_load
expect_eq "default disks" "$(ls -d /sys/block/arcram* | wc -l)" 1
expect_eq "default size" "$(cat /sys/block/arcram0/size)" $((100 * 2048))
expect_eq "hw_queues param" "$(cat /sys/module/arc_ramdisk/parameters/hw_queues)" "$cpus"
expect_eq "queue_mode param" "$(cat /sys/module/arc_ramdisk/parameters/queue_mode)" "$RAMDISK_MODE"
expect_eq "completion param" "$(cat /sys/module/arc_ramdisk/parameters/completion)" inline
if [ "$RAMDISK_MODE" = mq ]; then
	expect_eq "default hw queues" "$(ls /sys/block/arcram0/mq | wc -l)" "$cpus"
	expect_eq "default depth" "$(cat /sys/block/arcram0/mq/0/nr_tags)" 128
else
	[ -e /sys/block/arcram0/mq ] && fail "a bio-based disk has blk-mq queues"
fi
expect_eq "default reserve" "$(cat /sys/module/arc_ramdisk/parameters/reserve_mb)" 64
ramdisk_unload || fail "rmmod"

ramdisk_load nr_devices=3 size_mb=8 hw_queues=1 queue_depth=32 reserve_mb=0
expect_eq "reserve_mb=0" "$(cat /sys/module/arc_ramdisk/parameters/reserve_mb)" 0
expect_eq "disks" "$(ls -d /sys/block/arcram* | wc -l)" 3
for i in 0 1 2; do
	expect_eq "arcram$i size" "$(cat /sys/block/arcram$i/size)" $((8 * 2048))
	[ "$RAMDISK_MODE" = mq ] || continue
	expect_eq "arcram$i hw queues" "$(ls /sys/block/arcram$i/mq | wc -l)" 1
	expect_eq "arcram$i depth" "$(cat /sys/block/arcram$i/mq/0/nr_tags)" 32
done
expect_eq "logical block" "$(cat /sys/block/arcram0/queue/logical_block_size)" 512
expect_eq "rotational" "$(cat /sys/block/arcram0/queue/rotational)" 0
expect_eq "write cache" "$(cat /sys/block/arcram0/queue/write_cache)" "write back"
expect_eq "fua" "$(cat /sys/block/arcram0/queue/fua)" 1
[ "$(cat /sys/block/arcram0/queue/discard_max_bytes)" -gt 0 ] || fail "no discard"
modinfo -F parm "$RAMDISK_KO" | grep -q '^size_mb:.' || fail "size_mb has no description"
pass "parameters validated and applied"
