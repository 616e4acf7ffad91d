#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-entry counters stay exact while the hash table is rebuilt under
# them. A rebuild moves every entry to a new table, and packets may go on
# counting in the old slots until a grace period has passed: those drops
# must reach the entries, not vanish with the old table. The table grows
# (thousands of prefixes blocked) and shrinks (unblocked again) while
# drops arrive, on one CPU for the IPv4 entries (counted in their slots)
# and on two for the IPv6 ones (per-CPU counters).
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; rm -f /tmp/arc-rb-*' EXIT
fw_load
net_up

n=300
more=6000
cpus=$(nproc)
second=$((cpus > 1 ? 1 : 0))
v4=198.18.0.1
v6=2001:db8:1::1
payload=100
len4=$((20 + 8 + payload))
len6=$((40 + 8 + payload))

# traffic REPEAT: every IPv4 source REPEAT times from CPU 0, every IPv6
# source REPEAT times from each of two CPUs, in the background.
traffic() {
	spray 0 $v4 $n 198.51.100.1 "$1" & pids=($!)
	spray 0 $v6 $n 2001:db8::1 "$1" & pids+=($!)
	spray $second $v6 $n 2001:db8::1 "$1" & pids+=($!)
}
traffic_wait() {
	local pid
	for pid in "${pids[@]}"; do wait "$pid" || fail "spray"; done
}

# change CMD FILE: arcfw CMD over FILE's prefixes, 1000 per call, so that
# the table is rebuilt at several points of the traffic.
change() {
	local chunk
	split -l 1000 "$2" /tmp/arc-rb-chunk.
	for chunk in /tmp/arc-rb-chunk.*; do
		# shellcheck disable=SC2046 # one argument per prefix
		arcfw "$1" $(cat "$chunk") || fail "$1 $(wc -l <"$chunk") prefixes"
	done
	rm -f /tmp/arc-rb-chunk.*
}

{ addrs $v4 $n; addrs $v6 $n; } >/tmp/arc-rb-set
arcfw restore /tmp/arc-rb-set || fail "restore $((2 * n)) entries"
{ addrs 100.64.0.1 $more; addrs 2001:db8:2::1 $more; } >/tmp/arc-rb-more
read -r p0 b0 < <(totals)
small=$(fw_stats table_bytes)

traffic 1
traffic_wait
check_hosts "IPv4 before any rebuild" $v4 $n 1 $len4
check_hosts "IPv6 before any rebuild" $v6 $n 2 $len6

# phase CMD WHAT: traffic while CMD (block or unblock) changes the other
# prefixes, then every counter checked (WHAT names the phase).
phase() {
	traffic 6
	change "$1" /tmp/arc-rb-more
	traffic_wait
	sent=$((sent + 6))
	check_hosts "IPv4 after $2 under traffic" $v4 $n $sent $len4
	check_hosts "IPv6 after $2 under traffic" $v6 $n $((2 * sent)) $len6
}

sent=1
phase block growing
big=$(fw_stats table_bytes)
echo "# table $small bytes for $((2 * n)) entries, $big for $((2 * (n + more)))"
[ "$big" -gt "$small" ] || fail "the table did not grow ($small, then $big bytes)"

phase unblock shrinking
shrunk=$(fw_stats table_bytes)
echo "# table $shrunk bytes after unblocking $((2 * more))"
[ "$shrunk" -lt "$big" ] || fail "the table did not shrink ($big, then $shrunk bytes)"
expect_eq "entries left" "$(fw_stats entries)" $((2 * n))

read -r p1 b1 < <(totals)
expect_eq "namespace packets" $((p1 - p0)) $((13 * n + 26 * n))
expect_eq "namespace bytes" $((b1 - b0)) $((13 * n * len4 + 26 * n * len6))

dmesg -C
net_down
# Checked here: fw_cleanup (the EXIT trap) does not fail a test.
rmmod arc_firewall || fail "rmmod arc_firewall"
dmesg | grep -E 'still has objects|BUG|WARNING' && fail "left behind at rmmod"
pass "counters exact while the table grows and shrinks under traffic"
