#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs under attack from the caller's own threads (selftests/minivm/
# hostile.c): they scribble on every mapping the module makes in the
# process (guest RAM, the argument page, KVM's shared vCPU pages), unmap
# or protect them, and play with the descriptors KVM installs. Each run
# must end with a stop reason or a clean errno; the kernel reports
# nothing; afterwards a plain run works and nothing is held.
. "$(dirname "$0")/vmlib.sh"
need python3
minivm_load
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; minivm_unload' EXIT
prog=$(dirname "$0")/hostile
[ -x "$prog" ] || fail "no $prog (make -C selftests)"
rounds=${ARC_MINIVM_HOSTILE_ROUNDS:-200}
[ "${ARC_FUZZ_MODE:-}" = full ] && rounds=2000
before=$(kernel_reports | wc -l)
loop_image 1000 "$tmp/loop1000.bin"
summary=$("$prog" "$rounds" "$GUESTS/hi.bin" "$tmp/loop1000.bin" "$GUESTS/spin.bin" \
	"$GUESTS/long.bin" "$GUESTS/mmio.bin" 2>&1) || fail "hostile: $summary"
echo "# $summary"
after=$(kernel_reports | wc -l)
[ "$after" = "$before" ] || { kernel_reports | tail -n 20; fail "the kernel reported a bug during the attack"; }
out=$("$ARCVM" run "$GUESTS/hi.bin" 2>&1) || fail "a plain run after the attack failed: $out"
[ "$(echo "$out" | head -n 1)" = Hi ] || fail "after the attack: '$out'"
[ "$(cat /sys/module/arc_minivm/refcnt)" = 0 ] || fail "arc_minivm still referenced"
pass "$rounds runs under attack ended cleanly; a plain run works afterwards"
