#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Packet analyzer benchmark, run as root inside the guest (scripts/bench.sh
pktan).

One namespace with a dummy device: pktgen (xmit_mode netif_receive)
injects 64-byte UDP packets from random sources over BENCH_SPAN addresses
(default 65536, so that the top talkers keep replacing entries, their
worst case) straight into its receive path; the destination is
blackholed after routing. Columns, each a state of that namespace set up
before its run and taken down after it:

  none        arc_pktan not loaded, no nftables rule
  counters    arc_pktan, `arcpkt config detect off` (the counters alone)
  detectors   arc_pktan as loaded: counters, detectors, top talkers
  trace       detectors, with `arcpkt trace` attached (BPF on every packet)
  noop-hook   a PRE_ROUTING hook that accepts at once (arc_nfbench's
              "noop" file): the least any netfilter hook costs
  nft-empty   an nftables base chain at prerouting with no rule: what
              any netfilter hook costs before it does anything
  nft         one nftables rule at prerouting: `counter`
  nft-proto   nftables rules at prerouting that count per family and
              protocol class as arc_pktan does (10 rules, 10 counters:
              selftests/pktan/proto_counters.nft)

arc_pktan hooks every namespace, so "none" and the nftables columns run
with the module unloaded: it is loaded and unloaded around its columns
in every round. Rounds interleave the columns (A B C D E F A B ...).

BENCH_PERF="col,...": after the rounds, each of those columns once more
under `perf record -e cpu-clock -a` over the nf_hook() loop alone, and
the symbols that took at least 1% of its samples (where the hook's time
goes; TCG has no PMU, so cpu-clock sampling is what there is).

Two figures per column, as in the firewall bench (scripts/bench/fw.py,
which explains why both): pps through the whole receive path, and the
cost of netfilter alone, nf_hook() at PRE_ROUTING over prebuilt packets
(scripts/bench/nfbench) with random sources over the same span. Ratios
are taken round by round against "none" and against "nft-proto"
(rates: above 1.0 is faster).
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fw  # noqa: E402 (the firewall bench's helpers)

ROOT = fw.ROOT
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
SPAN = int(os.environ.get("BENCH_SPAN", "65536"))
COLUMNS = os.environ.get("BENCH_COLUMNS",
                         "none,counters,detectors,trace,noop-hook,nft-empty,nft,nft-proto").split(",")
NS = "bench-pktan"
ARCPKT = f"{ROOT}/userspace/arcpkt/arcpkt"

NFT_EMPTY = """table inet arcb {
  chain c { type filter hook prerouting priority -500; }
}
"""
NFT_ONE = """table inet arcb {
  chain c { type filter hook prerouting priority -500; counter; }
}
"""
# The same rules as pktan/stats.sh's reference (table inet arcpkt_ref).
with open(f"{ROOT}/selftests/pktan/proto_counters.nft") as _f:
    NFT_PROTO = _f.read()


def loaded():
    return os.path.isdir("/sys/module/arc_pktan")


def module(on):
    if on and not loaded():
        fw.sh(f"insmod {ROOT}/modules/pktan/arc_pktan.ko")
    elif not on and loaded():
        fw.sh("rmmod arc_pktan")


def nft(rules):
    fw.ns_sh(NS, "nft delete table inet arcb 2>/dev/null || true")
    fw.ns_sh(NS, "nft delete table inet arcpkt_ref 2>/dev/null || true")
    if rules:
        fw.ns_sh(NS, "nft -f -", input=rules)


class State:
    """Bring the namespace into a column's state, and out of it."""

    def __init__(self):
        self.tracer = None

    def enter(self, col):
        module(col in ("counters", "detectors", "trace"))
        nft({"nft-empty": NFT_EMPTY, "nft": NFT_ONE, "nft-proto": NFT_PROTO}.get(col))
        fw.ns_sh(NS, f"echo {int(col == 'noop-hook')} >/sys/kernel/debug/arc_nfbench/noop")
        if loaded():
            fw.ns_sh(NS, f"{ARCPKT} config detect {'off' if col == 'counters' else 'on'}")
        if col == "trace":
            self.tracer = subprocess.Popen([ARCPKT, "trace", "--json"],
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, text=True)
            line = self.tracer.stderr.readline()
            if "tracing" not in line:
                raise RuntimeError("arcpkt trace: " + line + self.tracer.stderr.read())

    def leave(self):
        if self.tracer:
            self.tracer.terminate()
            self.tracer.wait()
            self.tracer = None


