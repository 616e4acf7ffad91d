#!/usr/bin/env bash
# The test command (`make check`): install what is missing, build arc for
# Debian's stock kernel with W=1 and -Werror, run the host checks, boot
# that kernel once in virtme-ng and run every selftest in it. Prints TAP
# and ends with "N passed, N failed, N skipped"; exit status 0 only if
# nothing failed.
#
# Environment: KVER (kernel to build for and boot; default the newest
# installed stock kernel), ARC_SKIP_DEPS=1 (do not touch packages).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -z "${ARC_SKIP_DEPS:-}" ]; then
	scripts/deps.sh test
fi

if [ -z "${KVER:-}" ]; then
	# The newest kernel that has both an image to boot and headers.
	for img in $(ls /boot/vmlinuz-* 2>/dev/null | sort -rV); do
		k=${img#/boot/vmlinuz-}
		if [ -f "/lib/modules/$k/build/Makefile" ]; then KVER=$k; break; fi
	done
fi
: "${KVER:?no stock kernel with headers installed (scripts/deps.sh test)}"
export KVER
echo "# arc check: kernel $KVER"

results=$root/build/results
rm -rf "$results"
mkdir -p "$results"

make -s ksrc
make -s modules W=1 ARC_WERROR=y KVER="$KVER"
make -s selftests
make -s userspace

set +e
ARC_TAP=$results/host.tap selftests/run.sh host
# The guest gets a writable results directory; everything else it sees
# read-only.
scripts/vm.sh -k "$KVER" -t 3600 -w "$results" -- \
	env ARC_TAP="$results/guest.tap" selftests/run.sh guest
vm_rc=$?
set -e

passed=0 failed=0 skipped=0
for suite in host guest; do
	tap=$results/$suite.tap
	if [ ! -f "$tap" ]; then
		echo "not ok - $suite suite produced no results (guest exit status $vm_rc)"
		failed=$((failed + 1))
		continue
	fi
	p=$(grep -cE '^ok [0-9]+ ' "$tap" || true)
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap" || true)
	f=$(grep -cE '^not ok [0-9]+ ' "$tap" || true)
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
	if [ "$((p + f))" -ne "${planned:-0}" ]; then
		echo "not ok - $suite suite ran $((p + f)) of ${planned:-?} tests"
		failed=$((failed + 1))
	fi
	passed=$((passed + p - s)) skipped=$((skipped + s)) failed=$((failed + f))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
