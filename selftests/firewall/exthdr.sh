#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 extension headers hide nothing: a UDP datagram or a TCP SYN behind
# a long chain of destination options headers, which the IPv6 stack
# delivers (checked first, with nothing blocked), is dropped when its
# source is blocked, and the port rule still sees its port. 11 headers:
# 7.x kernels drop a packet that makes them walk more than 12.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up

# exthdr_pass|exthdr_drop PROTO SRC PORT N: one datagram or SYN to the
# dut behind N destination options headers (reach exthdr-PROTO).
exthdr_pass() { expect_pass "exthdr-$1" "$2" 2001:db8::1 "$3" "$4"; }
# Drops count in the blocklist's counter (DROP_BY=port_rule: the port
# rule's).
exthdr_drop() { expect_drop "exthdr-$1" "$2" 2001:db8::1 "$3" "$4"; }

for n in 1 9 11; do
	exthdr_pass udp 2001:db8::2 5353 $n
	exthdr_pass tcp 2001:db8::2 22 $n
done
echo "# the stack delivers UDP and TCP behind 1, 9 and 11 destination options headers"

arcfw block 2001:db8::2 || fail "block"
for n in 1 9 11; do
	exthdr_drop udp 2001:db8::2 5353 $n
	exthdr_drop tcp 2001:db8::2 22 $n
done
# Each check sent exactly one packet from the blocked source.
expect_eq "packets dropped from 2001:db8::2/128" \
	"$(entry_counter 2001:db8::2/128 packets)" 6
exthdr_pass udp 2001:db8::3 5353 11
echo "# a blocked source behind 1, 9 and 11 headers: dropped, each counted once"

arcfw flush || fail "flush"
arcfw ssh-guard on || fail "ssh-guard on"
for n in 1 9 11; do
	DROP_BY=port_rule exthdr_drop tcp 2001:db8::2 22 $n
	exthdr_pass udp 2001:db8::2 5353 $n
done
arcfw ssh-guard off || fail "ssh-guard off"
exthdr_pass tcp 2001:db8::2 22 11
pass "extension header chains hide neither a blocked source nor a guarded port"
