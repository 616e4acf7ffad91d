#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 100,000 entries: restore (atomic replace) loads them, list dumps all of
# them exactly once, save gives back the same set; the cap (max_entries)
# refuses more with ENOSPC (exit 5) and changes nothing.
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; rm -f /tmp/arc-set /tmp/arc-saved /tmp/arc-big' EXIT
fw_load max_entries=100000
net_up

# 100,000 prefixes: 60,000 IPv4 /32 in 100.64.0.0/10, 40,000 IPv6 /128,
# written the way arcfw prints them (canonical text: no group of the IPv6
# addresses is 0), so that the saved set compares line by line.
awk 'BEGIN {
	for (i = 0; i < 60000; i++)
		printf "100.%d.%d.%d/32\n", 64 + int(i / 65536), int(i / 256) % 256, i % 256
	for (i = 0; i < 40000; i++)
		printf "2001:db8:%x::%x/128\n", int(i / 4096) + 1, i % 4096 + 1
}' >/tmp/arc-set
start=$(date +%s%N)
arcfw restore /tmp/arc-set || fail "restore of 100,000"
echo "restore: $((($(date +%s%N) - start) / 1000000)) ms"
start=$(date +%s%N)
n=$(arcfw list | wc -l)
echo "list: $((($(date +%s%N) - start) / 1000000)) ms"
expect_eq "listed entries" "$n" 100000
arcfw save /tmp/arc-saved || fail "save"
expect_eq "distinct saved entries" "$(sort -u /tmp/arc-saved | wc -l)" 100000
cmp -s <(sort /tmp/arc-set) <(sort /tmp/arc-saved) ||
	fail "saved set differs from the restored one: $(diff <(sort /tmp/arc-set) <(sort /tmp/arc-saved) | head -n 4)"
expect_eq "stats entries" "$(fw_stats entries)" 100000

# Full: one more is refused, with exit status 5, and nothing changes.
arcfw block 198.51.100.2
rc=$?
expect_eq "block past max_entries exit status" "$rc" 5
(cat /tmp/arc-set; echo 198.51.100.2) >/tmp/arc-big
arcfw restore /tmp/arc-big
expect_eq "restore past max_entries exit status" "$?" 5
expect_eq "entries after refusals" "$(arcfw list | wc -l)" 100000
expect_pass ping 198.51.100.2 198.51.100.1
# A bad line refuses the whole file before anything is sent.
printf '198.51.100.2\n10.0.0.1/8\n' >/tmp/arc-big
arcfw restore /tmp/arc-big
expect_eq "restore with a bad line exit status" "$?" 4
expect_eq "entries after bad file" "$(arcfw list | wc -l)" 100000

# A dump started and then left unread pins nothing: the set it lists,
# replaced meanwhile, is freed while the dump waits, and the dump, read
# at last, ends early marked interrupted (NLM_F_DUMP_INTR).
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
entries() { awk '$1 == "entries" { print $2 }' /sys/kernel/debug/arc_firewall/counters; }
coproc HOLD { dut python3 -S "$NETPY" dumphold 2>&1; }
read -r line <&"${HOLD[0]}"
[ "$line" = started ] || fail "the dump did not start: $line"
held=$(entries)
[ "$held" -ge 100000 ] || fail "$held entries in memory, want at least 100,000"
arcfw flush || fail "flush under a dump"
for i in $(seq 100); do [ "$(entries)" -le $((held - 100000)) ] && break; sleep 0.1; done
[ "$(entries)" -le $((held - 100000)) ] ||
	fail "the flushed set's entries are still in memory ($(entries) of $held) while a dump waits"
echo >&"${HOLD[1]}"
read -r line <&"${HOLD[0]}"
echo "# the waiting dump, read after the flush: $line"
case $line in
"entries "*" interrupted") [ "$(echo "$line" | cut -d' ' -f2)" -lt 100000 ] ||
	fail "the dump listed the whole flushed set: $line" ;;
*) fail "the dump was not marked interrupted: $line" ;;
esac
pass "100,000 entries restored, dumped, saved; cap enforced; a dump pins no set"
