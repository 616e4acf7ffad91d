#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random and mutated frames at layer 2 into dut's veth with arc_pktan
# loaded, its detectors on with low thresholds (the firewall's frame_fuzz:
# IPv4 and IPv6, TCP, UDP, ICMP, options, fragments, extension header
# chains, broken lengths and headers, VLAN tags, other ethertypes, random
# bytes; 10^6 frames with ARC_FUZZ_MODE=full, 20,000 otherwise). Then the
# counters are still exact: per family, what entered PRE_ROUTING equals
# what nft counter rules at the same hook counted; a known burst afterwards
# is counted exactly; the kernel reported nothing; the module unloads.
. "$(dirname "$0")/pktlib.sh"
FUZZ=$ARC_ROOT/selftests/firewall/frame_fuzz
[ -x "$FUZZ" ] || fail "no $FUZZ: build the selftests"
need nft
trap 'pa_cleanup; rm -f /tmp/arc-pa-frames.log' EXIT
dmesg -C
pa_load
net_up
arcpkt config scan-threshold 2 syn-threshold 1 event-rate 10000 || fail "config"
dut nft -f - <<'EOF2' || fail "nft reference rules"
table inet arcpkt_ref {
	chain pre {
		type filter hook prerouting priority -500;
		meta nfproto ipv4 counter
		meta nfproto ipv6 counter
	}
}
EOF2
# The starting line: nft's counters read while arc's are all zero (IPv6's
# own traffic between the reset and the reading would count for arc only).
for _ in $(seq 10); do
	arcpkt reset || fail "reset"
	read -r n4_0 n6_0 < <(dut nft -j list chain inet arcpkt_ref pre | python3 -S -c '
import json, sys
print(*[[e["counter"]["packets"] for e in i["rule"]["expr"] if "counter" in e][0]
        for i in json.load(sys.stdin)["nftables"] if "rule" in i])')
	[ "$(pa_get pre_routing.ipv4.udp.packets pre_routing.ipv6.icmpv6.packets)" = "0 0" ] &&
		[ -z "$(arcpkt --json stats | grep -o '"packets":[1-9]')" ] && break
done

dut_mac=$(dut cat /sys/class/net/veth0/address)
t0=$SECONDS
peer "$FUZZ" veth1 "$dut_mac" >/tmp/arc-pa-frames.log
rc=$?
grep -v '^exact ' /tmp/arc-pa-frames.log | sed 's/^/# /; s/^# # /# /'
[ $rc -eq 0 ] || fail "frame_fuzz exited with $rc"
echo "# frame_fuzz took $((SECONDS - t0)) s"

# dut answers many frames (SYN-ACKs, echo replies, port unreachables) to
# sources it then fails to resolve; each failure sends an ICMP error to
# dut's own address over lo, which enters PRE_ROUTING again, in bursts
# as the neighbour lookups and SYN-ACK retransmissions time out, for up
# to a minute after the frames (seen on 6.12: 279 such IPv6 packets in
# the 15 s after them). So dut now sends nothing, and the counts are
# compared once nothing has entered for a whole second (arc's counters
# and nft's unchanged across it, the two read inside it).
dut nft add chain inet arcpkt_ref out \
	'{ type filter hook output priority 0; policy drop; }' || fail "nft output chain"
quiet=""
t0=$SECONDS
a=$(arcpkt --json stats)
n=$(dut nft -j list chain inet arcpkt_ref pre)
for _ in $(seq 60); do
	sleep 1
	a2=$(arcpkt --json stats)
	n2=$(dut nft -j list chain inet arcpkt_ref pre)
	if [ "$a" = "$a2" ] && [ "$n" = "$n2" ]; then
		quiet=1
		break
	fi
	a=$a2 n=$n2
done
[ -n "$quiet" ] || fail "packets still entered dut 60 s after the frames, with dut sending nothing"
echo "# nothing entered dut for a second, $((SECONDS - t0)) s after the frames"
dut nft delete chain inet arcpkt_ref out || fail "nft output chain removed"
# Per family: arc_pktan's rows summed against nft's counters.
python3 -S - "$a" "$n" "$n4_0" "$n6_0" <<'PY' || fail "arcpkt against nft after the frames"
import json, sys
a, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
base = [int(sys.argv[3]), int(sys.argv[4])]
nft = [[e["counter"]["packets"] for e in i["rule"]["expr"] if "counter" in e][0]
       for i in n["nftables"] if "rule" in i]
for k, fam in enumerate(("ipv4", "ipv6")):
    got = sum(r["packets"] for r in a["counters"]
              if r["hook"] == "pre_routing" and r["family"] == fam)
    assert got == nft[k] - base[k], (fam, got, nft[k] - base[k])
print("# entered PRE_ROUTING: %d IPv4, %d IPv6; malformed: %s; detections: %s" % (
    nft[0] - base[0], nft[1] - base[1],
    ", ".join("%s %d" % kv for kv in a["malformed"].items() if kv[1]),
    ", ".join("%s %d" % kv for kv in a["detections"].items() if kv[1])))
PY

arcpkt reset || fail "reset"
peer python3 -S "$NETPY" spray 198.51.100.70 10 198.51.100.1 4 100 || fail "spray"
sleep 0.3
expect_eq "udp after the frames" "$(pa_get pre_routing.ipv4.udp.packets)" 40
reports=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN')
[ -z "$reports" ] || fail "kernel reports: $reports"
dut nft delete table inet arcpkt_ref
net_down
rmmod arc_pktan || fail "rmmod arc_pktan after the frames"
pass "random and mutated frames: counts equal nft's, nothing reported"
