#!/usr/bin/env bash
# The test command (`make check`): install what is missing, run the host
# checks once while every kernel of the matrix is fetched, then for each
# kernel, in its own copy of the tree: build arc for it with W=1 and
# -Werror, DKMS-install it, boot it in virtme-ng and run every selftest in
# it (arc_minivm's in a second boot beside the first, with a KVM inside).
# Kernels run ARC_JOBS at a time. Prints TAP, a table kernel x module, and
# ends with "N passed, N failed, N skipped"; exit status 0 only if nothing
# failed.
#
# Environment:
#   KVERS          kernel series to test (default: ARC_CHECK_KERNELS in
#                  the Makefile; scripts/kernels.sh fetches each)
#   KVER           test only this installed kernel release instead
#   ARC_JOBS       kernels tested at once (default: the host's cores
#                  divided by the cores one guest keeps busy)
#   ARC_MINIVM_BESIDE=0
#                  boot each kernel's minivm guest after its main guest,
#                  not beside it
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
			echo "not ok - kernel $s: cannot fetch it (see its log below)" >"$out/guest.tap"
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
	cat "$out/guest.tap" 2>/dev/null || echo "not ok - kernel $1: the fetch did not end"
	return 1
}

# Phase 2, per kernel, in its own copy of the tree (build/trees/SERIES):
# build, DKMS, boot, every selftest, dkms-remove. ARC_JOBS kernels run at
# once, each one's output printed whole when it ends (with one at a time,
# as it comes). The default fills the host's cores: as many kernels as
# there are cores for the host threads one guest keeps busy
# (`scripts/vm.sh --host-cores`): under QEMU 10 a guest's two CPUs run on
# two host threads, so on 2 cores one kernel runs at a time, its minivm
# boot beside its main one. Tried: two kernels at once (four guests on
# two cores) kept the host 100% busy and took about as long per kernel
# pair as one after the other, and a timing test failed under that load
# (discard.sh: a task waited 290 ms, limit 250).
# The cloud flavour (Debian 12's 6.1, built without USB) is the stock
# 6.1 otherwise: its boot checks what differs, that DKMS installs and
# modprobe loads everything but the USB modules, and that a disk and the
# firewall work.
CLOUD_TESTS="dkms/dkms.sh ramdisk/io.sh firewall/basic.sh"

# guest_boot NAME SUITE TESTS [VM.SH OPTION...]: boot the kernel and run
# selftests/run.sh SUITE TESTS in it (kernel_job's locals: out, shared,
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

