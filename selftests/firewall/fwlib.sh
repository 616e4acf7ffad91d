#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Network setup for the firewall tests: namespace "peer" sends to
# namespace "dut" (the firewall's) over a veth pair. Both are created
# after arc_firewall is loaded.
#
#   dut   198.51.100.1/24  10.9.0.1/16  2001:db8::1/64  fd00:9::1/64
#   peer  198.51.100.2 .3  10.9.0.2     2001:db8::2 ::3 fd00:9::2
# 198.51.100.0/24 and 2001:db8::/32 are not local to the port rule;
# 10.0.0.0/8 and fc00::/7 are.
. "$(dirname "$0")/../lib.sh"
FW_KO=$ARC_ROOT/modules/firewall/arc_firewall.ko
ARCFW=$ARC_ROOT/userspace/arcfw/arcfw
NETPY=$ARC_ROOT/selftests/firewall/net.py
REACH=$ARC_ROOT/selftests/firewall/reach
need ip python3

fw_load() {
	arc_load
	insmod "$FW_KO" "$@" || fail "insmod arc_firewall $*"
}

dut() { ip netns exec dut "$@"; }
peer() { ip netns exec peer "$@"; }
arcfw() { ip netns exec "${FW_NS:-dut}" "$ARCFW" "$@"; }

net_up() {
	ip netns add dut || fail "netns dut"
	ip netns add peer || fail "netns peer"
	ip link add veth0 netns dut type veth peer name veth1 netns peer || fail "veth"
	# One ip process per namespace: every exec costs in an emulated guest.
	ip -n dut -batch - <<-EOF || fail "dut addresses"
	link set lo up
	addr add 198.51.100.1/24 dev veth0
	addr add 10.9.0.1/16 dev veth0
	addr add 2001:db8::1/64 dev veth0 nodad
	addr add fd00:9::1/64 dev veth0 nodad
	link set veth0 up
	EOF
	ip -n peer -batch - <<-EOF || fail "peer addresses"
	link set lo up
	addr add 198.51.100.2/24 dev veth1
	addr add 198.51.100.3/24 dev veth1
	addr add 10.9.0.2/16 dev veth1
	addr add 2001:db8::2/64 dev veth1 nodad
	addr add 2001:db8::3/64 dev veth1 nodad
	addr add fd00:9::2/64 dev veth1 nodad
	link set veth1 up
	EOF
	ip netns exec dut python3 -S "$NETPY" serve 22 2222 8080 5353 \
		</dev/null >/tmp/arc-serve.log 2>&1 &
	for i in $(seq 50); do grep -q ready /tmp/arc-serve.log 2>/dev/null && break; sleep 0.1; done
	# Neighbour discovery first, so that the first test packet is not lost.
	peer ping -q -c1 -W2 198.51.100.1 >/dev/null
	peer ping -q -c1 -W2 2001:db8::1 >/dev/null
}

# Kill every process still running in a namespace, then delete it.
ns_del() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	[ -n "$pids" ] && kill $pids 2>/dev/null
	ip netns del "$1" 2>/dev/null
	return 0
}

net_down() {
	ns_del peer
	ns_del dut
	return 0
}

fw_cleanup() {
	net_down
	loaded arc_firewall && rmmod arc_firewall
	arc_unload_all
}

# reach KIND SRC DST [PORT [N]]: succeeds when traffic from SRC gets
# through. exthdr-udp and exthdr-tcp (IPv6 only) send one datagram or SYN
# behind N destination options headers (net.py exthdr).
reach() {
	case $1 in
	ping) peer ping -q -c1 -W1 -I "$2" "$3" >/dev/null 2>&1 ;;
	tcp) peer "$REACH" tcp "$2" "$3" "${4:-8080}" ;;
	udp) peer "$REACH" udp "$2" "$3" "${4:-5353}" ;;
	exthdr-udp | exthdr-tcp)
		peer python3 -S "$NETPY" exthdr "${1#exthdr-}" "$2" "$3" "$4" "$5" ;;
	*) fail "reach: unknown kind $1" ;;
	esac
}

# A pass check tries three times: one late reply in a loaded emulated guest
# (seen once right after the ping floods of load.sh, with no firewall
# loaded at all) is not a drop. Drop checks are not retried.
expect_pass() {
	reach "$@" || reach "$@" || reach "$@" || fail "$* was dropped, should pass"
}
expect_drop() { reach "$@" && fail "$* passed, should be dropped"; return 0; }

# expect_drops "KIND SRC DST [PORT]"...: several drop checks at once. Each
# one waits out its timeout; together they wait about one.
expect_drops() {
	local c bad pids=()
	bad=$(mktemp)
	for c; do
		# shellcheck disable=SC2086 # $c is the argument list of reach
		{ reach $c && echo "$c" >>"$bad"; } &
		pids+=($!)
	done
	wait "${pids[@]}"
	if [ -s "$bad" ]; then
		c=$(paste -sd, "$bad")
		rm -f "$bad"
		fail "passed, should be dropped: $c"
	fi
	rm -f "$bad"
}

# addrs FIRST COUNT [SKIP]: COUNT addresses from FIRST + SKIP on, one per
# line.
addrs() {
	python3 -S -c '
import ipaddress, sys
a = ipaddress.ip_address(sys.argv[1]) + int(sys.argv[3])
for i in range(int(sys.argv[2])):
    print(a + i)
' "$1" "$2" "${3:-0}"
}

# fw_stats FIELD...: those fields of `arcfw --json stats`, on one line.
fw_stats() {
	arcfw --json stats | python3 -S -c '
import json, sys
s = json.load(sys.stdin)
print(*(s[f] for f in sys.argv[1:]))
' "$@"
}

# totals: the namespace's dropped packets and bytes.
totals() { fw_stats dropped_packets dropped_bytes; }

# entry_counter PREFIX FIELD: packets or bytes of one list entry.
entry_counter() {
	arcfw list | awk -v p="$1" -v f="$2" '$1 == p { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }'
}

# spray CPU FIRST COUNT DST REPEAT: UDP from COUNT sources from FIRST on,
# REPEAT packets each with $payload bytes of payload (default 100), sent
# from the peer on CPU (veth delivers on the sending CPU, so that is
# where drops count).
spray() {
	local cpu=$1
	shift
	peer taskset -c "$cpu" python3 -S "$NETPY" spray "$@" "${payload:-100}"
}

# check_hosts WHAT FIRST COUNT PACKETS LEN: each of COUNT host entries
# from FIRST has PACKETS packets and PACKETS * LEN bytes, or fail WHAT.
check_hosts() {
	arcfw --json list | python3 -S -c '
import ipaddress, json, sys
what, first, count, packets, length = sys.argv[1:]
first, count, packets, length = (ipaddress.ip_address(first), int(count),
                                 int(packets), int(length))
plen = 32 if first.version == 4 else 128
got = {e["prefix"]: (e["packets"], e["bytes"]) for e in json.load(sys.stdin)}
bad = []
for i in range(count):
    p = "%s/%d" % (first + i, plen)
    if got.get(p) != (packets, packets * length):
        bad.append("%s %s" % (p, got.get(p)))
if bad:
    print("%s: %d of %d entries wrong, want (%d, %d): %s" % (
        what, len(bad), count, packets, packets * length, ", ".join(bad[:5])))
    sys.exit(1)
' "$@" || fail "$1"
}
