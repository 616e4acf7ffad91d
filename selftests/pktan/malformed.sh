#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crafted malformed frames, sent at layer 2 from the peer: each is counted
# as malformed, by kind, exactly as often as it was sent, still counted by
# protocol, and makes no detection; a long but well-formed IPv6 extension
# header chain is not malformed. Then the module still works: a good DNS
# query is reported.
. "$(dirname "$0")/pktlib.sh"
trap pa_cleanup EXIT
dmesg -C
pa_load
net_up
arcpkt config scan-threshold 2 || fail "config"
arcpkt reset || fail "reset"
n=7
for kind in tcp_trunc tcp_doff_low tcp_doff_high tiny_frag overlap_frag \
	v6_exthdr_cut v6_long_chain v6_tiny_frag; do
	pkt l2 veth1 02:00:00:00:00:01 $kind $n || fail "send $kind"
done
for kind in loop loop2 cut; do
	pkt dns 198.51.100.1 $kind $n || fail "dns $kind"
done
sleep 0.5
read -r trunc doff tiny overlap exthdr dns hdr < <(pa_get malformed.truncated \
	malformed.tcp_doff malformed.tiny_frag malformed.frag_overlap \
	malformed.exthdr malformed.dns malformed.header)
echo "# malformed: truncated $trunc tcp_doff $doff tiny_frag $tiny frag_overlap $overlap exthdr $exthdr dns $dns"
expect_eq "truncated TCP" "$trunc" $n
expect_eq "bad TCP data offsets (low and high)" "$doff" $((2 * n))
expect_eq "tiny first fragments (IPv4 and IPv6)" "$tiny" $((2 * n))
expect_eq "overlapping fragments" "$overlap" $n
expect_eq "IPv6 chains cut short" "$exthdr" $n
expect_eq "DNS pointer loops and cut labels" "$dns" $((3 * n))
expect_eq "unreadable headers (the IP stack drops those first)" "$hdr" 0
# Counted by protocol all the same: 4 IPv4 TCP kinds, DNS over UDP, the
# long chain's UDP; the cut chains have no known protocol.
expect_eq "ipv4 tcp" "$(pa_get pre_routing.ipv4.tcp.packets)" $((5 * n))
expect_eq "ipv4 udp" "$(pa_get pre_routing.ipv4.udp.packets)" $((3 * n))
expect_eq "ipv6 udp (the long chain)" "$(pa_get pre_routing.ipv6.udp.packets)" $n
expect_eq "ipv6 other (the cut chains)" "$(pa_get pre_routing.ipv6.other.packets)" $((2 * n))
read -r scans floods queries < <(pa_get detections.port_scan \
	detections.syn_flood detections.dns_query)
expect_eq "port scans from malformed SYNs" "$scans" 0
expect_eq "SYN floods" "$floods" 0
expect_eq "DNS queries from malformed messages" "$queries" 0

# Still working: a well-formed query with a compressed second question.
pa_events /tmp/arc-pa-ev 2 10
pkt dns 198.51.100.1 compressed || fail "dns compressed"
pa_events_wait || fail "no DNS events: $(cat /tmp/arc-pa-ev.err)"
pa_expect_event /tmp/arc-pa-ev "example.org A" dns_query qname=example.org qtype=1 src=198.51.100.2 dst=198.51.100.1
pa_expect_event /tmp/arc-pa-ev "www.example.org AAAA" dns_query qname=www.example.org qtype=28
dmesg | grep -E 'BUG|WARNING|UBSAN|KASAN' && fail "kernel report"
pass "malformed frames counted by kind, no detection from them, still working"
