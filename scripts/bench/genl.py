#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench BENCH=genl`, run as root in the guest: what arc_firewall's
commits cost the rest of generic netlink.

A process in network namespace "probe" times generic netlink requests of
another family (nlctrl's CTRL_CMD_GETFAMILY, which runs under the genl
mutex that every family without parallel_ops shares), first with the
machine idle, then while a process in namespace "commit" sends arcfw
FLUSH commands back to back (each one replaces the namespace's set).
A family that waited for an RCU grace period under the genl mutex made
every other family's request wait for it too; one that serialises on its
own per-namespace mutex and frees the old set later does not. Prints the
latency percentiles of each phase and the ratio busy/idle.

BENCH_GENL_REQS (default 3000) requests per phase.
"""
import os
import socket
import struct
import subprocess
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
ARCFW_CMD_FLUSH = 3          # include/uapi/arc/firewall.h


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, payload=b"", flags=NLM_F_REQUEST | NLM_F_ACK):
        """Send one request, read until its ack or error; return the
        messages and the error code (0 for the ack)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        self.s.send(struct.pack("=IHHII", 16 + len(body), family, flags,
                                self.seq, 0) + body)
        msgs = []
        while True:
            data = self.s.recv(65536)
            off = 0
            while off + 16 <= len(data):
                ln, kind, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                if seq == self.seq:
                    if kind == NLMSG_ERROR:
                        return msgs, -struct.unpack_from("=i", data, off + 16)[0]
                    msgs.append(data[off + 20:off + ln])
                off += (ln + 3) & ~3

    def family(self, name):
        msgs, err = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                 attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            raise OSError(err, "family %s" % name)
        m = msgs[0]
        off = 0
        while off + 4 <= len(m):
            ln, kind = struct.unpack_from("=HH", m, off)
            if kind == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", m, off + 4)[0]
            off += (ln + 3) & ~3
        raise OSError("no family id for %s" % name)


def commit_loop():
    """In namespace "commit": FLUSH back to back until killed."""
    g = Genl()
    fam = g.family("arcfw")
    print("ready", flush=True)
    while True:
        _, err = g.request(fam, ARCFW_CMD_FLUSH)
        if err:
            print("flush failed: %s" % os.strerror(err), file=sys.stderr)
            return 1


def measure(n):
    g = Genl()
    lat = []
    for _ in range(n):
        t = time.perf_counter_ns()
        g.family("nlctrl")
        lat.append(time.perf_counter_ns() - t)
    lat.sort()
    return lat


def pct(lat, p):
    return lat[min(len(lat) - 1, int(len(lat) * p / 100))] / 1000.0


def probe(n):
    """In namespace "probe": time N requests, print them sorted (ns)."""
    print(" ".join(str(t) for t in measure(int(n))))
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "commit":
        return commit_loop()
    if len(sys.argv) > 1 and sys.argv[1] == "probe":
        return probe(sys.argv[2])
    root = os.environ["ARC_ROOT"]
    n = os.environ.get("BENCH_GENL_REQS", "3000")
    for cmd in (["insmod", root + "/shim/arc.ko"],
                ["insmod", root + "/shim/arc_net.ko"],
                ["insmod", root + "/modules/firewall/arc_firewall.ko"],
                ["ip", "netns", "add", "commit"], ["ip", "netns", "add", "probe"]):
        subprocess.run(cmd, check=True)
    me = [sys.executable, os.path.abspath(__file__)]

    def run_probe():
        out = subprocess.run(["ip", "netns", "exec", "probe"] + me + ["probe", n],
                             check=True, capture_output=True, text=True).stdout
        return [int(t) for t in out.split()]

    rows = [("idle", run_probe())]
    loop = subprocess.Popen(["ip", "netns", "exec", "commit"] + me + ["commit"],
                            stdout=subprocess.PIPE, text=True)
    if loop.stdout.readline().strip() != "ready":
        print("the commit loop did not start", file=sys.stderr)
        return 1
    t0 = time.monotonic()
    rows.append(("commits", run_probe()))
    secs = time.monotonic() - t0
    loop.kill()
    loop.wait()
    print("# nlctrl GETFAMILY latency in namespace probe, %s requests per phase, us" % n)
    print("# busy: namespace commit sends arcfw FLUSH back to back (%.1f s)" % secs)
    print("%-8s %9s %9s %9s %9s %9s" % ("phase", "mean", "p50", "p90", "p99", "max"))
    for name, lat in rows:
        print("%-8s %9.0f %9.0f %9.0f %9.0f %9.0f" % (
            name, sum(lat) / len(lat) / 1000.0, pct(lat, 50), pct(lat, 90),
            pct(lat, 99), lat[-1] / 1000.0))
    mean = [sum(lat) / len(lat) for _, lat in rows]
    print("# ratio commits/idle: mean %.2f, p50 %.2f, p99 %.2f" % (
        mean[1] / mean[0], pct(rows[1][1], 50) / pct(rows[0][1], 50),
        pct(rows[1][1], 99) / pct(rows[0][1], 99)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
