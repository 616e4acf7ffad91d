#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The supported range: a kernel older than the oldest tested one is
# refused with its release in the message; one newer than the newest
# tested one builds with a warning (the probes are what decide).
. "$(dirname "$0")/../lib.sh"
kdir=$(make -s -C "$ARC_ROOT" print-kdir) || fail "print-kdir"
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
mkdir -p "$fake/include/config"
touch "$fake/Makefile"

range() {
	echo "$1" >"$fake/include/config/kernel.release"
	make -s -C "$ARC_ROOT" kdir KVER="$1" KDIR="$fake" 2>&1
}

out=$(range 4.19.0-27-amd64) && fail "4.19 accepted: $out"
echo "$out" | grep -q "kernel 4.19.0-27-amd64 is older than 5.10" || fail "4.19: '$out'"
out=$(range 99.1.0-1-amd64) || fail "99.1 refused: $out"
echo "$out" | grep -q "warning: kernel 99.1.0-1-amd64 is newer than" || fail "99.1: '$out'"
for k in 5.10.0-32-amd64 7.2.13+deb14-amd64; do
	out=$(range "$k") || fail "$k refused: $out"
	[ -z "$out" ] || fail "$k: unexpected '$out'"
done
out=$(make -s -C "$ARC_ROOT" kdir KDIR="$kdir" 2>&1) || fail "installed kernel refused: $out"
pass "older refused, newer warned, tested range silent"
