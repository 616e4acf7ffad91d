#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""USB sensor benchmark, run as root inside the guest (scripts/bench.sh).

The same samples (sensor-gadget's test pattern) through two paths on the
same dummy_hcd in one boot:
  arc  sensor-gadget (FunctionFS, bulk IN) -> arc_usb_sensor -> evdev
  hid  hid_sensor (f_hid, interrupt IN, polled as often as the gadget
       lets the host: bInterval 1 where configfs can set it) -> usbhid ->
       hid-generic/hid-input -> evdev
and one reader for both (sensor_read): it identifies every sample by its
values, counts the ones missing and SYN_DROPPED, and takes latency as the
time it read the frame minus the time the device meant the sample for
(CLOCK_MONOTONIC, in both devices' samples: arc's MSC_TIMESTAMP, the HID
report's Rx axis). Each device sends on a fixed schedule (sample k due at
k/rate); when it falls behind, its samples are late, not fewer.

Rows, each for ROUNDS rounds, the paths alternating which goes first:
  sustained: rates from RATES, STEP_S seconds each, until a rate is not
             sustained (a sample missing or dropped, or the rate measured
             at the reader under 95% of the rate asked); the row's value
             is the rate measured at the last sustained step
  latency:   LAT_N samples at LAT_RATE samples/s (default 500: half of
             what the HID path sustains at the default bInterval, so that
             its queue does not grow); p50 and p99
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import time

import usb_trace

ROOT = os.environ["ARC_ROOT"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
STEP_S = float(os.environ.get("BENCH_STEP_S", "2"))
RATES = [int(r) for r in os.environ.get(
    "BENCH_RATES", "500 1000 2000 4000 8000 16000 32000 64000").split()]
LAT_RATE = int(os.environ.get("BENCH_LAT_RATE", "500"))
LAT_N = int(os.environ.get("BENCH_LAT_N", "3000"))
# BENCH_TRACE=1: ftrace each latency run and print where the time from
# the host URB to the reader went (usb_trace.py); the traces are kept in
# build/usb-trace-ROUND-PATH.txt.
TRACE = os.environ.get("BENCH_TRACE", "") not in ("", "0")
# BENCH_PIN=1 (where two CPUs are online): the emulated devices
# (sensor-gadget, hid_sensor, and unbound work items, where FunctionFS
# completes the gadget's AIO) on CPU 0, the reader on CPU 1, for both
# paths alike. A real device is another machine; unpinned (the default),
# the emulated one's work competes with the reader for its CPU and lands
# in the driver's share of the latency (BENCH_TRACE shows it).
PIN = os.environ.get("BENCH_PIN", "0") not in ("", "0")
DEVICE_CPU, READER_CPU = {0}, {1}


def pinned(cpus):
    """preexec_fn for a process confined to cpus, if pinning is on."""
    if not PIN:
        return None
    return lambda: os.sched_setaffinity(0, cpus)

GADGET = f"{ROOT}/userspace/sensor-gadget/sensor-gadget"
HID = f"{ROOT}/build/hid_sensor"
READ = f"{ROOT}/build/sensor_read"
RULES = f"{ROOT}/modules/usb_sensor/70-arc-usb-sensor.rules"
WORK = "/tmp/arc-bench-usb"


def sh(*cmd):
    subprocess.run(cmd, check=True)


def wait_for(what, fn, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def racy_dummy_hcd():
    """Whether this kernel's dummy_hcd has CVE-2026-68370 (the selftests'
    check, selftests/usb_sensor/usblib.sh)."""
    r = subprocess.run(
        ["bash", "-c", f". {ROOT}/selftests/usb_sensor/usblib.sh && dummy_hcd_racy"],
        env=dict(os.environ, ARC_ROOT=ROOT), capture_output=True)
    return r.returncode == 0


def setup():
    for m in ("dummy_hcd", "libcomposite", "usb_f_fs", "usb_f_hid", "usbhid", "usbmon"):
        sh("modprobe", m)
    if not os.path.ismount("/sys/kernel/debug"):
        sh("mount", "-t", "debugfs", "none", "/sys/kernel/debug")
    if not os.path.ismount("/sys/kernel/config"):
        sh("mount", "-t", "configfs", "none", "/sys/kernel/config")
    os.makedirs("/run/udev/rules.d", exist_ok=True)
    os.makedirs(WORK, exist_ok=True)
    sh("cp", RULES, "/run/udev/rules.d/")
    sh("udevadm", "control", "--reload")
    if os.path.isdir("/sys/module/usbtouchscreen"):
        sh("rmmod", "usbtouchscreen")
    for ko in ("shim/arc.ko", "shim/arc_usb.ko", "shim/arc_input.ko"):
        sh("insmod", f"{ROOT}/{ko}")
    # BENCH_ARC_PARAMS: arc_usb_sensor's module parameters (default none).
    sh("insmod", f"{ROOT}/modules/usb_sensor/arc_usb_sensor.ko",
       *os.environ.get("BENCH_ARC_PARAMS", "").split())
    global PIN
    if racy_dummy_hcd():
        # The race needs two CPUs; the guest would die (usblib.sh).
        print("# dummy_hcd has CVE-2026-68370 here: one CPU online for both paths")
        for c in glob.glob("/sys/devices/system/cpu/cpu[1-9]*/online"):
            with open(c, "w") as f:
                f.write("0")
    if PIN and len(os.sched_getaffinity(0)) < 2:
        print("# one CPU online: BENCH_PIN has nothing to pin")
        PIN = False
    if PIN:
        with open("/sys/devices/virtual/workqueue/cpumask", "w") as f:
            f.write("1")


def event_of(input_dir):
    ev = glob.glob(f"{input_dir}/event*")
    return f"/dev/input/{os.path.basename(ev[0])}" if ev else None


def handlers(input_dir):
    return " ".join(sorted(os.path.basename(p) for p in glob.glob(f"{input_dir}/*")
                           if os.path.basename(p).startswith(("event", "js", "mouse"))))


def read_result(reader):
    out, _ = reader.communicate(timeout=600)
    return json.loads(out.splitlines()[-1])


def start_reader(stamp, ev, n):
    r = subprocess.Popen([READ, stamp, ev, str(n), "5"], stdout=subprocess.PIPE, text=True,
                         preexec_fn=pinned(READER_CPU))
    if r.stdout.readline().strip() != "open":
        raise RuntimeError(f"sensor_read did not open {ev}")
    return r


def run_arc(rate, n, info):
    ready = f"{WORK}/arc.ready"
    if os.path.exists(ready):
        os.unlink(ready)
    g = subprocess.Popen([GADGET, "--name", "bench", "--replace", "--pattern", "test",
                          "--rate", str(rate), "--count", str(n),
                          "--stats", f"{WORK}/arc.stats", "--ready-file", ready],
                         stdout=subprocess.DEVNULL, stderr=open(f"{WORK}/arc.log", "w"),
                         preexec_fn=pinned(DEVICE_CPU))
    try:
        wait_for("sensor-gadget", lambda: os.path.exists(ready))
        inp = wait_for("arc_usb_sensor's input device", lambda: next(iter(glob.glob(
            "/sys/bus/usb/drivers/arc_usb_sensor/*:1.0/input/input*")), None))
        ev = wait_for("its event node", lambda: event_of(inp))
        subprocess.run(["udevadm", "settle", "--timeout=5"], check=False)
        intf = os.path.dirname(os.path.dirname(inp))

        def idle():
            with open(f"{intf}/streaming") as f:
                return f.read().strip() == "0"
        # udev's probe of the new input device opens it, which starts the
        # device: what it sent then is no sample of this run.
        wait_for("udev's open of the input device to end", idle)
        with open(f"{intf}/rate", "w") as f:
            f.write(str(rate))
        info["arc"] = f"handlers {handlers(inp)}"
        res = read_result(start_reader("msc", ev, n))
        drv = {os.path.basename(p): open(p).read().strip()
               for p in glob.glob(f"{intf}/stats/*")}
        # Unplugged only now: evdev discards what a reader has not read yet.
        g.terminate()
        g.wait(timeout=30)
        with open(f"{WORK}/arc.stats") as f:
            st = dict(kv.split("=", 1) for kv in f.read().split() if "=" in kv)
        if res["missing"] or res["dropped"] or res["unmatched"]:
            print(f"# arc at {rate}/s lost samples: {res}; the driver's counters: "
                  + " ".join(f"{k}={v}" for k, v in sorted(drv.items()) if v != "0")
                  + "; the device's: " + " ".join(f"{k}={v}" for k, v in st.items()
                                                   if v != "0"))
        pt = int(st.get("paced_transfers", 0)) or 1
        info["arc"] += f", batch {st.get('batch', '?')} samples a transfer"
        res["dev"] = (f"device: {int(st['samples']) / pt:.1f} samples a transfer, queued "
                      f"{int(st['send_lag_us']) / pt:.0f} us after due, taken by the host "
                      f"{int(st['in_flight_us']) / pt:.0f} us later (means)")
        return res
    finally:
        if g.poll() is None:
            g.terminate()
            g.wait()


def run_hid(rate, n, info):
    g = subprocess.Popen([HID, "--rate", str(rate), "--count", str(n), "--interval", "1"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                         preexec_fn=pinned(DEVICE_CPU))
    try:
        line = g.stdout.readline().strip()
        interval = line
        while not line.startswith("ready"):
            if not line:
                raise RuntimeError("hid_sensor exited")
            line = g.stdout.readline().strip()

        def find():
            for d in glob.glob("/sys/class/input/input*"):
                try:
                    with open(f"{d}/name") as f:
                        if "bench HID sensor" in f.read():
                            return d
                except OSError:
                    pass
            return None
        inp = wait_for("the HID sensor's input device", find)
        ev = wait_for("its event node", lambda: event_of(inp))
        subprocess.run(["udevadm", "settle", "--timeout=5"], check=False)
        info["hid"] = f"{interval}, handlers {handlers(inp)}"
        reader = start_reader("rx", ev, n)
        g.stdin.write("go\n")
        g.stdin.flush()
        res = read_result(reader)
        g.communicate("done\n", timeout=30)
        return res
    finally:
        if g.poll() is None:
            g.terminate()
            g.wait()


RUN = {"arc": run_arc, "hid": run_hid}


def pattern_value(k):
    """sensor-gadget's test pattern (userspace/sensor-gadget/pattern.h)."""
    special = (-32768, 32767, 0, -1, 1)
    if k % 16 < 5:
        return special[k % 16]
    v = ((k * 2654435761) % (1 << 32)) >> 16
    return v - 65536 if v >= 32768 else v


class Usbmon:
    """usbmon's text log of dummy_hcd's bus while a latency run lasts: when
    the host's URB that carried each sample completed. That splits a
    sample's latency in two: due -> host (the emulated device, FunctionFS
    or f_hid, and dummy_hcd) and host -> reader (usbcore, the driver or
    usbhid + hid-input, the input core, evdev, the reader's wakeup)."""

    def __init__(self):
        bus = os.path.basename(glob.glob("/sys/bus/platform/devices/dummy_hcd.0/usb[0-9]*")[0])
        self.path = f"/sys/kernel/debug/usb/usbmon/{bus[3:]}u"
        self.out = open(f"{WORK}/usbmon.txt", "w")
        self.p = subprocess.Popen(["cat", self.path], stdout=self.out)

    def stop(self, path, n):
        """{seq: (host completion time, due time)}, CLOCK_MONOTONIC us."""
        time.sleep(0.2)
        self.p.terminate()
        self.p.wait()
        self.out.close()
        # usbmon's stamps: CLOCK_MONOTONIC, (s % 4096) * 10^6 + us (text
        # API); the devices': CLOCK_MONOTONIC us, low 32 (arc) or 31 (hid)
        # bits. Only the first 32 bytes of a transfer are logged.
        mono = time.clock_gettime(time.CLOCK_MONOTONIC) * 1e6
        seqs = {}
        if path == "hid":
            v = [pattern_value(k) for k in range(n + 2)]
            by_values = {(v[k], v[k + 1], v[k + 2]): k for k in range(n) if k % 16 >= 3}
        kind = "Bi" if path == "arc" else "Ii"
        with open(f"{WORK}/usbmon.txt") as f:
            for line in f:
                w = line.split()
                if len(w) < 8 or w[2] != "C" or not w[3].startswith(kind) or w[6] != "=":
                    continue
                data = bytes.fromhex("".join(w[7:]))
                t = mono - ((int(mono) % 4096000000 - int(w[1])) % 4096000000)
                if path == "arc":
                    for o in range(0, len(data) - 15, 16):
                        if data[o] != 0xa5:
                            continue
                        due = int.from_bytes(data[o + 12:o + 16], "big")
                        seq = int.from_bytes(data[o + 8:o + 12], "big")
                        seqs[seq] = (t, mono - ((int(mono) - due) % (1 << 32)))
                elif len(data) >= 10:
                    xyz = tuple(int.from_bytes(data[i:i + 2], "little", signed=True)
                                for i in (0, 2, 4))
                    due = int.from_bytes(data[6:10], "little")
                    if xyz in by_values:
                        seqs[by_values[xyz]] = (t, mono - ((int(mono) - due) % (1 << 31)))
        if not seqs:
            with open(f"{WORK}/usbmon.txt") as f:
                print(f"# usbmon ({self.path}) gave no sample; it said: {f.read()[:600]!r}")
        return seqs


def split(host, dump):
    """Per sample seen by both usbmon and the reader: due -> host and
    host -> reader, sorted, in us."""
    reads = {}
    with open(dump) as f:
        for line in f:
            k, t = line.split()
            reads[int(k)] = int(t)
    a, b = [], []
    for k, (t, due) in host.items():
        if k in reads:
            a.append(t - due)
            b.append(reads[k] - t)
    return sorted(a), sorted(b)


def pct(v, q):
    return v[min(len(v) - 1, int(len(v) * q))] if v else 0


def sustained(path, info):
    best, steps = 0.0, []
    for rate in RATES:
        n = max(int(rate * STEP_S), 100)
        r = RUN[path](rate, n, info)
        ok = (r["missing"] == 0 and r["dropped"] == 0 and r["unmatched"] == 0
              and r["rate"] >= 0.95 * rate)
        why = "".join(f" {k} {r[k]}" for k in ("missing", "dropped", "unmatched") if r[k])
        steps.append(f"{rate}:{r['rate']:.0f}{'' if ok else ' (not sustained' + why + ')'}")
        if not ok:
            break
        best = r["rate"]
    return best, " ".join(steps)


def paired(a, b, higher_better):
    pair = [x / y if y else float("inf") for x, y in zip(a, b)]
    wins = sum((r > 1) if higher_better else (r < 1) for r in pair)
    return f"{statistics.median(pair):.2f} {wins}/{len(pair)}"


def main():
    setup()
    if TRACE and not usb_trace.available():
        print("# BENCH_TRACE: no tracefs with kprobes in this kernel", flush=True)
        return 1
    info = {}
    res = {k: {"arc": [], "hid": []}
           for k in ("rate", "p50", "p99", "dev50", "dev99", "host50", "host99")}
    for rnd in range(ROUNDS):
        order = ["arc", "hid"] if rnd % 2 == 0 else ["hid", "arc"]
        for path in order:
            best, steps = sustained(path, info)
            res["rate"][path].append(best)
            mon = Usbmon()
            os.environ["SENSOR_READ_DUMP"] = f"{WORK}/reads.txt"
            if TRACE:
                usb_trace.start(path)
            lat = RUN[path](LAT_RATE, LAT_N, info)
            if TRACE:
                tr = usb_trace.stop(f"{ROOT}/build/usb-trace-{rnd + 1}-{path}.txt")
                for line in usb_trace.report(path, usb_trace.analyse(tr)):
                    print(line, flush=True)
            del os.environ["SENSOR_READ_DUMP"]
            dev, host = split(mon.stop(path, LAT_N), f"{WORK}/reads.txt")
            for key, v in (("dev50", dev), ("dev99", dev), ("host50", host), ("host99", host)):
                res[key][path].append(pct(v, 0.5 if key.endswith("50") else 0.99))
            if lat["missing"] or lat["dropped"]:
                print(f"# round {rnd + 1} {path}: latency run lost samples: {lat}")
            res["p50"][path].append(lat["p50_us"])
            res["p99"][path].append(lat["p99_us"])
            print(f"# round {rnd + 1} {path}: sustained {best:.0f}/s (asked:measured "
                  f"{steps}); at {LAT_RATE}/s latency p50 {lat['p50_us']} us "
                  f"p99 {lat['p99_us']} us max {lat['max_us']} us; of {len(dev)} samples "
                  f"seen by usbmon too, due -> host URB p50 {pct(dev, 0.5):.0f} p99 "
                  f"{pct(dev, 0.99):.0f} us, host URB -> reader p50 {pct(host, 0.5):.0f} "
                  f"p99 {pct(host, 0.99):.0f} us"
                  + (f"; {lat['dev']}" if "dev" in lat else ""), flush=True)
    print()
    print(f"USB sensor: arc_usb_sensor vs f_hid -> usbhid -> hid-input -> evdev, one "
          f"dummy_hcd, {ROUNDS} rounds interleaved; median (min-max)")
    hdr = f"{'row':<26} {'arc':>22} {'hid':>22} {'arc/hid':>10} {'med ratio':>9}"
    print(hdr)
    print("-" * len(hdr))
    rows = [("sustained samples/s", "rate", True),
            (f"latency p50 us @{LAT_RATE}/s", "p50", False),
            (f"latency p99 us @{LAT_RATE}/s", "p99", False),
            ("  due -> host URB p50 us", "dev50", False),
            ("  due -> host URB p99 us", "dev99", False),
            ("  host URB -> reader p50 us", "host50", False),
            ("  host URB -> reader p99 us", "host99", False)]
    for name, key, higher in rows:
        a, h = res[key]["arc"], res[key]["hid"]
        cell = [f"{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f})" for v in (a, h)]
        medr = statistics.median(a) / statistics.median(h) if statistics.median(h) else 0.0
        print(f"{name:<26} {cell[0]:>22} {cell[1]:>22} {paired(a, h, higher):>10} "
              f"{medr:>9.2f}")
    print("arc/hid: median over rounds of arc's value over the HID path's in the same round, "
          "and the rounds arc won (higher rate, lower latency); med ratio: of the medians")
    print("latency: from the time the device meant the sample for to the reader's read; "
          "split per sample at the completion of the host's URB that carried it (usbmon, "
          "which logs a transfer's first 32 bytes: arc's first two samples): due -> host URB "
          "is the emulated device's and dummy_hcd's part, host URB -> reader the driver's "
          "(arc_usb_sensor, or usbhid + hid-input), the input core's and evdev's")
    print("goals: sustained arc/hid >= 1.0, p99 arc/hid <= 1.0")
    print(f"arc: {info.get('arc')}, module parameters "
          f"'{os.environ.get('BENCH_ARC_PARAMS', '')}' (empty: defaults)")
    print(f"hid: {info.get('hid')}")
    print("pinning: " + ("the devices (and unbound work) on CPU 0, the reader on CPU 1"
                         if PIN else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
