#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Firewall benchmark, run as root inside the guest (scripts/bench.sh fw).

pktgen in xmit_mode netif_receive injects 64-byte UDP packets straight
into the receive path of a dummy device in namespace "dut", so the rate
pktgen reports is the rate at which the stack (PRE_ROUTING included)
processes them. Destinations are blackholed after routing. Sources are
random over a range twice as large as the blocklist, and the blocklist
holds every other address of it: about half the packets hit.

Rows: IPv4 and IPv6 with 1k, 100k and 1M entries. Columns: no rule,
nftables hash set, nftables interval set, iptables + ipset hash:net,
arc_firewall; interleaved per round. IPv6 sources: pktgen randomises
only IPv4 sources, so IPv6 packets use the fixed source 2001:db8:1::1
(a miss) and the rows show the lookup cost of a miss.
"""
import ipaddress
import os
import re
import statistics
import subprocess
import sys

ROOT = os.environ["ARC_ROOT"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
COUNT = int(os.environ.get("BENCH_PKTS", "200000"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,100000,1000000").split(",")]
FAMILIES = os.environ.get("BENCH_FAMILIES", "4,6").split(",")
# BENCH_CONFIGS: a subset of none,nft-hash,nft-interval,ipset,arc
CONFIGS = os.environ.get("BENCH_CONFIGS", "none,nft-hash,nft-interval,ipset,arc").split(",")
PG = "/proc/net/pktgen"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, text=True, **kw)


def dut(cmd, **kw):
    return sh("ip netns exec dut " + cmd, **kw)


def pg(path, line):
    dut(f"sh -c 'echo \"{line}\" > {PG}/{path}'")


def v4_addrs(n):
    base = int(ipaddress.IPv4Address("10.0.0.0"))
    return [str(ipaddress.IPv4Address(base + 2 * i)) for i in range(n)]


def v6_addrs(n):
    base = int(ipaddress.IPv6Address("2001:db8::"))
    return [str(ipaddress.IPv6Address(base + 2 * i)) for i in range(n)]


def setup():
    sh("modprobe pktgen")
    sh(f"insmod {ROOT}/shim/arc.ko")
    sh("ip netns add dut")
    dut("ip link add d0 type dummy")
    dut("ip link set d0 up")
    dut("ip addr add 198.51.100.1/24 dev d0")
    dut("ip -6 addr add 2001:db8:ff::1/64 dev d0 nodad")
    dut("ip route add blackhole 203.0.113.0/24")
    dut("ip -6 route add blackhole 2001:db8:fe::/64")
    mac = dut("cat /sys/class/net/d0/address", capture_output=True).stdout.strip()
    return mac


def run_pktgen(mac, v6, n):
    dut(f"sh -c 'echo rem_device_all > {PG}/kpktgend_0'")
    pg("kpktgend_0", "add_device d0")
    for line in ("xmit_mode netif_receive", f"count {COUNT}", "pkt_size 64",
                 "burst 1", f"dst_mac {mac}", "delay 0"):
        pg("d0", line)
    if v6:
        pg("d0", "dst6 2001:db8:fe::1")
        pg("d0", "src6 2001:db8:1::1")
    else:
        pg("d0", "dst 203.0.113.1")
        pg("d0", "src_min 10.0.0.0")
        last = ipaddress.IPv4Address(int(ipaddress.IPv4Address("10.0.0.0")) + 2 * n - 1)
        pg("d0", f"src_max {last}")
        pg("d0", "flag IPSRC_RND")
    dut(f"sh -c 'echo start > {PG}/pgctrl'")
    res = dut(f"cat {PG}/d0", capture_output=True).stdout
    m = re.search(r"(\d+)pps", res)
    if not m:
        raise RuntimeError("no pktgen result: " + res)
    return int(m.group(1))


class Config:
    def load(self, addrs, v6):
        pass

    def unload(self):
        pass


class NoRule(Config):
    name = "no rule"


class NftSet(Config):
    def __init__(self, interval):
        self.interval = interval
        self.name = "nft interval" if interval else "nft hash"

    def load(self, addrs, v6):
        typ = "ipv6_addr" if v6 else "ipv4_addr"
        fam = "ip6" if v6 else "ip"
        flags = "flags interval;" if self.interval else ""
        with open("/tmp/arc-nft", "w") as f:
            f.write("table inet arcb {\n")
            f.write(f"  set s {{ type {typ}; {flags} size {len(addrs) * 2}; elements = {{ ")
            f.write(", ".join(addrs))
            f.write(" } }\n")
            f.write(f"  chain c {{ type filter hook prerouting priority -300; "
                    f"{fam} saddr @s drop; }}\n}}\n")
        dut("nft -f /tmp/arc-nft")

    def unload(self):
        dut("nft delete table inet arcb")


class Ipset(Config):
    name = "iptables+ipset"

    def load(self, addrs, v6):
        fam = "inet6" if v6 else "inet"
        with open("/tmp/arc-ipset", "w") as f:
            f.write(f"create arcb hash:net family {fam} maxelem {len(addrs) * 2}\n")
            for a in addrs:
                f.write(f"add arcb {a}\n")
        dut("ipset restore -f /tmp/arc-ipset")
        ipt = "ip6tables" if v6 else "iptables"
        dut(f"{ipt} -t raw -A PREROUTING -m set --match-set arcb src -j DROP")
        self.ipt = ipt

    def unload(self):
        dut(f"{self.ipt} -t raw -F PREROUTING")
        dut("ipset destroy arcb")


class Arc(Config):
    name = "arc"

    def load(self, addrs, v6):
        sh(f"insmod {ROOT}/modules/firewall/arc_firewall.ko max_entries={len(addrs) + 16}")
        with open("/tmp/arc-fw", "w") as f:
            f.write("\n".join(addrs) + "\n")
        dut(f"{ROOT}/userspace/arcfw/arcfw restore /tmp/arc-fw", stderr=subprocess.DEVNULL)

    def unload(self):
        sh("rmmod arc_firewall")


def main():
    mac = setup()
    every = {"none": NoRule(), "nft-hash": NftSet(False),
             "nft-interval": NftSet(True), "ipset": Ipset(), "arc": Arc()}
    configs = [every[c] for c in CONFIGS]
    table = []
    for v6 in [f == "6" for f in FAMILIES]:
        for n in SIZES:
            addrs = v6_addrs(n) if v6 else v4_addrs(n)
            res = {c.name: [] for c in configs}
            for r in range(ROUNDS):
                for c in configs:
                    c.load(addrs, v6)
                    pps = run_pktgen(mac, v6, n)
                    c.unload()
                    res[c.name].append(pps)
                    print(f"# {'v6' if v6 else 'v4'} {n} round {r + 1} {c.name}: {pps} pps",
                          flush=True)
            table.append((("IPv6" if v6 else "IPv4"), n, res))
    print()
    print(f"pktgen netif_receive, 64-byte UDP, {COUNT} packets per run, "
          f"{ROUNDS} rounds interleaved; median pps (min-max)")
    names = [c.name for c in configs]
    hdr = f"{'row':<14}" + "".join(f"{n:>24}" for n in names) + f"{'arc/best peer':>15}"
    print(hdr)
    print("-" * len(hdr))
    arc_by_size = {}
    for fam, n, res in table:
        med = {k: statistics.median(v) for k, v in res.items()}
        peers = [med[k] for k in names if k not in ("arc", "no rule")]
        best = max(peers) if peers else med["no rule"]
        cells = "".join(f"{f'{med[k]:.0f} ({min(res[k])}-{max(res[k])})':>24}" for k in names)
        print(f"{fam + ' ' + str(n):<14}{cells}{med['arc'] / best:>15.2f}")
        arc_by_size[(fam, n)] = med["arc"]
    for fam in ("IPv4", "IPv6"):
        lo, hi = arc_by_size.get((fam, min(SIZES))), arc_by_size.get((fam, max(SIZES)))
        if lo and hi:
            print(f"arc {fam}: rate at {max(SIZES)} entries / rate at {min(SIZES)} = {hi / lo:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