def main():
    fw.sh("modprobe pktgen")
    fw.sh("modprobe tun")  # fw.netns_up() makes a tun device too
    if not os.path.ismount("/sys/kernel/debug"):
        fw.sh("mount -t debugfs none /sys/kernel/debug")
    if not os.path.isdir("/sys/kernel/tracing/events"):
        fw.sh("mount -t tracefs nodev /sys/kernel/tracing")
    fw.sh(f"insmod {ROOT}/shim/arc.ko")
    fw.sh(f"insmod {ROOT}/shim/arc_net.ko")
    fw.sh(f"insmod {ROOT}/scripts/bench/nfbench/arc_nfbench.ko")
    mac = fw.netns_up(NS)
    # pktgen's sources: random over [10.0.0.0, 10.0.0.0 + SPAN).
    fw.pktgen_setup(NS, mac, SPAN // 2)
    state = State()
    pps = {c: [] for c in COLUMNS}
    hook = {c: [] for c in COLUMNS}
    for r in range(ROUNDS):
        for c in COLUMNS:
            t = time.monotonic()
            state.enter(c)
            try:
                pps[c].append(fw.run_pktgen(NS))
                hook[c].append(fw.run_nf(NS, SPAN // 2, False)[0])
            finally:
                state.leave()
            print(f"# round {r + 1} {c}: {pps[c][-1]} pps, {hook[c][-1]} ns per "
                  f"nf_hook ({time.monotonic() - t:.1f} s)", flush=True)
    for c in [c for c in os.environ.get("BENCH_PERF", "").split(",") if c]:
        state.enter(c)
        try:
            profile(c)
        finally:
            state.leave()
    module(False)
    print()
    print(f"64-byte UDP from {SPAN} random sources (pktgen netif_receive), "
          f"{fw.COUNT} packets per run, {ROUNDS} rounds interleaved; median (min-max)")
    table(pps, False, "pps")
    print()
    print(f"netfilter alone: nf_hook() at PRE_ROUTING, {fw.NF_CALLS} calls per run; "
          f"median ns per call (min-max); ratios of rates (1/ns)")
    table(hook, True, "ns")
    print()
    print("x/none, x/nft-proto: median over rounds of the column's rate against that "
          "column's in the same round (rounds faster / rounds); goals: detectors >= 1.0 "
          "x nft-proto, counters >= 0.95 x none")
    return 0


def profile(col):
    """perf's flat profile of the nf_hook() loop in column @col's state:
    perf runs the loop itself (three runs), so that it is sampling from
    the loop's first call to its last."""
    data = f"/tmp/pktan-{col}.perf"
    loop = (f"for i in 1 2 3; do echo '4 {SPAN} {fw.NF_CALLS}' >{fw.NFBENCH} && "
            f"cat {fw.NFBENCH} >/dev/null || exit 1; done")
    # In the namespace as this process (fw.netns()): `ip netns exec`
    # would give the loop a /sys without debugfs.
    with fw.netns(NS):
        fw.perf_flat(f"column {col} (nf_hook loop, 3 runs)", data, ["sh", "-c", loop])


def table(res, cost, unit):
    rate = (lambda v: 1 / v) if cost else (lambda v: v)
    print(f"{'column':<12}{unit:>24}{'x/none':>14}{'x/nft-proto':>14}")
    for c in COLUMNS:
        v = res[c]
        cells = f"{statistics.median(v):.0f} ({min(v)}-{max(v)})"
        ratios = []
        for ref in ("none", "nft-proto"):
            if ref not in res or ref == c:
                ratios.append(f"{'-':>14}")
                continue
            pair = [rate(a) / rate(b) for a, b in zip(v, res[ref])]
            wins = sum(p > 1 for p in pair)
            ratios.append(f"{f'{statistics.median(pair):.3f} {wins}/{len(pair)}':>14}")
        print(f"{c:<12}{cells:>24}{''.join(ratios)}")


if __name__ == "__main__":
    sys.exit(main())