kernel_job() {
	local s=$1 out=$results/$1 tree=$root/build/trees/$1 dkms mods m rc boot t
	local tests=${ARC_TESTS:-} vmtests= main=1 minivm=1
	[ "$s" = cloud ] && [ -z "$tests" ] && tests=$CLOUD_TESTS minivm=
	# arc_minivm's tests need a KVM inside the guest: they get a boot of
	# their own (below). Named tests go to the boot they need.
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
	echo "${main:+main }${minivm:+minivm}" >"$out/boots"
	# shellcheck source=/dev/null
	. "$out/kernel.env"
	rm -rf "$tree"
	mkdir -p "$tree"
	if ! tar -C "$root" --exclude=./build --exclude=./.git -cf - . | tar -C "$tree" -xf - ||
	   ! cd "$tree"; then
		echo "not ok - kernel $KVER: cannot copy the tree to $tree" | tee "$out/guest.tap"
		echo "$KVER|no tree" >"$out/row"
		return
	fi
	echo "# arc check: kernel $KVER"
	if ! build_for >"$out/build.log" 2>&1; then
		cat "$out/build.log"
		echo "not ok - kernel $KVER: build failed (see above)" | tee "$out/guest.tap"
		echo "$KVER|build failed" >"$out/row"
		return
	fi
	echo "# probes for $KVER: $(make -s print-probes KVER="$KVER" KDIR="$KROOT$KDIR" | xargs -I{} cat {}/results | awk '{ printf "%s=%s ", $1, $2 }')"
	mods=()
	for m in shim/arc*.ko modules/*/arc_*.ko; do
		[ -f "$m" ] && mods+=("$(basename "$m" .ko)")
	done
	dkms=$tree/build/dkms
	if ! dkms_install "$dkms" >"$out/dkms.log" 2>&1; then
		cat "$out/dkms.log"
		echo "# make dkms-install for $KVER failed (see above): the guest's dkms test fails"
	fi
	# A stock kernel that dies while booting under emulation, before the
	# test runner has started (and created guest.tap), gets one more boot:
	# seen once with 6.12, a call through a NULL pointer in
	# get_random_u32() from start_kernel(), before any module was loaded.
	# A guest that dies once the tests have started is not booted again.
	# The guest writes its TAP into $out over a 9p mount (vm.sh -w). A
	# kernel without 9p (the cloud flavour) gets none: its TAP is taken
	# from what the guest printed.
	local shared=(-w "$out")
	if [ -f "$KROOT$KDIR/.config" ] && ! grep -q '^CONFIG_9P_FS=' "$KROOT$KDIR/.config"; then
		shared=()
	fi
	# The minivm boot: vm.sh -n gives the guest a KVM (under emulation a
	# CPU with AMD SVM), and it has one vCPU: two can livelock under
	# emulation after some 100k nested exits, with or without arc. It
	# runs beside the main boot (ARC_MINIVM_BESIDE=0: after it): the
	# main boot's tests leave a CPU idle much of the time (they wait for
	# packets, timers, USB transfers and each other), and the two boots
	# together take less time than one after the other. Its output is
	# printed whole when it has ended.
	local vmpid=
	if [ -n "$minivm" ] && [ -n "$main" ] && [ "${ARC_MINIVM_BESIDE:-1}" != 0 ]; then
		(rc=0
		 guest_boot minivm minivm "$vmtests" -n -c 1 >"$out/minivm.log" 2>&1 || rc=$?
		 guest_ended "$rc" "the minivm guest of $KVER" >"$out/minivm.rc" 2>>"$out/minivm.log") &
		vmpid=$!
	fi
	for boot in 1 2; do
		[ -n "$main" ] || break
		rc=0
		guest_boot guest guest "$tests" || rc=$?
		if [ "$boot" = 2 ] || [ "$rc" != 255 ] || [ -e "$out/guest.tap" ]; then
			break
		fi
		echo "# the guest of $KVER died before any test started (its trace is above): booting it once more"
	done
	[ -z "$main" ] || guest_ended "$rc" "the guest of $KVER" >"$out/guest.rc"
	if [ -n "$vmpid" ]; then
		wait "$vmpid" || true
		echo "# the minivm guest of $KVER (it ran beside the main one):"
		cat "$out/minivm.log"
	elif [ -n "$minivm" ]; then
		rc=0
		guest_boot minivm minivm "$vmtests" -n -c 1 || rc=$?
		guest_ended "$rc" "the minivm guest of $KVER" >"$out/minivm.rc"
	fi
	dkms_remove_tap "$dkms" | tee "$out/dkms-remove.tap"
	rm -rf "$dkms/root"
	echo "$KVER|${mods[*]}" >"$out/row"
}

# kernel_job_timed SERIES: kernel_job, and how long it took.
kernel_job_timed() {
	local t0=$SECONDS
	kernel_job "$1"
	echo $((SECONDS - t0)) >"$results/$1/seconds"
}

jobs_max=${ARC_JOBS:-$(($(nproc) / $(scripts/vm.sh --host-cores)))}
[ "$jobs_max" -ge 1 ] 2>/dev/null || jobs_max=1
declare -A job_of=()
# finish_one: wait until a running kernel job has ended, print its log.
# A job has ended when it has written its "seconds" file (or is gone).
finish_one() {
	local pid s
	while :; do
		for pid in "${!job_of[@]}"; do
			s=${job_of[$pid]}
			[ -f "$results/$s/seconds" ] || ! kill -0 "$pid" 2>/dev/null ||
				continue
			wait "$pid" || true
			cat "$results/$s/run.log"
			unset "job_of[$pid]"
			return
		done
		sleep 2
	done
}
for s in "${series[@]}"; do
	fetched "$s" || continue
	if [ "$jobs_max" -eq 1 ]; then
		# One at a time: the output as it comes.
		(set +e; kernel_job_timed "$s") 2>&1 | tee "$results/$s/run.log" || true
		continue
	fi
	while [ ${#job_of[@]} -ge "$jobs_max" ]; do finish_one; done
	(set +e; kernel_job_timed "$s") >"$results/$s/run.log" 2>&1 &
	job_of[$!]=$s
done
while [ ${#job_of[@]} -gt 0 ]; do finish_one; done
wait "$fetcher" || true

rows=()
for s in "${series[@]}"; do
	rows+=("$(cat "$results/$s/row" 2>/dev/null || echo "$s|no result")")
done

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
echo "# kernel x module: built, then guest tests passed/failed/skipped; minutes"
printf '# %-24s %-18s %-18s %-18s %-18s %-18s %-18s %s\n' kernel arc arc_ramdisk arc_firewall arc_pktan arc_usb_sensor arc_minivm time
i=0
for s in "${series[@]}"; do
	row=${rows[i]}
	i=$((i + 1))
	kver=${row%%|*} built=${row#*|}
	tap=$results/$s/guest.tap vmtap=$results/$s/minivm.tap
	boots=$(cat "$results/$s/boots" 2>/dev/null || echo main)
	case " $boots " in *" main "*)
		count "$tap" "kernel $kver"
		note_failures "$tap" "$kver" ;;
	esac
	case " $boots " in *" minivm "*)
		count "$vmtap" "kernel $kver, minivm guest"
		note_failures "$vmtap" "$kver (minivm guest)"
		rc=$(cat "$results/$s/minivm.rc" 2>/dev/null || echo 0)
		case $rc in
		0|1) ;;
		124) problems+=("$kver: the minivm guest timed out") ;;
		*) problems+=("$kver: the minivm guest ended with status $rc; the end of its log:")
		   problems+=("$(tail -n 25 "$results/$s/run.log" 2>/dev/null)")
		   echo "not ok - kernel $kver: the minivm guest ended with status $rc"
		   failed=$((failed + 1)) ;;
		esac ;;
	esac
	if [ -f "$results/$s/dkms-remove.tap" ]; then
		count "$results/$s/dkms-remove.tap" "dkms-remove $kver"
		note_failures "$results/$s/dkms-remove.tap" "$kver"
	fi
	rc=$(cat "$results/$s/guest.rc" 2>/dev/null || echo none)
	case " $boots " in *" main "*) ;; *) rc=0 ;; esac
	case $rc in
	0|1) ;;
	none) [ -f "$results/$s/row" ] && problems+=("$kver: no guest ran (the build or the fetch failed: see its log above)") ;;
	124) problems+=("$kver: the guest timed out") ;;
	255) problems+=("$kver: the guest died (kernel panic or oops); the end of its log:")
	     problems+=("$(tail -n 40 "$results/$s/run.log" 2>/dev/null | grep -E '\] ' | tail -n 25)") ;;
	*) problems+=("$kver: the guest exited with status $rc; the end of its log:")
	   problems+=("$(tail -n 15 "$results/$s/run.log" 2>/dev/null)") ;;
	esac
	# A guest that did not end normally fails the run, even when every
	# test it printed passed (an oops after the last one, a TAP cut
	# short before its plan line).
	case $rc in
	0|1|none) ;;
	*) echo "not ok - kernel $kver: the guest ended with status $rc"
	   failed=$((failed + 1)) ;;
	esac
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
		done < <(cat "$tap" "$vmtap" 2>/dev/null | grep -E '^(not )?ok [0-9]+ ')
		cells+=("built $p/$f/$k")
	done
	secs=$(cat "$results/$s/seconds" 2>/dev/null || echo 0)
	printf '# %-24s %-18s %-18s %-18s %-18s %-18s %-18s %d.%d\n' "$kver" "${cells[@]}" \
		$((secs / 60)) $((secs % 60 / 6))
done
if [ ${#problems[@]} -gt 0 ]; then
	echo "# problems:"
	printf '%s\n' "${problems[@]}" | sed 's/^/#   /'
fi
echo "# total: $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
