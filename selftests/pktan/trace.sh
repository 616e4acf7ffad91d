#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arcpkt trace (BPF programs on arc_pktan's tracepoints, loaded with
# libbpf) sees what the module counts: per source, exactly the packets and
# bytes each source sent; per class, the sum of the module's counters over
# every namespace (the tracepoints are global; ICMPv6 aside, see below);
# and the detections.
. "$(dirname "$0")/pktlib.sh"
tracing=/sys/kernel/tracing
mountpoint -q $tracing || mount -t tracefs nodev $tracing 2>/dev/null ||
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
out=/tmp/arc-pa-trace
trap 'kill $tracer 2>/dev/null; pa_cleanup; rm -f $out $out.err' EXIT
tracer=
pa_load
net_up

# Every namespace's counters from zero, then trace for a fixed time.
for ns in dut peer; do PA_NS=$ns arcpkt reset || fail "reset $ns"; done
"$ARCPKT" reset || fail "reset init_net"
# Until the traffic is over (SIGINT: it prints its tables and ends); a
# fixed duration ran out before the last spray on the debug kernel.
"$ARCPKT" --json trace -n 1000 >$out 2>$out.err &
tracer=$!
for _ in $(seq 100); do
	grep -q tracing $out.err && break
	kill -0 $tracer 2>/dev/null || fail "arcpkt trace: $(cat $out.err)"
	sleep 0.1
done
grep -q tracing $out.err || fail "arcpkt trace never attached: $(cat $out.err)"
peer python3 -S "$NETPY" spray 198.51.100.40 10 198.51.100.1 7 100 || fail "spray v4"
peer python3 -S "$NETPY" spray 2001:db8::40 5 2001:db8::1 3 100 || fail "spray v6"
pkt dns 198.51.100.1 compressed 2 || fail "dns"
sleep 1
kill -INT $tracer
wait $tracer || fail "arcpkt trace: $(cat $out.err)"
tracer=

# The module's counters, summed over the namespaces.
sum=$(for ns in dut peer; do PA_NS=$ns arcpkt --json stats; done; "$ARCPKT" --json stats)
python3 -S - $out <<PY || fail "trace against the module: $(head -c 600 $out)"
import json, sys
t = json.load(open(sys.argv[1]))
src = {s["source"]: (s["packets"], s["bytes"]) for s in t["sources"]}
for i in range(10):
    a = "198.51.100.%d" % (40 + i)
    assert src.get(a) == (7, 7 * 128), (a, src.get(a))
for i in range(5):
    a = "2001:db8::%x" % (0x40 + i)
    assert src.get(a) == (3, 3 * 148), (a, src.get(a))
mod = {}
for line in """$sum""".splitlines():
    for r in json.loads(line)["counters"]:
        k = (r["hook"], r["family"], r["proto"])
        p, b = mod.get(k, (0, 0))
        mod[k] = (p + r["packets"], b + r["bytes"])
for c in t["classes"]:
    k = (c["hook"], c["family"], c["proto"])
    if k[0] != "pre_routing":
        continue
    # IPv6's own control traffic (router solicitations, multicast listener
    # reports) may come between the resets and the programs' attaching:
    # the module counts it, the programs may not have.
    if k[1:] == ("ipv6", "icmpv6"):
        assert mod[k][0] >= c["packets"], (k, mod[k], c)
        continue
    assert mod[k] == (c["packets"], c["bytes"]), (k, mod[k], c)
ev = [(e["type"], e["qname"], e["qtype"]) for e in t["events"]]
assert ev.count(("dns_query", "example.org", 1)) == 2, ev
assert ev.count(("dns_query", "www.example.org", 28)) == 2, ev
print("# trace: %d sources, %d events; classes equal the module's" % (len(src), len(ev)))
PY
pass "arcpkt trace (libbpf) counts what the module counts"
