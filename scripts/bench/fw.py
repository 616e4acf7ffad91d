#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Firewall benchmark, run as root inside the guest (scripts/bench.sh fw).

IPv4: pktgen in xmit_mode netif_receive injects 64-byte UDP packets
straight into the receive path of a dummy device, so the rate pktgen
reports is the rate at which the stack (PRE_ROUTING included) processes
them. IPv6: pktgen randomises only IPv4 sources, so scripts/bench/tun6.c
writes IPv6/UDP packets with random sources into a tun device instead (a
write to a tun device runs the receive path before it returns); its rate
includes one write() per packet, so IPv6 rates are not comparable with
IPv4 ones, only with each other.
Destinations are blackholed after routing. Sources are random over a range
twice as large as the blocklist, and the blocklist holds every other
address of it: about half the packets hit, in both families.

Rows: IPv4 and IPv6 with 1k, 100k and 1M entries, each size twice: all
entries single addresses (/32, /128: "host" rows), and a mix of prefix
lengths ("mix" rows, BENCH_LISTS=host,mix; see MIX below). Columns: no
rule, nftables hash set, nftables interval set, iptables + ipset
hash:net, arc_firewall.

The mix rows: published IP blocklists are mostly single addresses with a
spread of shorter prefixes, /24 the most common of those; MIX gives each
prefix length its share of the entries (IPv4: about 85% /32 and every
length from /8 to /31 at least once; IPv6: about 85% /128 and 21 lengths
from /19 to /127, /64 and /48 the most common), the rest are single
addresses. Sources are random over twice the single addresses' range as
in the host rows, so about half the packets hit a single address; the
shorter prefixes lie elsewhere in the address space (one gap of their
own size between any two) and match no packet, but every lookup that
probes per prefix length (arc, ipset's hash:net) tries each length in
use before it can say "no", and the interval tree holds them all. A
hash set matches whole keys only, so in the mix rows the nftables hash
column has one hash set per prefix length and one rule per set, longest
first (`ip saddr & MASK @set drop`): the way to use a hash for prefixes
in nftables, with the same per-length probing as arc and ipset. Each column has its own network namespace with its own
devices (dummy d0 for pktgen, tun t6 for tun6), loaded once per row; the
runs then interleave (A B C D E A B C D E ...) without reloading anything
between them.
arc_firewall stays loaded for the whole run: in the other namespaces its
hook has no rules and returns before parsing (one indirect call and two
loads per packet, which the other columns pay and arc's does not).

pps measures the whole receive path, most of it pktgen building packets
and reading the emulated clock: perf puts netfilter at 1-2% of the CPU
time per packet for arc and nftables' hash set, well inside the noise
of pps. So a second pass times netfilter alone: the benchmark helper
module (scripts/bench/nfbench) calls nf_hook() for PRE_ROUTING in each
column's namespace BENCH_NF_CALLS times over prebuilt UDP packets, each
call with a new random source from the same range as pktgen's, and
reports ns per call. The same hooks run as for a real packet, under the
same nf_hook_slow(); what a drop or accept costs after the hook is left
out. Rounds interleave as in the first pass. Its ratios are ratios of
rates (1/ns), so above 1.0 arc is faster in both tables.

arc's scaling (its rate at N entries against its rate at the smallest
size) is measured within each row, not across rows: the host's load drifts
between rows (whole rows have differed by a third here). A sixth
namespace, "arc ref", holds the smallest size for the whole family and
runs interleaved with the other columns in every row, its sources spread
over twice its own set like every column's (about half hit); arc/ref in
a row is arc at N against arc at the smallest size under the same
conditions. In the smallest row both hold the same set, so that row's
arc/ref shows the noise of the measurement itself.

Why many short rounds, compared in pairs: under TCG a run's rate is not
spread around one value. Two namespaces with no rules at all, run in
turn 150 times (20,000 packets a run, 6.1 guest, one or two CPUs alike),
gave about 60-67k pps in most runs and 90-124k in bursts of one to three
runs (a third of them) that came and went within a second, with the
host's own speed steady throughout (a CPU loop and a memory walk timed
on the host varied by under 15%). A column's median can then land on
either level. Two runs next to each other mostly share the level: the
median over rounds of their ratio was 0.99-1.01 in most stretches of 10
rounds and 0.991-1.000 over 40. So each run is short and costs a few
file writes in the caller's process (netns()), rounds are many, and
the ratios are taken round by round (print_table()).
"""
import contextlib
import ctypes
import ipaddress
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.environ["ARC_ROOT"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
COUNT = int(os.environ.get("BENCH_PKTS", "20000"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000,1000000").split(",")]
FAMILIES = os.environ.get("BENCH_FAMILIES", "4,6").split(",")
# BENCH_LISTS: host (single addresses only), mix (MIX below), or both
LISTS = os.environ.get("BENCH_LISTS", "host,mix").split(",")
# BENCH_CONFIGS: a subset of none,nft-hash,nft-interval,ipset,arc
CONFIGS = os.environ.get("BENCH_CONFIGS", "none,nft-hash,nft-interval,ipset,arc").split(",")
NF_CALLS = int(os.environ.get("BENCH_NF_CALLS", "100000"))
NFBENCH = "/sys/kernel/debug/arc_nfbench/run"
PG = "/proc/net/pktgen"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, text=True, **kw)


def ns_sh(ns, cmd, **kw):
    return sh(f"ip netns exec {ns} " + cmd, **kw)


LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if LIBC.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


@contextlib.contextmanager
def netns(ns):
    """Run the block in network namespace @ns, as this same process: the
    timed runs below cost a few file writes each, not a process or two
    (ip netns exec, sh), so the runs being compared stay close in time.
    /proc/net follows the caller's namespace, and so do pktgen's control
    files and arc_nfbench (current->nsproxy)."""
    setns(f"/run/netns/{ns}")
    try:
        yield
    finally:
        setns("/proc/1/ns/net")


def perf_flat(title, data, cmd):
    """Run CMD under `perf record -e cpu-clock -a` (into file DATA) and
    print, as "#" lines under TITLE, the symbols that took at least 1% of
    its samples (TCG has no PMU: cpu-clock sampling is what there is)."""
    rec = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-a", "-o", data,
                          "--"] + cmd, text=True, capture_output=True)
    if rec.returncode:
        raise RuntimeError(f"perf record ({rec.returncode}): {rec.stderr}")
    rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                          "--sort", "sym", "--percent-limit", "1"],
                         check=True, text=True, capture_output=True).stdout
    print(f"# perf, {title}:")
    for line in rep.splitlines():
        if line.strip() and not line.startswith("#"):
            print("#   " + line.strip())


def put(path, line):
    with open(path, "w") as f:
        f.write(line + "\n")


# Blocked: every other address from BASE on. Sources: random over twice
# that range (run_pktgen, run_tun6), so about half the packets hit.
V4_BASE = ipaddress.IPv4Address("10.0.0.0")
V6_BASE = ipaddress.IPv6Address("2001:db8::")


def blocklist(v6, n):
    base = V6_BASE if v6 else V4_BASE
    return [str(base + 2 * i) for i in range(n)]


# The mix rows' share of the entries per prefix length (at least one
# entry each); the rest are single addresses. Shaped after published
# blocklists: mostly hosts, /24 (IPv4) and /64, /48 (IPv6) the most
# common networks, a long tail of other lengths.
MIX = {
    False: {**{l: 1e-5 for l in range(8, 12)}, **{l: 1e-4 for l in range(12, 16)},
            16: 5e-3, 17: 1e-3, 18: 1e-3, 19: 1e-3, 20: 2e-3, 21: 3e-3, 22: 5e-3,
            23: 5e-3, 24: 6e-2, **{l: 1e-2 for l in range(25, 32)}},
    True: {19: 1e-4, 20: 1e-4, 22: 1e-4, 24: 1e-4, 28: 2e-4, 29: 1e-3, 30: 5e-4,
           32: 1e-2, 36: 1e-3, 40: 2e-3, 44: 2e-3, 48: 3e-2, 52: 1e-3, 56: 1e-2,
           60: 2e-3, 64: 8e-2, 96: 1e-4, 112: 1e-4, 120: 1e-4, 126: 1e-4, 127: 1e-4},
}
# Where the mix's networks go: away from the sources (10.0.0.0/8 and
# 2001:db8::/32), from 11.0.0.0 and 3000:: up.
MIX_BASE = {False: int(ipaddress.IPv4Address("11.0.0.0")),
            True: int(ipaddress.IPv6Address("3000::"))}


def mixlist(v6, n):
    """@n entries in the MIX shape: the networks (shortest prefix first),
    then the single addresses; returns the entries and the number of
    single addresses, whose range the sources span twice (about half
    hit)."""
    bits = 128 if v6 else 32
    net = ipaddress.IPv6Network if v6 else ipaddress.IPv4Network
    counts = {l: max(1, round(f * n)) for l, f in MIX[v6].items()}
    hosts = n - sum(counts.values())
    out = []
    at = MIX_BASE[v6]
    for l in sorted(counts):
        size = 1 << (bits - l)
        at = (at + size - 1) // size * size
        for _ in range(counts[l]):
            out.append(str(net((at, l))))
            at += 2 * size
    limit = int(ipaddress.IPv4Address("224.0.0.0")) if not v6 else 1 << 128
    if at > limit:
        raise RuntimeError(f"mix of {n}: the networks do not fit")
    return out + blocklist(v6, hosts), hosts


def netns_up(ns):
    """A namespace with dummy device d0 that blackholes the bench's traffic."""
    sh(f"ip netns add {ns}")
    ns_sh(ns, "ip -batch -", input="\n".join([
        "link add d0 type dummy",
        "link set d0 up",
        "tuntap add dev t6 mode tun",
        "link set t6 up",
        "addr add 198.51.100.1/24 dev d0",
        "addr add 2001:db8:ff::1/64 dev d0 nodad",
        "route add blackhole 203.0.113.0/24",
        "route add blackhole 2001:db8:fe::/64"]) + "\n")
    return ns_sh(ns, "cat /sys/class/net/d0/address", capture_output=True).stdout.strip()


