#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak of arc_pktan's main loop: pktgen floods dut from random sources
# (straight into its receive path: nothing in between can drop a packet)
# while dut's settings change at random, the top talkers are dumped, an
# events listener and arcpkt trace come and go, and other namespaces are
# created, configured and destroyed. Then:
# - nothing lost: dut counted exactly the packets pktgen sent, as UDP;
# - the detectors still work (a scan is reported);
# - once the module is unloaded, memory is back where it was (available
#   memory, unreclaimable slab; where the kernel has kmemleak, no
#   unreferenced object).
# ARC_SOAK_SECONDS: how long (default 300).
. "$(dirname "$0")/../pktan/pktlib.sh"
need modprobe
secs=${ARC_SOAK_SECONDS:-300}
km=/sys/kernel/debug/kmemleak
work=$(mktemp -d /tmp/arc-pa-soak.XXXXXX)
pktgen_loaded=
pids=()
cleanup() {
	soak_stop arc-pa-churn
	[ -n "$pktgen_loaded" ] && rmmod pktgen
	rm -rf "$work"
	pa_cleanup
}
trap cleanup EXIT
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
if [ ! -d /sys/module/pktgen ]; then
	modprobe pktgen || skip "no pktgen module"
	pktgen_loaded=1
fi

net_up
pg_target
pg_device kpktgend_0 d0 "count 0" "src_min 10.0.0.1" "src_max 10.3.255.254" "flag IPSRC_RND"

# The baseline: one load and unload first (first-use allocations are not
# leaks), then memory without the module.
pa_load
rmmod arc_pktan || fail "rmmod arc_pktan"
[ -w $km ] && echo scan >$km && echo clear >$km
echo 3 >/proc/sys/vm/drop_caches
avail0=$(mem_avail_mb)
slab0=$(sunreclaim_kb)
pa_load
arcpkt reset || fail "reset"

# dut's settings, at random, and the reads that race them.
(
	n=0
	while [ ! -e "$work/stop" ]; do
		arcpkt config scan-threshold $((2 + RANDOM % 63)) syn-threshold $((1 + RANDOM % 1000)) \
			scan-window-ms $((100 + RANDOM)) syn-window-ms $((100 + RANDOM)) \
			event-rate $((1 + RANDOM % 100)) dns $([ $((RANDOM % 2)) = 1 ] && echo on || echo off) \
			detect $([ $((RANDOM % 4)) = 0 ] && echo off || echo on) ||
			{ echo "config failed" >"$work/fail"; exit 1; }
		arcpkt top --once -n 5 >/dev/null || { echo "top failed" >"$work/fail"; exit 1; }
		arcpkt stats >/dev/null || { echo "stats failed" >"$work/fail"; exit 1; }
		n=$((n + 1))
	done
	echo "$n" >"$work/configs"
) &
pids+=($!)
# Listeners and BPF programs that come and go.
(
	n=0
	while [ ! -e "$work/stop" ]; do
		arcpkt events --timeout 1 >/dev/null 2>&1
		"$ARCPKT" trace --duration 1 >/dev/null 2>&1 ||
			{ echo "arcpkt trace failed" >"$work/fail"; exit 1; }
		n=$((n + 1))
	done
	echo "$n" >"$work/listeners"
) &
pids+=($!)
# Namespaces come and go, with settings and traffic of their own.
churn() {
	ip -n "$1" link set lo up &&
		ip netns exec "$1" "$ARCPKT" config scan-threshold 3 >/dev/null &&
		ip netns exec "$1" ping -q -c 2 -i 0.2 127.0.0.1 >/dev/null
}
soak_churn arc-pa-churn churn
soak_run "$secs"
sent=$soak_sent
echo "# $soak_secs s: pktgen sent $sent packets; $(cat "$work/configs") settings," \
	"$(cat "$work/listeners") listeners and traces, $(cat "$work/namespaces") namespaces"
expect_eq "UDP counted in dut" "$(pa_get pre_routing.ipv4.udp.packets)" "$sent"

# The detectors still work.
arcpkt config detect on scan-threshold 5 scan-window-ms 60000 || fail "config"
pa_events /tmp/arc-pa-soak-ev 1 30
pkt tcp 198.51.100.2 198.51.100.1 2000+ 5 02 || fail "probes"
pa_events_wait || fail "no scan after the soak"
pa_expect_event /tmp/arc-pa-soak-ev "scan after the soak" port_scan src=198.51.100.2 ports=5
rm -f /tmp/arc-pa-soak-ev /tmp/arc-pa-soak-ev.err

# Memory back where it was once the module is gone.
net_down
rmmod arc_pktan || fail "rmmod arc_pktan"
sleep 2
echo 3 >/proc/sys/vm/drop_caches
avail1=$(mem_avail_mb)
slab1=$(sunreclaim_kb)
echo "# available memory $avail0 -> $avail1 MiB, unreclaimable slab $slab0 -> $slab1 KiB"
# Under ARC_DEBUG, KASAN's quarantine holds freed objects (up to 1/32 of
# RAM): kmemleak is the leak check there.
[ -n "${ARC_DEBUG:-}" ] || [ $((avail0 - avail1)) -lt 32 ] ||
	fail "available memory fell by $((avail0 - avail1)) MiB"
if [ -w $km ]; then
	echo scan >$km
	leaks=$(grep -c '^unreferenced object' $km)
	[ "$leaks" -eq 0 ] || fail "kmemleak: $leaks unreferenced objects: $(head -n 30 $km)"
elif [ -z "${ARC_DEBUG:-}" ] && [ $((slab1 - slab0)) -ge 2048 ]; then
	fail "unreclaimable slab grew by $((slab1 - slab0)) KiB"
fi
pass "$secs s of flood ($sent packets) with settings, listeners, traces and namespaces churning: counts exact, no leak"
