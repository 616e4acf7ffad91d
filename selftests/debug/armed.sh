#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug runs this first: the debug kernel has every checker the
# lane relies on, and they are still armed (lockdep turns itself off for
# good after its first report, so a report while booting would leave the
# whole run without lock checking); no report before the first test.
. "$(dirname "$0")/../lib.sh"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

log=$(mktemp)
# Everything the kernel has said since it booted.
timeout 2 cat /dev/kmsg >"$log"
if "$(dirname "$0")/reports.sh" "$log"; then
	fail "the kernel reported a problem before any test ran (above)"
fi
grep -q 'KernelAddressSanitizer initialized' "$log" ||
	fail "no KASAN: this is not the debug kernel (scripts/kernels.sh debug)"
rm -f "$log"
[ -r /proc/lockdep_stats ] || fail "no lockdep (CONFIG_PROVE_LOCKING)"
grep -Eq '^ *debug_locks: +1$' /proc/lockdep_stats ||
	fail "lockdep is off: $(grep debug_locks /proc/lockdep_stats)"
[ -w /sys/kernel/debug/kmemleak ] || fail "no kmemleak, or it is disabled"
grep -q 'enabled: 1' /sys/kernel/debug/kfence/stats 2>/dev/null || fail "KFENCE is off"
[ -d /sys/kernel/debug/debug_objects ] || [ -r /sys/kernel/debug/debug_objects/stats ] ||
	fail "no debugobjects"
pass "KASAN, lockdep (on), kmemleak, KFENCE and debugobjects armed; no report while booting"
