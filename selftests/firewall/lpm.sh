#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Longest-prefix match: /0, /32, /128, overlapping prefixes; the most
# specific entry counts the drop.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up

arcfw block 198.51.100.0/24 198.51.100.2/32 198.51.100.0/25 || fail "block"
peer ping -q -c3 -i0.05 -W1 -I 198.51.100.2 198.51.100.1 >/dev/null
peer ping -q -c2 -i0.05 -W1 -I 198.51.100.3 198.51.100.1 >/dev/null
expect_eq "/32 count" "$(entry_counter 198.51.100.2/32 packets)" 3
expect_eq "/25 count" "$(entry_counter 198.51.100.0/25 packets)" 2
expect_eq "/24 count" "$(entry_counter 198.51.100.0/24 packets)" 0
arcfw unblock 198.51.100.2/32 198.51.100.0/25 || fail "unblock"
peer ping -q -c1 -W1 -I 198.51.100.2 198.51.100.1 >/dev/null
expect_eq "/24 after unblocking the longer ones" "$(entry_counter 198.51.100.0/24 packets)" 1
arcfw flush || fail "flush"

# /0 blocks all of IPv4, nothing of IPv6.
arcfw block 0.0.0.0/0 || fail "block /0"
expect_drop ping 10.9.0.2 10.9.0.1
expect_pass ping fd00:9::2 fd00:9::1
arcfw flush || fail "flush"
arcfw block ::/0 || fail "block ::/0"
expect_drop ping fd00:9::2 fd00:9::1
expect_pass ping 10.9.0.2 10.9.0.1
arcfw flush || fail "flush"

# /128 inside overlapping /64 and /32.
arcfw block 2001:db8::/32 2001:db8::/64 2001:db8::3/128 || fail "block v6"
peer ping -q -c2 -i0.05 -W1 -I 2001:db8::3 2001:db8::1 >/dev/null
peer ping -q -c1 -W1 -I 2001:db8::2 2001:db8::1 >/dev/null
expect_eq "/128 count" "$(entry_counter 2001:db8::3/128 packets)" 2
expect_eq "/64 count" "$(entry_counter 2001:db8::/64 packets)" 1
expect_eq "/32 count" "$(entry_counter 2001:db8::/32 packets)" 0
# Exact-prefix semantics of unblock: a covering prefix is not removed by a longer one.
arcfw unblock 2001:db8::2/128 && fail "unblock of an absent prefix succeeded"
expect_eq "entries" "$(arcfw list | wc -l)" 3
pass "longest prefix wins for IPv4 and IPv6, /0 per family"
