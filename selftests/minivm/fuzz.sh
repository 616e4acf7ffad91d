#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ARCVM_RUN fuzzed (selftests/minivm/vm_fuzz.c): random and boundary
# requests, arc's guests as built, good and bad consoles, signals during
# runs; every outcome as the UAPI predicts. ARC_FUZZ_IMAGES=1 adds images
# that are arc's guests mutated and random bytes: not by default, since
# under emulation (nested SVM in QEMU's TCG) a random real-mode image
# ended the whole test machine with no kernel message and no CPU reset
# in QEMU's log (6.1, ARC_FUZZ_SEED=174016691622246, input 23), not yet
# explained: see Documentation/minivm.md.
# 1,000 inputs under ARC_FUZZ_MODE=full (make check-debug), 100
# otherwise. Afterwards KVM holds no VM, the module no reference, the
# kernel reported nothing, and a plain run still works.
. "$(dirname "$0")/vmlib.sh"
minivm_load
trap 'minivm_unload' EXIT
prog=$(dirname "$0")/vm_fuzz
[ -x "$prog" ] || fail "no $prog (make -C selftests)"
before=$(kernel_reports | wc -l)
"$prog" "$(cat /sys/module/arc_minivm/parameters/max_mem_mb)" "$GUESTS" ||
	fail "ARCVM_RUN did not do what its UAPI says (the inputs are above)"
after=$(kernel_reports | wc -l)
[ "$after" = "$before" ] || { kernel_reports | tail -n 20; fail "the kernel reported a bug during the fuzzing"; }
sleep 1
[ "$(kvm_vms)" = 0 ] || fail "KVM still has $(kvm_vms) VMs after the fuzzing"
[ "$(cat /sys/module/arc_minivm/refcnt)" = 0 ] || fail "arc_minivm still referenced"
out=$("$ARCVM" run "$GUESTS/hi.bin" 2>&1) || fail "a plain run after the fuzzing failed: $out"
[ "$(echo "$out" | head -n 1)" = Hi ] || fail "after the fuzzing: '$out'"
pass "ARCVM_RUN fuzzed: every input refused or run as predicted; nothing held afterwards"
