#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""RAM disk benchmark, run as root inside the guest (scripts/bench.sh).

arc_ramdisk, brd and null_blk (memory_backed=1) side by side in one boot:
each device is filled first, then every row runs on the three devices
interleaved (A B C, B C A, C A B, ...) for ROUNDS rounds. Prints median
and min-max per device, arc against each peer round by round (median of
the per-round ratios, and rounds won), and the ratio of medians.
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


def setup():
    sh("insmod", f"{ROOT}/shim/arc.ko")
    sh("insmod", f"{ROOT}/modules/ramdisk/arc_ramdisk.ko", f"size_mb={SIZE_MB}",
       f"hw_queues={NPROC}", "queue_depth=128")
    sh("modprobe", "brd", "rd_nr=1", f"rd_size={SIZE_MB * 1024}")
    # null_blk at its fastest: inline completion, memory backed, and no
    # I/O scheduler (as brd and arc; with one CPU, hence one hardware
    # queue, the block layer would give it mq-deadline).
    gb = max(1, (SIZE_MB + 1023) // 1024)
    sh("modprobe", "null_blk", "nr_devices=1", "memory_backed=1", f"gb={gb}",
       f"submit_queues={NPROC}", "hw_queue_depth=128", "irqmode=0",
       "no_sched=1")
    devs = {"arc": "/dev/arcram0", "brd": "/dev/ram0", "null_blk": "/dev/nullb0"}
    for dev in devs.values():
        sh("dd", "if=/dev/urandom", f"of={dev}", "bs=1M", f"count={SIZE_MB}",
           "oflag=direct", "status=none")
    return devs


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


def main():
    devs = setup()
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
                print(f"# {name} round {r + 1} {d}: {v:.0f}", flush=True)
    print()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
