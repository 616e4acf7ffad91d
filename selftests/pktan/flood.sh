#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A flood from a million random sources: pktgen injects 1,000,000 UDP
# packets from random addresses of 10.0.0.0/12 straight into dut's receive
# path, and beside them 200,000 from one heavy source; then hping3 sends
# SYNs from random sources to a listening port. The module's memory does not
# move (its tables were sized when the namespace was made), sources are
# evicted instead, the counters are exact, the heavy source tops the top
# talkers within the documented error, and the detectors still work: the
# SYN flood was reported, and a scan after the flood is.
. "$(dirname "$0")/pktlib.sh"
need modprobe hping3 nmap
pktgen_loaded=
trap 'dut sh -c "echo stop >$PG/pgctrl" 2>/dev/null; [ -n "$pktgen_loaded" ] && rmmod pktgen; pa_cleanup' EXIT
if [ ! -d /sys/module/pktgen ]; then
	modprobe pktgen || skip "no pktgen module"
	pktgen_loaded=1
fi
pa_load
net_up
pg_target
arcpkt config syn-threshold 500 syn-window-ms 60000 || fail "config"
arcpkt reset || fail "reset"
mem0=$(pa_get memory_bytes)
slab0=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)

# The heavy source needs its own device name: pktgen's d0@1 is d0 again.
pg_device kpktgend_0 d0 "count 1000000" "src_min 10.0.0.1" "src_max 10.15.255.254" "flag IPSRC_RND"
# The second CPU's thread, or the first's where there is one CPU.
t1=kpktgend_1
dut test -e "$PG/$t1" || t1=kpktgend_0
pg_device $t1 d0@1 "count 200000" "src_min 10.200.0.1" "src_max 10.200.0.1"
pa_events /tmp/arc-pa-ev 1 600
t0=$(date +%s)
dut sh -c "echo start >$PG/pgctrl" || fail "pktgen start"
# Printed, not judged: the stack's caches (skbs of two pktgen threads)
# grow and keep their pages; arc_pktan allocates nothing per packet (its
# memory_bytes, judged below, is fixed), and soak/pktan_flood.sh checks
# for leaks with the module unloaded.
slab1=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)
peer hping3 -q -S --rand-source -p 8080 -i u200 -c 3000 198.51.100.1 >/dev/null 2>&1
pa_events_wait || fail "no SYN-flood event during the flood ($(cat /tmp/arc-pa-ev.err))"
pa_expect_event /tmp/arc-pa-ev "SYN flood of 8080" syn_flood dst=198.51.100.1 dport=8080 half_open=500
echo "# the flood took $(($(date +%s) - t0)) s"

read -r udp evict mem < <(pa_get pre_routing.ipv4.udp.packets evictions memory_bytes)
echo "# 1,200,000 UDP packets counted as $udp; $evict evictions; detector memory $mem bytes; unreclaimable slab over the UDP flood $slab0 -> $slab1 KiB"
expect_eq "UDP packets counted" "$udp" 1200000
expect_eq "detector memory" "$mem" "$mem0"
[ "$evict" -gt 0 ] || fail "no evictions: were the random SYNs seen?"

# The heavy source tops the list: an upper bound, within its error.
arcpkt --json top --once -n 1 >/tmp/arc-pa-top.json || fail "top"
python3 -S - /tmp/arc-pa-top.json <<'PY' || fail "top talker: $(cat /tmp/arc-pa-top.json)"
import json, sys
t = json.load(open(sys.argv[1]))[0]
print("# top talker %s: %d packets, error %d" % (t["source"], t["packets"], t["error"]))
assert t["source"] == "10.200.0.1", t
assert t["packets"] >= 200000 and t["packets"] - t["error"] <= 200000, t
PY

# A scan after the flood is still seen.
arcpkt config scan-threshold 16 || fail "config"
pa_events /tmp/arc-pa-ev 1 60
peer nmap -n -Pn -sS -p 1-40 --max-retries 0 -T4 198.51.100.1 >/dev/null || fail "nmap"
pa_events_wait || fail "no scan event after the flood"
pa_expect_event /tmp/arc-pa-ev "scan after the flood" port_scan src=198.51.100.2
pass "1,000,000 random sources: memory fixed, counts exact, detectors working"
