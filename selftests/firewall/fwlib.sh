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
	arc_load net
	insmod "$FW_KO" "$@" || fail "insmod arc_firewall $*"
}

dut() { ip netns exec dut "$@"; }
peer() { ip netns exec peer "$@"; }
arcfw() { ip netns exec "${FW_NS:-dut}" "$ARCFW" "$@"; }

net_up() {
	ip netns add dut || fail "netns dut"
	ip netns add peer || fail "netns peer"
	ip link add veth0 netns dut address 02:00:00:00:00:01 type veth \
		peer name veth1 netns peer address 02:00:00:00:00:02 || fail "veth"
	# One ip process per namespace: every exec costs in an emulated guest.
	ip -n dut -batch - <<-EOF || fail "dut addresses"
	link set lo up
	addr add 198.51.100.1/24 dev veth0
	addr add 10.9.0.1/16 dev veth0
	addr add 2001:db8::1/64 dev veth0 nodad
	addr add fd00:9::1/64 dev veth0 nodad
	link set veth0 up
	neigh replace 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
	neigh replace 198.51.100.3 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
	neigh replace 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
	neigh replace 2001:db8::2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
	neigh replace 2001:db8::3 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
	neigh replace fd00:9::2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
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
	neigh replace 198.51.100.1 lladdr 02:00:00:00:00:01 dev veth1 nud permanent
	neigh replace 10.9.0.1 lladdr 02:00:00:00:00:01 dev veth1 nud permanent
	neigh replace 2001:db8::1 lladdr 02:00:00:00:00:01 dev veth1 nud permanent
	neigh replace fd00:9::1 lladdr 02:00:00:00:00:01 dev veth1 nud permanent
	EOF
	ip netns exec dut python3 -S "$NETPY" serve 22 2222 8080 5353 \
		</dev/null >/tmp/arc-serve.log 2>&1 &
	wait_ready /tmp/arc-serve.log "the server in dut (net.py serve)"
	# The link works both ways (no neighbour discovery: the entries are
	# permanent, so no ND packet from a blocked source moves a counter).
	peer ping -q -c1 -W2 198.51.100.1 >/dev/null ||
		fail "dut does not answer ping at 198.51.100.1"
	peer ping -q -c1 -W2 2001:db8::1 >/dev/null ||
		fail "dut does not answer ping at 2001:db8::1"
}

# wait_ready LOG WHAT: wait up to ten seconds for a server started in the
# background to print "ready" to LOG; fail if it does not.
wait_ready() {
	local _
	for _ in $(seq 100); do
		grep -q '^ready$' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "$2 never printed ready: $(tail -n 5 "$1" 2>/dev/null)"
}

# fw_objects WHAT: the module's sets or entries in memory (debugfs).
fw_objects() {
	awk -v w="$1" '$1 == w { print $2 }' /sys/kernel/debug/arc_firewall/counters
}

# fw_objects_stable: "SETS ENTRIES" once sets that were replaced or
# flushed are freed (a grace period and a work item later): readings alike
# for 1.2 s, 0.2 s apart (at most 12 s). Three alike over 0.4 s once took
# a flushed set that was still waiting for its grace period (6.1, a make
# check run alone).
fw_objects_stable() {
	local now prev= same=0 _
	for _ in $(seq 60); do
		now="$(fw_objects sets) $(fw_objects entries)"
		if [ "$now" = "$prev" ]; then
			same=$((same + 1))
			[ $same -ge 6 ] && break
		else
			same=0
		fi
		prev=$now
		sleep 0.2
	done
	echo "$now"
}

# fw_objects_settle SETS ENTRIES WHAT: wait up to 20 s for the module to
# hold SETS sets and ENTRIES entries (freed sets go after a grace period),
# else fail with WHAT.
fw_objects_settle() {
	local _
	for _ in $(seq 200); do
		[ "$(fw_objects sets)" = "$1" ] && [ "$(fw_objects entries)" = "$2" ] && return 0
		sleep 0.1
	done
	fail "$3: $(fw_objects sets) sets, $(fw_objects entries) entries; want $1 and $2"
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

# reach KIND SRC DST [PORT [N]]: one check of whether traffic from SRC
# gets through. exthdr-udp and exthdr-tcp (IPv6 only) send one datagram
# or SYN behind N destination options headers (net.py exthdr). The exit
# status is the outcome, as reach.c's (outcome STATUS names it): 0
# through; 1 no answer at all in time, the only outcome that can be a
# drop, with "sent N" on stdout (the packets sent); anything else an
# error, with a message on stderr.
reach() {
	case $1 in
	ping) reach_ping "$2" "$3" ;;
	tcp) peer "$REACH" tcp "$2" "$3" "${4:-8080}" ;;
	udp) peer "$REACH" udp "$2" "$3" "${4:-5353}" ;;
	exthdr-udp | exthdr-tcp)
		peer python3 -S "$NETPY" exthdr "${1#exthdr-}" "$2" "$3" "$4" "$5" ;;
	*) fail "reach: unknown kind $1" ;;
	esac
}

