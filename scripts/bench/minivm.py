#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench BENCH=minivm`, run as root in the guest: what one port-I/O
exit costs when arc_minivm handles it in the kernel, against uvmm
(scripts/bench/uvmm.c), a minimal userspace VMM doing the same KVM_RUN
loop on /dev/kvm (the anchor: what every userspace VMM pays at least).

Both run guests/loop.bin patched to BENCH_EXITS (default 100000) OUTs to
port 0x80, each one an exit that the VMM takes and ignores, then "done".
Each times only its run loop (arc: run_ns of ARCVM_RUN, around
arc_kvm_run(); uvmm: around its KVM_RUN loop), and the cost per exit is
that time over the exits counted. Rounds interleave arc and uvmm
(BENCH_ROUNDS, default 5); the ratio is arc over uvmm per round (below
1.0: the kernel's loop is cheaper). Goal: arc <= 0.8 x uvmm per exit.

The guest's own KVM needs a CPU with SVM: scripts/bench.sh boots this
bench with -cpu max and one vCPU.

BENCH_PERF=1: after the rounds, one run of each under `perf record -e
cpu-clock -a`, and the symbols that took at least 1% of its samples
(TCG has no PMU; under BENCH_CLOCK=icount the clock counts instructions,
so the shares are shares of instructions).
"""
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fw  # noqa: E402 (the benches' shared helpers: perf_flat)

ROOT = os.environ.get("ARC_ROOT", os.getcwd())
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
EXITS = int(os.environ.get("BENCH_EXITS", "100000"))
ARCVM = f"{ROOT}/userspace/arcvm/arcvm"
UVMM = f"{ROOT}/build/uvmm"


def sh(*cmd):
    subprocess.run(cmd, check=True)


def setup():
    if subprocess.run(["modprobe", "kvm_amd"]).returncode and \
       subprocess.run(["modprobe", "kvm_intel"]).returncode:
        sys.exit("minivm bench: no KVM in the guest (boot it with -cpu max)")
    for ko in ("shim/arc.ko", "shim/arc_kvm.ko", "modules/minivm/arc_minivm.ko"):
        sh("insmod", f"{ROOT}/{ko}")


def loop_image(path):
    img = bytearray(open(f"{ROOT}/guests/loop.bin", "rb").read())
    img[4:8] = struct.pack("<I", EXITS)
    open(path, "wb").write(img)


def run_arc(img):
    out = subprocess.run([ARCVM, "--json", "run", img, "--timeout", "600"],
                         capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    if r["stop"] != "hlt" or r["console"] != "done\n":
        sys.exit(f"minivm bench: arc run ended '{r['stop']}': {out}")
    exits = sum(r["exits"].values())
    return r["run_ns"] / exits, exits


def run_uvmm(img):
    p = subprocess.run([UVMM, img], capture_output=True, text=True, check=True)
    # "uvmm: stopped: hlt; N exits ( ... ), X ns per exit"
    last = p.stderr.strip().splitlines()[-1]
    if "stopped: hlt" not in last or p.stdout != "done\n":
        sys.exit(f"minivm bench: uvmm: {p.stderr} {p.stdout!r}")
    exits = int(last.split(";")[1].split()[0])
    return float(last.rsplit(",", 1)[1].split()[0]), exits


def profile(name, cmd):
    fw.perf_flat(f"{name} (one run)", f"/tmp/minivm-{name}.perf", cmd)


def main():
    setup()
    with tempfile.TemporaryDirectory() as tmp:
        img = f"{tmp}/loop.bin"
        loop_image(img)
        arc, uvmm, ratios = [], [], []
        for r in range(ROUNDS):
            a, na = run_arc(img)
            u, nu = run_uvmm(img)
            arc.append(a)
            uvmm.append(u)
            ratios.append(a / u)
            print(f"# round {r + 1}: arc {a:.0f} ns per exit ({na} exits), "
                  f"uvmm {u:.0f} ns per exit ({nu} exits), ratio {a / u:.3f}",
                  flush=True)
        if os.environ.get("BENCH_PERF"):
            profile("arc", [ARCVM, "run", img, "--timeout", "600"])
            profile("uvmm", [UVMM, img])
    med = statistics.median
    print(f"\n{EXITS} port-I/O exits per run, {ROUNDS} rounds interleaved; "
          "median (min-max) ns per exit")
    print(f"{'VMM':<8}{'ns per exit':>26}{'x uvmm':>12}")
    print(f"{'arc':<8}{med(arc):>10.0f} ({min(arc):.0f}-{max(arc):.0f})"
          f"{med(ratios):>12.3f} {sum(x <= 0.8 for x in ratios)}/{ROUNDS}")
    print(f"{'uvmm':<8}{med(uvmm):>10.0f} ({min(uvmm):.0f}-{max(uvmm):.0f})"
          f"{'-':>12}")
    print("\nx uvmm: median over rounds of arc's cost per exit over uvmm's in "
          "the same round (rounds at or below the goal / rounds); "
          "goal: arc <= 0.8 x uvmm")


if __name__ == "__main__":
    main()
