#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 100 VMs in a row, real and long mode: each one's KVM objects, files and
# memory go with it. Counted: the VMs KVM has (one debugfs directory
# each, PID-FD, from creation to destruction), open files, and the
# module's references, before and after. (Slab counts are no measure:
# SLUB counts a CPU's cached free objects as active, and KASAN holds
# freed ones in quarantine.)
. "$(dirname "$0")/vmlib.sh"
need python3
minivm_load
trap 'minivm_unload' EXIT
kvm_vms >/dev/null
files() { cut -f1 /proc/sys/fs/file-nr; }

"$ARCVM" run "$GUESTS/hi.bin" >/dev/null 2>&1 || fail "first run"
sleep 1
v0=$(kvm_vms) f0=$(files)
for i in $(seq 100); do
	if [ $((i % 2)) = 0 ]; then
		out=$("$ARCVM" run "$GUESTS/long.bin" --mode long --mem 4M 2>/dev/null) ||
			fail "run $i (long) failed"
		echo "$out" | grep -q '^fib(90): 2880067194370816120$' || fail "run $i (long): '$out'"
	else
		out=$("$ARCVM" run "$GUESTS/hi.bin" 2>/dev/null) || fail "run $i (hi) failed"
		[ "$out" = Hi ] || fail "run $i (hi): '$out'"
	fi
done
sleep 1
v1=$(kvm_vms) f1=$(files)
[ "$v0" = 0 ] || fail "KVM has $v0 VMs before the runs"
[ "$v1" = 0 ] || fail "KVM still has $v1 VMs after 100 runs ended"
# The check can fail: a VM held past its run shows up.
"$ARCVM" run "$GUESTS/spin.bin" --timeout 30 >/dev/null 2>&1 &
spin=$!
sleep 2
[ "$(kvm_vms)" = 1 ] || { kill $spin; fail "a running VM is not counted ($(kvm_vms))"; }
kill -INT $spin
wait $spin
[ "$f1" -le $((f0 + 8)) ] || fail "open files: $f0 before, $f1 after 100 VMs"
[ "$(cat /sys/module/arc_minivm/refcnt)" = 0 ] || fail "arc_minivm still referenced"
pass "100 VMs (50 real, 50 long mode): KVM's VMs $v0 -> $v1 (one while a run was on), open files $f0 -> $f1"
