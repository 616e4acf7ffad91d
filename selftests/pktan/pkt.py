#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Packets for the arc_pktan selftests (run inside network namespaces).

  pkt.py tcp SRC DST DPORT[+] COUNT FLAGS
                      COUNT TCP segments with FLAGS (hex) from SRC (need
                      not be local) to DST:DPORT, each from its own port
                      (with +, to DPORT, DPORT + 1, ...)
  pkt.py proto SRC DST PROTO COUNT
                      COUNT IP packets of protocol PROTO, 8 bytes each
  pkt.py l2 IFACE DSTMAC KIND COUNT
                      COUNT crafted frames of KIND (see FRAMES) at layer 2
  pkt.py dns DST KIND [COUNT]
                      COUNT (default 1) UDP DNS queries of KIND (see
                      QUERIES) to DST:53
  pkt.py dnssrv PORT  answer nothing, accept TCP on PORT and read (so that
                      dig +tcp gets its query out); prints "ready"
"""
import ipaddress
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "firewall"))
from net import csum  # noqa: E402 (the firewall tests' helpers)

V4_SRC, V4_DST = "198.51.100.2", "198.51.100.1"
V6_SRC, V6_DST = "2001:db8::2", "2001:db8::1"


def ip4(src, dst, proto, payload, frag=0, total=None):
    total = 20 + len(payload) if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, frag, 64, proto, 0,
                    ipaddress.ip_address(src).packed,
                    ipaddress.ip_address(dst).packed)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64,
                       ipaddress.ip_address(src).packed,
                       ipaddress.ip_address(dst).packed) + payload


def tcphdr(sport, dport, flags, doff=5):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, doff << 4, flags,
                       65535, 0, 0)


def raw(dst):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    return socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)


def send_l3(src, dst, proto, payload):
    """One packet through an IPPROTO_RAW socket (we write the IP header)."""
    return ip6(src, dst, proto, payload) if ":" in dst else \
        ip4(src, dst, proto, payload)


def tcp(src, dst, dport, count, flags):
    s = raw(dst)
    step = 1 if dport.endswith("+") else 0
    for i in range(int(count)):
        port = int(dport.rstrip("+")) + step * i
        pkt = send_l3(src, dst, 6, tcphdr(20000 + i, port, int(flags, 16)))
        s.sendto(pkt, (dst, 0))
    return 0


def proto(src, dst, number, count):
    s = raw(dst)
    for _ in range(int(count)):
        s.sendto(send_l3(src, dst, int(number), b"x" * 8), (dst, 0))
    return 0


def dns_msg(qd, body, flags=0x0100):
    return struct.pack("!HHHHHH", 0x1234, flags, qd, 0, 0, 0) + body


def label(name):
    out = b""
    for part in name.split("."):
        out += bytes([len(part)]) + part.encode()
    return out + b"\0"


QUERIES = {
    # Two questions, the second compressed onto the first.
    "compressed": dns_msg(2, label("example.org") + b"\0\1\0\1" +
                          b"\3www\xc0\x0c" + b"\0\x1c\0\1"),
    # A pointer to itself.
    "loop": dns_msg(1, b"\xc0\x0c\0\1\0\1"),
    # Two pointers chasing each other (the first points forward).
    "loop2": dns_msg(2, b"\1a\xc0\x14\0\1\0\1" + b"\1b\xc0\x0c\0\1\0\1"),
    # A label longer than the message.
    "cut": dns_msg(1, b"\x3fabc"),
}


def dns(dst, kind, count=1):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    for _ in range(int(count)):
        s.sendto(QUERIES[kind], (dst, 53))
    return 0


def frames(kind, smac, dmac):
    eth4 = dmac + smac + b"\x08\x00"
    eth6 = dmac + smac + b"\x86\xdd"
    # Each kind to its own port: were they fed to the port-scan
    # detector, a few kinds would make a scan.
    port = 80 + FRAMES.index(kind) if kind in FRAMES else 80
    syn = tcphdr(40000, port, 0x02)
    if kind == "tcp_trunc":          # 12 bytes of a TCP header
        return eth4 + ip4(V4_SRC, V4_DST, 6, syn[:12])
    if kind == "tcp_doff_low":       # data offset 4 words
        return eth4 + ip4(V4_SRC, V4_DST, 6, tcphdr(40000, port, 0x02, 4))
    if kind == "tcp_doff_high":      # 60 bytes of header in 20
        return eth4 + ip4(V4_SRC, V4_DST, 6, tcphdr(40000, port, 0x02, 15))
    if kind == "tiny_frag":          # first fragment, 8 bytes of TCP
        return eth4 + ip4(V4_SRC, V4_DST, 6, syn[:8], frag=0x2000)
    if kind == "overlap_frag":       # TCP at offset 8: onto the flags
        return eth4 + ip4(V4_SRC, V4_DST, 6, syn[8:16], frag=0x0001)
    if kind == "v6_exthdr_cut":      # destination options past the end
        return eth6 + ip6(V6_SRC, V6_DST, 60, bytes([17, 8]) + b"\0" * 6)
    if kind == "v6_long_chain":      # 40 destination options, then UDP
        chain = b""
        for i in range(40):
            chain += bytes([60 if i < 39 else 17, 0]) + b"\1\4\0\0\0\0"
        udp = struct.pack("!HHHH", 40000, 9, 12, 0) + b"long"
        return eth6 + ip6(V6_SRC, V6_DST, 60, chain + udp)
    if kind == "v6_tiny_frag":       # first fragment ending in its chain
        fh = struct.pack("!BBHI", 60, 0, 1, 7)
        return eth6 + ip6(V6_SRC, V6_DST, 44, fh + bytes([6, 1]) + b"\0" * 6)
    raise SystemExit("pkt.py: unknown frame kind %s" % kind)


FRAMES = ("tcp_trunc", "tcp_doff_low", "tcp_doff_high", "tiny_frag",
          "overlap_frag", "v6_exthdr_cut", "v6_long_chain", "v6_tiny_frag")


def l2(ifname, dmac, kind, count):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((ifname, 0))
    smac = s.getsockname()[4]
    f = frames(kind, smac, bytes(int(b, 16) for b in dmac.split(":")))
    for _ in range(int(count)):
        s.send(f)
    return 0


def dnssrv(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", int(port)))
    s.listen(16)
    print("ready", flush=True)
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            c.recv(65536)
        except OSError:
            pass
        c.close()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"tcp": tcp, "proto": proto, "l2": l2, "dns": dns,
          "dnssrv": dnssrv}.get(cmd)
    if not fn:
        raise SystemExit("pkt.py: unknown command %s" % cmd)
    return fn(*args)


if __name__ == "__main__":
    sys.exit(main())
