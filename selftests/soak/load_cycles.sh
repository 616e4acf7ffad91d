#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak: 50 cycles of loading every module (arc and its four areas,
# arc_ramdisk, arc_firewall, arc_pktan, arc_usb_sensor), doing a little
# real work with each and unloading them all again: 4 MiB written to the
# disk and read back, a 1,000-entry list restored and a blocked source's
# packets dropped and counted exactly (and by arc_pktan, in the same
# namespace, as UDP), a scan detected, 500 samples read from an emulated
# sensor (sensor-gadget, left plugged in throughout) exactly as sent.
# Afterwards memory is back where it was: available memory, unreclaimable
# slab, and (where the kernel has kmemleak) no unreferenced object.
#
# ARC_SOAK_SECONDS bounds the time (a shorter standalone run: at least 5
# cycles, then it stops at the bound); under ARC_SOAK=1 (make
# check-debug) all 50 cycles are required.
. "$(dirname "$0")/../firewall/fwlib.sh"
. "$(dirname "$0")/../usb_sensor/usblib.sh"
PA_KO=$ARC_ROOT/modules/pktan/arc_pktan.ko
ARCPKT=$ARC_ROOT/userspace/arcpkt/arcpkt
need python3 dd

cycles=50
bound=${ARC_SOAK_SECONDS:-0}
data=$(mktemp /tmp/arc-cycles.XXXXXX)
list=$(mktemp /tmp/arc-cycles-list.XXXXXX)
trap 'rm -f "$data" "$list"; loaded arc_pktan && rmmod arc_pktan; fw_cleanup; sensor_cleanup' EXIT
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# MiB available (mem_avail_mb, lib.sh) and KiB of unreclaimable slab,
# after dropping caches.

dd if=/dev/urandom of="$data" bs=1M count=4 status=none
python3 -S -c 'print("\n".join("100.64.%d.%d" % (i >> 8, i & 255) for i in range(1000)))' >"$list"
echo 198.51.100.3 >>"$list"
# The namespaces outlive the modules: the firewall's pernet state comes
# and goes with each load in namespaces that already exist.
net_up
# The sensor stays plugged in; each load of arc_usb_sensor binds it anew.
usb_setup
gadget_start soak --pattern test

cycle() {
	local i=$1 got ev
	arc_load block net usb input
	insmod "$RAMDISK_KO" size_mb=8 || fail "cycle $i: insmod arc_ramdisk"
	insmod "$FW_KO" || fail "cycle $i: insmod arc_firewall"
	insmod "$PA_KO" scan_threshold=3 || fail "cycle $i: insmod arc_pktan"
	insmod "$SENSOR_KO" || fail "cycle $i: insmod arc_usb_sensor"
	dd if="$data" of=/dev/arcram0 bs=1M oflag=direct status=none ||
		fail "cycle $i: write"
	dev_matches "$data" if=/dev/arcram0 bs=1M count=4 iflag=direct ||
		fail "cycle $i: read back"
	expect_eq "cycle $i pages" "$(rd_pages)" 1024
	arcfw restore "$list" 2>/dev/null || fail "cycle $i: restore"
	spray 0 198.51.100.3 1 198.51.100.1 5 || fail "cycle $i: spray"
	# Five UDP packets of 128 bytes (20 + 8 + 100).
	got=$(arcfw list | awk '$1 == "198.51.100.3/32"')
	expect_eq "cycle $i counter" "$got" "198.51.100.3/32 packets 5 bytes 640"
	# arc_pktan saw them before the firewall dropped them (its hooks run
	# first: the firewall's are one priority later).
	got=$(dut "$ARCPKT" stats | awk '$1 == "pre_routing" && $2 == "ipv4" && $3 == "udp" { print $4, $5 }')
	expect_eq "cycle $i arc_pktan udp" "$got" "5 640"
	peer python3 -S "$ARC_ROOT/selftests/pktan/pkt.py" tcp 198.51.100.2 198.51.100.1 1000+ 3 02 >/dev/null ||
		fail "cycle $i: probes"
	expect_eq "cycle $i scans" "$(dut "$ARCPKT" --json stats | sed 's/.*"port_scan":\([0-9]*\).*/\1/')" 1
	sensor_wait_bound soak
	ev=$(sensor_event soak) || fail "cycle $i: the sensor has no input device"
	# ev_read fails on a missing, changed or out-of-order sample.
	"$EV_READ" --quiet "$ev" 500 || fail "cycle $i: reading 500 samples"
	rmmod arc_usb_sensor || fail "cycle $i: rmmod arc_usb_sensor"
	rmmod arc_firewall || fail "cycle $i: rmmod arc_firewall"
	rmmod arc_pktan || fail "cycle $i: rmmod arc_pktan"
	ramdisk_unload || fail "cycle $i: rmmod arc_ramdisk"
	arc_shim_unload || fail "cycle $i: rmmod $ARC_SHIM_AREAS arc"
}

# One cycle before the baseline: first-use allocations are not leaks.
cycle 0
kmemleak_clear
avail0=$(mem_avail_mb)
slab0=$(sunreclaim_kb)
t0=$SECONDS
done=0
for i in $(seq "$cycles"); do
	cycle "$i"
	done=$i
	if [ "$bound" -gt 0 ] && [ $((SECONDS - t0)) -ge "$bound" ] && [ "$i" -ge 5 ] &&
	   [ -z "${ARC_SOAK:-}" ]; then
		break
	fi
done
secs=$((SECONDS - t0))
# The firewall's last sets go after a grace period.
sleep 2
avail1=$(mem_avail_mb)
slab1=$(sunreclaim_kb)
net_down
echo "# $done load/work/unload cycles in $secs s; available $avail0 -> $avail1 MiB," \
	"unreclaimable slab $slab0 -> $slab1 KiB"
[ -n "${ARC_SOAK:-}" ] && [ "$done" -lt "$cycles" ] &&
	fail "only $done of $cycles cycles"
# A leaked disk would keep its 4 MiB each cycle (200 MiB over 50): 16 MiB
# is well below that and above the noise of reclaim and the page lists.
lost=$((avail0 - avail1))
[ "$lost" -lt 16 ] || fail "available memory: $lost MiB less after $done cycles"
# Each cycle's 1,001 entries, tables and module structures take about
# 200 KiB of unreclaimable slab (10 MiB over 50 cycles if leaked; a
# sensor binding, about 20 KiB, is left to kmemleak); 2 MiB
# is the slack for per-CPU slab caches and frees still waiting for RCU.
grew=$((slab1 - slab0))
[ "$grew" -lt 2048 ] || fail "unreclaimable slab grew by $grew KiB over $done cycles"
kmemleak_none "the cycles"
pass "$done cycles of every module, memory back (-$lost MiB available, +$grew KiB slab)"
