#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one arc selftest suite through the kernel's kselftest runner and end
# with the plain summary line "N passed, N failed, N skipped".
#
#   run.sh host    checks that run on the build host (nothing is loaded)
#   run.sh guest   module tests; as root in a virtme-ng guest only
#   run.sh minivm  arc_minivm's tests: as root, in a guest with a KVM of its
#                  own (scripts/vm.sh -n)
#   run.sh SUITE TEST...   only these tests of the suite
#   run.sh --list SUITE    print the suite's tests, run nothing
#
# Environment: KSRC (extracted kernel tooling, default ../.cache/ksrc),
# ARC_TAP (file to copy the TAP output to), ARC_DEBUG=1 (`make
# check-debug`: watch the kernel log for reports, see below), ARC_SOAK=1
# (add the soak tests), ARC_FUZZ_MODE (selftests/fuzz/fuzz.h),
# ARC_TEST_TIMEOUT (seconds a test may take, default 600).
# No "set -u": the kselftest runner reads unset variables.
here=$(cd "$(dirname "$0")" && pwd)
export ARC_ROOT=${ARC_ROOT:-$(dirname "$here")}
KSRC=${KSRC:-$ARC_ROOT/.cache/ksrc}
list_only=
if [ "${1:-}" = --list ]; then
	list_only=1
	shift
fi
suite=${1:?usage: run.sh [--list] host|guest|minivm [TEST...]}
shift
# needs_root SUITE: the guest's suites load modules.
needs_root() {
	[ -n "$list_only" ] || [ "$(id -u)" -eq 0 ] && return
	echo "run.sh $1: needs root (it loads modules): run it in the guest" >&2
	exit 2
}

case $suite in
host)
	tests=(host/checkpatch.sh host/kerneldoc.sh host/build_w1.sh
	       host/sparse.sh host/ns_import.sh host/probes.sh host/pkt.sh
	       host/filter.sh host/sensor_parse.sh host/pktan_detect.sh
	       host/no_version_checks.sh host/kernel_range.sh host/dkms_conf.sh) ;;
minivm)
	# arc_minivm's tests: a guest with a KVM of its own (vm.sh -n).
	needs_root minivm
	tests=(minivm/guests.sh minivm/stops.sh minivm/ioctl.sh minivm/cycles.sh
	       minivm/hostile.sh minivm/fuzz.sh)
	[ -n "${ARC_SOAK:-}" ] && tests+=(soak/minivm_runs.sh)
	;;
guest)
	needs_root guest
	tests=(ramdisk/params.sh ramdisk/io.sh ramdisk/fio_verify.sh
	       ramdisk/ext4.sh ramdisk/partitions.sh ramdisk/load_unload.sh
	       ramdisk/pressure.sh ramdisk/sleep.sh ramdisk/discard.sh
	       ramdisk/completion.sh ramdisk/bio_mode.sh
	       firewall/basic.sh firewall/counters.sh firewall/lpm.sh
	       firewall/ssh_guard.sh firewall/frag.sh firewall/exthdr.sh firewall/filter.sh
	       firewall/nl.sh firewall/dump.sh firewall/replace.sh
	       firewall/netns.sh firewall/memcg.sh firewall/load.sh firewall/rebuild.sh
	       usb_sensor/stream.sh usb_sensor/shapes.sh usb_sensor/two.sh
	       usb_sensor/faults.sh usb_sensor/cycles.sh usb_sensor/suspend.sh
	       usb_sensor/fuzz_usb.sh
	       pktan/stats.sh pktan/malformed.sh pktan/detect.sh pktan/control.sh
	       pktan/trace.sh pktan/flood.sh pktan/genl_fuzz.sh pktan/frames.sh
	       firewall/fuzz_genl.sh firewall/fuzz_frames.sh fuzz/params.sh ramdisk/fuzz_blk.sh
	       dkms/dkms.sh)
	[ -n "${ARC_SOAK:-}" ] &&
		tests+=(soak/fio_pressure.sh soak/restore_flood.sh soak/load_cycles.sh soak/pktan_flood.sh
		       soak/usb_stream.sh)
	;;
*) echo "run.sh: unknown suite '$suite' (host|guest|minivm)" >&2; exit 2 ;;
esac