def pktgen_setup(ns, mac, n):
    """pktgen's device d0 in @ns: COUNT packets a run, sources random over
    2 * @n addresses."""
    with netns(ns):
        put(f"{PG}/kpktgend_0", "rem_device_all")
        put(f"{PG}/kpktgend_0", "add_device d0")
        for line in ("xmit_mode netif_receive", f"count {COUNT}", "pkt_size 64",
                     "burst 1", f"dst_mac {mac}", "delay 0", "dst 203.0.113.1",
                     f"src_min {V4_BASE}", f"src_max {V4_BASE + 2 * n - 1}",
                     "flag IPSRC_RND"):
            put(f"{PG}/d0", line)


def run_pktgen(ns):
    with netns(ns):
        put(f"{PG}/pgctrl", "start")
        with open(f"{PG}/d0") as f:
            res = f.read()
    m = re.search(r"(\d+)pps", res)
    if not m:
        raise RuntimeError("no pktgen result: " + res)
    return int(m.group(1))


def run_tun6(ns, n):
    with netns(ns):
        out = subprocess.run([f"{ROOT}/build/tun6", "t6", str(COUNT), str(V6_BASE),
                              str(2 * n), "2001:db8:fe::1"],
                             check=True, text=True, capture_output=True).stdout
    m = re.search(r"(\d+) pps", out)
    if not m:
        raise RuntimeError("no tun6 result: " + out)
    return int(m.group(1))


