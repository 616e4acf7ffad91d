#!/usr/bin/env bash
# The test command (`make check`): install what is missing, run the host
# checks once while every kernel of the matrix is fetched, then for each
# kernel, in its own copy of the tree: build arc for it with W=1 and
# -Werror, DKMS-install it, boot it in virtme-ng and run every selftest in
# it: the module tests split over two boots side by side, arc_minivm's
# in a third boot with a KVM inside. Prints TAP, a table kernel x module,
# and ends with "N passed, N failed, N skipped"; exit status 0 only if
# nothing failed.
#
# Environment:
#   KVERS          kernel series to test (default: ARC_CHECK_KERNELS in
#                  the Makefile; scripts/kernels.sh fetches each)
#   KVER           test only this installed kernel release instead
#   ARC_BOOTS      guests run at once, over all kernels (default: the
#                  host's cores; 1 shows each boot's output as it comes)
#   ARC_SHARDS     boots the module tests of a kernel are split over
#                  (default: ARC_BOOTS)
#   ARC_SKIP_DEPS  do not touch packages
#   ARC_TESTS      only these guest tests (e.g. "dkms/dkms.sh"), and no
#                  host suite: for working on one test across kernels
#   ARC_DEBUG=1    `make check-debug`: the debug kernel (scripts/kernels.sh
#                  debug) instead of the matrix, no host suite, the fuzzers'
#                  full runs and the soak tests, and every test's kernel
#                  messages searched for reports (selftests/run.sh)
#   ARC_FUZZ_MODE, ARC_FUZZ_SEED, ARC_FUZZ_SECONDS, ARC_SOAK, ARC_SOAK_SECONDS,
#   ARC_PARAMS_ONLY
#                  passed to the guest's tests (selftests/fuzz/fuzz.h,
#                  selftests/fuzz/params.sh)
#   ARC_TEST_TIMEOUT
#                  with ARC_DEBUG: one test's bound in seconds (default
#                  3600; fuzz/params.sh over several modules needs more)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${ARC_SKIP_DEPS:-}" ]; then
	scripts/deps.sh "$([ -n "${ARC_DEBUG:-}" ] && echo debug || echo test)"
fi
# What the guest's tests get from here; the debug lane's defaults.
guest_env=()
vm_opts=(-t 2400)
if [ -n "${ARC_DEBUG:-}" ]; then
	# A full fuzzer run's time bound: most of a test's hour (the debug
	# kernel is 10-40 times slower than a stock one: fuzz_frames.sh's
	# 10^6 frames did not fit fuzz.h's default 1800 s beside another guest).
	guest_env+=(ARC_DEBUG=1 ARC_FUZZ_MODE="${ARC_FUZZ_MODE:-full}" ARC_SOAK="${ARC_SOAK-1}"
		    ARC_TEST_TIMEOUT="${ARC_TEST_TIMEOUT:-3600}" ARC_FUZZ_SECONDS="${ARC_FUZZ_SECONDS:-3300}")
	vm_opts=(-t 14400)
	# The kernel log must hold a whole report; KFENCE samples more often.
	export ARC_VM_APPEND="log_buf_len=16M kfence.sample_interval=10 ${ARC_VM_APPEND:-}"
	# The root filesystem over 9p, not virtio-fs: under the debug kernel,
	# programs read back from virtio-fs after their page cache was dropped
	# (load_unload.sh's drop_caches) ran corrupt code: every later insmod,
	# rmmod and awk died of SIGSEGV (seen on 6.1.192 with QEMU 7.2's
	# virtiofsd; the stock kernels do not do it). Over 9p they run.
	export ARC_VM_9P=1
fi
# ARC_VM_CPUS: the guest's CPUs (default 2), e.g. 1 beside another guest.
[ -n "${ARC_VM_CPUS:-}" ] && vm_opts+=(-c "$ARC_VM_CPUS")
for v in ARC_FUZZ_MODE ARC_FUZZ_SEED ARC_FUZZ_SECONDS ARC_FUZZ_TRACE ARC_FUZZ_IMAGES ARC_SOAK ARC_SOAK_SECONDS; do
	if [ -z "${ARC_DEBUG:-}" ] && [ -n "${!v:-}" ]; then
		guest_env+=("$v=${!v}")
	fi