# Optional: run only the named tests of the suite.
[ $# -gt 0 ] && tests=("$@")
# --list: print the suite's tests (make check splits them over boots).
if [ -n "$list_only" ]; then
	echo "${tests[*]}"
	exit 0
fi
# First and last under check-debug, named tests or not: the checkers are
# armed; what leaked over the whole run.
if [ -n "${ARC_DEBUG:-}" ] && [ "$suite" != host ]; then
	tests=(debug/armed.sh "${tests[@]}" debug/kmemleak.sh)
fi

export BASE_DIR=$KSRC/tools/testing/selftests
if [ ! -f "$BASE_DIR/kselftest/runner.sh" ]; then
	echo "run.sh: no kselftest runner under $BASE_DIR: run 'make ksrc'" >&2
	exit 2
fi
# shellcheck source=/dev/null
. "$BASE_DIR/kselftest/runner.sh"
# Under virtme-ng /dev/stdout is a virtio port that admits one opener:
# let the runner reopen our own stdout instead.
export logfile=/proc/self/fd/1
# Everything runs under TCG emulation: far slower than the runner expects.
# The slowest test takes about a minute here, up to four times as long on
# slower machines; a hung one must not eat the run.
export kselftest_default_timeout=${ARC_TEST_TIMEOUT:-600}

# make check-debug: every kernel message goes to a file from now on (from
# /dev/kmsg, which tests that clear the log with dmesg -C do not touch).
# After each test, what it made the kernel say is searched for reports
# (debug/reports.sh): the first one fails that test, is printed, and the
# tests after it are not run (a kernel that reported once is suspect).
if [ -n "${ARC_DEBUG:-}" ] && [ "$suite" != host ]; then
	kmsg=/tmp/arc-kmsg.log
	stop=/tmp/arc-kernel-report
	rm -f "$stop"
	cat /dev/kmsg >"$kmsg" &
	# Leaks from before the tests (boot) are not theirs.
	"$here/debug/kmemleak.sh" --forget
	eval "$(declare -f tap_timeout | sed '1s/^tap_timeout/arc_tap_timeout/')"
	tap_timeout() {
		local from rc
		if [ -e "$stop" ]; then
			echo "not run: a kernel report ended the run ($(cat "$stop"))"
			return "$skip_rc"
		fi
		from=$(stat -c %s "$kmsg")
		arc_tap_timeout "$@"
		rc=$?
		# What the kernel printed last has reached the file.
		sleep 1
		if "$here/debug/reports.sh" "$kmsg" "$from"; then
			echo "$1" >"$stop"
			[ "$rc" -eq 0 ] || [ "$rc" -eq "$skip_rc" ] && rc=1
		fi
		return "$rc"
	}
fi

# The TAP goes to ARC_TAP as it comes: if the guest dies halfway, what ran
# until then is still counted (and the plan line says what is missing).
tap=${ARC_TAP:-$(mktemp)}
cd "$here" || exit 2
# Each test's wall time follows its result line, as a TAP comment, and
# the CPU time the machine spent meanwhile (all CPUs, user and system,
# from /proc/stat): the matrix has a time budget, and under emulation it
# is spent on CPU the guests keep busy.
cpu_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
hz=$(getconf CLK_TCK)
run_many "${tests[@]}" | while IFS= read -r line; do
	case $line in
	"# selftests: "*) t0=$SECONDS c0=$(cpu_ticks) ;;
	"ok "*|"not ok "*) line="$line
# time: $((SECONDS - ${t0:-$SECONDS})) s, cpu $((($(cpu_ticks) - ${c0:-0}) / hz)) s" ;;
	esac
	printf '%s\n' "$line"
done | tee "$tap"
passed=$(grep -cE '^ok [0-9]+ ' "$tap" | tr -d ' ')
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap" | tr -d ' ')
failed=$(grep -cE '^not ok [0-9]+ ' "$tap" | tr -d ' ')
[ -n "${ARC_TAP:-}" ] || rm -f "$tap"
passed=$((passed - skipped))
# A failure in the guest: the kernel's side of the story goes in the log.
if [ "$failed" -gt 0 ] && [ "$suite" != host ]; then
	echo "# last kernel messages:"
	dmesg | tail -n 60 | sed 's/^/# /'
fi
# Under `make check` the overall summary comes last; this one is a comment.
[ -n "${ARC_TAP:-}" ] && printf '# %s suite: ' "$suite"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -eq ${#tests[@]} ]
