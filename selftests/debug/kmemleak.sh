#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What leaked during the run (make check-debug runs this last, with every
# module unloaded): kmemleak scans memory twice and must find no
# unreferenced object. With --forget (run.sh, before the first test):
# scan, then forget what is already there (boot's leaks are not ours).
. "$(dirname "$0")/../lib.sh"
km=/sys/kernel/debug/kmemleak
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
[ -w $km ] || skip "no kmemleak (CONFIG_DEBUG_KMEMLEAK) in this kernel"

if [ "${1:-}" = --forget ]; then
	echo scan >$km && echo clear >$km
	exit 0
fi
# Every arc module first, then the shim they use.
for m in $(awk '$1 ~ /^arc_/ { print $1 }' /proc/modules); do
	case " $ARC_SHIM_AREAS " in *" $m "*) continue ;; esac
	rmmod "$m" || fail "rmmod $m"
done
arc_unload_all
# An object is reported once it has been unreferenced for five seconds
# and over two scans.
echo scan >$km || fail "kmemleak scan"
sleep 6
echo scan >$km || fail "kmemleak scan"
leaks=$(cat $km)
n=$(printf '%s\n' "$leaks" | grep -c '^unreferenced object')
[[ $n =~ ^[0-9]+$ ]] || fail "kmemleak: could not count its report ('$n')"
if [ "$n" -gt 0 ]; then
	printf '%s\n' "$leaks" | head -n 200
	fail "kmemleak: $n unreferenced object(s) (the first are above)"
fi
pass "kmemleak: no unreferenced object after the run"