# reach_ping SRC DST: one echo request, with reach's statuses. ping says
# 1 both for no reply and for an ICMP error; its summary tells them apart.
reach_ping() {
	local out rc
	out=$(peer ping -c1 -W1 -I "$1" "$2" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && return 0
	if [ $rc -eq 1 ]; then
		case $out in
		*" errors,"*) ;;
		*"1 packets transmitted, 0 received,"*) echo "sent 1"; return 1 ;;
		esac
		echo "ping $1 $2: $(printf '%s\n' "$out" | grep -v '^$' | tail -n 3 | paste -sd' ')" >&2
		return 4
	fi
	echo "ping $1 $2: $out" >&2
	return 5
}

# outcome STATUS: what reach's exit status STATUS means.
outcome() {
	case $1 in
	0) echo "got through" ;;
	1) echo "no answer" ;;
	2) echo "bad arguments to reach" ;;
	3) echo "refused or reset" ;;
	4) echo "an ICMP error came back" ;;
	5) echo "a local error (socket, bind or send)" ;;
	6) echo "an unexpected answer" ;;
	*) echo "exit status $1" ;;
	esac
}

# A pass check tries three times: one late reply in a loaded emulated guest
# (seen once right after the ping floods of load.sh, with no firewall
# loaded at all) is not a drop. Drop checks are not retried.
expect_pass() {
	local rc try
	for try in 1 2 3; do
		reach "$@" >/dev/null && return 0
		rc=$?
		echo "# $*: $(outcome $rc), try $try of 3" >&2
	done
	[ $rc -eq 1 ] && fail "$* was dropped (no answer), should pass"
	fail "$*: $(outcome $rc), should pass"
}

# drop_counter: the firewall's counter that a drop check watches:
# dropped_packets (the blocklist's), or port_rule_packets with
# DROP_BY=port_rule (e.g. DROP_BY=port_rule expect_drop tcp ...).
drop_counter() {
	case ${DROP_BY:-blocklist} in
	blocklist) echo dropped_packets ;;
	port_rule) echo port_rule_packets ;;
	*) fail "DROP_BY=$DROP_BY: blocklist or port_rule" ;;
	esac
}

# is_count WHAT VALUE: fail unless VALUE (read from WHAT) is a number.
is_count() {
	[[ $2 =~ ^[0-9]+$ ]] || fail "$1: '$2' is not a count"
}

# expect_drop KIND SRC DST [PORT [N]]: the check gets no answer at all
# (any other failure is an error, not a drop), and the firewall's drop
# counter (drop_counter) moves by at least the packets it sent.
expect_drop() {
	local field c0 c1 out rc
	field=$(drop_counter)
	c0=$(fw_stats "$field")
	out=$(reach "$@")
	rc=$?
	c1=$(fw_stats "$field")
	is_count "$field before" "$c0"
	is_count "$field after" "$c1"
	[ $rc -eq 0 ] && fail "$* passed, should be dropped"
	[ $rc -eq 1 ] || fail "$*: $(outcome $rc), should be dropped (no answer)"
	[[ $out =~ ^sent\ ([0-9]+)$ ]] || fail "$*: reach printed '$out', not 'sent N'"
	[ $((c1 - c0)) -ge "${BASH_REMATCH[1]}" ] ||
		fail "$*: no answer, but $field moved by $((c1 - c0)) for ${BASH_REMATCH[1]} packet(s) sent: lost elsewhere, not dropped by the firewall"
}

