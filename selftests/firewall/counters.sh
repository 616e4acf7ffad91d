#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-entry counters stay exact when drops arrive on two CPUs at once,
# across an entry's move from its atomics to per-CPU counters (which a
# drop on a second CPU brings about), and when per-CPU counter slots are
# freed and handed to new entries (a reused slot starts at zero). 600
# entries per family fill more than one chunk of slots.
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; rm -f /tmp/arc-cnt-set' EXIT
fw_load
net_up

n=600
cpus=$(nproc)
v4=198.18.0.1
v6=2001:db8:1::1
payload=100
len4=$((20 + 8 + payload))
len6=$((40 + 8 + payload))

# slots WANT: the module's entries with per-CPU counters (debugfs) come to
# WANT within two seconds (the worker batches them).
dbg=/sys/kernel/debug/arc_firewall/counters
slots() {
	local got _
	[ "$cpus" -gt 1 ] || return 0
	for _ in $(seq 20); do
		got=$(awk '$1 == "entries_with_percpu_counters" { print $2 }' $dbg)
		[ "$got" = "$1" ] && return 0
		sleep 0.1
	done
	fail "entries with per-CPU counters: $got, want $1"
}
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
[ -r $dbg ] || fail "no $dbg"

{ addrs $v4 $n; addrs $v6 $n; } >/tmp/arc-cnt-set
arcfw restore /tmp/arc-cnt-set || fail "restore $((2 * n)) entries"
slots 0

second=$((cpus > 1 ? 1 : 0))
[ "$cpus" -gt 1 ] || echo "# one CPU: both senders share it"
read -r p0 b0 < <(totals)
# Both CPUs at once: one sends each source once, the other twice.
spray 0 $v4 $n 198.51.100.1 1 & a=$!
spray $second $v4 $n 198.51.100.1 2 & b=$!
spray 0 $v6 $n 2001:db8::1 1 & c=$!
spray $second $v6 $n 2001:db8::1 2 & d=$!
for pid in $a $b $c $d; do wait $pid || fail "spray"; done
check_hosts "IPv4 after drops on two CPUs" $v4 $n 3 $len4
check_hosts "IPv6 after drops on two CPUs" $v6 $n 3 $len6
slots $((2 * n))
# Again, now that every entry has per-CPU counters.
spray $second $v4 $n 198.51.100.1 1
spray 0 $v6 $n 2001:db8::1 1
check_hosts "IPv4 after one more drop each" $v4 $n 4 $len4
check_hosts "IPv6 after one more drop each" $v6 $n 4 $len6
read -r p1 b1 < <(totals)
expect_eq "namespace packets" $((p1 - p0)) $((8 * n))
expect_eq "namespace bytes" $((b1 - b0)) $((4 * n * (len4 + len6)))
echo "$((2 * n)) entries, drops from $cpus CPU(s): every counter exact"

# Unblocked entries give their slots back; re-added ones start at zero,
# whichever slots they get, and the others keep their counts.
half=$((n / 2))
addrs $v4 $half >/tmp/arc-cnt-half
# shellcheck disable=SC2046 # one argument per address
arcfw unblock $(cat /tmp/arc-cnt-half) || fail "unblock $half"
# The freed slots come back to the pool before they are asked for.
slots $((2 * n - half))
# shellcheck disable=SC2046
arcfw block $(cat /tmp/arc-cnt-half) || fail "block $half again"
rm -f /tmp/arc-cnt-half
# Drops on one CPU keep an entry on its atomics; a drop on a second CPU
# gives it a slot.
spray 0 $v4 $n 198.51.100.1 1
sleep 0.5
slots $((2 * n - half))
spray $second $v4 $n 198.51.100.1 1
slots $((2 * n))
check_hosts "IPv4 re-added entries" $v4 $half 2 $len4
last=$(addrs $v4 $((half + 1)) | tail -n 1)
check_hosts "IPv4 entries that stayed" "$last" $((n - half)) 6 $len4

# A flushed set's slots, all of them, go to a new set.
arcfw flush || fail "flush"
slots 0
grep -qx 'chunks 0' $dbg || fail "chunks left after flush: $(cat $dbg)"
arcfw restore /tmp/arc-cnt-set || fail "restore again"
spray 0 $v4 $n 198.51.100.1 1
spray $second $v4 $n 198.51.100.1 1
spray $second $v6 $n 2001:db8::1 1
spray 0 $v6 $n 2001:db8::1 1
check_hosts "IPv4 after flush and restore" $v4 $n 2 $len4
check_hosts "IPv6 after flush and restore" $v6 $n 2 $len6
slots $((2 * n))
echo "freed counters come back at zero"

dmesg -C
net_down
# Checked here: fw_cleanup (the EXIT trap) does not fail a test.
rmmod arc_firewall || fail "rmmod arc_firewall"
dmesg | grep -E 'still has objects|BUG|WARNING' && fail "left behind at rmmod"
pass "per-CPU entry counters exact across CPUs, first drops and slot reuse"
