#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control plane: settings are per namespace and validated (malformed
# or out-of-range requests get EINVAL and a message, and change nothing);
# an unprivileged user reads but cannot change or reset, while root of its
# own user and network namespace can there; the top talkers are exact
# while they fit; rmmod under traffic is clean.
. "$(dirname "$0")/pktlib.sh"
need unshare setpriv
trap 'kill $flood 2>/dev/null; pa_cleanup' EXIT
flood=
dmesg -C
pa_load scan_threshold=12
net_up
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# Defaults from the module parameters; per namespace.
arcpkt --json config | grep -q '"scan-threshold":12' ||
	fail "scan_threshold=12 not the default: $(arcpkt --json config)"
arcpkt config scan-threshold 30 dns off || fail "config"
arcpkt config | grep -qx 'scan-threshold 30' || fail "scan-threshold not set"
arcpkt config | grep -qx 'dns off' || fail "dns not off"
PA_NS=peer arcpkt config | grep -qx 'scan-threshold 12' ||
	fail "the peer namespace's setting moved with dut's"

# Out of range or malformed: EINVAL (exit 4) with the kernel's message,
# nothing changed.
for bad in "scan-threshold 65" "scan-threshold 1" "syn-threshold 0" \
	"syn-window-ms 99" "scan-window-ms 3600001" "event-rate 0" \
	"event-rate 10001"; do
	# shellcheck disable=SC2086 # KEY VALUE
	out=$(arcpkt config $bad 2>&1)
	rc=$?
	[ $rc -eq 4 ] || fail "config $bad: exit $rc ($out), want 4"
	case $out in *"must be"*"(Invalid argument)"*) ;;
	*) fail "config $bad: no clear message: $out" ;; esac
done
arcpkt config scan-threshold 20 syn-threshold 0 >/dev/null 2>&1 &&
	fail "a bad setting beside a good one was accepted"
arcpkt config | grep -qx 'scan-threshold 30' ||
	fail "a refused request changed scan-threshold"
echo "# out-of-range settings: EINVAL with the kernel's message, nothing changed"

# Unprivileged: reads work, changes do not (EPERM, exit 3).
ip netns exec dut setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$ARCPKT" stats >/dev/null || fail "stats as nobody"
out=$(ip netns exec dut setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$ARCPKT" config scan-threshold 5 2>&1)
[ $? -eq 3 ] || fail "config as nobody: $out"
out=$(ip netns exec dut setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$ARCPKT" reset 2>&1)
[ $? -eq 3 ] || fail "reset as nobody: $out"
arcpkt config | grep -qx 'scan-threshold 30' || fail "nobody changed the setting"
# Root of its own user and network namespace: its namespace is its own.
nobody unshare -Urn sh -c "ip link set lo up && $ARCPKT config scan-threshold 5 &&
	$ARCPKT config | grep -qx 'scan-threshold 5' && ping -c 3 -q 127.0.0.1 >/dev/null &&
	$ARCPKT --json stats" >/tmp/arc-pa-userns.json ||
	fail "config and stats as root of a user namespace"
grep -q '"proto":"icmp","packets":6' /tmp/arc-pa-userns.json ||
	fail "the user namespace's own counters: $(cat /tmp/arc-pa-userns.json)"
arcpkt config | grep -qx 'scan-threshold 30' || fail "the user namespace changed dut's setting"
echo "# nobody reads but cannot change; root of a user namespace changes its own"

# Top talkers: below capacity, exact and in order.
arcpkt reset || fail "reset"
peer python3 -S "$NETPY" spray 198.51.100.20 1 198.51.100.1 30 100 || fail "spray"
peer python3 -S "$NETPY" spray 198.51.100.21 1 198.51.100.1 20 100 || fail "spray"
peer python3 -S "$NETPY" spray 2001:db8::22 1 2001:db8::1 10 100 || fail "spray"
arcpkt --json top --once -n 3 >/tmp/arc-pa-top.json || fail "top"
python3 -S - /tmp/arc-pa-top.json <<'PY' || fail "top talkers: $(cat /tmp/arc-pa-top.json)"
import json, sys
t = json.load(open(sys.argv[1]))
want = [("198.51.100.20", 30, 3840), ("198.51.100.21", 20, 2560), ("2001:db8::22", 10, 1480)]
got = [(e["source"], e["packets"], e["bytes"]) for e in t]
assert got == want and all(e["error"] == 0 for e in t), got
PY
echo "# top: 30, 20 and 10 packets, exact, heaviest first"

# rmmod under traffic, then load again: clean.
ip netns exec peer sh -c "while :; do python3 -S $NETPY spray 198.51.100.30 50 198.51.100.1 5 64; done" \
	>/dev/null 2>&1 &
flood=$!
sleep 1
rmmod arc_pktan || fail "rmmod under traffic"
insmod "$PA_KO" || fail "insmod again"
sleep 1
[ "$(pa_get pre_routing.ipv4.udp.packets)" -gt 0 ] || fail "no counting after reload"
peer_quiet
wait $flood 2>/dev/null
flood=
dmesg | grep -E 'BUG|WARNING|UBSAN|KASAN|still has' && fail "kernel report"
pass "per-namespace validated settings, permissions, top talkers, rmmod under traffic"
