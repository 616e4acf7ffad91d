#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Atomic replace under continuous traffic. Set A blocks source X, set B
# blocks source Y, each with 20,000 filler entries. A sender emits datagram
# pairs (X i, Y i) while the set is swapped A -> B -> A ... If a packet
# were ever evaluated against a half-applied set, runs of pairs would
# arrive with both or neither of X and Y. With atomic swaps only a pair
# straddling a swap may (one per swap).
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; rm -f /tmp/arc-A /tmp/arc-B /tmp/arc-sent /tmp/arc-got' EXIT
fw_load
net_up

python3 -S - <<'PY'
for name, blocked in (("A", "198.51.100.2"), ("B", "198.51.100.3")):
    with open("/tmp/arc-" + name, "w") as f:
        f.write(blocked + "\n")
        for i in range(20000):
            f.write("100.%d.%d.%d\n" % (64 + (i >> 16), (i >> 8) & 255, i & 255))
PY
arcfw restore /tmp/arc-A 2>/dev/null || fail "restore A"
secs=12
dut python3 -S "$NETPY" sink 9999 /tmp/arc-got $((secs + 3)) >/tmp/arc-sink.log &
sink=$!
wait_ready /tmp/arc-sink.log "the sink in dut (net.py sink)"
peer python3 -S "$NETPY" pairs 198.51.100.2 198.51.100.3 198.51.100.1 9999 $secs /tmp/arc-sent &
sender=$!
drops0=$(fw_stats dropped_packets)
swaps=0
sleep 1
while kill -0 $sender 2>/dev/null; do
	arcfw restore /tmp/arc-B 2>/dev/null || fail "restore B"
	arcfw restore /tmp/arc-A 2>/dev/null || fail "restore A"
	swaps=$((swaps + 2))
done
wait $sender || fail "the sender (net.py pairs) failed"
wait $sink || fail "the sink (net.py sink) failed"
drops=$(($(fw_stats dropped_packets) - drops0))
python3 -S - /tmp/arc-sent /tmp/arc-got $swaps $drops <<'PY' || fail "half-applied set observed"
import sys
sent = int(open(sys.argv[1]).read())
got = set(l.strip() for l in open(sys.argv[2]) if l.strip())
swaps = int(sys.argv[3])
drops = int(sys.argv[4])
x = [("X%d" % i) in got for i in range(sent)]
y = [("Y%d" % i) in got for i in range(sent)]
both = sum(1 for i in range(sent) if x[i] and y[i])
neither = sum(1 for i in range(sent) if not x[i] and not y[i])
print("pairs sent %d, swaps %d: X only %d, Y only %d, both %d, neither %d; "
      "firewall drops %d"
      % (sent, swaps, sum(a and not b for a, b in zip(x, y)),
         sum(b and not a for a, b in zip(x, y)), both, neither, drops))
assert sent > 1000, "too little traffic"
assert sum(x) > 0 and sum(y) > 0, "the swaps did not take effect"
# Both arriving can only be the firewall letting a pair through.
assert both <= swaps, "more pairs with both packets passed than swaps"
# Neither arriving is a pair the firewall dropped twice, or a packet lost
# on the way (a receive buffer overflowing under emulation): the
# firewall's own drop counter tells them apart. One drop per pair, give
# or take one per swap.
assert abs(drops - sent) <= swaps, "firewall drops %d for %d pairs" % (drops, sent)
PY
pass "$swaps swaps under traffic, never a mix"
