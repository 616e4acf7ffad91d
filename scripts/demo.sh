#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job, run as root in the guest by `make run`: arc's modules doing
# real work on the stock kernel.
set -euo pipefail
root=${ARC_ROOT:?}
step() { printf '\n== %s\n' "$*"; }

step "load the shim (arc.ko, arc_block.ko) and arc_ramdisk.ko (2 disks of 256 MiB)"
insmod "$root/shim/arc.ko"
insmod "$root/shim/arc_block.ko"
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

step "arc_firewall: namespace 'web' filters traffic from namespace 'client'"
arcfw=$root/userspace/arcfw/arcfw
insmod "$root/shim/arc_net.ko"
insmod "$root/modules/firewall/arc_firewall.ko" blocklist=192.168.1.100,10.0.0.50
echo "initial namespace, from blocklist=: $("$arcfw" list | awk '{print $1}' | xargs)"
ip netns add web
ip netns add client
ip link add v0 netns web type veth peer name v1 netns client
ip -n web addr add 198.51.100.1/24 dev v0
ip -n client addr add 198.51.100.2/24 dev v1
ip -n client addr add 198.51.100.3/24 dev v1
ip -n web link set v0 up
ip -n client link set v1 up
ping_from() { { ip netns exec client ping -q -c3 -i0.2 -W1 -I "$1" 198.51.100.1 || true; } | grep -o "[0-9]* received"; }
echo "before: from .2: $(ping_from 198.51.100.2), from .3: $(ping_from 198.51.100.3)"
ip netns exec web "$arcfw" block 198.51.100.2
echo "arcfw block 198.51.100.2"
after2=$(ping_from 198.51.100.2) after3=$(ping_from 198.51.100.3)
echo "after:  from .2: $after2, from .3: $after3"
if [ "$after2" != "0 received" ] || [ "$after3" = "0 received" ]; then
	echo "demo: the block did not take effect as it should" >&2
	exit 1
fi
ip netns exec web "$arcfw" list
ip netns exec web "$arcfw" stats
ip netns exec web "$arcfw" flush

step "arc_pktan: what enters namespace 'web', by protocol; a port scan and a DNS query detected"
arcpkt=$root/userspace/arcpkt/arcpkt
insmod "$root/modules/pktan/arc_pktan.ko" scan_threshold=10
ip netns exec web "$arcpkt" --json events --count 2 --timeout 60 >/tmp/arc-demo-ev 2>/dev/null &
evpid=$!
sleep 1
ip netns exec client ping -q -c 5 -i 0.2 198.51.100.1 >/dev/null || true
ip netns exec client nmap -n -Pn -sS -p 1-20 --max-retries 0 198.51.100.1 >/dev/null 2>&1 || true
ip netns exec client dig @198.51.100.1 +tries=1 +timeout=1 www.example.com A >/dev/null 2>&1 || true
if ! wait $evpid; then
	echo "demo: arc_pktan reported no scan and no DNS query" >&2
	exit 1
fi
ip netns exec web "$arcpkt" stats | awk 'NR == 1 || $4 > 0 || !/^pre_routing/'
echo "events:"
sed 's/^/  /' /tmp/arc-demo-ev
ip netns exec web "$arcpkt" top --once -n 3
ip netns del client
ip netns del web
rmmod arc_pktan
rmmod arc_firewall

step "arc_usb_sensor: a USB sensor (emulated with FunctionFS on dummy_hcd) as an input device"
modprobe -a dummy_hcd libcomposite usb_f_fs
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
insmod "$root/shim/arc_usb.ko"
insmod "$root/shim/arc_input.ko"
insmod "$root/modules/usb_sensor/arc_usb_sensor.ko"
"$root/userspace/sensor-gadget/sensor-gadget" --name demo --replace \
	--ready-file /tmp/arc-demo-ready >/tmp/arc-demo-gadget.log 2>&1 &
gadget=$!
ev=
for _ in $(seq 100); do
	ev=$(ls -d /sys/bus/usb/drivers/arc_usb_sensor/*:*/input/input*/event* 2>/dev/null | head -n 1 || true)
	[ -n "$ev" ] && break
	sleep 0.1
done
if [ -z "$ev" ]; then
	cat /tmp/arc-demo-gadget.log
	echo "demo: the sensor did not bind" >&2
	exit 1
fi
ev=/dev/input/${ev##*/}
intf=$(ls -d /sys/bus/usb/drivers/arc_usb_sensor/*:* | head -n 1)
dmesg | grep -m1 'USB Sensor 1234:5678' | sed 's/^\[[^]]*\] //'
echo "$ev: $(cat "/sys/class/input/${ev#/dev/input/}/device/name"), 1000 samples/s; the first events:"
timeout 2 evtest "$ev" 2>/dev/null | grep -m 16 '^Event:' || true
echo 100 >"$intf/rate"
echo "rate 100: the next events:"
timeout 2 evtest "$ev" 2>/dev/null | grep -m 8 '^Event:' || true
echo "counters: $(cd "$intf/stats" && for f in samples transfers lost garbage halts; do printf '%s=%s ' "$f" "$(cat "$f")"; done)"
kill -TERM "$gadget"
wait "$gadget" || true
rmmod arc_usb_sensor arc_usb arc_input

step "arc_minivm: guests in KVM virtual machines driven from the kernel (arcvm)"
# vm.sh -n gave this guest a CPU with hardware virtualization (AMD SVM
# under emulation): its own KVM, which arc_kvm drives.
if { [ -c /dev/kvm ] || modprobe kvm_amd 2>/dev/null || modprobe kvm_intel 2>/dev/null; } &&
   [ -c /dev/kvm ]; then
	arcvm=$root/userspace/arcvm/arcvm
	insmod "$root/shim/arc_kvm.ko"
	insmod "$root/modules/minivm/arc_minivm.ko"
	echo "\$ arcvm run guests/hi.bin   (the brief's real-mode guest: 'Hi' on port 0xE9, then HLT)"
	"$arcvm" run "$root/guests/hi.bin"
	echo "\$ arcvm run guests/long.bin --mode long --mem 4M   (64-bit C, on COM1)"
	"$arcvm" run "$root/guests/long.bin" --mode long --mem 4M
	echo "\$ arcvm run guests/spin.bin --timeout 1   (never stops by itself)"
	"$arcvm" run "$root/guests/spin.bin" --timeout 1 || true
	rmmod arc_minivm arc_kvm
else
	echo "no KVM in this guest: its CPU has neither SVM nor VMX (skipped)"
fi

step "unload"
rmmod arc_ramdisk
rmmod arc_block arc_net arc
dmesg | tail -n 2 | sed 's/^\[[^]]*\] //'