# expect_drops "KIND SRC DST [PORT]"...: several drop checks at once, each
# as expect_drop, the counter taken over all of them: it must move by at
# least the packets all of them sent. Each one waits out its timeout;
# together they wait about one.
expect_drops() {
	local c i rc field c0 c1 sent=0 bad=() dir pids=()
	field=$(drop_counter)
	dir=$(mktemp -d)
	c0=$(fw_stats "$field")
	is_count "$field before" "$c0"
	i=0
	for c; do
		# shellcheck disable=SC2086 # $c is the argument list of reach
		{ reach $c >"$dir/$i.out" 2>"$dir/$i.err"; echo $? >"$dir/$i.rc"; } &
		pids+=($!)
		i=$((i + 1))
	done
	wait "${pids[@]}"
	c1=$(fw_stats "$field")
	is_count "$field after" "$c1"
	i=0
	for c; do
		rc=$(cat "$dir/$i.rc")
		cat "$dir/$i.err" >&2
		if [ "$rc" = 1 ] && [[ $(cat "$dir/$i.out") =~ ^sent\ ([0-9]+)$ ]]; then
			sent=$((sent + BASH_REMATCH[1]))
		elif [ "$rc" = 0 ]; then
			bad+=("$c: passed")
		else
			bad+=("$c: $(outcome "$rc")")
		fi
		i=$((i + 1))
	done
	rm -rf "$dir"
	[ ${#bad[@]} -eq 0 ] ||
		fail "should be dropped (no answer): $(printf '%s; ' "${bad[@]}")"
	[ $((c1 - c0)) -ge $sent ] ||
		fail "no answer to $#, but $field moved by $((c1 - c0)) for $sent packets sent: lost elsewhere, not dropped by the firewall ($*)"
}

# pktgen, injecting into dut's receive path (xmit_mode netif_receive on a
# dummy device: no queue in between that could drop a packet).
PG=/proc/net/pktgen

# pg_target: dummy device d0 (192.0.2.1/24) in dut, the floods' target;
# sets $pg_mac to its address.
pg_target() {
	ip -n dut -batch - <<-EOF || fail "dummy device in dut"
	link add d0 type dummy
	link set d0 up
	addr add 192.0.2.1/24 dev d0
	EOF
	pg_mac=$(dut cat /sys/class/net/d0/address)
}

# pg_device THREAD DEV SETTING...: pktgen's device DEV (d0 alone on
# THREAD; d0@N, a second one on d0, beside what THREAD has) on THREAD
# (kpktgend_N): 64-byte UDP to 192.0.2.1 through d0, with the SETTINGs
# (count, src_min, flag ...).
pg_device() {
	local t=$1 dev=$2 line clear="echo rem_device_all >$PG/$1 && "
	shift 2
	[[ $dev == *@* ]] && clear=
	dut sh -c "${clear}echo 'add_device $dev' >$PG/$t" ||
		fail "pktgen: add $dev to $t"
	for line in "xmit_mode netif_receive" "pkt_size 64" "burst 1" "delay 0" \
		"dst_mac $pg_mac" "dst 192.0.2.1" "$@"; do
		dut sh -c "echo '$line' >$PG/$dev" || fail "pktgen: $dev: $line"
	done
}

# pg_sent DEV: the packets pktgen sent on DEV in its last run.
pg_sent() {
	dut cat "$PG/$1" | awk '{ for (i = 1; i <= NF; i++) if ($i == "pkts-sofar:") print $(i + 1) }'
}

# The soak tests' frame (selftests/soak/*_flood.sh): pktgen's d0 floods
# dut while jobs loop in the background until $work/stop exists; a job
# that fails writes why to $work/fail. The caller sets work (a scratch
# directory) and pids=().
#
# soak_churn NAME FUNC: a job: namespaces NAME0 .. NAME3 in turn are
# created, handed to FUNC NS (which must succeed) and deleted; how many
# goes to $work/namespaces.
soak_churn() {
	local name=$1 fn=$2
	(
		n=0
		while [ ! -e "$work/stop" ]; do
			ns=$name$((n % 4))
			ip netns add "$ns" || { echo "netns add $ns failed" >"$work/fail"; exit 1; }
			"$fn" "$ns" || { echo "$fn in $ns failed" >"$work/fail"; exit 1; }
			ip netns del "$ns"
			n=$((n + 1))
		done
		echo "$n" >"$work/namespaces"
	) &
	pids+=($!)
}

# soak_run SECONDS: start the flood, let it and the jobs run that long
# (less if a job fails), stop them all and fail with what a job said.
# Sets soak_secs (how long it ran) and soak_sent (what pktgen sent, at
# least one packet).
soak_run() {
	local t0=$SECONDS
	dut sh -c "echo start >$PG/pgctrl" &
	pids+=($!)
	while [ $((SECONDS - t0)) -lt "$1" ] && [ ! -e "$work/fail" ]; do
		sleep 1
	done
	soak_stop || fail "pktgen: stop"
	[ -e "$work/fail" ] && fail "$(cat "$work/fail")"
	soak_secs=$((SECONDS - t0))
	soak_sent=$(pg_sent d0)
	is_count "pktgen pkts-sofar" "$soak_sent"
	[ "$soak_sent" -gt 0 ] || fail "pktgen sent nothing"
}

# soak_stop [NAME]: stop the flood and the jobs (and delete what is left
# of soak_churn NAME's namespaces): soak_run's end, and the EXIT trap's.
# Fails if pktgen could not be told to stop.
soak_stop() {
	local ns rc=0
	touch "$work/stop"
	dut sh -c "echo stop >$PG/pgctrl" 2>/dev/null || rc=1
	[ ${#pids[@]} -gt 0 ] && wait "${pids[@]}"
	pids=()
	if [ -n "${1:-}" ]; then
		for ns in $(ip netns list | awk -v p="$1" 'index($1, p) == 1 { print $1 }'); do
			ip netns del "$ns"
		done
	fi
	return $rc
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
