#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every guest of guests/ under arcvm, and what each must show: the
# brief's "Hi" in real mode, the long-mode C guest's results, N port-I/O
# exits, a triple fault, MMIO outside RAM, a port nobody emulates.
. "$(dirname "$0")/vmlib.sh"
need python3
minivm_load
trap 'minivm_unload' EXIT
tmp=$(mktemp -d)

# run NAME ARGS...: arcvm --json; sets $out (JSON) and $rc.
run() {
	local name=$1
	shift
	rc=0
	out=$("$ARCVM" --json run "$@" 2>"$tmp/$name.err") || rc=$?
	[ -n "$out" ] || fail "$name: arcvm printed nothing (rc $rc): $(cat "$tmp/$name.err")"
}

run hi "$GUESTS/hi.bin"
[ "$rc" = 0 ] || fail "hi: exit status $rc, want 0: $out"
[ "$(json_field "$out" stop)" = hlt ] || fail "hi: stop $(json_field "$out" stop), want hlt"
json_is "$out" console $'Hi\n' || fail "hi: console $(json_repr "$out" console), want 'Hi\\n'"
[ "$(json_exit "$out" io)" = 3 ] || fail "hi: $(json_exit "$out" io) I/O exits, want 3"
[ "$(json_exit "$out" hlt)" = 1 ] || fail "hi: $(json_exit "$out" hlt) HLT exits, want 1"
# The same, as a user sees it: the console on stdout, the report on stderr.
text=$("$ARCVM" run "$GUESTS/hi.bin" 2>"$tmp/hi.txt") || fail "arcvm run hi.bin failed: $(cat "$tmp/hi.txt")"
[ "$text" = Hi ] || fail "arcvm run hi.bin printed '$text'"
grep -q '^arcvm: stopped: hlt;' "$tmp/hi.txt" || fail "no stop report on stderr: $(cat "$tmp/hi.txt")"

run long "$GUESTS/long.bin" --mode long --mem 4M
want=$'primes below 10000: 1229\nfib(90): 2880067194370816120\nsum of squares 1..1000: 333833500\n'
[ "$(json_field "$out" stop)" = hlt ] || fail "long: stop $(json_field "$out" stop): $out"
json_is "$out" console "$want" || fail "long: console $(json_repr "$out" console)"

# A long-mode guest in real mode does not print that.
run long_real "$GUESTS/long.bin" --mode real --mem 4M --timeout 5
! json_is "$out" console "$want" || fail "long.bin printed its results in real mode"

for n in 0 1 1000; do
	loop_image "$n" "$tmp/loop$n.bin"
	run "loop$n" "$tmp/loop$n.bin"
	[ "$(json_field "$out" stop)" = hlt ] || fail "loop $n: stop $(json_field "$out" stop)"
	json_is "$out" console $'done\n' || fail "loop $n: console $(json_repr "$out" console)"
	# N exits to port 0x80, then five for "done\n".
	[ "$(json_exit "$out" io)" = $((n + 5)) ] || fail "loop $n: $(json_exit "$out" io) I/O exits, want $((n + 5))"
done

run triple "$GUESTS/triple.bin" --mode long
[ "$(json_field "$out" stop)" = shutdown ] || fail "triple: stop $(json_field "$out" stop), want shutdown"
[ "$rc" = 12 ] || fail "triple: exit status $rc, want 12"
[ "$(json_exit "$out" shutdown)" = 1 ] || fail "triple: $(json_exit "$out" shutdown) shutdown exits"

run mmio "$GUESTS/mmio.bin" --mode long
[ "$(json_field "$out" stop)" = mmio ] || fail "mmio: stop $(json_field "$out" stop), want mmio"
[ "$(json_field "$out" stop_addr)" = $((0xd0000000)) ] || fail "mmio: address $(json_field "$out" stop_addr)"
[ "$(json_field "$out" stop_info)" = 1 ] || fail "mmio: not reported as a write"
json_is "$out" console "" || fail "mmio: the guest ran on past the MMIO store"

# A port nobody emulates: OUT to 0x70 (the CMOS index), then HLT.
printf '\xb0\x01\xe6\x70\xf4' >"$tmp/port.bin"
run port "$tmp/port.bin"
[ "$(json_field "$out" stop)" = io ] || fail "port: stop $(json_field "$out" stop), want io"
[ "$(json_field "$out" stop_addr)" = $((0x70)) ] || fail "port: port $(json_field "$out" stop_addr)"

# COM1: a polled 16550 as guests use it (line status, then the data).
# mov dx,0x3fd; in al,dx; test al,0x20; jz back; mov dx,0x3f8;
# mov al,'U'; out dx,al; hlt
printf '\xba\xfd\x03\xec\xa8\x20\x74\xfb\xba\xf8\x03\xb0\x55\xee\xf4' >"$tmp/com1.bin"
run com1 "$tmp/com1.bin"
json_is "$out" console U || fail "com1: console $(json_repr "$out" console), want 'U'"
rm -rf "$tmp"
pass "hi, long mode in C, 0/1/1000 I/O exits, triple fault, MMIO at 0xd0000000, unknown port, COM1"
