#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ARCVM_RUN's checks (selftests/minivm/vm_ioctl.c), the size cap, and who
# may use /dev/arc_vm: not a user outside its group, even one who may use
# /dev/kvm.
. "$(dirname "$0")/vmlib.sh"
need python3 setpriv
minivm_load
trap 'minivm_unload' EXIT
prog=$(dirname "$0")/vm_ioctl
[ -x "$prog" ] || fail "no $prog (make -C selftests)"
ARC_ROOT=$ARC_ROOT "$prog" || fail "vm_ioctl"

# The cap: max_mem_mb is writable; a size above it is E2BIG.
echo 2 >/sys/module/arc_minivm/parameters/max_mem_mb || fail "cannot set max_mem_mb"
"$ARCVM" run "$GUESTS/hi.bin" --mem 4M 2>&1 | grep -q "max_mem_mb" ||
	fail "4M above max_mem_mb=2 was not refused as such"
"$ARCVM" run "$GUESTS/hi.bin" --mem 2M >/dev/null 2>&1 || fail "2M under max_mem_mb=2 refused"
for v in 0 1025 -1 x; do
	echo "$v" >/sys/module/arc_minivm/parameters/max_mem_mb 2>/dev/null &&
		fail "max_mem_mb=$v accepted"
done
[ "$(cat /sys/module/arc_minivm/parameters/max_mem_mb)" = 2 ] || fail "a refused max_mem_mb changed it"
echo 64 >/sys/module/arc_minivm/parameters/max_mem_mb

# Permissions: root:root 0660 here (no udev rule in this guest), so
# nobody may not open it, although /dev/kvm lets everyone in.
[ "$(stat -c %a /dev/arc_vm)" = 660 ] || fail "/dev/arc_vm is mode $(stat -c %a /dev/arc_vm), want 660"
kvm_mode=$(stat -c %a /dev/kvm)
trap 'chmod "$kvm_mode" /dev/kvm; minivm_unload' EXIT
chmod 666 /dev/kvm
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ARCVM" run "$GUESTS/hi.bin" 2>&1) &&
	fail "nobody ran a VM: $err"
echo "$err" | grep -q "Permission denied" || fail "nobody was refused, but not for permission: $err"
# In the device's group it works, and the caller's /dev/kvm access counts.
chgrp 65534 /dev/arc_vm
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ARCVM" run "$GUESTS/hi.bin" 2>&1) ||
	fail "nobody in arc_vm's group could not run a VM: $out"
chmod 600 /dev/kvm
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ARCVM" run "$GUESTS/hi.bin" 2>&1) &&
	fail "a user without /dev/kvm access ran a VM"
echo "$err" | grep -q "permission denied for /dev/kvm" || fail "no /dev/kvm: not said so: $err"
chmod "$kvm_mode" /dev/kvm
chgrp root /dev/arc_vm
pass "malformed requests refused with their errno; max_mem_mb enforced; nobody refused, group member allowed with /dev/kvm access only"
