#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job, run as root in the guest by `make run`: arc's modules doing
# real work on the stock kernel.
set -euo pipefail
root=${ARC_ROOT:?}
step() { printf '\n== %s\n' "$*"; }

step "load arc.ko and arc_ramdisk.ko (2 disks of 256 MiB)"
insmod "$root/shim/arc.ko"
insmod "$root/modules/ramdisk/arc_ramdisk.ko" nr_devices=2 size_mb=256
dmesg | grep -E 'arc(_ramdisk)?: ' | sed 's/^\[[^]]*\] //'
lsblk -o NAME,SIZE,ROTA,PHY-SEC,LOG-SEC,DISC-MAX /dev/arcram0 /dev/arcram1

step "ext4 on /dev/arcram0: write 64 MiB of files, checksum, remount, verify"
mnt=$(mktemp -d)
mkfs.ext4 -q /dev/arcram0
mount /dev/arcram0 "$mnt"
for i in $(seq 8); do dd if=/dev/urandom of="$mnt/file$i" bs=1M count=8 status=none; done
(cd "$mnt" && sha256sum file* >/tmp/sums)
sync
echo "memory used: $(cat /sys/block/arcram0/ramdisk/mem_used_bytes) bytes"
umount "$mnt"
e2fsck -fn /dev/arcram0 | tail -n 1
mount /dev/arcram0 "$mnt"
(cd "$mnt" && sha256sum -c --quiet /tmp/sums) && echo "all 8 files verified after remount"

step "delete the files and fstrim: the pages go back to the kernel"
rm -f "$mnt"/file*
sync # ext4 trims only blocks whose release is committed to the journal
fstrim -v "$mnt"
echo "memory used: $(cat /sys/block/arcram0/ramdisk/mem_used_bytes) bytes"

step "rmmod while mounted is refused"
rmmod arc_ramdisk 2>&1 || true
umount "$mnt"

step "fio on /dev/arcram1: 4k random read/write with crc32c verify"
(cd /tmp && fio --name=demo --filename=/dev/arcram1 --direct=1 --ioengine=io_uring \
	--rw=randrw --bs=4k --iodepth=16 --numjobs="$(nproc)" --size=64M \
	--offset_increment=64M --verify=crc32c --verify_state_save=0 \
	--group_reporting 2>/dev/null | grep -E 'read:|write:|err=')

step "unload"
rmmod arc_ramdisk
rmmod arc
dmesg | tail -n 2 | sed 's/^\[[^]]*\] //'
