#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the arc_pktan tests. The network is the firewall tests'
# (../firewall/fwlib.sh): namespace "peer" sends to namespace "dut" over a
# veth pair; arc_pktan counts what enters dut.
. "$(dirname "$0")/../firewall/fwlib.sh"
PA_KO=$ARC_ROOT/modules/pktan/arc_pktan.ko
ARCPKT=$ARC_ROOT/userspace/arcpkt/arcpkt
PKTPY=$ARC_ROOT/selftests/pktan/pkt.py

pa_load() {
	arc_load net
	insmod "$PA_KO" "$@" || fail "insmod arc_pktan $*"
}

arcpkt() { ip netns exec "${PA_NS:-dut}" "$ARCPKT" "$@"; }
pkt() { peer python3 -S "$PKTPY" "$@"; }

# peer_quiet: end every process in the peer namespace (a traffic loop and
# whatever it started), and wait until they are gone.
peer_quiet() {
	local pids _
	for _ in $(seq 50); do
		pids=$(ip netns pids peer 2>/dev/null)
		[ -z "$pids" ] && return 0
		# shellcheck disable=SC2086 # one argument per pid
		kill $pids 2>/dev/null
		sleep 0.1
	done
	fail "processes in peer do not end: $(ip netns pids peer | xargs)"
}

pa_cleanup() {
	net_down
	loaded arc_pktan && rmmod arc_pktan
	arc_unload_all
}

# pa_get PATH...: values from `arcpkt --json stats`, on one line. A PATH
# is KEY or KEY.KEY (malformed.tcp_doff, detections.port_scan, evictions),
# or HOOK.FAMILY.PROTO.packets|bytes for a counter
# (pre_routing.ipv4.udp.packets).
pa_get() {
	arcpkt --json stats | python3 -S -c '
import json, sys
s = json.load(sys.stdin)
c = {(r["hook"], r["family"], r["proto"]): r for r in s["counters"]}
out = []
for p in sys.argv[1:]:
    k = p.split(".")
    if len(k) == 4:
        out.append(c[tuple(k[:3])][k[3]])
    elif len(k) == 2:
        out.append(s[k[0]][k[1]])
    else:
        out.append(s[k[0]])
print(*out)
' "$@" || fail "arcpkt --json stats"
}

# pa_events OUT COUNT SECONDS: `arcpkt --json events` in dut in the
# background, writing to OUT until COUNT events or SECONDS; returns once
# it listens. Its pid is in $events_pid.
pa_events() {
	arcpkt --json events --count "$2" --timeout "$3" >"$1" 2>"$1.err" &
	events_pid=$!
	local _
	for _ in $(seq 100); do
		grep -q listening "$1.err" 2>/dev/null && return 0
		kill -0 "$events_pid" 2>/dev/null || break
		sleep 0.1
	done
	fail "arcpkt events did not start listening: $(cat "$1.err")"
}

# pa_events_wait: wait for the pa_events listener; its exit status.
pa_events_wait() {
	wait "$events_pid"
}

# pa_event_count FILE TYPE [KEY=VALUE...]: how many events of TYPE in FILE
# (arcpkt --json events output) match every KEY=VALUE.
pa_event_count() {
	python3 -S - "$@" <<'PY'
import json, sys
path, kind, conds = sys.argv[1], sys.argv[2], sys.argv[3:]
n = 0
for line in open(path):
    e = json.loads(line)
    if e["type"] == kind and all(str(e.get(k)) == v for k, v in (c.split("=", 1) for c in conds)):
        n += 1
print(n)
PY
}

# pa_expect_event FILE WHAT TYPE [KEY=VALUE...]: exactly one such event in
# FILE, or fail with WHAT and every event FILE has.
pa_expect_event() {
	local file=$1 what=$2 n
	shift 2
	n=$(pa_event_count "$file" "$@")
	[ "$n" = 1 ] || fail "$what: $n events of $*; the events: $(cat "$file")"
}
