#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 100 VMs in a row, real and long mode: each one's KVM objects, files and
# memory go with it. Counted: KVM's vCPU slab objects, open files, and
# the module's references, before and after.
. "$(dirname "$0")/vmlib.sh"
need python3
minivm_load
trap 'minivm_unload' EXIT

vcpus() { awk '$1 == "kvm_vcpu" { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo; }
files() { cut -f1 /proc/sys/fs/file-nr; }

"$ARCVM" run "$GUESTS/hi.bin" >/dev/null 2>&1 || fail "first run"
sleep 1
v0=$(vcpus) f0=$(files)
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
v1=$(vcpus) f1=$(files)
[ "$v1" -le "$v0" ] || fail "kvm_vcpu objects: $v0 before, $v1 after 100 VMs"
[ "$f1" -le $((f0 + 8)) ] || fail "open files: $f0 before, $f1 after 100 VMs"
[ "$(cat /sys/module/arc_minivm/refcnt)" = 0 ] || fail "arc_minivm still referenced"
pass "100 VMs (50 real, 50 long mode): kvm_vcpu objects $v0 -> $v1, open files $f0 -> $f1"
