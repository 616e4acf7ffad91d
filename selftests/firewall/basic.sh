#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Blocked sources are dropped (ping, TCP, UDP; IPv4 and IPv6), others
# pass; CIDR entries; counters exact; the tracepoint fires; --json parses.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up

for k in ping tcp udp; do
	expect_pass $k 198.51.100.2 198.51.100.1
	expect_pass $k 2001:db8::2 2001:db8::1
done

arcfw block 198.51.100.2 2001:db8::2 || fail "block"
expect_drops "ping 198.51.100.2 198.51.100.1" "tcp 198.51.100.2 198.51.100.1" \
	"udp 198.51.100.2 198.51.100.1" "ping 2001:db8::2 2001:db8::1" \
	"tcp 2001:db8::2 2001:db8::1" "udp 2001:db8::2 2001:db8::1"
for k in ping tcp udp; do
	expect_pass $k 198.51.100.3 198.51.100.1
	expect_pass $k 2001:db8::3 2001:db8::1
done
echo "host entries drop ping/tcp/udp from .2 and ::2 only"

arcfw unblock 198.51.100.2 2001:db8::2 || fail "unblock"
expect_pass ping 198.51.100.2 198.51.100.1
arcfw block 198.51.100.0/24 2001:db8::/64 || fail "block CIDR"
expect_drops "ping 198.51.100.3 198.51.100.1" "ping 2001:db8::3 2001:db8::1"
expect_pass ping 10.9.0.2 10.9.0.1
expect_pass ping fd00:9::2 fd00:9::1
echo "CIDR entries drop the whole prefix only"

# Counters: exactly N echo requests of known size. Every drop in the
# window is also a tracepoint event: the counters must match the events,
# and the events must include the N echo requests. Anything else from the
# same source (a late packet of an earlier test's exchange) is printed.
tracing=/sys/kernel/tracing
[ -e $tracing/trace ] || tracing=/sys/kernel/debug/tracing
echo 1 >$tracing/events/arc_firewall/arcfw_drop/enable ||
	fail "cannot enable the tracepoint"
: >$tracing/trace
read -r p0 b0 < <(totals)
arcfw flush || fail "flush"
arcfw block 198.51.100.2/32 2001:db8::2/128 || fail "block"
n=10
peer ping -q -c$n -i0.05 -W1 -s 56 -I 198.51.100.2 198.51.100.1 >/dev/null
peer ping -q -c$n -i0.05 -W1 -s 56 -I 2001:db8::2 2001:db8::1 >/dev/null
c4p=$(entry_counter 198.51.100.2/32 packets)
c4b=$(entry_counter 198.51.100.2/32 bytes)
c6p=$(entry_counter 2001:db8::2/128 packets)
c6b=$(entry_counter 2001:db8::2/128 bytes)
read -r p1 b1 < <(totals)
trace=$(grep 'arcfw_drop: ' $tracing/trace)
# events SRC [PROTO LEN]: "count bytes" of the traced drops from SRC (of
# PROTO and LEN only, if given).
events() {
	printf '%s\n' "$trace" | awk -v s="src=$1" -v p="proto=$2" -v l="len=$3" '
		{ for (i = 1; i <= NF; i++) f[$i] = 1 }
		f[s] && (p == "proto=" || (f[p] && f[l])) { n++; b += substr($NF, 5) }
		{ delete f }
		END { print n + 0, b + 0 }'
}
# 20 IPv4 + 8 ICMP + 56 = 84; 40 IPv6 + 8 ICMPv6 + 56 = 104.
expect_eq "v4 echo requests traced" "$(events ::ffff:198.51.100.2 1 84)" "$n $((n * 84))"
expect_eq "v6 echo requests traced" "$(events 2001:db8::2 58 104)" "$n $((n * 104))"
printf '%s\n' "$trace" | grep -E 'src=(::ffff:198\.51\.100\.2|2001:db8::2) ' |
	grep -Ev 'proto=1 .* len=84$|proto=58 .* len=104$' |
	sed 's/^.*arcfw_drop: /# other drop from the source: /'
expect_eq "v4 entry counters" "$c4p $c4b" "$(events ::ffff:198.51.100.2)"
expect_eq "v6 entry counters" "$c6p $c6b" "$(events 2001:db8::2)"
read -r tp tb < <(printf '%s\n' "$trace" | awk 'NF { n++; b += substr($NF, 5) } END { print n + 0, b + 0 }')
expect_eq "namespace packets dropped" $((p1 - p0)) "$tp"
expect_eq "namespace bytes dropped" $((b1 - b0)) "$tb"
arcfw --json list | python3 -S -c 'import json,sys; l=json.load(sys.stdin); assert len(l) == 2 and {e["prefix"] for e in l} == {"198.51.100.2/32", "2001:db8::2/128"}, l' ||
	fail "list --json"
echo "$trace" | grep -q 'arcfw_drop: reason=blocklist src=::ffff:198.51.100.2 proto=1' ||
	{ echo "$trace" | tail -n 5; fail "no tracepoint event for the IPv4 drop"; }
echo "$trace" | grep -q 'arcfw_drop: reason=blocklist src=2001:db8::2 proto=58' ||
	fail "no tracepoint event for the IPv6 drop"
echo 0 >$tracing/events/arc_firewall/arcfw_drop/enable

# log_drops: off by default, rate-limited messages when on.
dmesg -C
expect_drop ping 198.51.100.2 198.51.100.1
dmesg | grep -q 'arc_firewall: drop' && fail "drops logged with log_drops off"
# The messages go through net_ratelimit(), whose budget the whole kernel
# shares (net.core.message_cost seconds, message_burst messages): lifted
# first so that other messages cannot eat it, then restored to check that
# a burst of drops is cut down.
cost=$(sysctl -n net.core.message_cost) burst=$(sysctl -n net.core.message_burst)
sysctl -qw net.core.message_cost=0
echo 1 >/sys/module/arc_firewall/parameters/log_drops
expect_drops "ping 198.51.100.2 198.51.100.1" "ping 2001:db8::2 2001:db8::1"
dmesg | grep -q 'arc_firewall: drop (blocklist) from 198.51.100.2 proto 1' ||
	fail "IPv4 drop not logged"
dmesg | grep -q 'arc_firewall: drop (blocklist) from 2001:db8::2 proto 58' ||
	fail "IPv6 drop not logged"
sysctl -qw net.core.message_cost=5 net.core.message_burst=10
dmesg -C
peer ping -q -c40 -i0.01 -W1 -I 198.51.100.2 198.51.100.1 >/dev/null
logged=$(dmesg | grep -c 'arc_firewall: drop (blocklist)')
echo 0 >/sys/module/arc_firewall/parameters/log_drops
sysctl -qw net.core.message_cost="$cost" net.core.message_burst="$burst"
[ "$logged" -ge 1 ] && [ "$logged" -le 10 ] ||
	fail "40 drops in a burst logged $logged times, want 1 to 10"
echo "log_drops: 40 drops in a burst, $logged messages"
pass "drops, CIDR, exact counters, tracepoint, log_drops"
