#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random and mutated frames at layer 2 into the dut's veth with the
# firewall loaded, blocklist and port rule on (frame_fuzz.c: IPv4 and
# IPv6, TCP, UDP, ICMP, IPv4 options and fragments, IPv6 extension header
# chains, broken lengths and headers, VLAN tags, other ethertypes, random
# bytes; 10^6 frames with ARC_FUZZ_MODE=full, 20,000 otherwise). Then the
# firewall is still exact: every unbroken frame from the exact sources was
# dropped and counted in their entries, the namespace's totals are the
# sum of its entries', a blocked source's echo requests are all dropped
# and counted, other traffic passes, the port rule holds; the kernel
# reported nothing and the module unloads.
. "$(dirname "$0")/fwlib.sh"
FUZZ=$ARC_ROOT/selftests/firewall/frame_fuzz
[ -x "$FUZZ" ] || fail "no $FUZZ: build the selftests"
trap 'fw_cleanup; rm -f /tmp/arc-frames.log' EXIT
fw_load
net_up
dmesg -C

# The address plan of frame_fuzz.c: the exact sources, and one blocked
# prefix per family that broken frames come from.
arcfw block 203.0.113.77 2001:db8:e0::/64 198.51.100.128/25 2001:db8::1:0/112 ||
	fail "block"
arcfw ssh-guard on --ports 22,2222 || fail "ssh-guard on"

dut_mac=$(dut cat /sys/class/net/veth0/address)
t0=$SECONDS
peer "$FUZZ" veth1 "$dut_mac" >/tmp/arc-frames.log
rc=$?
sed 's/^/# /; s/^# # /# /' /tmp/arc-frames.log
[ $rc -eq 0 ] || fail "frame_fuzz exited with $rc"
echo "# frame_fuzz took $((SECONDS - t0)) s"

# exact_entry PREFIX PACKETS BYTES: the entry counted exactly those. The
# last frames may still be in the dut's backlog for a moment.
exact_entry() {
	local got i
	for i in $(seq 20); do
		got="$(entry_counter "$1" packets) $(entry_counter "$1" bytes)"
		[ "$got" = "$2 $3" ] && return 0
		sleep 0.25
	done
	echo "# veth1 in peer: $(peer ip -s link show veth1 | paste -sd' ')"
	echo "# veth0 in dut: $(dut ip -s link show veth0 | paste -sd' ')"
	fail "$1: packets and bytes $got, want $2 $3 (the unbroken frames sent from it)"
}
n=0
while read -r _ prefix packets bytes; do
	is_count "frames from $prefix" "$packets"
	[ "$packets" -gt 0 ] || fail "no frame from $prefix was sent"
	exact_entry "$prefix" "$packets" "$bytes"
	n=$((n + 1))
done < <(grep '^exact ' /tmp/arc-frames.log)
expect_eq "exact sources reported" $n 2
echo "# every unbroken frame from the exact sources dropped and counted once"

# The totals are the sum of the entries'.
arcfw --json list >/tmp/arc-frames.list || fail "list"
sums=$(python3 -S -c '
import json, sys
l = json.load(open(sys.argv[1]))
print(sum(e["packets"] for e in l), sum(e["bytes"] for e in l))
' /tmp/arc-frames.list)
rm -f /tmp/arc-frames.list
expect_eq "namespace drops against its entries" "$(totals)" "$sums"
read -r pr entries < <(fw_stats port_rule_packets entries)
expect_eq "entries" "$entries" 4
[ "$pr" -gt 0 ] || fail "the port rule dropped nothing of the fuzz"
echo "# totals: $sums dropped by the blocklist, $pr by the port rule"

# Still exact after the flood: N echo requests from a newly blocked
# source, N drops; other sources, ports and protocols pass.
arcfw block 198.51.100.2 2001:db8::2 || fail "block .2"
N=10
peer ping -q -c$N -i0.05 -W1 -I 198.51.100.2 198.51.100.1 >/dev/null
peer ping -q -c$N -i0.05 -W1 -I 2001:db8::2 2001:db8::1 >/dev/null
expect_eq "echo requests dropped from 198.51.100.2" \
	"$(entry_counter 198.51.100.2/32 packets)" $N
expect_eq "echo requests dropped from 2001:db8::2" \
	"$(entry_counter 2001:db8::2/128 packets)" $N
expect_pass ping 198.51.100.3 198.51.100.1
expect_pass ping 2001:db8::3 2001:db8::1
expect_pass udp 198.51.100.3 198.51.100.1 5353
expect_pass tcp 10.9.0.2 10.9.0.1 22
expect_pass tcp fd00:9::2 fd00:9::1 2222
expect_pass tcp 198.51.100.3 198.51.100.1 8080
DROP_BY=port_rule expect_drops "tcp 198.51.100.3 198.51.100.1 22" \
	"tcp 2001:db8::3 2001:db8::1 2222"
echo "# after the flood: $N of $N echo requests dropped per family, the rest as configured"

net_down
rmmod arc_firewall || fail "rmmod arc_firewall after the fuzz"
reports=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|kmemleak|stack-protector|still has objects|RCU stall')
[ -z "$reports" ] || fail "kernel reports: $reports"
pass "the firewall survived the frame fuzzer and counts exactly"
