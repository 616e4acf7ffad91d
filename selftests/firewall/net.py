#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the firewall selftests (run inside network namespaces).

Reachability checks are reach.c: starting python costs too much for them.

  net.py serve PORT...            TCP accept + UDP echo on every PORT
  net.py pairs SRCX SRCY DST PORT SECONDS OUT
                                  send (X i, Y i) datagram pairs until
                                  SECONDS pass; write the count to OUT
  net.py sink PORT OUT SECONDS    record which datagrams arrive
"""
import select
import socket
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(ports):
    socks = []
    for port in ports:
        for fam, any_addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
            t = socket.socket(fam, socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            t.bind((any_addr, port))
            t.listen(64)
            u = socket.socket(fam, socket.SOCK_DGRAM)
            if fam == socket.AF_INET6:
                u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            u.bind((any_addr, port))
            socks += [t, u]
    print("ready", flush=True)
    while True:
        r, _, _ = select.select(socks, [], [])
        for s in r:
            if s.type == socket.SOCK_STREAM:
                c, _ = s.accept()
                c.close()
            else:
                data, peer = s.recvfrom(2048)
                s.sendto(data, peer)


def pairs(srcx, srcy, dst, port, seconds, out):
    x = socket.socket(family(dst), socket.SOCK_DGRAM)
    y = socket.socket(family(dst), socket.SOCK_DGRAM)
    x.bind((srcx, 0))
    y.bind((srcy, 0))
    end = time.time() + float(seconds)
    i = 0
    while time.time() < end:
        x.sendto(b"X%d" % i, (dst, int(port)))
        y.sendto(b"Y%d" % i, (dst, int(port)))
        i += 1
        time.sleep(0.0005)
    with open(out, "w") as f:
        f.write("%d\n" % i)
    return 0


def sink(port, out, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("0.0.0.0", int(port)))
    s.settimeout(0.5)
    got = []
    end = time.time() + float(seconds)
    print("ready", flush=True)
    while time.time() < end:
        try:
            got.append(s.recv(64).decode())
        except OSError:
            pass
    with open(out, "w") as f:
        f.write("\n".join(got) + "\n")
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve([int(p) for p in args])
    sys.exit({"pairs": pairs, "sink": sink}[cmd](*args))