def run_nf(ns, n, v6):
    """nf_hook() alone (scripts/bench/nfbench): ns per PRE_ROUTING call
    and the share of calls that dropped."""
    with netns(ns):
        put(NFBENCH, f"{6 if v6 else 4} {2 * n} {NF_CALLS}")
        with open(NFBENCH) as f:
            out = f.read().split()
    if len(out) != 3 or int(out[2]) != NF_CALLS:
        raise RuntimeError("no arc_nfbench result: " + " ".join(out))
    return int(out[0]), int(out[1]) / NF_CALLS


class Config:
    def __init__(self, key, name):
        self.ns = "bench-" + key
        self.name = name
        self.mac = None

    def up(self):
        self.mac = netns_up(self.ns)

    def load(self, addrs, v6):
        pass

    def unload(self):
        pass


class NoRule(Config):
    def __init__(self):
        super().__init__("none", "no rule")


class NftSet(Config):
    def __init__(self, interval):
        super().__init__("nft-interval" if interval else "nft-hash",
                         "nft interval" if interval else "nft hash")
        self.interval = interval

    def load(self, addrs, v6):
        typ = "ipv6_addr" if v6 else "ipv4_addr"
        fam = "ip6" if v6 else "ip"
        bits = 128 if v6 else 32
        net = ipaddress.IPv6Network if v6 else ipaddress.IPv4Network
        if self.interval:
            # `size` is a cap on the set's elements, and an interval
            # set's elements were the rbtree's nodes until 6.1.177
            # (upstream: until "netfilter: nf_tables: fix set size with
            # rbtree backend"): a start and an end node per range, plus
            # the all-zero end node that nft adds when the first range
            # does not start at 0, so n ranges are 2n + 1 nodes. Since
            # then the kernel counts ranges and doubles the cap itself.
            # 2n + 1 fits either count (a cap of 2n, as here before, made
            # 6.1.0-50 refuse the set with ENFILE, "Too many open files
            # in system"). No range of the bench's lists touches another,
            # so none merge. The rbtree is the only backend for a single
            # interval field, whatever the size.
            sets = {None: addrs}
            size = {None: 2 * len(addrs) + 1}
        else:
            # A hash set holds whole keys: one set per prefix length,
            # sized twice its entries (nftables then picks its fixed-size
            # hash, as for the single addresses).
            sets = {}
            for a in addrs:
                p = net(a)
                sets.setdefault(p.prefixlen, []).append(str(p.network_address))
            size = {l: 2 * len(v) for l, v in sets.items()}
        with open("/tmp/arc-nft", "w") as f:
            f.write("table inet arcb {\n")
            rules = []
            for l in sorted(sets, key=lambda l: -1 if l is None else -l):
                name = "s" if l is None else f"s{l}"
                flags = "flags interval;" if l is None else ""
                f.write(f"  set {name} {{ type {typ}; {flags} size {size[l]}; elements = {{ ")
                f.write(", ".join(sets[l]))
                f.write(" } }\n")
                mask = "" if l in (None, bits) else f" & {net((0, l)).netmask}"
                rules.append(f"{fam} saddr{mask} @{name} drop")
            f.write("  chain c { type filter hook prerouting priority -300;\n")
            for r in rules:
                f.write(f"    {r}\n")
            f.write("  }\n}\n")
        ns_sh(self.ns, "nft -f /tmp/arc-nft")

    def unload(self):
        ns_sh(self.ns, "nft delete table inet arcb")


