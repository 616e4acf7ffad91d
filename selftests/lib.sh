#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for arc's shell selftests. Source it; ARC_ROOT is the arc tree
# whose modules were built for the running kernel.
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

ARC_ROOT=${ARC_ROOT:?ARC_ROOT must point at the built arc tree}
ARC_SHIM=$ARC_ROOT/shim
# The shim's modules, one per namespace past ARC_CORE (arc.ko).
ARC_SHIM_AREAS="arc_block arc_net arc_usb arc_input arc_kvm"
ARC_KO=$ARC_SHIM/arc.ko
RAMDISK_KO=$ARC_ROOT/modules/ramdisk/arc_ramdisk.ko
# The RAM disk's queue_mode for the tests that load it (ARC_RAMDISK_MODE=
# mq, the default, or bio: ramdisk/bio_mode.sh runs them all so).
RAMDISK_MODE=${ARC_RAMDISK_MODE:-mq}
RAMDISK_ARGS=()
[ "$RAMDISK_MODE" = mq ] || RAMDISK_ARGS=("queue_mode=$RAMDISK_MODE")
KSFT_SKIP=4

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit $KSFT_SKIP; }
pass() { echo "ok: $*"; }
need() {
	local c
	for c; do command -v "$c" >/dev/null || skip "$c not installed"; done
}

loaded() { [ -d "/sys/module/$1" ]; }

# kernel_reports: the kernel's reports of a bug in the log (none: empty).
kernel_reports() {
	dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|stack-protector|still has objects'
}

# arc_load [AREA...]: insmod arc.ko (ARC_CORE) and the shim module of each
# AREA (block, net, ...: arc_AREA.ko), those not loaded yet. insmod does
# not resolve dependencies; modprobe would (selftests/dkms).
arc_load() {
	local a
	loaded arc || insmod "$ARC_KO" || fail "insmod arc.ko"
	for a; do
		loaded "arc_$a" && continue
		kernel_deps "$ARC_SHIM/arc_$a.ko"
		insmod "$ARC_SHIM/arc_$a.ko" || fail "insmod arc_$a.ko"
	done
}

# kernel_deps KO: modprobe the kernel's modules KO depends on (usbcore for
# arc_usb.ko), which insmod does not load.
kernel_deps() {
	local d
	for d in $(modinfo -F depends "$1" | tr , ' '); do
		case $d in arc | arc_*) continue ;; esac
		loaded "$d" || modprobe "$d" || fail "modprobe $d (needed by $1)"
	done
}

# arc_shim_unload: rmmod the shim modules that are loaded, areas first
# (the modules using them must be gone).
arc_shim_unload() {
	local m
	for m in $ARC_SHIM_AREAS arc; do
		if loaded "$m"; then rmmod "$m" || return 1; fi
	done
	return 0
}

# ramdisk_load [PARAM=VALUE...]: load arc.ko and arc_block.ko if needed,
# then arc_ramdisk.
ramdisk_load() {
	arc_load block
	insmod "$RAMDISK_KO" "${RAMDISK_ARGS[@]}" "$@" ||
		fail "insmod arc_ramdisk ${RAMDISK_ARGS[*]} $*"
	[ -b /dev/arcram0 ] || fail "no /dev/arcram0 after loading"
}

# ramdisk_unload: rmmod arc_ramdisk once nobody holds its disks. udev
# opens a new disk to probe it: an rmmod right after the load can find it
# still open (seen on 7.2: "Module arc_ramdisk is in use"). A disk held
# for good still fails, after 5 s (60 s with completion=timer).
ramdisk_unload() {
	local i n=50 wait=5
	# With completion=timer every request takes up to a second: udev's
	# probe of a new disk takes that much longer.
	if [ "$(cat /sys/module/arc_ramdisk/parameters/completion 2>/dev/null)" = timer ]; then
		n=600 wait=60
	fi
	command -v udevadm >/dev/null && udevadm settle --timeout=$wait 2>/dev/null
	for i in $(seq $n); do
		rmmod arc_ramdisk 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod arc_ramdisk
}

# Unload whatever arc modules are loaded; used from EXIT traps.
arc_unload_all() {
	loaded arc_ramdisk && rmmod arc_ramdisk
	arc_shim_unload
	return 0
}

# sysfs_read FILE: its first line, without starting a process (every
# exec costs in an emulated guest).
sysfs_read() {
	local v
	read -r v <"$1" || return 1
	printf '%s\n' "$v"
}

