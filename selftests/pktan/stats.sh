#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arc_pktan's counters are exact: real packets from the peer namespace,
# a known number of each protocol and family, must move dut's counters by
# exactly that many, and by exactly what nft counter rules at the same
# hook (prerouting, before defragmentation) count on the same traffic.
# Another namespace's counters do not move; LOCAL_OUT is not counted
# without local_out=1.
. "$(dirname "$0")/pktlib.sh"
need nft
trap 'dut nft delete table inet arcpkt_ref 2>/dev/null; pa_cleanup' EXIT
pa_load
net_up

# The reference: one counter per family and class, as arcpkt classifies.
dut nft -f "$ARC_ROOT/selftests/pktan/proto_counters.nft" ||
	fail "nft reference rules"

# nft_counts: "packets bytes" of the ten rules, in order, one per line.
nft_counts() {
	dut nft -j list chain inet arcpkt_ref pre | python3 -S -c '
import json, sys
for item in json.load(sys.stdin)["nftables"]:
    r = item.get("rule")
    if r:
        c = [e["counter"] for e in r["expr"] if "counter" in e][0]
        print(c["packets"], c["bytes"])
'
}
rows="ipv4.tcp ipv4.udp ipv4.icmp ipv4.icmpv6 ipv4.other ipv6.tcp ipv6.udp ipv6.icmp ipv6.icmpv6 ipv6.other"
# pa_counts: the same rows from arcpkt (one reading: every process
# started costs in an emulated guest).
pa_counts() {
	local r paths=()
	for r in $rows; do
		paths+=("pre_routing.$r.packets" "pre_routing.$r.bytes")
	done
	pa_get "${paths[@]}" | xargs -n 2
}

# The starting line: nft's counters read while arc's are all zero (a
# packet of IPv6's own between the reset and the reading would count for
# arc and not in nft's difference).
for _ in $(seq 10); do
	arcpkt reset || fail "arcpkt reset"
	mapfile -t n0 < <(nft_counts)
	[ -z "$(pa_counts | tr -d ' 0\n')" ] && break
done
# A namespace with traffic of its own, counted apart.
ip netns add other || fail "netns other"
ip -n other link set lo up
ip netns exec other ping -q -c 5 -i 0.05 127.0.0.1 >/dev/null || fail "ping in other"

# The traffic, from the peer: UDP from 20 sources, 5 each (128 bytes on
# IPv4, 148 on IPv6); SYNs to a closed port (the resets go to the peer);
# echo requests; protocol 253 (experimental).
pkt_udp=100 pkt_tcp=60 pkt_icmp=20 pkt_other=30
peer python3 -S "$NETPY" spray 198.51.100.10 20 198.51.100.1 5 100 || fail "spray v4"
peer python3 -S "$NETPY" spray 2001:db8::10 20 2001:db8::1 5 100 || fail "spray v6"
pkt tcp 198.51.100.2 198.51.100.1 9 $pkt_tcp 02 || fail "tcp v4"
pkt tcp 2001:db8::2 2001:db8::1 9 $pkt_tcp 02 || fail "tcp v6"
peer ping -q -c $pkt_icmp -i 0.01 198.51.100.1 >/dev/null || fail "ping v4"
peer ping -q -c $pkt_icmp -i 0.01 2001:db8::1 >/dev/null || fail "ping v6"
pkt proto 198.51.100.2 198.51.100.1 253 $pkt_other || fail "proto 253 v4"
pkt proto 2001:db8::2 2001:db8::1 253 $pkt_other || fail "proto 253 v6"
sleep 0.5

# IPv6's own traffic (router solicitations, listener reports) may arrive
# while the two are read: take nft's between two equal readings of arc's.
for _ in $(seq 10); do
	mapfile -t got < <(pa_counts)
	mapfile -t n1 < <(nft_counts)
	mapfile -t again < <(pa_counts)
	[ "${got[*]}" = "${again[*]}" ] && break
	sleep 0.5
done
i=0
for r in $rows; do
	read -r p b <<<"${got[$i]}"
	read -r np0 nb0 <<<"${n0[$i]}"
	read -r np1 nb1 <<<"${n1[$i]}"
	is_count "$r packets" "$p"
	expect_eq "$r packets: arcpkt against nft" "$p" $((np1 - np0))
	expect_eq "$r bytes: arcpkt against nft" "$b" $((nb1 - nb0))
	case $r in
	*.udp) want=$pkt_udp ;;
	*.tcp) want=$pkt_tcp ;;
	ipv4.icmp | ipv6.icmpv6) want=$pkt_icmp ;;
	*.other) want=$pkt_other ;;
	*) want=0 ;;
	esac
	# IPv6 may see neighbour or multicast listener traffic of its own.
	if [ "$r" = ipv6.icmpv6 ]; then
		[ "$p" -ge "$want" ] || fail "$r: $p packets, sent $want"
	else
		expect_eq "$r packets: against what was sent" "$p" "$want"
	fi
	i=$((i + 1))
done
expect_eq "ipv4 udp bytes" "$(pa_get pre_routing.ipv4.udp.bytes)" $((pkt_udp * 128))
expect_eq "ipv6 udp bytes" "$(pa_get pre_routing.ipv6.udp.bytes)" $((pkt_udp * 148))
echo "# $(arcpkt stats | head -n 11 | tail -n 10 | awk '$4 > 0 { printf "%s/%s %s, ", $2, $3, $4 }')"

# Nothing malformed, no LOCAL_OUT row without local_out=1.
for k in header exthdr tiny_frag frag_overlap truncated tcp_doff dns; do
	expect_eq "malformed.$k" "$(pa_get malformed.$k)" 0
done
arcpkt --json stats | grep -q local_out && fail "local_out counters without local_out=1"
# The other namespace saw its own 10 (5 echo requests, 5 replies, over lo).
expect_eq "other namespace icmp" "$(PA_NS=other pa_get pre_routing.ipv4.icmp.packets)" 10
expect_eq "other namespace udp" "$(PA_NS=other pa_get pre_routing.ipv4.udp.packets)" 0
ip netns del other

# reset: every counter from zero again.
arcpkt reset || fail "arcpkt reset"
expect_eq "udp after reset" "$(pa_get pre_routing.ipv4.udp.packets)" 0
pass "counters exact by family and protocol, equal to nft's, per namespace"
