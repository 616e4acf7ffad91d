#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The detectors against real tools from the peer namespace: nmap's SYN,
# NULL, FIN and Xmas scans are port scans by the peer of dut, each with
# its probe kind; hping3's SYNs to a listening port are a SYN flood of
# that port, while as many real connections are not; dig's queries (UDP,
# TCP, IPv6, the longest name) are reported with their names and types.
# Every detection is a tracepoint event; past the event rate limit,
# detections are counted but not sent.
. "$(dirname "$0")/pktlib.sh"
need nmap hping3 dig
tracing=/sys/kernel/tracing
[ -e $tracing/trace ] || tracing=/sys/kernel/debug/tracing
ev=/tmp/arc-pa-ev
trap 'echo 0 >$tracing/events/arc_pktan/pktan_detect/enable 2>/dev/null; pa_cleanup; rm -f $ev $ev.err' EXIT
pa_load
net_up
arcpkt config scan-threshold 16 scan-window-ms 60000 syn-threshold 100 \
	syn-window-ms 60000 event-rate 1000 || fail "config"

# scan KIND NMAP-FLAG FAMILY-FLAG DST: one nmap scan of 40 ports, then
# exactly one port-scan event from the peer with that probe kind.
scan() {
	arcpkt reset || fail "reset"
	pa_events $ev 1 60
	pa_src=$([ "$3" = -6 ] && echo 2001:db8::2 || echo 198.51.100.2)
	# shellcheck disable=SC2086 # $3: -6 or nothing
	peer nmap -n -Pn "$2" $3 -S "$pa_src" -e veth1 -p 1-40 --max-retries 0 -T4 "$4" >/dev/null ||
		fail "nmap $2 $4"
	pa_events_wait || fail "$1 scan of $4: no event ($(cat $ev.err))"
	[ "$(pa_event_count $ev port_scan src=$pa_src dst=$4 probes=$1 ports=16)" = 1 ] ||
		fail "$1 scan of $4 from $pa_src: want one port-scan event with probes $1 and 16 ports, got: $(cat $ev)"
	expect_eq "$1 scan detections" "$(pa_get detections.port_scan)" 1
}
scan syn -sS "" 198.51.100.1
scan null -sN "" 198.51.100.1
scan fin -sF "" 198.51.100.1
scan xmas -sX "" 198.51.100.1
scan syn -sS -6 2001:db8::1
echo "# nmap -sS, -sN, -sF, -sX (and -sS over IPv6): one port-scan event each"

# 150 real connections to a listening port: handshakes complete, no flood.
arcpkt reset || fail "reset"
peer python3 -S -c '
import socket
for _ in range(150):
    s = socket.create_connection(("198.51.100.1", 8080), timeout=2)
    s.close()
' || fail "150 connections"
expect_eq "SYN floods after 150 real connections" "$(pa_get detections.syn_flood)" 0
# hping3's SYNs are never answered by an ACK (the peer's kernel resets
# every SYN-ACK): a flood of 8080 once 100 are without a handshake.
pa_events $ev 1 60
peer hping3 -q -S -p 8080 -i u2000 -c 150 198.51.100.1 >/dev/null 2>&1
pa_events_wait || fail "no SYN-flood event ($(cat $ev.err))"
pa_expect_event $ev "SYN flood event" syn_flood src=198.51.100.2 dst=198.51.100.1 dport=8080 half_open=100
expect_eq "SYN-flood detections" "$(pa_get detections.syn_flood)" 1
echo "# 150 connections: no flood; 150 SYNs from hping3: a flood at the 100th"

# DNS: UDP, TCP (to a listener that reads the query), IPv6, the longest
# name (253 characters), every one a tracepoint event too.
arcpkt reset || fail "reset"
echo 1 >$tracing/events/arc_pktan/pktan_detect/enable || fail "enable tracepoint"
: >$tracing/trace
dut python3 -S "$PKTPY" dnssrv 53 </dev/null >/tmp/arc-pa-dns.log 2>&1 &
wait_ready /tmp/arc-pa-dns.log "the TCP listener on port 53"
long=$(python3 -S -c 'print(".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61]))')
pa_events $ev 4 60
peer dig @198.51.100.1 +tries=1 +timeout=1 example.com A >/dev/null
peer dig @198.51.100.1 +tcp +tries=1 +timeout=2 tcp.example.net AAAA >/dev/null
peer dig -b 2001:db8::2 @2001:db8::1 +tries=1 +timeout=1 v6.example.org MX >/dev/null
peer dig @198.51.100.1 +tries=1 +timeout=1 "$long" TXT >/dev/null
pa_events_wait || fail "DNS events: $(wc -l <$ev) of 4 ($(cat $ev.err))"
pa_expect_event $ev "dig A over UDP" dns_query qname=example.com qtype=1 proto=udp src=198.51.100.2
pa_expect_event $ev "dig AAAA over TCP" dns_query qname=tcp.example.net qtype=28 proto=tcp
pa_expect_event $ev "dig MX over IPv6" dns_query qname=v6.example.org qtype=15 src=2001:db8::2 dst=2001:db8::1
pa_expect_event $ev "dig TXT, the longest name" dns_query qname=$long qtype=16
expect_eq "DNS tracepoint events" "$(grep -c 'pktan_detect: type=dns-query' $tracing/trace)" 4
grep -q "qname=$long qtype=16" $tracing/trace || fail "the longest name not in the trace"
echo "# dig over UDP, TCP and IPv6, and a 253-character name: reported"

# The rate limit: 5 a second; 30 queries at once make 30 detections and
# tracepoint events, of which the listener gets at most two seconds' worth.
arcpkt config event-rate 5 || fail "config event-rate"
arcpkt reset || fail "reset"
: >$tracing/trace
pa_events $ev 1000 4
pkt dns 198.51.100.1 compressed 30 || fail "30 queries"
pa_events_wait
got=$(wc -l <$ev)
read -r det sup < <(pa_get detections.dns_query events_suppressed)
echo "# event-rate 5: 60 detections, $got events sent, $sup suppressed"
expect_eq "detections" "$det" 60
expect_eq "tracepoint events" "$(grep -c 'pktan_detect: type=dns-query' $tracing/trace)" 60
expect_eq "sent + suppressed" $((got + sup)) 60
[ "$got" -ge 5 ] && [ "$got" -le 10 ] || fail "$got events sent at 5 a second"
pass "scans, SYN flood and DNS queries detected with the right addresses; rate limit"