# dev_matches FILE DD-ARGS...: whether what `dd DD-ARGS` reads equals FILE.
# dd runs in the foreground and has exited, so closed the device, before
# this returns: reading through `cmp <(dd ...)` let cmp finish while dd
# was still exiting and holding the disk (and so its module) open, and
# an rmmod right after failed with "in use".
dev_matches() {
	local file=$1 got
	shift
	got=$(mktemp /tmp/arc-read.XXXXXX) || return 1
	dd "$@" of="$got" status=none || { rm -f "$got"; return 1; }
	cmp -s "$got" "$file"
	local rc=$?
	rm -f "$got"
	return $rc
}

rd_pages() { sysfs_read "/sys/block/${1:-arcram0}/ramdisk/pages"; }

# sunreclaim_kb: KiB of unreclaimable slab.
sunreclaim_kb() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }

# kmemleak_clear: forget what kmemleak holds now (after a scan), so that
# kmemleak_none sees only what leaked since. Nothing without kmemleak.
kmemleak_clear() {
	local km=/sys/kernel/debug/kmemleak
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	[ -w $km ] || return 0
	echo scan >$km && echo clear >$km
}

# kmemleak_none WHAT: where the kernel has kmemleak, two scans find no
# unreferenced object (else fail, printing the first ones); prints which.
kmemleak_none() {
	local km=/sys/kernel/debug/kmemleak n
	if [ ! -w $km ]; then
		echo "# no kmemleak in this kernel: memory compared by /proc/meminfo only"
		return 0
	fi
	echo scan >$km || fail "kmemleak scan"
	sleep 6
	echo scan >$km || fail "kmemleak scan"
	n=$(grep -c '^unreferenced object' $km)
	if [ "$n" -gt 0 ]; then
		head -n 100 $km
		fail "kmemleak: $n unreferenced object(s) after $1 (the first are above)"
	fi
	echo "# kmemleak: nothing unreferenced"
}

# mem_avail_mb: MiB available after dropping caches: MemAvailable plus
# the free pages parked on the per-CPU page lists, which MemAvailable
# leaves out. Those lists grow after a burst of frees (measured on 6.12:
# 31 MiB after ramdisk/load_unload.sh's cycles, the whole of what looked
# lost), so without them a kernel's page-list tuning reads as a leak.
mem_avail_mb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk -v kb=$(($(getconf PAGESIZE) / 1024)) '
		$1 == "count:" { pcp += $2 }
		$1 == "MemAvailable:" { mem = $2 }
		END { print int((mem + pcp * kb) / 1024) }' /proc/zoneinfo /proc/meminfo
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# Fuzzers and soak tests (selftests/fuzz/fuzz.h has the C side). The
# scale comes from the environment: ARC_FUZZ_MODE=full under `make
# check-debug`, the short run otherwise.
#
# fuzz_count FULL: how many inputs a shell fuzzer tries: FULL in a full
# run, a fiftieth of it (at least 10) in a short one.
fuzz_count() {
	if [ "${ARC_FUZZ_MODE:-}" = full ]; then
		echo "$1"
	elif [ "$1" -ge 500 ]; then
		echo $(($1 / 50))
	else
		echo $(($1 < 10 ? $1 : 10))
	fi
}

# fuzz_seed: the seed of a shell fuzzer's $RANDOM (ARC_FUZZ_SEED, else
# the clock), printed so that a run can be repeated.
fuzz_seed() {
	local seed=${ARC_FUZZ_SEED:-$(date +%s)}
	RANDOM=$seed
	echo "# ARC_FUZZ_SEED=$seed"
}

# parser_check NAME TEST FUZZER MAX_LEN: a parser that is plain C, in
# userspace: its unit tests (built with ASan/UBSan), then 300,000 libFuzzer
# inputs of up to MAX_LEN bytes from a fixed seed.
parser_check() {
	local name=$1 test=$2 fuzzer=$3 max=$4 corpus=/tmp/arc-fuzz-corpus-$1
	need clang
	"$test" || fail "$test"
	mkdir -p "$corpus"
	"$fuzzer" -runs=300000 -max_len="$max" -seed=1 "$corpus" 2>&1 | tail -n 3
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$fuzzer found a crash"
	pass "$name: unit tests and 300,000 fuzz inputs"
}
