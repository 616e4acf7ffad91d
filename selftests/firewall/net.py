#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the firewall selftests (run inside network namespaces).

Reachability checks are reach.c: starting python costs too much for them.

  net.py serve PORT...            TCP accept + UDP echo on every PORT
  net.py pairs SRCX SRCY DST PORT SECONDS OUT
                                  send (X i, Y i) datagram pairs until
                                  SECONDS pass; write the count to OUT
  net.py sink PORT OUT SECONDS    record which datagrams arrive
  net.py spray FIRST COUNT DST REPEAT PAYLOAD
                                  send REPEAT UDP datagrams of PAYLOAD
                                  bytes from each of COUNT sources
                                  FIRST, FIRST + 1, ... (raw socket: the
                                  sources need not be local)
  net.py exthdr udp|tcp SRC DST PORT N
                                  send one IPv6 UDP datagram (to an echo
                                  server) or TCP SYN behind N destination
                                  options headers; exit 0 if the echo or
                                  the SYN-ACK comes back within a second,
                                  otherwise with reach.c's statuses: 1 no
                                  answer at all (prints "sent 1"), 3 a
                                  reset or port unreachable, 4 another
                                  ICMPv6 error, 5 a local error, 6 an
                                  unexpected answer
  net.py listen PORT OUT          accept TCP on PORT, writing the number
                                  of connections so far to OUT
  net.py dumphold                 start an arcfw list dump, read part of
                                  it, wait for a line on stdin, read the
                                  rest (see dumphold())
  net.py frag MODE SRC DST PORT IFACE DSTMAC
                                  a TCP SYN split into IP fragments sent
                                  at layer 2 (see frag()); exit 0 if the
                                  handshake completed
