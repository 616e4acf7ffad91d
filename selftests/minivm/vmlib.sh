#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for arc_minivm's tests: a usable KVM in the guest, the module,
# arcvm and the guest images (guests/, built with the modules).
. "$(dirname "$0")/../lib.sh"

MINIVM_KO=$ARC_ROOT/modules/minivm/arc_minivm.ko
ARCVM=$ARC_ROOT/userspace/arcvm/arcvm
GUESTS=$ARC_ROOT/guests

# kvm_ready: the guest's own KVM. Under emulation the test runner boots
# these tests with "-cpu max" (AMD SVM with nested paging); a guest CPU
# without SVM or VMX is the runner's mistake, not a reason to skip.
kvm_ready() {
	if ! grep -qwE 'svm|vmx' /proc/cpuinfo; then
		fail "the guest's CPU has neither SVM nor VMX: boot it with -cpu max (scripts/check.sh does for minivm/)"
	fi
	[ -c /dev/kvm ] || modprobe kvm_amd 2>/dev/null || modprobe kvm_intel 2>/dev/null
	[ -c /dev/kvm ] || fail "no /dev/kvm after modprobe kvm_amd / kvm_intel"
}

# minivm_load [PARAM=VALUE...]
minivm_load() {
	kvm_ready
	arc_load kvm
	insmod "$MINIVM_KO" "$@" || fail "insmod arc_minivm $*"
	[ -c /dev/arc_vm ] || fail "no /dev/arc_vm after loading arc_minivm"
	[ -x "$ARCVM" ] || fail "no $ARCVM (make userspace)"
	[ -f "$GUESTS/hi.bin" ] || fail "no guest images in $GUESTS (make -C guests)"
}

# kvm_vms: the VMs KVM has, one debugfs directory each (PID-FD), from
# creation to destruction. (Slab counts are no measure: SLUB counts a
# CPU's cached free objects as active, and KASAN holds freed ones.)
kvm_vms() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	[ -d /sys/kernel/debug/kvm ] || fail "no /sys/kernel/debug/kvm (KVM's debugfs)"
	find /sys/kernel/debug/kvm -maxdepth 1 -regex '.*/[0-9]+-[0-9]+' | wc -l
}

minivm_unload() {
	if loaded arc_minivm; then rmmod arc_minivm || return 1; fi
	arc_shim_unload
}

# json_field JSON KEY: a number or string value of a top-level key.
json_field() {
	python3 -c 'import json, sys; v = json.loads(sys.argv[1]); print(v[sys.argv[2]])' "$1" "$2"
}

# json_is JSON KEY VALUE: the key's value is exactly VALUE (a string, so
# that trailing newlines count, which $(...) would strip).
json_is() {
	python3 -c 'import json, sys; sys.exit(str(json.loads(sys.argv[1])[sys.argv[2]]) != sys.argv[3])' "$1" "$2" "$3"
}

# json_repr JSON KEY: the value as Python writes it, for messages.
json_repr() {
	python3 -c 'import json, sys; print(repr(json.loads(sys.argv[1])[sys.argv[2]]))' "$1" "$2"
}

# json_exit JSON KIND: the exits of one kind.
json_exit() {
	python3 -c 'import json, sys; print(json.loads(sys.argv[1])["exits"][sys.argv[2]])' "$1" "$2"
}

# loop_image N OUT: guests/loop.bin with its exit count patched to N.
loop_image() {
	python3 - "$GUESTS/loop.bin" "$2" "$1" <<'PY'
import struct, sys
img = bytearray(open(sys.argv[1], "rb").read())
img[4:8] = struct.pack("<I", int(sys.argv[3]))
open(sys.argv[2], "wb").write(img)
PY
}