class Ipset(Config):
    def __init__(self):
        super().__init__("ipset", "iptables+ipset")

    def load(self, addrs, v6):
        fam = "inet6" if v6 else "inet"
        with open("/tmp/arc-ipset", "w") as f:
            f.write(f"create arcb hash:net family {fam} maxelem {len(addrs) * 2}\n")
            for a in addrs:
                f.write(f"add arcb {a}\n")
        ns_sh(self.ns, "ipset restore -f /tmp/arc-ipset")
        self.ipt = "ip6tables" if v6 else "iptables"
        ns_sh(self.ns, f"{self.ipt} -t raw -A PREROUTING -m set --match-set arcb src -j DROP")

    def unload(self):
        ns_sh(self.ns, f"{self.ipt} -t raw -F PREROUTING")
        ns_sh(self.ns, "ipset destroy arcb")


class Arc(Config):
    def __init__(self, key="arc", name="arc"):
        super().__init__(key, name)

    def load(self, addrs, v6):
        with open("/tmp/arc-fw", "w") as f:
            f.write("\n".join(addrs) + "\n")
        ns_sh(self.ns, f"{ROOT}/userspace/arcfw/arcfw restore /tmp/arc-fw",
              stderr=subprocess.DEVNULL)

    def unload(self):
        ns_sh(self.ns, f"{ROOT}/userspace/arcfw/arcfw flush")