"""
import ipaddress
import os
import select
import struct
import socket
import sys
import time
import traceback


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
            # A peer it cannot answer (a fuzzed source with no route, a
            # connection reset before accept) must not end the server.
            try:
                if s.type == socket.SOCK_STREAM:
                    c, _ = s.accept()
                    c.close()
                else:
                    data, peer = s.recvfrom(2048)
                    s.sendto(data, peer)
            except OSError:
                pass


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


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def csum6(src, dst, proto, l4):
    """The TCP or UDP checksum of @l4 (checksum field zero) from @src to
    @dst over IPv6, pseudo-header included."""
    pseudo = src.packed + dst.packed + struct.pack("!I3xB", len(l4), proto)
    return csum(pseudo + l4) or 0xFFFF


def spray(first, count, dst, repeat, payload):
    first = ipaddress.ip_address(first)
    dst = ipaddress.ip_address(dst)
    data = b"s" * int(payload)
    ulen = 8 + len(data)
    fam = socket.AF_INET6 if dst.version == 6 else socket.AF_INET
    # IPPROTO_RAW: we write the IP header (IPv4: the kernel fills in the
    # total length and header checksum).
    s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for i in range(int(count)):
        src = first + i
        if dst.version == 4:
            udp = struct.pack("!HHHH", 40000, 9, ulen, 0) + data
            pkt = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, 17, 0,
                              src.packed, dst.packed) + udp
        else:
            c = csum6(src, dst, 17, struct.pack("!HHHH", 40000, 9, ulen, 0) + data)
            udp = struct.pack("!HHHH", 40000, 9, ulen, c) + data
            pkt = struct.pack("!IHBB16s16s", 6 << 28, ulen, 17, 64,
                              src.packed, dst.packed) + udp
        for _ in range(int(repeat)):
            s.sendto(pkt, (str(dst), 0))
    return 0


# reach.c's exit statuses.
THROUGH, TIMEOUT, REFUSED, ICMP_ERROR, LOCAL_ERROR, UNEXPECTED = 0, 1, 3, 4, 5, 6
IPV6_RECVERR = 25  # linux/in6.h; Python's socket module lacks it


def exthdr(proto, src, dst, port, n):
    what = "exthdr %s %s %s %s %s" % (proto, src, dst, port, n)
    try:
        return exthdr_check(proto, src, dst, int(port), int(n))
    except ConnectionRefusedError as e:
        print("%s: %s" % (what, e), file=sys.stderr)
        return REFUSED
    except ExthdrError as e:
        print("%s: %s" % (what, e.args[1]), file=sys.stderr)
        return e.args[0]
    except OSError as e:
        # Raised by a receive: an ICMPv6 error about our datagram.
        print("%s: %s" % (what, e), file=sys.stderr)
        return ICMP_ERROR
    except Exception:
        # Python exits 1 on an uncaught exception: that would read as
        # "no answer", that is, as a drop.
        traceback.print_exc()
        print("%s: local error: the check itself failed" % what,
              file=sys.stderr)
        return LOCAL_ERROR


class ExthdrError(Exception):
    """(exit status, message)"""


def exthdr_check(proto, src, dst, port, n):
    src_a, dst_a = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    nh = 17 if proto == "udp" else 6
    try:
        # Every ICMPv6 error that comes back, whatever the protocol.
        icmp = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                             socket.IPPROTO_ICMPV6)
        if proto == "udp":
            # The echo comes back to a socket of ours: its port is the
            # source. Connected, with extended errors on, it also sees
            # every ICMPv6 error about the datagram.
            rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            rx.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
            rx.bind((src, 0))
            rx.connect((dst, port))
            sport = rx.getsockname()[1]
            data = b"exthdr"
            l4 = struct.pack("!HHHH", sport, port, 8 + len(data), 0) + data
        else:
            # A raw TCP socket sees a copy of every segment that arrives.
            rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                               socket.IPPROTO_TCP)
            sport = 40000 + n
            l4 = struct.pack("!HHIIBBHHH", sport, port, 1, 0, 5 << 4, 0x02,
                             65535, 0, 0)
    except OSError as e:
        raise ExthdrError(LOCAL_ERROR, "local error: %s" % e)
    c = csum6(src_a, dst_a, nh, l4)
    at = 6 if proto == "udp" else 16
    l4 = l4[:at] + struct.pack("!H", c) + l4[at + 2:]
    # Destination options headers, each 8 bytes: next header, length 0,
    # one PadN option of 4 bytes.
    ext = b"".join(struct.pack("!BBBB4x", 60 if i < n - 1 else nh, 0, 1, 4)
                   for i in range(n))
    first = 60 if n else nh
    pkt = struct.pack("!IHBB16s16s", 6 << 28, len(ext) + len(l4), first, 64,
                      src_a.packed, dst_a.packed) + ext + l4
    try:
        tx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
        tx.sendto(pkt, (dst, 0))
    except OSError as e:
        raise ExthdrError(LOCAL_ERROR, "local error: send: %s" % e)
    end = time.time() + 1.0
    while time.time() < end:
        r, _, _ = select.select([rx, icmp], [], [], max(0.0, end - time.time()))
        if not r:
            break
        if icmp in r:
            got = icmp.recv(2048)
            # An error (types 1 to 4) quoting our packet: its IPv6 header
            # starts 8 bytes in. Port unreachable is a refusal.
            if (len(got) >= 48 and 1 <= got[0] <= 4 and
                    got[16:32] == src_a.packed and got[32:48] == dst_a.packed):
                raise ExthdrError(REFUSED if got[:2] == b"\x01\x04"
                                  else ICMP_ERROR,
                                  "ICMPv6 error type %d code %d"
                                  % (got[0], got[1]))
            continue
        got = rx.recv(2048)
        if proto == "udp":
            if got == data:
                return THROUGH
            raise ExthdrError(UNEXPECTED, "%d bytes came back, not the echo"
                              % len(got))
        if len(got) >= 14:
            gs, gd = struct.unpack("!HH", got[:4])
            if gs != port or gd != sport:
                continue
            if got[13] & 0x04:
                raise ExthdrError(REFUSED, "reset")
            if got[13] & 0x12 == 0x12:
                return THROUGH
            raise ExthdrError(UNEXPECTED, "TCP flags 0x%02x, not a SYN-ACK"
                              % got[13])
    print("sent 1")
    return TIMEOUT


def listen(port, out):
    """Accept TCP connections on PORT (IPv4 and IPv6); after each, write
    how many there have been to OUT."""
    socks = []
    for fam, any_addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        t.bind((any_addr, int(port)))
        t.listen(64)
        socks.append(t)
    n = 0
    with open(out, "w") as f:
        f.write("0\n")
    print("ready", flush=True)
    while True:
        r, _, _ = select.select(socks, [], [])
        for s in r:
            c, _ = s.accept()
            c.close()
            n += 1
            with open(out + ".tmp", "w") as f:
                f.write("%d\n" % n)
            os.rename(out + ".tmp", out)


def mac(text):
    return bytes(int(b, 16) for b in text.split(":"))


def frag(mode, src, dst, port, ifname, dmac):
    """Send a TCP SYN from SRC (an address the sender does not own, so its
    kernel stays out of the handshake) to DST:PORT at layer 2 on IFNAME,
    split into IP fragments as MODE says:

      whole     not fragmented
      plain     fragmented at 24 bytes of TCP: the whole header first
      tiny8     first fragment 8 bytes of TCP (ports, no flags); the rest
                at offset 1
      tiny16    first fragment 16 bytes of TCP; the rest at offset 2
      chain     IPv6: a destination options header (16 bytes) after the
                fragment header, the first fragment ending inside it
      off1      IPv4/IPv6: only an 8-byte fragment at offset 1
    with -rev after MODE, the fragments go out last first. If the SYN-ACK
    comes back (within 1.5 s), complete the handshake with an ACK and
    exit 0; no answer: exit 1."""
    rev = mode.endswith("-rev")
    mode = mode[:-4] if rev else mode
    src_a, dst_a = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    port, v6 = int(port), dst_a.version == 6
    sport = 40000 + (os.getpid() % 20000)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((ifname, 0))
    smac = s.getsockname()[4]
    eth = mac(dmac) + smac + struct.pack("!H", 0x86DD if v6 else 0x0800)
    nh = 6

    def tcp(flags, seq, ack, opts=b""):
        hlen = 20 + len(opts)
        seg = struct.pack("!HHIIBBHHH", sport, port, seq, ack, hlen // 4 << 4,
                          flags, 65535, 0, 0) + opts
        if v6:
            c = csum6(src_a, dst_a, nh, seg)
        else:
            pseudo = src_a.packed + dst_a.packed + struct.pack("!BBH", 0, nh, len(seg))
            c = csum(pseudo + seg)
        return seg[:16] + struct.pack("!H", c) + seg[18:]

    ident = os.getpid() & 0xFFFF

    def ip4(payload, off, more):
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                          (0x2000 if more else 0) | off, 64, nh, 0,
                          src_a.packed, dst_a.packed)
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        return eth + hdr + payload

    def ip6(payload, first_nh, fragment=None):
        ext = b""
        if fragment is not None:
            off, more, next_nh = fragment
            ext = struct.pack("!BBHI", next_nh, 0, off << 3 | more, ident)
            first_nh = 44
        body = ext + payload
        return eth + struct.pack("!IHBB16s16s", 6 << 28, len(body), first_nh,
                                 64, src_a.packed, dst_a.packed) + body

    # MSS, SACK permitted, window scale: a 32-byte SYN, as Linux sends.
    syn = tcp(0x02, 1000, 0, bytes([2, 4, 5, 180, 1, 1, 4, 2, 1, 3, 3, 7]))
    dopt = bytes([6, 1, 1, 12]) + bytes(12)   # destination options, 16 bytes
    frames = []
    if mode == "whole":
        frames = [ip6(syn, nh) if v6 else ip4(syn, 0, False)]
    elif mode in ("plain", "tiny8", "tiny16", "off1"):
        cut = {"plain": 24, "tiny8": 8, "tiny16": 16, "off1": 8}[mode]
        parts = [(0, syn[:cut], True), (cut // 8, syn[cut:], False)]
        if mode == "off1":
            parts = parts[1:]
        for off, data, more in parts:
            frames.append(ip6(data, nh, (off, int(more), nh)) if v6
                          else ip4(data, off, more))
    elif mode == "chain" and v6:
        body = dopt + syn
        frames = [ip6(body[:8], 60, (0, 1, 60)), ip6(body[8:], 60, (1, 0, 60))]
    else:
        print("frag: unknown mode %s" % mode, file=sys.stderr)
        return 2
    if rev:
        frames.reverse()
    for f in frames:
        s.send(f)
    end = time.time() + 1.5
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0.0, end - time.time()))
        if not r:
            break
        got = s.recv(2048)
        if got[12:14] != eth[12:14]:
            continue
        l3 = got[14:]
        if v6:
            if l3[6] != 6 or l3[8:24] != dst_a.packed or l3[24:40] != src_a.packed:
                continue
            l4 = l3[40:]
        else:
            if l3[9] != 6 or l3[12:16] != dst_a.packed or l3[16:20] != src_a.packed:
                continue
            l4 = l3[(l3[0] & 15) * 4:]
        gs, gd, seq = struct.unpack("!HHI", l4[:8])
        if gs == port and gd == sport and l4[13] & 0x12 == 0x12:
            ack = tcp(0x10, 1001, (seq + 1) & 0xFFFFFFFF)
            s.send(ip6(ack, nh) if v6 else ip4(ack, 0, False))
            return 0
    return 1


def dumphold():
    """Start an arcfw LIST dump, read its first part, print "started",
    then wait for a line on stdin before reading the rest; print how many
    entries came and whether the dump was marked interrupted."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.bind((0, 0))

    def send(family, cmd, payload, flags):
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        s.send(struct.pack("=IHHII", 16 + len(body), family, flags, 1, 0) + body)

    name = b"arcfw\0"
    send(0x10, 3, struct.pack("=HH", 4 + len(name), 2) + name + b"\0\0", 5)
    reply = s.recv(65536)
    fam, off = None, 20
    while off + 4 <= len(reply):
        ln, kind = struct.unpack_from("=HH", reply, off)
        if kind == 1:
            fam = struct.unpack_from("=H", reply, off + 4)[0]
        off += (ln + 3) & ~3
    s.recv(65536)   # the ack
    send(fam, 4, b"", 1 | 0x300)   # ARCFW_CMD_LIST, NLM_F_REQUEST | NLM_F_DUMP
    entries, intr, done = 0, False, False

    def take(data):
        nonlocal entries, intr, done
        off = 0
        while off + 16 <= len(data):
            ln, kind, flags = struct.unpack_from("=IHH", data, off)
            intr |= bool(flags & 0x10)
            if kind in (2, 3):      # NLMSG_ERROR, NLMSG_DONE
                done = True
            elif kind == fam:
                entries += 1
            off += (ln + 3) & ~3

    take(s.recv(65536))
    print("started", flush=True)
    sys.stdin.readline()
    while not done:
        take(s.recv(1 << 20))
    print("entries %d%s" % (entries, " interrupted" if intr else ""), flush=True)
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve([int(p) for p in args])
    if cmd == "listen":
        listen(*args)
    sys.exit({"pairs": pairs, "sink": sink, "spray": spray,
              "exthdr": exthdr, "frag": frag, "dumphold": dumphold}[cmd](*args))
