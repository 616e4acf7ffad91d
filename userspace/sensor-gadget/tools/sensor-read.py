#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Read the arc USB sensor from the host side with libusb (python3-usb),
without any kernel driver: send commands, read samples, classify every
transfer as the wire format (include/uapi/arc/usb_sensor.h) says, and
print one line of key=value counters. sensor-gadget's own checks use it;
it is also a reference for what a driver should count."""
import argparse
import struct
import sys
import time

import usb.core
import usb.util

MAGIC = 0xA5
OP_START, OP_STOP, OP_SET_RATE = 1, 2, 3


def test_value(k):
    """sensor-gadget's --pattern test (pattern.h): X for seq k."""
    k &= 0xFFFFFFFF
    if k % 16 < 5:
        return (-32768, 32767, 0, -1, 1)[k % 16]
    v = ((k * 2654435761) & 0xFFFFFFFF) >> 16
    return v - 65536 if v >= 32768 else v


def test_pattern(k):
    return (test_value(k), test_value(k + 1), test_value(k + 2))


def check_byte(b):
    c = 0
    for x in b[2:16]:
        c ^= x
    return c


def cmd(op, arg=0):
    return struct.pack(">BBHI", MAGIC, op, 0, arg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vid", type=lambda s: int(s, 0), default=0x1234)
    ap.add_argument("--pid", type=lambda s: int(s, 0), default=0x5678)
    ap.add_argument("--serial")
    ap.add_argument("--rate", type=int, help="send SET_RATE first")
    ap.add_argument("--start", action="store_true", help="send START")
    ap.add_argument("--stop", action="store_true", help="send STOP at the end")
    ap.add_argument("--raw", action="append", default=[],
                    help="send these hex bytes as one OUT transfer (repeatable)")
    ap.add_argument("--samples", type=int, default=0, help="read until this many valid samples")
    ap.add_argument("--silence", type=int, default=0,
                    help="then expect no data at all for this many ms")
    ap.add_argument("--timeout", type=int, default=5000, help="ms per read")
    ap.add_argument("--pattern", choices=["test", "any"], default="any")
    ap.add_argument("--expect-seq", type=lambda s: int(s, 0), help="seq of the first sample")
    ap.add_argument("--size", type=int, default=16384, help="bytes per read")
    a = ap.parse_args()

    kw = {"idVendor": a.vid, "idProduct": a.pid}
    if a.serial:
        kw["custom_match"] = lambda d: usb.util.get_string(d, d.iSerialNumber) == a.serial
    dev = usb.core.find(**kw)
    if dev is None:
        print("error=nodevice")
        return 2
    if dev.is_kernel_driver_active(0):
        dev.detach_kernel_driver(0)
    usb.util.claim_interface(dev, 0)
    intf = dev.get_active_configuration()[(0, 0)]
    ep_in = usb.util.find_descriptor(
        intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN)
    ep_out = usb.util.find_descriptor(
        intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT)

    for raw in a.raw:
        ep_out.write(bytes.fromhex(raw))
    if a.rate is not None:
        ep_out.write(cmd(OP_SET_RATE, a.rate))
    if a.start:
        ep_out.write(cmd(OP_START))

    c = dict(samples=0, transfers=0, bytes=0, short=0, odd=0, garbage=0, gaps=0, lost=0,
             oos=0, halts=0, mismatches=0, ts_backwards=0, zero_length=0, first_seq=-1,
             last_seq=-1, seconds=0.0, rate=0, error="none")
    expect = a.expect_seq
    last_ts = None
    t0 = None
    try:
        while c["samples"] < a.samples:
            try:
                data = bytes(ep_in.read(a.size, timeout=a.timeout))
            except usb.core.USBError as e:
                if e.errno == 32:  # EPIPE: the endpoint is halted
                    c["halts"] += 1
                    dev.clear_halt(ep_in)
                    continue
                raise
            if t0 is None:
                t0 = time.monotonic()
            c["transfers"] += 1
            c["bytes"] += len(data)
            if len(data) == 0:
                c["zero_length"] += 1
                continue
            if len(data) < 16:
                c["short"] += 1
                continue
            if len(data) % 16:
                c["odd"] += 1
                continue
            chunks = [data[i:i + 16] for i in range(0, len(data), 16)]
            if any(ch[0] != MAGIC or ch[1] != check_byte(ch) for ch in chunks):
                c["garbage"] += 1
                continue
            for ch in chunks:
                _, _, x, y, z, seq, ts = struct.unpack(">BBhhhII", ch)
                if expect is not None and seq != expect:
                    d = (seq - expect) & 0xFFFFFFFF
                    if d < 0x80000000:
                        c["gaps"] += 1
                        c["lost"] += d
                    else:
                        c["oos"] += 1
                        continue
                if c["first_seq"] < 0:
                    c["first_seq"] = seq
                expect = (seq + 1) & 0xFFFFFFFF
                c["last_seq"] = seq
                c["samples"] += 1
                if a.pattern == "test" and (x, y, z) != test_pattern(seq):
                    c["mismatches"] += 1
                if last_ts is not None and ((ts - last_ts) & 0xFFFFFFFF) >= 0x80000000:
                    c["ts_backwards"] += 1
                last_ts = ts
        if t0 is not None:
            c["seconds"] = round(time.monotonic() - t0, 3)
            if c["seconds"] > 0:
                c["rate"] = int(c["samples"] / c["seconds"])
        if a.silence:
            try:
                data = ep_in.read(a.size, timeout=a.silence)
                data = bytes(data)
                c["error"] = "data_during_silence_%d_bytes_seq_%d" % (
                    len(data), struct.unpack(">I", data[8:12])[0] if len(data) >= 12 else -1)
            except usb.core.USBTimeoutError:
                pass
        if a.stop:
            ep_out.write(cmd(OP_STOP))
    except usb.core.USBError as e:
        c["error"] = "usb_errno_%s" % e.errno
    print(" ".join("%s=%s" % kv for kv in c.items()))
    try:
        usb.util.release_interface(dev, 0)
    except usb.core.USBError:
        pass
    return 0 if c["error"] == "none" else 1


if __name__ == "__main__":
    sys.exit(main())
