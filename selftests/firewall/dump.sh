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
pass "100,000 entries restored, dumped, saved; cap enforced"
