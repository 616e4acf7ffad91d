#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A guest that never exits on its own (guests/spin.bin) is stopped by the
# time budget and by a signal; its owner killed mid-run leaves nothing
# behind; rmmod while a VM runs is refused, and works once it is done.
. "$(dirname "$0")/vmlib.sh"
need python3
minivm_load max_vms=1
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; minivm_unload' EXIT
tmp=$(mktemp -d)
pid=

# The budget: 0.5 s, so at least that and not minutes more.
out=$("$ARCVM" --json run "$GUESTS/spin.bin" --timeout 0.5) && fail "spin exited 0"
[ "$(json_field "$out" stop)" = timeout ] || fail "spin: stop $(json_field "$out" stop), want timeout"
ns=$(json_field "$out" run_ns)
[ "$ns" -ge 500000000 ] || fail "spin: stopped after $ns ns, before its 0.5 s budget"
[ "$ns" -lt 60000000000 ] || fail "spin: stopped after $ns ns, a minute past its budget"
[ "$(json_exit "$out" intr)" -ge 1 ] || fail "spin: no interrupted KVM_RUN counted"

# A signal: SIGINT after the guest has started (its budget is an hour).
"$ARCVM" --json run "$GUESTS/spin.bin" --timeout 3600 >"$tmp/sig.json" 2>"$tmp/sig.err" &
pid=$!
sleep 2
kill -INT $pid
rc=0
wait $pid || rc=$?
pid=
out=$(cat "$tmp/sig.json")
[ "$(json_field "$out" stop)" = signal ] || fail "SIGINT: stop '$(json_field "$out" stop)', want signal (rc $rc): $(cat "$tmp/sig.err")"
[ "$rc" = 14 ] || fail "SIGINT: exit status $rc, want 14"

# rmmod while a VM runs: refused (the open /dev/arc_vm holds the module).
"$ARCVM" run "$GUESTS/spin.bin" --timeout 3600 >/dev/null 2>&1 &
pid=$!
sleep 2
rmmod arc_minivm 2>/dev/null && fail "rmmod arc_minivm succeeded while a VM ran"
loaded arc_minivm || fail "arc_minivm went away while a VM ran"

# The owner killed: SIGKILL mid-run. max_vms=1, so a new run works only
# if the killed one gave its place back.
kill -KILL $pid
wait $pid 2>/dev/null
pid=
out=$("$ARCVM" --json run "$GUESTS/hi.bin") || fail "a run after the kill failed: $out"
json_is "$out" console $'Hi\n' || fail "after the kill: console $(json_repr "$out" console)"
# Nothing of the killed VM holds the module or KVM.
[ "$(cat /sys/module/arc_minivm/refcnt)" = 0 ] || fail "arc_minivm still referenced after its user died"
rmmod arc_minivm || fail "rmmod arc_minivm after the runs"
rm -rf "$tmp"
pass "budget 0.5 s stopped the spinner after $((ns / 1000000)) ms; SIGINT reported as signal; rmmod refused mid-run; SIGKILL freed its place"
