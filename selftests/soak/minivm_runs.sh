#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Soak of arc_minivm's main loop, in the minivm guest (a KVM of its own):
# cycles of loading arc_kvm and arc_minivm, running guests two at a time
# (a port-I/O loop of 2,000 exits beside the long-mode guest, the
# triple fault and the spinner stopped by its time budget), and unloading
# both. Then:
# - nothing lost: every loop run took exactly one I/O exit per iteration
#   and per console byte, every console came back whole;
# - once the modules are unloaded, KVM holds no VM and memory is back
#   where it was (available memory, unreclaimable slab; where the kernel
#   has kmemleak, no unreferenced object).
# ARC_SOAK_SECONDS: how long (default 300; at least 3 cycles).
. "$(dirname "$0")/../minivm/vmlib.sh"
need python3
secs=${ARC_SOAK_SECONDS:-300}
tmp=$(mktemp -d /tmp/arc-vm-soak.XXXXXX)
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
trap 'rm -rf "$tmp"; minivm_unload' EXIT
N=2000
loop_image $N "$tmp/loop.bin"
long_want=$'primes below 10000: 1229\nfib(90): 2880067194370816120\nsum of squares 1..1000: 333833500\n'

# check NAME STOP CONSOLE [IO_EXITS]: the JSON in $tmp/NAME.json says so.
check() {
	python3 -S - "$tmp/$1.json" "$2" "$3" "${4:-}" <<'PY' || fail "$1: $(cat "$tmp/$1.json" "$tmp/$1.err")"
import json, sys
r = json.load(open(sys.argv[1]))
ok = r["stop"] == sys.argv[2] and r["console"] == sys.argv[3]
ok = ok and (not sys.argv[4] or r["exits"]["io"] == int(sys.argv[4]))
sys.exit(0 if ok else 1)
PY
}

# arcvm run NAME ARGS...: in the background, JSON in $tmp/NAME.json.
bg() {
	local name=$1
	shift
	"$ARCVM" --json run "$@" >"$tmp/$name.json" 2>"$tmp/$name.err" &
}

runs=0 exits=0
cycle() {
	local i=$1
	minivm_load
	bg loop "$tmp/loop.bin"
	bg long "$GUESTS/long.bin" --mode long --mem 4M
	wait
	check loop hlt $'done\n' $((N + 5))
	check long hlt "$long_want"
	bg triple "$GUESTS/triple.bin" --mode long --mem 4M
	bg spin "$GUESTS/spin.bin" --timeout 0.2
	wait
	check triple shutdown ""
	check spin timeout ""
	runs=$((runs + 4)) exits=$((exits + N + 5))
	minivm_unload || fail "cycle $i: rmmod arc_minivm arc_kvm"
}

# One cycle before the baseline: first-use allocations are not leaks.
cycle 0
runs=0 exits=0
sleep 1
kmemleak_clear
avail0=$(mem_avail_mb)
slab0=$(sunreclaim_kb)
t0=$SECONDS
done=0
while [ $((SECONDS - t0)) -lt "$secs" ] || [ "$done" -lt 3 ]; do
	done=$((done + 1))
	cycle "$done"
done
took=$((SECONDS - t0))
sleep 2
[ "$(kvm_vms)" = 0 ] || fail "KVM still has $(kvm_vms) VMs after the cycles"
avail1=$(mem_avail_mb)
slab1=$(sunreclaim_kb)
echo "# $done cycles, $runs runs ($exits I/O exits counted exactly) in $took s;" \
	"available $avail0 -> $avail1 MiB, unreclaimable slab $slab0 -> $slab1 KiB"
# A leaked VM keeps its RAM's touched pages and KVM's structures (a few
# hundred KiB of slab each, four per cycle): 16 MiB and 2 MiB are well
# below a leak per run and above the noise of reclaim and per-CPU caches.
lost=$((avail0 - avail1))
[ "$lost" -lt 16 ] || fail "available memory: $lost MiB less after $done cycles"
grew=$((slab1 - slab0))
[ "$grew" -lt 2048 ] || fail "unreclaimable slab grew by $grew KiB over $done cycles"
kmemleak_none "the cycles"
pass "$done cycles, $runs runs, nothing lost; memory back (-$lost MiB available, +$grew KiB slab)"
