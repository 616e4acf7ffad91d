#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak: `arcfw restore` of a 50,000-entry list in a loop (two lists in
# turn, each swapping in a whole new set) while pktgen floods the dut
# namespace from a blocked /24 and other namespaces, each with entries of
# its own, are created and destroyed meanwhile. Then:
# - every flood packet was dropped and counted, exactly: pktgen injects
#   straight into the dut's receive path (xmit_mode netif_receive on a
#   dummy device: no queue in between that could drop one), and the
#   namespace's dropped_packets moved by the number pktgen sent (an
#   entry's own counters start again at zero in each set restore swaps
#   in, so only the namespace's add up over the whole flood);
# - after the flood, ten packets from one blocked host are counted as ten;
# - once the other namespaces are gone, the module's sets and entries in
#   memory (debugfs counters) are back at the baseline.
# ARC_SOAK_SECONDS: how long (default 300).
. "$(dirname "$0")/../firewall/fwlib.sh"
need python3 modprobe
secs=${ARC_SOAK_SECONDS:-300}
dbg=/sys/kernel/debug/arc_firewall/counters
work=$(mktemp -d /tmp/arc-flood.XXXXXX)
pktgen_loaded=
pids=()
cleanup() {
	soak_stop arc-churn
	net_down
	[ -n "$pktgen_loaded" ] && rmmod pktgen
	rm -rf "$work"
	fw_cleanup
}
trap cleanup EXIT
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

if [ ! -d /sys/module/pktgen ]; then
	modprobe pktgen || skip "no pktgen module"
	pktgen_loaded=1
fi
fw_load max_entries=200000
net_up
# The flood's target: a dummy device in dut.
pg_target

# Two lists of 50,000 hosts (each half its own, half shared), both with
# the flood's /24 and the host checked at the end.
python3 -S - "$work" <<'PY'
import sys
d = sys.argv[1]
for name, first in (("A", 0), ("B", 25000)):
    with open("%s/%s" % (d, name), "w") as f:
        f.write("203.0.113.0/24\n198.51.100.3\n")
        for i in range(first, first + 50000):
            f.write("100.%d.%d.%d\n" % (64 + (i >> 16), (i >> 8) & 255, i & 255))
PY
arcfw restore "$work/A" 2>/dev/null || fail "restore A"
# What the namespaces hold with list A in dut, once the set that restore
# replaced is gone (a grace period later).
read -r sets0 entries0 < <(fw_objects_stable)
[ -n "$sets0" ] && [ -n "$entries0" ] || fail "no object counts in $dbg"
drop0=$(fw_stats dropped_packets)
is_count "dropped_packets" "$drop0"

pg_device kpktgend_0 d0 "count 0" "src_min 203.0.113.1" "src_max 203.0.113.254" \
	"flag IPSRC_RND"

# Restores in a loop.
(
	n=0
	while [ ! -e "$work/stop" ]; do
		for l in B A; do
			arcfw restore "$work/$l" 2>/dev/null || { echo "restore $l failed" >"$work/fail"; exit 1; }
			n=$((n + 1))
		done
	done
	echo "$n" >"$work/restores"
) &
pids+=($!)
# Namespaces come and go, each with a firewall set of its own.
churn() {
	ip netns exec "$1" "$ARCFW" block 198.51.100.0/24 2001:db8::/32 >/dev/null &&
		head -n 1002 "$work/B" | ip netns exec "$1" "$ARCFW" restore - 2>/dev/null
}
soak_churn arc-churn churn
# The flood, until stopped (pgctrl start returns when it is).
soak_run "$secs"
sent=$soak_sent
echo "# $soak_secs s: pktgen sent $sent packets, $(cat "$work/restores") restores" \
	"of 50,000 entries, $(cat "$work/namespaces") namespaces created and destroyed"

# Exact counts: everything pktgen sent was dropped, and counted once.
expect_eq "dropped_packets moved by" $(($(fw_stats dropped_packets) - drop0)) "$sent"
spray 0 198.51.100.3 1 198.51.100.1 10 || fail "spray"
expect_eq "198.51.100.3 after 10 packets" "$(entry_counter 198.51.100.3/32 packets)" 10

# Back to list A and no other namespace: the baseline again.
arcfw restore "$work/A" 2>/dev/null || fail "restore A"
fw_objects_settle "$sets0" "$entries0" "back to list A alone"
pass "$secs s of restores under a $sent-packet flood with namespace churn: counts exact, no leak"
