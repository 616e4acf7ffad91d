# SPDX-License-Identifier: GPL-2.0
"""BENCH_TRACE=1 for scripts/bench/usb.py: where the time from a host URB's
completion to the reader's read goes, from the guest's own tracer.

While a latency run lasts, ftrace records (CLOCK_MONOTONIC) a kprobe on
each path's URB completion (arc_usb.ko's arc_usb_complete, usbhid's
hid_irq_in), the scheduler's wakeups and switches, softirqs, timer
callbacks, work items and the reader's evdev_read() returns. Per completion:
  handler   completion -> the reader's wakeup (the driver, input core and
            evdev; the clock stops at the wakeup)
  wait      wakeup -> the reader on a CPU, and what held that CPU meanwhile
  run       on the CPU -> evdev_read() returns
and, for the slowest 1% of completions, who ran on the reader's CPU
between the wakeup and the reader (time per task or softirq, summed).
"""
import collections
import os
import re
import shutil

TRACING = "/sys/kernel/tracing"
PROBES = {"arc": "arc_usb_complete", "hid": "hid_irq_in"}
EVENTS = ("sched/sched_switch", "sched/sched_wakeup", "irq/softirq_entry",
          "irq/softirq_exit", "timer/timer_expire_entry", "timer/timer_expire_exit",
          "timer/hrtimer_expire_entry", "timer/hrtimer_expire_exit",
          "workqueue/workqueue_execute_start", "workqueue/workqueue_execute_end")
LINE = re.compile(r"^\s*(.*?)-(\d+)\s+\[(\d+)\]\s+\S+\s+(\d+\.\d+): (\w+): (.*)$")


def _w(path, text):
    with open(f"{TRACING}/{path}", "w") as f:
        f.write(text)


def available():
    if not os.path.isdir(f"{TRACING}/events"):
        os.system(f"mount -t tracefs none {TRACING} 2>/dev/null")
    return os.path.exists(f"{TRACING}/kprobe_events")


def start(path):
    _w("tracing_on", "0")
    _w("events/enable", "0")
    _w("kprobe_events", "")
    _w("trace", "")
    _w("trace_clock", "mono")
    _w("buffer_size_kb", "16384")
    _w("kprobe_events", f"p:arcbench/cmpl {PROBES[path]}\n"
       "r:arcbench/rd evdev_read ret=$retval\n")
    _w("events/arcbench/enable", "1")
    for e in EVENTS:
        if os.path.exists(f"{TRACING}/events/{e}"):
            _w(f"events/{e}/enable", "1")
    _w("tracing_on", "1")


def stop(out):
    _w("tracing_on", "0")
    with open(f"{TRACING}/trace") as f, open(out, "w") as o:
        shutil.copyfileobj(f, o)
    _w("events/enable", "0")
    _w("kprobe_events", "")
    _w("trace", "")
    return out


def _pct(v, q):
    if not v:
        return 0.0
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


def analyse(trace, reader="sensor_read"):
    """Per completion: handler, wait and run (us), and for the slowest 1%
    the time per task/softirq on the reader's CPU while it waited."""
    cur = {}           # cpu -> comm running
    ctx = {}           # cpu -> stack of softirq/timer/work names
    rows = []
    pending = None     # [t_cmpl, t_wake, cpu, t_switch, blame]
    last = {}          # cpu -> time of the last event (for blame)
    for line in open(trace):
        m = LINE.match(line)
        if not m:
            continue
        comm, pid, cpu, t, ev, rest = m.groups()
        cpu, t = int(cpu), float(t) * 1e6
        # Blame: time on the reader's CPU between its wakeup and its switch-in.
        if pending and pending[1] is not None and pending[3] is None and cpu == pending[2]:
            what = ctx.get(cpu)[-1] if ctx.get(cpu) else cur.get(cpu, comm)
            pending[4][what] += t - last.get(cpu, t)
        last[cpu] = t
        if ev == "cmpl":
            # The clock starts at the last completion before the wakeup
            # (usbhid completes twice a report here, once empty).
            if pending is None or pending[1] is None:
                pending = [t, None, None, None, collections.Counter()]
        elif ev == "sched_wakeup":
            if pending and pending[1] is None and f"comm={reader} " in rest + " ":
                tc = re.search(r"target_cpu=(\d+)", rest)
                pending[1], pending[2] = t, int(tc.group(1)) if tc else cpu
                last[pending[2]] = max(last.get(pending[2], t), t)
        elif ev == "sched_switch":
            nxt = re.search(r"next_comm=(.*?) next_pid=", rest)
            cur[cpu] = nxt.group(1) if nxt else "?"
            if pending and pending[1] is not None and pending[3] is None and \
                    cur[cpu] == reader:
                pending[3], pending[2] = t, cpu
        elif ev in ("softirq_entry", "timer_expire_entry", "hrtimer_expire_entry",
                    "workqueue_execute_start"):
            name = re.search(r"(action=|function=|function )(\S+)", rest)
            ctx.setdefault(cpu, []).append(f"{ev.split('_')[0]}:{name.group(2) if name else '?'}")
        elif ev in ("softirq_exit", "timer_expire_exit", "hrtimer_expire_exit",
                    "workqueue_execute_end"):
            if ctx.get(cpu):
                ctx[cpu].pop()
        elif ev == "rd" and comm == reader[:15] and pending:
            ret = re.search(r"ret=0x([0-9a-f]+)", rest)
            if not ret or int(ret.group(1), 16) >= 1 << 63 or int(ret.group(1), 16) == 0:
                continue
            tc, tw, _, ts, blame = pending
            if tw is None:
                # The reader was awake already: no wakeup, no wait.
                tw = ts = t
            elif ts is None:
                continue
            rows.append((t - tc, tw - tc, ts - tw, t - ts, blame))
            pending = None
    return rows


def report(path, rows):
    if not rows:
        return [f"# trace {path}: no completion followed by a read"]
    cols = []
    for i, name in enumerate(("total", "handler", "wait", "run")):
        v = [r[i] for r in rows]
        cols.append(f"{name} {_pct(v, .5):.0f}/{_pct(v, .99):.0f}")
    out = [f"# trace {path}: {len(rows)} completions; us p50/p99: " + ", ".join(cols)]
    slow = sorted(rows, key=lambda r: r[0])[-max(1, len(rows) // 100):]
    blame = collections.Counter()
    for r in slow:
        blame.update(r[4])
    n = len(slow)
    out.append(f"# trace {path}: slowest {n}: mean handler {sum(r[1] for r in slow) / n:.0f} "
               f"wait {sum(r[2] for r in slow) / n:.0f} run {sum(r[3] for r in slow) / n:.0f} us; "
               "on the reader's CPU while it waited (mean us): "
               + ", ".join(f"{k} {v / n:.0f}" for k, v in blame.most_common(6)))
    return out