def main():
    sh("modprobe pktgen")
    sh("modprobe tun")
    if not os.path.ismount("/sys/kernel/debug"):
        sh("mount -t debugfs none /sys/kernel/debug")
    sh(f"insmod {ROOT}/shim/arc.ko")
    sh(f"insmod {ROOT}/shim/arc_net.ko")
    sh(f"insmod {ROOT}/scripts/bench/nfbench/arc_nfbench.ko")
    largest = max(SIZES)
    sh(f"insmod {ROOT}/modules/firewall/arc_firewall.ko max_entries={largest + 16}")
    every = {"none": NoRule(), "nft-hash": NftSet(False),
             "nft-interval": NftSet(True), "ipset": Ipset(), "arc": Arc()}
    configs = [every[c] for c in CONFIGS]
    # arc holding the smallest set, for arc's scaling (see above).
    ref = Arc("arc-ref", "arc ref") if "arc" in CONFIGS and len(SIZES) > 1 else None
    runs = configs + ([ref] if ref else [])
    for c in runs:
        c.up()
    table = []
    for v6 in [f == "6" for f in FAMILIES]:
        small = min(SIZES)
        if ref:
            ref.load(blocklist(v6, small), v6)
        for n, lst in [(n, lst) for n in SIZES for lst in LISTS]:
            addrs, hosts = mixlist(v6, n) if lst == "mix" else (blocklist(v6, n), n)
            fam = ("v6" if v6 else "v4") + ("" if lst == "host" else " mix")
            for c in configs:
                t = time.monotonic()
                c.load(addrs, v6)
                print(f"# {fam} {n} {c.name}: loaded in {time.monotonic() - t:.1f} s",
                      flush=True)
            # Each column's sources span twice its own single addresses:
            # arc ref too, so that it also drops about half of them.
            span = {c.name: small if c is ref else hosts for c in runs}
            if not v6:
                for c in runs:
                    pktgen_setup(c.ns, c.mac, span[c.name])
            res = {c.name: [] for c in runs}
            for r in range(ROUNDS):
                for c in runs:
                    pps = run_tun6(c.ns, span[c.name]) if v6 else run_pktgen(c.ns)
                    res[c.name].append(pps)
                    print(f"# {fam} {n} round {r + 1} {c.name}: {pps} pps", flush=True)
            hook = {c.name: [] for c in runs}
            for r in range(ROUNDS):
                for c in runs:
                    ns, dropped = run_nf(c.ns, span[c.name], v6)
                    hook[c.name].append(ns)
                    print(f"# {fam} {n} nf_hook round {r + 1} {c.name}: {ns} ns, "
                          f"{100 * dropped:.0f}% dropped", flush=True)
            for c in configs:
                c.unload()
            table.append((("IPv6" if v6 else "IPv4"), f"{n}{'' if lst == 'host' else ' mix'}",
                          res, hook))
        if ref:
            ref.unload()
    names = [c.name for c in runs]
    print()
    print(f"64-byte UDP (IPv4: pktgen netif_receive; IPv6: tun6), {COUNT} packets per run, "
          f"{ROUNDS} rounds interleaved, one namespace per column; "
          f"median pps (min-max)")
    print_table(table, names, ref, 2, False)
    print()
    print(f"netfilter alone: nf_hook() at PRE_ROUTING, {NF_CALLS} calls per run, "
          f"{ROUNDS} rounds interleaved; median ns per call (min-max); "
          f"ratios of rates (1/ns)")
    print_table(table, names, ref, 3, True)
    return 0


def print_table(table, names, ref, col, cost):
    """Median (min-max) per column, arc against the best peer and arc/ref,
    per row.

    With @cost the values are times (lower is faster) and the ratios are
    taken of their inverses, so that above 1.0 means arc is faster.
    The best peer is the one with the best median. "arc/best" is the
    median over rounds of arc's rate against that peer's in the same
    round, with the number of rounds arc was faster; "of medians" is the
    ratio of the two columns' medians. Paired rounds are the figure to
    read: a column's runs spread over two levels here (see the module's
    docstring), and its median can fall on either, while most rounds find
    arc and the peer at the same level.
    """
    rate = (lambda v: 1 / v) if cost else (lambda v: v)
    hdr = f"{'row':<18}" + "".join(f"{n:>24}" for n in names) + \
        f"{'arc/best':>14}{'of medians':>11}" + (f"{'arc/ref':>9}" if ref else "")
    print(hdr)
    print("-" * len(hdr))
    for row in table:
        fam, n, res = row[0], row[1], row[col]
        med = {k: statistics.median(v) for k, v in res.items()}
        cells = "".join(f"{f'{med[k]:.0f} ({min(res[k])}-{max(res[k])})':>24}" for k in names)
        peers = [k for k in med if k not in ("arc", "arc ref", "no rule")] or \
            [k for k in med if k == "no rule"]
        vs_best = f"{'-':>14}{'-':>11}"
        if "arc" in med and peers:
            best = max(peers, key=lambda k: rate(med[k]))
            pair = [rate(a) / rate(b) for a, b in zip(res["arc"], res[best])]
            wins = sum(r > 1 for r in pair)
            vs_best = f"{f'{statistics.median(pair):.2f} {wins}/{len(pair)}':>14}" + \
                f"{rate(med['arc']) / rate(med[best]):>11.2f}"
        vs_ref = f"{statistics.median(rate(a) / rate(b) for a, b in zip(res['arc'], res['arc ref'])):>9.2f}" \
            if ref else ""
        print(f"{fam + ' ' + str(n):<18}{cells}{vs_best}{vs_ref}")
    print("arc/best: median over rounds of arc's rate against the best peer's in the same "
          "round, and in how many rounds arc was faster; of medians: arc's median against "
          "that peer's median")
    if ref:
        print(f"arc/ref: median over rounds of arc's rate at the row's size / arc's rate "
              f"at {min(SIZES)} single addresses, run back to back")
    if "mix" in LISTS:
        print("mix rows: the MIX prefix lengths (scripts/bench/fw.py), sources hitting its "
              "single addresses; nft hash: one hash set and rule per prefix length")


if __name__ == "__main__":
    sys.exit(main())