done
# fuzz/params.sh: only some modules' sweeps.
[ -z "${ARC_PARAMS_ONLY:-}" ] || guest_env+=("ARC_PARAMS_ONLY=$ARC_PARAMS_ONLY")

results=$root/build/results
rm -rf "$results"
mkdir -p "$results"

make -s ksrc
make -s selftests
make -s userspace
make -s -C guests


# Module name for a guest test: the folder it lives in.
module_of() {
	case $(ls -d selftests/*/"$1" 2>/dev/null | head -n 1) in
	selftests/ramdisk/*) echo arc_ramdisk ;;
	selftests/firewall/*) echo arc_firewall ;;
	selftests/usb_sensor/*) echo arc_usb_sensor ;;
	selftests/pktan/*) echo arc_pktan ;;
	selftests/minivm/*) echo arc_minivm ;;
	*) echo arc ;;
	esac
}

# in_kernel_env CMD...: run CMD where the kernel described by KVER KDIR
# KROOT KPATH (scripts/kernels.sh) can be built for.
in_kernel_env() {
	KVER=$KVER KDIR=$KDIR KROOT=${KROOT:-} KPATH=${KPATH:-} scripts/for-kernel.sh - "$@"
}

build_for() {
	find shim modules \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' \) -delete
	in_kernel_env make -s -j"$(nproc)" modules W=1 ARC_WERROR=y KVER="$KVER" KDIR="$KDIR"
}

# DKMS for the kernel: `make dkms-install` on the build host (building in
# the emulated guest takes ten minutes a kernel), into scratch trees under
# $1; the guest's dkms/dkms.sh then modprobes what DKMS installed.
dkms_install() {
	rm -rf "$1"
	in_kernel_env env ARC_DKMS_DIR="$1" make -s dkms-install KVER="$KVER" KDIR="$KDIR"
	dkms_module_tree "$1"
}

# What a real `dkms install` ends with is depmod over /lib/modules/KVER.
# Do that here, on the build host, over DIR/root/lib/modules/KVER: the
# kernel's module tree (hard links) plus what DKMS installed. The guest
# mounts it over its own module tree and modprobes from it. (depmod of
# four thousand compressed modules takes minutes in the emulated guest,
# seconds here.)
dkms_module_tree() {
	local d=$1 moddir tree
	moddir=$(dirname "$KIMG")/../lib/modules/$KVER
	[ -f "$moddir/modules.builtin" ] || moddir=$(dirname "$KIMG")
	[ -f "$moddir/modules.builtin" ] || {
		echo "no module tree for $KVER beside $KIMG" >&2
		return 1
	}
	tree=$d/root/lib/modules/$KVER
	mkdir -p "$tree" "$d/root/usr/lib"
	# Newer depmods look under usr/lib/modules: the same tree.
	ln -sfn ../../lib/modules "$d/root/usr/lib/modules"
	cp -al "$moddir/." "$tree/" 2>/dev/null || cp -a "$moddir/." "$tree/"
	# depmod's outputs: unlinked, so that no write can reach the originals.
	(cd "$tree" && rm -f modules.dep modules.dep.bin modules.alias modules.alias.bin \
		modules.softdep modules.weakdep modules.symbols modules.symbols.bin \
		modules.builtin.bin modules.builtin.alias.bin modules.devname)
	cp -a "$d/modules/$KVER/updates" "$tree/"
	in_kernel_env depmod -b "$d/root" "$KVER"
}

# After the guest: `make dkms-remove` must take everything away again.
dkms_remove_tap() {
	local d=$1 left
	{
		echo "TAP version 13"
		echo "1..1"
		if ! in_kernel_env env ARC_DKMS_DIR="$d" make -s dkms-remove KVER="$KVER" >"$d.log" 2>&1; then
			sed 's/^/# /' "$d.log"
			echo "not ok 1 dkms-remove for $KVER"
		elif left=$(find "$d/modules" "$d/src" -name 'arc*' 2>/dev/null) && [ -n "$left" ]; then
			echo "# left behind: $left"
			echo "not ok 1 dkms-remove for $KVER"
		else
			echo "ok 1 dkms-remove for $KVER"
		fi
	}
}

if [ -n "${ARC_DEBUG:-}" ]; then
	series=(debug)
elif [ -n "${KVER:-}" ]; then
	series=(installed)
else
	read -r -a series <<<"${KVERS:-$(make -s print-kernels)}"
fi

# Phase 1, in the background: fetch the kernels, one after another (apt
# and debootstrap must not run concurrently); each one's "fetched" file
# says it is done. Meanwhile the host checks run (checkpatch, sparse,
# probes, parser unit tests and fuzzing, against the primary kernel,
# Debian 12's stock 6.1): the fetch mostly waits for the network and the
# disk, the host checks for the CPUs.
fetch_all() {
	local s out
	for s in "${series[@]}"; do
		out=$results/$s
		if [ "$s" = installed ]; then
			printf 'KVER=%s\nKDIR=%s\nKIMG=%s\nKROOT=\nKPATH=\n' "$KVER" \
				"/lib/modules/$KVER/build" "/boot/vmlinuz-$KVER" >"$out/kernel.env"
		elif ! (unset KVER; scripts/kernels.sh "$s" >"$out/kernel.env" 2>"$out/kernel.log"); then
			echo "not ok - kernel $s: cannot fetch it (see its log below)" >"$out/failed.tap"
			echo "$s|fetch failed" >"$out/row"
			rm -f "$out/kernel.env"
		fi
		touch "$out/fetched"
	done
}
for s in "${series[@]}"; do mkdir -p "$results/$s"; done
fetch_all &
fetcher=$!
set +e
# Its builds (W=1, sparse, the probes) use every core.
[ -n "${ARC_TESTS:-}${ARC_DEBUG:-}" ] ||
	MAKEFLAGS="-j$(nproc) ${MAKEFLAGS:-}" ARC_TAP=$results/host.tap selftests/run.sh host
set -e
# fetched SERIES: wait until the fetch of SERIES has ended; false if it
# failed (its log is printed).
fetched() {
	local out=$results/$1
	while [ ! -e "$out/fetched" ]; do
		kill -0 "$fetcher" 2>/dev/null || break
		sleep 2
	done
	[ -f "$out/kernel.env" ] && return 0
	cat "$out/kernel.log" 2>/dev/null
	cat "$out/failed.tap" 2>/dev/null || echo "not ok - kernel $1: the fetch did not end"
	return 1
}

# Phase 2: the guests. Each kernel gets its own copy of the tree
# (build/trees/SERIES), where arc is built for it with W=1 and -Werror and
# DKMS-installed; then its guest tests run in several boots: the module
# tests split over ARC_SHARDS boots ("shards", balanced by what each test
# cost in CI, below), and arc_minivm's tests in a boot with a KVM inside.
# The boots of every kernel share ARC_BOOTS slots: a boot starts as soon
# as one is free, and the next kernel is built while the last boots of
# the one before run. When all of a kernel's boots have ended, `make
# dkms-remove` must take everything away again.
# Why boots side by side: under emulation a guest's time is its CPU's,
# and a guest running these tests keeps about one host core busy (they
# mostly do one thing at a time: one python3, one insmod, one fio), so
# two guests on two cores take about half as long as one after the
# other. Tried before (session 23): two whole kernels at once, each with
# its minivm boot beside it: four guests on two cores, no faster.
# The cloud flavour (Debian 12's 6.1, built without USB) is the stock
# 6.1 otherwise: its boot checks what differs, that DKMS installs and
# modprobe loads everything but the USB modules, and that a disk and the
# firewall work.
CLOUD_TESTS="dkms/dkms.sh ramdisk/io.sh firewall/basic.sh"
slots=${ARC_BOOTS:-$(nproc)}
[ "$slots" -ge 1 ] 2>/dev/null || slots=1
shards=${ARC_SHARDS:-$slots}
[ "$shards" -ge 1 ] 2>/dev/null || shards=1

# What each guest test cost, in seconds: the mean over 5.10, 6.12 and
# 7.2 of a make check with two boots side by side on 2 cores (session
# 24). Only the shards' balance uses it. A test not listed counts 30 s, a
# soak test its ARC_SOAK_SECONDS.
declare -A cost=(
	[dkms/dkms.sh]=12 [firewall/basic.sh]=39 [firewall/counters.sh]=51
	[firewall/dump.sh]=29 [firewall/exthdr.sh]=60 [firewall/filter.sh]=85
	[firewall/frag.sh]=72 [firewall/fuzz_frames.sh]=23
	[firewall/fuzz_genl.sh]=23 [firewall/load.sh]=43 [firewall/lpm.sh]=21
	[firewall/memcg.sh]=20 [firewall/netns.sh]=21 [firewall/nl.sh]=8
	[firewall/rebuild.sh]=55 [firewall/replace.sh]=25
	[firewall/ssh_guard.sh]=17 [fuzz/params.sh]=77 [pktan/control.sh]=26
	[pktan/detect.sh]=48 [pktan/flood.sh]=59 [pktan/frames.sh]=33
	[pktan/genl_fuzz.sh]=15 [pktan/malformed.sh]=33 [pktan/stats.sh]=43
	[pktan/trace.sh]=18 [ramdisk/bio_mode.sh]=177
	[ramdisk/completion.sh]=38 [ramdisk/discard.sh]=20
	[ramdisk/ext4.sh]=18 [ramdisk/fio_verify.sh]=31
	[ramdisk/fuzz_blk.sh]=23 [ramdisk/io.sh]=11
	[ramdisk/load_unload.sh]=59 [ramdisk/params.sh]=21
	[ramdisk/partitions.sh]=7 [ramdisk/pressure.sh]=17
	[ramdisk/sleep.sh]=9 [usb_sensor/cycles.sh]=125
	[usb_sensor/faults.sh]=70 [usb_sensor/fuzz_usb.sh]=27
	[usb_sensor/shapes.sh]=18 [usb_sensor/stream.sh]=31
	[usb_sensor/suspend.sh]=16 [usb_sensor/two.sh]=25
)

# The tests that need two CPUs (a per-CPU counter or queue exercised
# from both, a task pinned to the second CPU) or that race a CPU against
# another. They go to the first shard, which has two vCPUs; the others
# have one: two guests with one vCPU each on two host cores ran the same
# tests about 20% faster than two with two each (6.1, session 25: boots
# of 88 and 95 s against 111 and 114 s), the vCPUs of the two guests no
# longer taking turns on the host's cores.
SMP_TESTS=" ramdisk/bio_mode.sh ramdisk/discard.sh ramdisk/fio_verify.sh
	ramdisk/params.sh ramdisk/fuzz_blk.sh firewall/counters.sh
	firewall/rebuild.sh "

# shard_tests N TEST...: N lines, one per shard, each its tests in the
# order given. The costliest test not yet placed goes to the shard with
# the least so far, a test of SMP_TESTS to the first.
shard_tests() {
	local n=$1 c t i best
	shift
	local -a load=()
	local -A where=()
	for ((i = 0; i < n; i++)); do load[i]=0; done
	while read -r c t; do
		best=0
		for ((i = 1; i < n; i++)); do
			[[ $SMP_TESTS == *[[:space:]]"$t"[[:space:]]* ]] && break
			[ "${load[i]}" -lt "${load[best]}" ] && best=$i
		done
		load[best]=$((load[best] + c))
		where[$t]=$best
	done < <(for t in "$@"; do
			case $t in
			soak/*) c=${ARC_SOAK_SECONDS:-300} ;;
			*) c=${cost[$t]:-30} ;;
			esac
			echo "$c $t"
		 done | sort -k1,1nr -k2,2)
	for ((i = 0; i < n; i++)); do
		for t in "$@"; do
			[ "${where[$t]}" = "$i" ] && printf '%s ' "$t"
		done
		echo
	done
}

# guest_boot NAME SUITE TESTS [VM.SH OPTION...]: boot the kernel and run
# selftests/run.sh SUITE TESTS in it (boot_run's locals: out, shared,
# dkms). Output in $out/NAME.out, TAP in $out/NAME.tap (over 9p, or taken
# from the output where the kernel has no 9p). Returns the guest's status.
guest_boot() {
	local name=$1 suite=$2 list=$3 tap_env=() rc
	shift 3
	[ ${#shared[@]} = 0 ] || tap_env=(ARC_TAP="$out/$name.tap")
	rm -f "$out/$name.tap"
	# shellcheck disable=SC2086 # list is a list of test names
	scripts/vm.sh -i "$KIMG" "${vm_opts[@]}" "$@" "${shared[@]}" -- \
		env "${tap_env[@]}" ARC_DKMS_DIR="$dkms" "${guest_env[@]}" \
		selftests/run.sh "$suite" $list | tee "$out/$name.out"
	rc=${PIPESTATUS[0]}
	if [ ${#shared[@]} = 0 ] && grep -q '^TAP version 13$' "$out/$name.out"; then
		sed -n '/^TAP version 13$/,$p' "$out/$name.out" |
			grep -E '^(TAP version|1\.\.|ok |not ok |#)' >"$out/$name.tap"
	fi
	return "$rc"
}

# guest_ended RC WHAT: say how a guest ended, if not normally; print RC.
guest_ended() {
	case $1 in
	0|1) ;;
	124) echo "# $2 timed out" >&2 ;;
	255) echo "# $2 died (kernel panic or oops: its trace is above)" >&2 ;;
	*) echo "# $2 exited with status $1" >&2 ;;
	esac
	echo "$1"
}

# kernel_prep SERIES: copy the tree, build arc for the kernel, DKMS-install
# it, and write its boots to $out/boots, one per line:
# NAME|SUITE|VM.SH OPTIONS|TESTS. A failure leaves $out/failed.tap.
kernel_prep() {
	local s=$1 out=$results/$1 tree=$root/build/trees/$1 dkms mods m t i n line
	local tests=${ARC_TESTS:-} vmtests='' main=1 minivm=1
	: >"$out/boots"
	[ "$s" = cloud ] && [ -z "$tests" ] && tests=$CLOUD_TESTS minivm=
	# arc_minivm's tests need a KVM inside the guest: they get a boot of
	# their own. Named tests go to the boot they need.
	if [ -n "$tests" ]; then
		local rest=
		minivm=
		for t in $tests; do
			case $t in
			minivm/*|soak/minivm*) vmtests+=" $t" minivm=1 ;;
			*) rest+=" $t" ;;
			esac
		done
		tests=$rest
		[ -n "$rest" ] || main=
	fi
	# shellcheck source=/dev/null
	. "$out/kernel.env"
	rm -rf "$tree"
	mkdir -p "$tree"
	if ! tar -C "$root" --exclude=./build --exclude=./.git -cf - . | tar -C "$tree" -xf - ||
	   ! cd "$tree"; then
		echo "not ok - kernel $KVER: cannot copy the tree to $tree" | tee "$out/failed.tap"
		echo "$KVER|no tree" >"$out/row"
		return
	fi
	echo "# arc check: kernel $KVER"
	if ! build_for >"$out/build.log" 2>&1; then
		cat "$out/build.log"
		echo "not ok - kernel $KVER: build failed (see above)" | tee "$out/failed.tap"
		echo "$KVER|build failed" >"$out/row"
		return
	fi
	echo "# probes for $KVER: $(make -s print-probes KVER="$KVER" KDIR="$KROOT$KDIR" | xargs -I{} cat {}/results | awk '{ printf "%s=%s ", $1, $2 }')"
	mods=()
	for m in shim/arc*.ko modules/*/arc_*.ko; do
		[ -f "$m" ] && mods+=("$(basename "$m" .ko)")
	done
	echo "$KVER|${mods[*]}" >"$out/row"
	dkms=$tree/build/dkms
	if ! dkms_install "$dkms" >"$out/dkms.log" 2>&1; then
		cat "$out/dkms.log"
		echo "# make dkms-install for $KVER failed (see above): the guest's dkms test fails"
	fi
	# The guest writes its TAP into $out over a 9p mount (vm.sh -w). A
	# kernel without 9p (the cloud flavour) gets none: its TAP is taken
	# from what the guest printed.
	if [ -f "$KROOT$KDIR/.config" ] && ! grep -q '^CONFIG_9P_FS=' "$KROOT$KDIR/.config"; then
		echo no >"$out/shared"
	else
		echo yes >"$out/shared"
	fi
	if [ -n "$main" ]; then
		[ -n "$tests" ] || tests=$(env "${guest_env[@]}" selftests/run.sh --list guest)
		# shellcheck disable=SC2086 # a list of test names
		set -- $tests
		n=$((shards < $# ? shards : $#))
		# The cloud kernel's three short tests: one boot is enough.
		[ "$s" = cloud ] && [ -z "${ARC_TESTS:-}" ] && n=1
		i=0
		while read -r line; do
			[ -n "$line" ] || continue
			i=$((i + 1))
			# The first shard has vm.sh's two vCPUs, the others one.
			echo "guest$i|guest|$([ $i = 1 ] || echo -c 1)|$line" >>"$out/boots"
		done < <(shard_tests "$n" "$@")
	fi
	# The minivm boot: vm.sh -n gives the guest a KVM (under emulation a
	# CPU with AMD SVM), and it has one vCPU: two can livelock under
	# emulation after some 100k nested exits, with or without arc.
	[ -z "$minivm" ] || echo "minivm|minivm|-n -c 1|$vmtests" >>"$out/boots"
}

# boot_run SERIES NAME SUITE VM.SH-OPTIONS TESTS: one boot of the kernel,
# in its tree; how it ended in $out/NAME.rc, its seconds in
# $out/NAME.seconds.
# A stock kernel that dies while booting under emulation, before the
# test runner has started (and created the boot's TAP), gets one more
# boot: seen once with 6.12, a call through a NULL pointer in
# get_random_u32() from start_kernel(), before any module was loaded.
# A guest that dies once the tests have started is not booted again.
boot_run() {
	local s=$1 name=$2 suite=$3 vmo=$4 list=$5 out=$results/$1 t0=$SECONDS rc boot
	local dkms shared=()
	cd "$root/build/trees/$s" || return
	# shellcheck source=/dev/null
	. "$out/kernel.env"
	dkms=$PWD/build/dkms
	[ "$(cat "$out/shared")" = no ] || shared=(-w "$out")
	for boot in 1 2; do
		rc=0
		# shellcheck disable=SC2086 # vm.sh options
		guest_boot "$name" "$suite" "$list" $vmo || rc=$?
		if [ "$boot" = 2 ] || [ "$rc" != 255 ] || [ -e "$out/$name.tap" ]; then
			break
		fi
		echo "# the $name guest of $KVER died before any test started (its trace is above): booting it once more"
	done
	guest_ended "$rc" "the $name guest of $KVER" >"$out/$name.rc"
	echo $((SECONDS - t0)) >"$out/$name.seconds"
}

# kernel_finish SERIES: after the kernel's last boot, `make dkms-remove`
# must take everything away again.
kernel_finish() {
	local s=$1 out=$results/$1 tree=$root/build/trees/$1
	if [ -d "$tree/build/dkms" ]; then
		# shellcheck source=/dev/null
		(cd "$tree" && . "$out/kernel.env" && dkms_remove_tap "$tree/build/dkms") |
			tee "$out/dkms-remove.tap"
		rm -rf "$tree/build/dkms/root"
	fi
	echo $((SECONDS - $(cat "$out/t0"))) >"$out/seconds"
	echo "# kernel $s: done, $(cat "$out/seconds") s after its build began"
}

declare -A boot_of=() left=()
# start_boot SERIES LINE: start one of the kernel's boots (LINE from its
# boots file) in the background; with one slot, in the foreground, its
# output as it comes.
start_boot() {
	local s=$1 name suite vmo list
	IFS='|' read -r name suite vmo list <<<"$2"
	if [ "$slots" -eq 1 ]; then
		(set +e; boot_run "$s" "$name" "$suite" "$vmo" "$list") 2>&1 |
			tee "$results/$s/$name.log"
		boot_done "$s" "$name" shown
		return
	fi
	echo "# kernel $s: boot $name started, tests: $([ -n "${list// /}" ] && echo "$list" | wc -w || echo "all of its suite")"
	(set +e; boot_run "$s" "$name" "$suite" "$vmo" "$list") >"$results/$s/$name.log" 2>&1 &
	boot_of[$!]="$s $name"
}
# boot_done SERIES NAME [shown]: a boot has ended: print its output
# whole (unless it was shown as it came); the kernel's last one
# finishes the kernel.
boot_done() {
	local s=$1 name=$2
	if [ -z "${3:-}" ]; then
		echo "# ---- kernel $s, boot $name, $(cat "$results/$s/$name.seconds" 2>/dev/null || echo '?') s:"
		cat "$results/$s/$name.log"
	fi
	left[$s]=$((left[$s] - 1))
	[ "${left[$s]}" -gt 0 ] || kernel_finish "$s"
}
# reap_one: wait until one of the running boots has ended.
reap_one() {
	local pid=
	wait -n -p pid "${!boot_of[@]}" || true
	[ -n "$pid" ] || return 0
	# shellcheck disable=SC2086 # "SERIES NAME"
	set -- ${boot_of[$pid]}
	unset "boot_of[$pid]"
	boot_done "$1" "$2"
}

for s in "${series[@]}"; do
	fetched "$s" || continue
	echo "$SECONDS" >"$results/$s/t0"
	(set +e; kernel_prep "$s") 2>&1 | tee "$results/$s/prep.log"
	mapfile -t lines <"$results/$s/boots"
	left[$s]=${#lines[@]}
	if [ ${#lines[@]} = 0 ]; then
		kernel_finish "$s"
		continue
	fi
	for line in "${lines[@]}"; do
		while [ ${#boot_of[@]} -ge "$slots" ]; do reap_one; done
		start_boot "$s" "$line"
	done
done
while [ ${#boot_of[@]} -gt 0 ]; do reap_one; done
wait "$fetcher" || true

# Count one TAP file; a suite that planned more than it ran fails.
passed=0 failed=0 skipped=0
count() {
	local tap=$1 what=$2 p s f planned
	if [ ! -f "$tap" ]; then
		echo "not ok - $what produced no results"
		failed=$((failed + 1))
		return
	fi
	p=$(grep -cE '^ok [0-9]+ ' "$tap" || true)
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap" || true)
	f=$(grep -cE '^not ok' "$tap" || true)
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
	if [ -n "$planned" ] && [ "$((p + f))" -ne "$planned" ]; then
		echo "not ok - $what ran $((p + f)) of $planned tests"
		failed=$((failed + 1))
	elif [ -z "$planned" ] && [ "$((p + f))" -eq 0 ]; then
		echo "not ok - $what: no plan and no test results"
		failed=$((failed + 1))
	fi
	passed=$((passed + p - s)) skipped=$((skipped + s)) failed=$((failed + f))
}

# What went wrong, gathered at the end (CI shows the end of the log):
# every failed test by name, and how each guest that did not finish ended.
problems=()
note_failures() {
	local tap=$1 what=$2 line
	[ -f "$tap" ] || return 0
	while IFS= read -r line; do
		problems+=("$what: ${line%%$'\t'*}")
	done < <(grep -E '^not ok' "$tap")
}

[ -n "${ARC_TESTS:-}${ARC_DEBUG:-}" ] || {
	count "$results/host.tap" "host suite"
	note_failures "$results/host.tap" "host"
}
echo
echo "# kernel x module: built, then guest tests passed/failed/skipped; minutes from its build to its last boot's end, and its boots' minutes added up"
printf '# %-24s %-18s %-18s %-18s %-18s %-18s %-18s %-6s %s\n' kernel arc arc_ramdisk arc_firewall arc_pktan arc_usb_sensor arc_minivm time boots
for s in "${series[@]}"; do
	out=$results/$s
	row=$(cat "$out/row" 2>/dev/null || echo "$s|no result")
	kver=${row%%|*} built=${row#*|}
	taps=() bootsecs=0
	if [ -f "$out/failed.tap" ]; then
		count "$out/failed.tap" "kernel $kver"
		note_failures "$out/failed.tap" "$kver"
	elif [ ! -s "$out/boots" ]; then
		echo "not ok - kernel $s: nothing ran"
		problems+=("$s: nothing ran (its fetch did not end?)")
		failed=$((failed + 1))
	fi
	while IFS='|' read -r name _; do
		[ -n "$name" ] || continue
		tap=$out/$name.tap
		taps+=("$tap")
		count "$tap" "kernel $kver, $name guest"
		note_failures "$tap" "$kver ($name guest)"
		bootsecs=$((bootsecs + $(cat "$out/$name.seconds" 2>/dev/null || echo 0)))
		rc=$(cat "$out/$name.rc" 2>/dev/null || echo none)
		case $rc in
		0|1) ;;
		124) problems+=("$kver: the $name guest timed out") ;;
		255) problems+=("$kver: the $name guest died (kernel panic or oops); the end of its log:")
		     problems+=("$(tail -n 40 "$out/$name.log" 2>/dev/null | grep -E '\] ' | tail -n 25)") ;;
		none) problems+=("$kver: the $name guest did not end") ;;
		*) problems+=("$kver: the $name guest exited with status $rc; the end of its log:")
		   problems+=("$(tail -n 15 "$out/$name.log" 2>/dev/null)") ;;
		esac
		# A guest that did not end normally fails the run, even when
		# every test it printed passed (an oops after the last one, a
		# TAP cut short before its plan line).
		case $rc in
		0|1) ;;
		*) echo "not ok - kernel $kver: the $name guest ended with status $rc"
		   failed=$((failed + 1)) ;;
		esac
	done <"$out/boots" 2>/dev/null
	if [ -f "$out/dkms-remove.tap" ]; then
		count "$out/dkms-remove.tap" "dkms-remove $kver"
		note_failures "$out/dkms-remove.tap" "$kver"
	fi
	cells=()
	for m in arc arc_ramdisk arc_firewall arc_pktan arc_usb_sensor arc_minivm; do
		case " $built " in
		*" $m "*) ;;
		*" arc "*) cells+=("not built"); continue ;;
		*) cells+=("${built}"); continue ;;
		esac
		p=0 f=0 k=0
		while read -r line; do
			name=${line##*: }
			name=${name%% *}
			[ "$(module_of "$name")" = "$m" ] || continue
			case $line in
			not\ ok*) f=$((f + 1)) ;;
			*'# SKIP'*) k=$((k + 1)) ;;
			*) p=$((p + 1)) ;;
			esac
		done < <(cat "${taps[@]}" /dev/null 2>/dev/null | grep -E '^(not )?ok [0-9]+ ')
		cells+=("built $p/$f/$k")
	done
	secs=$(cat "$out/seconds" 2>/dev/null || echo 0)
	printf '# %-24s %-18s %-18s %-18s %-18s %-18s %-18s %-6s %s\n' "$kver" "${cells[@]}" \
		"$((secs / 60)).$((secs % 60 / 6))" "$((bootsecs / 60)).$((bootsecs % 60 / 6))"
done
if [ ${#problems[@]} -gt 0 ]; then
	echo "# problems:"
	printf '%s\n' "${problems[@]}" | sed 's/^/#   /'
fi
echo "# total: $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
