#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sfdisk gives /dev/arcram0p1 and p2; data written through a partition is
# at the partition's offset on the whole disk; p1 carries a filesystem.
. "$(dirname "$0")/../lib.sh"
need sfdisk mkfs.ext4 e2fsck
trap arc_unload_all EXIT
ramdisk_load size_mb=64

printf 'label: gpt\n,24MiB\n,\n' | sfdisk -q /dev/arcram0 || fail "sfdisk"
for p in 1 2; do
	for i in $(seq 50); do [ -b /dev/arcram0p$p ] && break; sleep 0.1; done
	[ -b /dev/arcram0p$p ] || fail "no /dev/arcram0p$p"
done
start=$(cat /sys/block/arcram0/arcram0p2/start)
dd if=/dev/urandom of=/tmp/arc-part bs=64k count=16 status=none
dd if=/tmp/arc-part of=/dev/arcram0p2 bs=64k oflag=direct status=none || fail "write p2"
dev_matches /tmp/arc-part if=/dev/arcram0 bs=512 skip="$start" count=2048 iflag=direct ||
	fail "p2 data not at sector $start of arcram0"
mkfs.ext4 -q -F /dev/arcram0p1 || fail "mkfs p1"
e2fsck -fn /dev/arcram0p1 || fail "e2fsck p1"
dev_matches /tmp/arc-part if=/dev/arcram0p2 bs=64k count=16 iflag=direct ||
	fail "mkfs on p1 changed p2"
rm -f /tmp/arc-part
pass "two partitions, p2 at sector $start"
