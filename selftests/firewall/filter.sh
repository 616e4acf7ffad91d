#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lookup filter (a Bloom filter in front of the hash table) never
# hides an entry. It is rebuilt as the live set grows (at 512, 1024 and
# 2048 keys on the way to 3000) and as it churns (old entries unblocked,
# new ones blocked, 3000 all along). After each step every blocked source
# drops and every unblocked one passes, counted over real packets, one
# per source.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up

n=3000
step=1500
rounds=6

# drops FIRST COUNT SKIP DST: packets dropped of one sent from each of
# COUNT sources from FIRST + SKIP on.
drops() {
	local p0 p1 _ first
	first=$(addrs "$1" 1 "$3")
	read -r p0 _ < <(totals)
	peer python3 -S "$NETPY" spray "$first" "$2" "$4" 1 0 || fail "spray from $first"
	read -r p1 _ < <(totals)
	echo $((p1 - p0))
}

# range block|unblock FIRST COUNT SKIP: COUNT addresses from FIRST + SKIP.
range() {
	# shellcheck disable=SC2046 # one argument per address
	arcfw "$1" $(addrs "$2" "$3" "$4") || fail "$1 $3 addresses"
}

for fam in 4 6; do
	if [ $fam = 4 ]; then
		first=198.18.0.0 dst=198.51.100.1
	else
		first=2001:db8:2:: dst=2001:db8::1
	fi
	empty=$(fw_stats filter_bytes)
	for ((i = 0; i < n; i += 500)); do
		range block $first 500 $i
	done
	grown=$(fw_stats filter_bytes)
	[ "$grown" -gt "$empty" ] || fail "IPv$fam: the filter stayed at $empty bytes for $n entries"
	expect_eq "IPv$fam drops of $((2 * n)) sources, $n blocked" \
		"$(drops $first $((2 * n)) 0 $dst)" $n
	echo "# IPv$fam: $n entries, filter $empty -> $grown bytes, each drops"

	# Churn: unblock the oldest $step, block the next $step.
	for ((r = 0; r < rounds; r++)); do
		range unblock $first $step $((r * step))
		range block $first $step $((n + r * step))
	done
	live=$((rounds * step))
	expect_eq "IPv$fam entries after churn" "$(arcfw list | wc -l)" $n
	expect_eq "IPv$fam drops of the $live unblocked sources" \
		"$(drops $first $live 0 $dst)" 0
	expect_eq "IPv$fam drops of the $n blocked and $n more" \
		"$(drops $first $((2 * n)) $live $dst)" $n
	echo "# IPv$fam: after $rounds rounds of $step out and $step in, filter $(fw_stats filter_bytes) bytes"

	arcfw flush || fail "flush"
	expect_eq "IPv$fam filter after flush" "$(fw_stats filter_bytes)" "$empty"
done
pass "the lookup filter keeps every entry through growth and churn"
