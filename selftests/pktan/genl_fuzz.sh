#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The arcpkt generic netlink family under pa_fuzz, a model-based fuzzer
# (every command, do and dump, random attribute trees, out-of-range and
# boundary settings, mutated datagrams; the settings checked against what
# the accepted requests made them):
#   1. as root, in a fresh network namespace with traffic flowing in;
#   2. as an unprivileged user, root of its own user and network
#      namespace (unshare -Urn): changes are allowed there;
#   3. as that user, root of a user namespace in the initial network
#      namespace (unshare -Ur): no change is, and the initial namespace's
#      settings do not move.
# Then the module still counts exactly and unloads; the kernel reported
# nothing. ARC_FUZZ_MODE=full (make check-debug) runs 10^5 inputs each.
. "$(dirname "$0")/pktlib.sh"
FUZZ=$ARC_ROOT/selftests/pktan/pa_fuzz
trap 'kill $flood 2>/dev/null; pa_cleanup; ns_del fuzz' EXIT
flood=
need unshare setpriv
[ -x "$FUZZ" ] || fail "no $FUZZ: build the selftests"
dmesg -C
pa_load
net_up
"$ARCPKT" config scan-threshold 7 || fail "config in the initial namespace"
init0=$("$ARCPKT" --json config)

# 1: root, in dut, while the peer sends (resets and settings race the
# packet path).
ip netns exec peer sh -c "while :; do python3 -S $NETPY spray 198.51.100.50 20 198.51.100.1 2 64; done" \
	>/dev/null 2>&1 &
flood=$!
echo "# 1: root in a network namespace with traffic"
dut "$FUZZ" || fail "pa_fuzz as root"
peer_quiet
wait $flood 2>/dev/null
flood=

echo "# 2: an unprivileged user, root of its own user and network namespace"
setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn "$FUZZ" ||
	fail "pa_fuzz as root of a user namespace (unshare -Urn)"

echo "# 3: that user, root of a user namespace, in the initial network namespace"
setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur "$FUZZ" --unpriv ||
	fail "pa_fuzz without CAP_NET_ADMIN over the initial namespace"
expect_eq "the initial namespace's settings" "$("$ARCPKT" --json config)" "$init0"

# Still counting exactly.
arcpkt config detect on dns on || fail "config after fuzzing"
arcpkt reset || fail "reset after fuzzing"
peer python3 -S "$NETPY" spray 198.51.100.60 10 198.51.100.1 3 100 || fail "spray"
sleep 0.3
expect_eq "udp after fuzzing" "$(pa_get pre_routing.ipv4.udp.packets)" 30
reports=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN')
[ -z "$reports" ] || fail "kernel reports: $reports"
net_down
rmmod arc_pktan || fail "rmmod arc_pktan after fuzzing"
pass "arcpkt genl fuzzed as root, root of a user namespace and unprivileged; settings as the model says"
