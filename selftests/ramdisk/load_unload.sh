#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 50 load / write / unload cycles: every cycle's pages come back, the
# reference counts of arc.ko and arc_block.ko return to zero, nothing
# accumulates.
. "$(dirname "$0")/../lib.sh"
arc_load block

cycles=50
mb=8

# Random data generated once: /dev/urandom is slow under emulation.
data=$(mktemp)
trap 'rm -f "$data"; arc_unload_all' EXIT
dd if=/dev/urandom of="$data" bs=1M count=$mb status=none

# One warm-up cycle so that first-use allocations do not count as leaks.
ramdisk_load size_mb=$mb
ramdisk_unload || fail "rmmod"
before=$(mem_avail_mb)
for i in $(seq "$cycles"); do
	insmod "$RAMDISK_KO" "${RAMDISK_ARGS[@]}" size_mb=$mb nr_devices=2 ||
		fail "cycle $i: insmod"
	dd if="$data" of=/dev/arcram0 bs=1M count=$mb oflag=direct status=none ||
		fail "cycle $i: write"
	dd if=/dev/zero of=/dev/arcram1 bs=1M count=4 oflag=direct status=none ||
		fail "cycle $i: write arcram1"
	read -r pages </sys/block/arcram0/ramdisk/pages
	expect_eq "cycle $i pages" "$pages" $((mb * 256))
	ramdisk_unload || fail "cycle $i: rmmod"
	[ -e /dev/arcram0 ] && fail "cycle $i: /dev/arcram0 still there"
	read -r refs </sys/module/arc/refcnt
	expect_eq "cycle $i arc refcnt" "$refs" 0
	read -r refs </sys/module/arc_block/refcnt
	expect_eq "cycle $i arc_block refcnt" "$refs" 0
done
after=$(mem_avail_mb)
lost=$((before - after))
echo "available (MemAvailable + per-CPU free pages) before ${before} MiB," \
	"after ${after} MiB over $cycles cycles" \
	"of $((mb + 4)) MiB each"
# A leak of the disks' pages would lose $cycles x 12 MiB = 600 MiB.
[ "$lost" -lt 40 ] || fail "lost $lost MiB over $cycles cycles"
arc_shim_unload || fail "rmmod arc_block arc after the cycles"
pass "$cycles cycles, $lost MiB difference"
