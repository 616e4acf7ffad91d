#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The port rule holds against IP fragments (arc_pkt_frag_hides_l4()): a
# TCP SYN to a guarded port, sent at layer 2 from a non-local source and
# split so that its first fragment lacks the TCP header's flags or ports
# (tiny first fragments), with a fragment at offset 1, or with the IPv6
# header chain cut in the first fragment, in order and out of order,
# never completes a handshake with the listener, and every such drop is
# counted; the same fragments complete it when the rule is off (the
# tricks are real), or from a local source.
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; rm -f /tmp/arc-listen.*' EXIT
fw_load
net_up

PORT=2200
count=/tmp/arc-listen.count
dut python3 -S "$NETPY" listen $PORT $count </dev/null >/tmp/arc-listen.log 2>&1 &
for i in $(seq 50); do grep -q ready /tmp/arc-listen.log 2>/dev/null && break; sleep 0.1; done
grep -q ready /tmp/arc-listen.log || fail "the listener did not start: $(cat /tmp/arc-listen.log)"

# The sources are not the peer's own addresses (its kernel would reset
# the handshake): the dut reaches them through the peer's MAC address.
peer_mac=$(peer cat /sys/class/net/veth1/address)
dut_mac=$(dut cat /sys/class/net/veth0/address)
ip -n dut -batch - <<-NEIGH || fail "neighbours"
neigh add 198.51.100.9 lladdr $peer_mac dev veth0 nud permanent
neigh add 10.9.0.9 lladdr $peer_mac dev veth0 nud permanent
neigh add 2001:db8::9 lladdr $peer_mac dev veth0 nud permanent
neigh add fd00:9::9 lladdr $peer_mac dev veth0 nud permanent
NEIGH

connections() { cat $count; }

# send MODE SRC DST: one SYN, fragmented as MODE says (net.py frag); the
# status is net.py's: 0 the handshake completed, 1 no answer.
send() { peer python3 -S "$NETPY" frag "$1" "$2" "$3" $PORT veth1 "$dut_mac"; }

# connects MODE SRC DST: the fragmented SYN completes a connection.
connects() {
	local before rc i
	before=$(connections)
	send "$@"
	rc=$?
	[ $rc -eq 0 ] || fail "$*: no SYN-ACK (status $rc), should connect"
	for i in $(seq 20); do
		[ "$(connections)" -gt "$before" ] && return 0
		sleep 0.1
	done
	fail "$*: SYN-ACK but the listener accepted nothing"
}

# dropped MODE SRC DST N: no SYN-ACK, no connection, and the port rule
# counted N more drops (one per fragment it dropped).
dropped() {
	local before drops rc
	before=$(connections)
	drops=$(fw_stats port_rule_packets)
	send "$1" "$2" "$3"
	rc=$?
	[ $rc -eq 1 ] || fail "$1 $2: status $rc, want 1 (no answer)"
	expect_eq "$1 $2: connections" "$(connections)" "$before"
	expect_eq "$1 $2: port rule drops" "$(fw_stats port_rule_packets)" $((drops + $4))
}

arcfw ssh-guard on --ports $PORT || fail "ssh-guard on"
arcfw ssh-guard off || fail "ssh-guard off"
# With the rule off, each IPv4 trick connects: the stack reassembles it.
# (IPv6's stack drops a first fragment without the whole TCP header.)
for m in whole plain tiny8 tiny8-rev tiny16 tiny16-rev; do
	connects $m 198.51.100.9 198.51.100.1
done
for m in whole plain plain-rev; do
	connects $m 2001:db8::9 2001:db8::1
done
echo "# rule off: every IPv4 trick and plain IPv6 fragments connect"

# all_dropped "MODE SRC DST N"...: dropped for each at once (each send
# waits 1.5 s for a SYN-ACK; sends are told apart by their source port and
# fragment id, both the sender's pid): none answered, no connection, and
# the port rule counted the sum of their N.
all_dropped() {
	local before drops c i rc sum=0 dir bad=()
	local pids=()
	before=$(connections)
	drops=$(fw_stats port_rule_packets)
	dir=$(mktemp -d)
	i=0
	for c; do
		# shellcheck disable=SC2086 # MODE SRC DST
		{ send ${c% *}; echo $? >"$dir/$i"; } &
		pids+=($!)
		sum=$((sum + ${c##* }))
		i=$((i + 1))
	done
	wait "${pids[@]}"
	i=0
	for c; do
		rc=$(cat "$dir/$i")
		[ "$rc" = 1 ] || bad+=("${c% *}: status $rc")
		i=$((i + 1))
	done
	rm -rf "$dir"
	[ ${#bad[@]} -eq 0 ] || fail "want no answer (1): $(printf '%s; ' "${bad[@]}")"
	expect_eq "connections" "$(connections)" "$before"
	expect_eq "port rule drops" "$(fw_stats port_rule_packets)" $((drops + sum))
}

arcfw ssh-guard on --ports $PORT || fail "ssh-guard on"
# tiny8: the first fragment is tiny, the second is at offset 1 (2 drops).
all_dropped "whole 198.51.100.9 198.51.100.1 1" "plain 198.51.100.9 198.51.100.1 1" \
	"tiny8 198.51.100.9 198.51.100.1 2" "tiny8-rev 198.51.100.9 198.51.100.1 2" \
	"tiny16 198.51.100.9 198.51.100.1 1" "tiny16-rev 198.51.100.9 198.51.100.1 1" \
	"off1 198.51.100.9 198.51.100.1 1"
all_dropped "plain 2001:db8::9 2001:db8::1 1" "plain-rev 2001:db8::9 2001:db8::1 1" \
	"tiny8 2001:db8::9 2001:db8::1 2" "tiny16-rev 2001:db8::9 2001:db8::1 1" \
	"chain 2001:db8::9 2001:db8::1 1" "chain-rev 2001:db8::9 2001:db8::1 1" \
	"off1 2001:db8::9 2001:db8::1 1"
echo "# rule on: tiny first fragments, offset 1 and cut IPv6 chains dropped, in and out of order"

# Local sources pass, however fragmented. To other ports, fragments that
# show their TCP header pass; tiny ones never do while the rule is on.
connects tiny8 10.9.0.9 10.9.0.1
connects tiny16-rev 10.9.0.9 10.9.0.1
connects plain fd00:9::9 fd00:9::1
arcfw ssh-guard on --ports 2222 || fail "ssh-guard on 2222"
connects plain 198.51.100.9 198.51.100.1
connects plain-rev 2001:db8::9 2001:db8::1
dropped tiny16 198.51.100.9 198.51.100.1 1
pass "the port rule holds against IPv4 and IPv6 fragments"
