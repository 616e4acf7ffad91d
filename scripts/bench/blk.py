#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""RAM disk benchmark, run as root inside the guest (scripts/bench.sh).

Two comparisons in one boot, each of devices side by side, of the same
queue mode where the peers have one:
- mq: arc_ramdisk (queue_mode=mq) against brd and null_blk queue_mode=2
  (blk-mq), as since the first benchmark;
- bio: arc_ramdisk queue_mode=bio against brd (bio-based) and null_blk
  queue_mode=0 (bio-based).
In each, every device is filled first, then every row runs on the
devices interleaved (A B C, B C A, C A B, ...) for ROUNDS rounds. Prints
median and min-max per device, arc against each peer round by round
(median of the per-round ratios, and rounds won), and the ratio of
medians. BENCH_BLK_MODES picks the comparisons (default "mq bio").

Every device runs with the same queue settings (QUEUE below: no I/O
statistics, no writeback throttling, no scheduler, merges on, 1 MiB
requests, completion on the submitting CPU's group, write-through),
whatever its driver's defaults are, and completes inline (arc's
completion=inline, null_blk's irqmode=0); the table is followed by every
queue attribute of the devices as read back after the settings, and by
the size of the requests a 1 MiB read reaches each blk-mq driver with.
What the settings cannot make equal is fixed by the drivers: a bio-based
device has no request, no scheduler and no writeback throttling, and
max_sectors_kb is not applied to it (its submit_bio takes a bio of any
size: a 1 MiB direct read comes as one bio); max_segments (arc 512,
null_blk 128) and the block sizes are not writable.
"""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.environ["ARC_ROOT"]
SIZE_MB = int(os.environ.get("BENCH_SIZE_MB", "512"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
RUNTIME = int(os.environ.get("BENCH_RUNTIME", "4"))
NPROC = os.cpu_count()

ROWS = [  # name, fio args, metric
    ("4k randread QD1", ["--rw=randread", "--bs=4k", "--iodepth=1"], "iops"),
    ("4k randread QD32", ["--rw=randread", "--bs=4k", "--iodepth=32"], "iops"),
    ("4k randwrite QD1", ["--rw=randwrite", "--bs=4k", "--iodepth=1"], "iops"),
    ("4k randwrite QD32", ["--rw=randwrite", "--bs=4k", "--iodepth=32"], "iops"),
    ("1M seq read", ["--rw=read", "--bs=1M", "--iodepth=8"], "bw"),
    ("1M seq write", ["--rw=write", "--bs=1M", "--iodepth=8"], "bw"),
]


def sh(*cmd):
    subprocess.run(cmd, check=True)


def unload(mod):
    if os.path.isdir(f"/sys/module/{mod}"):
        sh("rmmod", mod)


def setup(mode):
    """Load the devices of one comparison; return {name: device}."""
    unload("arc_ramdisk")
    unload("null_blk")
    if not os.path.isdir("/sys/module/arc_block"):
        sh("insmod", f"{ROOT}/shim/arc.ko")
        sh("insmod", f"{ROOT}/shim/arc_block.ko")
    sh("insmod", f"{ROOT}/modules/ramdisk/arc_ramdisk.ko", f"size_mb={SIZE_MB}",
       f"hw_queues={NPROC}", "queue_depth=128", f"queue_mode={mode}")
    if not os.path.exists("/dev/ram0"):
        sh("modprobe", "brd", "rd_nr=1", f"rd_size={SIZE_MB * 1024}")
    # null_blk at its fastest: inline completion, memory backed, and no
    # I/O scheduler (as brd and arc; with one CPU, hence one hardware
    # queue, the block layer would give it mq-deadline).
    gb = max(1, (SIZE_MB + 1023) // 1024)
    sh("modprobe", "null_blk", "nr_devices=1", "memory_backed=1", f"gb={gb}",
       f"queue_mode={0 if mode == 'bio' else 2}",
       f"submit_queues={NPROC}", "hw_queue_depth=128", "irqmode=0",
       "no_sched=1", "max_sectors=2048")
    devs = {"arc": "/dev/arcram0", "brd": "/dev/ram0", "null_blk": "/dev/nullb0"}
    for dev in devs.values():
        equalize(dev)
    for dev in devs.values():
        sh("dd", "if=/dev/urandom", f"of={dev}", "bs=1M", f"count={SIZE_MB}",
           "oflag=direct", "status=none")
    return devs


# The queue settings every device runs with, in this order (max_sectors_kb
# is capped by each device's max_hw_sectors_kb: brd's 127 is not applied
# to bios, see above). A device without the attribute (brd has no
# writeback throttling) has nothing to switch off.
QUEUE = [
    ("scheduler", "none"),
    ("iostats", "0"),
    ("wbt_lat_usec", "0"),
    ("nomerges", "0"),
    ("rq_affinity", "1"),
    ("add_random", "0"),
    ("max_sectors_kb", "1024"),
    ("read_ahead_kb", "128"),
    ("write_cache", "write through"),
]


def qpath(dev, attr):
    return f"/sys/block/{os.path.basename(dev)}/queue/{attr}"


def qread(dev, attr):
    try:
        with open(qpath(dev, attr)) as f:
            return f.read().strip()
    except OSError:
        return "-"


def qshow(dev, attr):
    return qread(dev, attr) or "-"


def equalize(dev):
    for attr, val in QUEUE:
        # brd's wbt_lat_usec reads empty: a bio-based queue has no
        # writeback throttling to switch off.
        if qread(dev, attr) in ("-", ""):
            continue
        if attr == "max_sectors_kb":
            val = str(min(int(val), int(qread(dev, "max_hw_sectors_kb"))))
        with open(qpath(dev, attr), "w") as f:
            f.write(val)
        got = qread(dev, attr)
        if attr == "scheduler":
            got = got[got.index("[") + 1:got.index("]")] if "[" in got else got
        if got != val:
            raise RuntimeError(f"{qpath(dev, attr)}: wrote {val}, reads {got}")


def print_queues(devs):
    """Every queue attribute of every device, as the rows ran with them."""
    attrs = sorted({a for dev in devs.values()
                    for a in os.listdir(os.path.dirname(qpath(dev, "x")))
                    if os.path.isfile(qpath(dev, a))})
    set_here = {a for a, _ in QUEUE}
    print(f"{'queue attribute':<24}" + "".join(f" {d:>22}" for d in devs))
    for a in attrs:
        vals = [qshow(dev, a) for dev in devs.values()]
        mark = " (set)" if a in set_here else ("" if len(set(vals)) == 1 else " (differs)")
        print(f"{a:<24}" + "".join(f" {v:>22}" for v in vals) + mark)


def request_kib(dev):
    """The mean size of the requests that 1 MiB direct reads reach @dev's
    driver as (I/O statistics on for one second, then off again); None
    for a bio-based device, which keeps no request statistics."""
    if qread(dev, "iostats") == "-" or os.path.basename(dev).startswith("ram"):
        return None
    stat = f"/sys/block/{os.path.basename(dev)}/stat"
    with open(qpath(dev, "iostats"), "w") as f:
        f.write("1")
    try:
        with open(stat) as f:
            before = [int(x) for x in f.read().split()]
        subprocess.run(["fio", "--name=rq", f"--filename={dev}", "--direct=1",
                        "--ioengine=io_uring", "--rw=read", "--bs=1M", "--iodepth=8",
                        f"--size={SIZE_MB}M", "--time_based", "--runtime=1"],
                       check=True, capture_output=True)
        with open(stat) as f:
            after = [int(x) for x in f.read().split()]
    finally:
        with open(qpath(dev, "iostats"), "w") as f:
            f.write("0")
    ios, sectors = after[0] - before[0], after[2] - before[2]
    return sectors / 2 / ios if ios else None


def fio(dev, args, metric):
    out = subprocess.run(
        ["fio", "--name=bench", f"--filename={dev}", "--direct=1",
         "--ioengine=io_uring", f"--numjobs={NPROC}", f"--size={SIZE_MB}M",
         "--time_based", f"--runtime={RUNTIME}", "--group_reporting",
         "--randrepeat=0", "--output-format=json"] + args,
        check=True, capture_output=True, text=True).stdout
    job = json.loads(out[out.index("{"):])["jobs"][0]
    side = job["write"] if "write" in args[0] else job["read"]
    return side["iops"] if metric == "iops" else side["bw"] / 1024.0


def paired(row, peer):
    """arc against @peer round by round: the median of the per-round ratios
    and the number of rounds arc won. Runs next to each other mostly see
    the host at the same speed, where a column's median can land on a fast
    or a slow stretch (scripts/bench/fw.py measured this for packets)."""
    pair = [a / b for a, b in zip(row["arc"], row[peer])]
    wins = sum(r > 1 for r in pair)
    return f"{statistics.median(pair):.2f} {wins}/{len(pair)}"


def compare(mode):
    devs = setup(mode)
    # Bio-based devices get each bio whole: no requests to measure.
    rq = {d: None if mode == "bio" else request_kib(dev) for d, dev in devs.items()}
    results = {}
    for name, args, metric in ROWS:
        for r in range(ROUNDS):
            # Each round starts at the next device, so that none always
            # runs first (just after the previous row) or last.
            order = list(devs.items())
            order = order[r % len(order):] + order[:r % len(order)]
            for d, dev in order:
                v = fio(dev, args, metric)
                results.setdefault(name, {}).setdefault(d, []).append(v)
                print(f"# {mode}: {name} round {r + 1} {d}: {v:.0f}", flush=True)
    print()
    peers = "brd (bio-based) and null_blk queue_mode=0 (bio-based)" if mode == "bio" else \
        "brd (bio-based) and null_blk queue_mode=2 (blk-mq)"
    print(f"== arc_ramdisk queue_mode={mode} against {peers}")
    print(f"fio io_uring direct, numjobs={NPROC}, {RUNTIME}s x {ROUNDS} rounds "
          f"interleaved, {SIZE_MB} MiB devices filled first; median (min-max)")
    hdr = f"{'row':<18} {'unit':<5}" + "".join(f" {d:>22}" for d in devs) + \
        f" {'arc/brd':>10} {'arc/null':>10} {'med/brd':>8} {'med/null':>8}"
    print(hdr)
    print("-" * len(hdr))
    for name, _, metric in ROWS:
        row = results[name]
        med = {d: statistics.median(v) for d, v in row.items()}
        cells = "".join(
            f" {f'{med[d]:.0f} ({min(row[d]):.0f}-{max(row[d]):.0f})':>22}" for d in devs)
        unit = "IOPS" if metric == "iops" else "MiB/s"
        print(f"{name:<18} {unit:<5}{cells} {paired(row, 'brd'):>10}"
              f" {paired(row, 'null_blk'):>10} {med['arc'] / med['brd']:>8.2f}"
              f" {med['arc'] / med['null_blk']:>8.2f}")
    print("arc/brd, arc/null: median over rounds of arc's rate against the peer's in the "
          "same round, and in how many rounds arc was faster; med/brd, med/null: arc's "
          "median against the peer's median")
    print()
    print_queues(devs)
    print("1 MiB direct reads reach the driver as requests of: " + ", ".join(
        f"{d} {'one bio (bio-based)' if v is None else f'{v:.0f} KiB'}" for d, v in rq.items()))
    print()


def main():
    for mode in os.environ.get("BENCH_BLK_MODES", "mq bio").split():
        if mode not in ("mq", "bio"):
            print(f"blk.py: BENCH_BLK_MODES: unknown mode {mode} (mq, bio)", file=sys.stderr)
            return 2
        compare(mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
