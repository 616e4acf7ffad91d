#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A real filesystem: mkfs.ext4, files written, umount, e2fsck -fn clean,
# remount, checksums identical; rmmod refused while mounted.
. "$(dirname "$0")/../lib.sh"
need mkfs.ext4 e2fsck sha256sum
mnt=$(mktemp -d)
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rm -rf "$mnt" /tmp/arc-sums; arc_unload_all; }
trap cleanup EXIT
ramdisk_load size_mb=96

mkfs.ext4 -q -F /dev/arcram0 || fail "mkfs.ext4"
mount /dev/arcram0 "$mnt" || fail "mount"
mkdir -p "$mnt/dir/sub"
for i in $(seq 24); do
	dd if=/dev/urandom of="$mnt/dir/f$i" bs=1k count=$((i * 97)) status=none ||
		fail "write f$i"
done
dd if=/dev/urandom of="$mnt/dir/sub/big" bs=1M count=20 iflag=fullblock status=none || fail "write big"
expect_eq "bytes in the files" "$(find "$mnt" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')" \
	$(((24 * 25 / 2 * 97 << 10) + (20 << 20)))
(cd "$mnt" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >/tmp/arc-sums
sync

if rmmod arc_ramdisk 2>/dev/null; then
	fail "rmmod arc_ramdisk succeeded while mounted"
fi
loaded arc_ramdisk || fail "module gone while mounted"
rmmod arc_block 2>/dev/null && fail "rmmod arc_block succeeded while arc_ramdisk uses it"
rmmod arc 2>/dev/null && fail "rmmod arc succeeded while arc_ramdisk uses it"

umount "$mnt" || fail "umount"
e2fsck -fn /dev/arcram0 || fail "e2fsck found problems"
echo 3 >/proc/sys/vm/drop_caches
mount /dev/arcram0 "$mnt" || fail "remount"
(cd "$mnt" && sha256sum --quiet -c /tmp/arc-sums) || fail "checksums differ after remount"
umount "$mnt" || fail "umount"
ramdisk_unload || fail "rmmod after umount"
pass "ext4 round trip, $(wc -l </tmp/arc-sums) files"
