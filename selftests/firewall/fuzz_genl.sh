#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The arcfw generic netlink family under fw_fuzz, a model-based fuzzer
# (random and mutated requests of every command, the namespace's state
# checked against what the accepted ones made it):
#   1. as root, in a fresh network namespace;
#   2. as an unprivileged user who is root of a user namespace that owns
#      a fresh network namespace (unshare -Urn): GENL_UNS_ADMIN_PERM ops
#      work there;
#   3. as that user, root of a user namespace in the initial network
#      namespace (unshare -Ur): nothing but GET_STATS is allowed, and the
#      initial namespace's firewall does not move.
# Afterwards the module still answers and drops, every set and entry of
# the fuzzed namespaces is freed, and it unloads. ARC_FUZZ_MODE=full
# (make check-debug) runs 10^5 inputs each, a fiftieth otherwise.
. "$(dirname "$0")/fwlib.sh"
FUZZ=$ARC_ROOT/selftests/firewall/fw_fuzz
trap 'fw_cleanup; ns_del fuzz' EXIT
need unshare setpriv
[ -x "$FUZZ" ] || fail "no $FUZZ: build the selftests"
# A small cap, so that ADD and REPLACE_ADD reach ENOSPC.
fw_load max_entries=48
net_up
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
kernel_reports() { dmesg | grep -cE 'WARNING:|BUG:|Oops|general protection|UBSAN|KASAN'; }
reports0=$(kernel_reports)

# A prefix repeated in one request counts once against max_entries (it
# was counted each time: ENOSPC with room for it; fw_fuzz found it).
# shellcheck disable=SC2046 # one argument per address
arcfw block $(addrs 100.64.0.1 47) || fail "fill dut to 47 entries"
arcfw block 198.51.100.99 198.51.100.99 ||
	fail "one new prefix, twice in one request, refused with one slot free"
expect_eq "entries in dut, full" "$(fw_stats entries)" 48
arcfw block 198.51.100.98 2>/dev/null && fail "a 49th entry accepted (max_entries=48)"
arcfw flush || fail "flush dut"

# What the unprivileged run must not change: the initial namespace's set.
"$ARCFW" block 192.0.2.77 2001:db8:77::/48 || fail "block in the initial namespace"
init0=$("$ARCFW" list)
# The baseline: one set in each live namespace (the initial one, dut,
# peer; every other namespace, such as one a test before this one deleted,
# is gone once its cleanup has run) and the initial namespace's two
# entries (the set that flush replaced is freed a grace period later).
sets0=$(($(ip netns list | wc -l) + 1)) entries0=2
fw_objects_settle "$sets0" "$entries0" "before fuzzing (namespaces deleted earlier still being cleaned up?)"

ip netns add fuzz || fail "netns fuzz"
echo "# 1: root in a fresh network namespace"
ip netns exec fuzz "$FUZZ" || fail "fw_fuzz as root"
# The tool reads the same state the fuzzer left.
n=$(ip netns exec fuzz "$ARCFW" list | wc -l)
expect_eq "arcfw list against stats in fuzz" "$n" \
	"$(FW_NS=fuzz fw_stats entries)"
ns_del fuzz

echo "# 2: an unprivileged user, root of its own user and network namespace"
setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn "$FUZZ" ||
	fail "fw_fuzz as root of a user namespace (unshare -Urn)"

echo "# 3: that user, root of a user namespace, in the initial network namespace"
setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur "$FUZZ" --unpriv ||
	fail "fw_fuzz without CAP_NET_ADMIN over the initial namespace"
expect_eq "the initial namespace's set" "$("$ARCFW" list)" "$init0"

# The fuzzed namespaces are gone, and with them all they held.
fw_objects_settle "$sets0" "$entries0" "after the fuzzed namespaces died"

# The module still works: block, drop, unblock, pass.
arcfw block 198.51.100.2 || fail "block in dut after fuzzing"
expect_eq "dut list" "$(arcfw list)" "198.51.100.2/32 packets 0 bytes 0"
expect_drop ping 198.51.100.2 198.51.100.1
arcfw unblock 198.51.100.2 || fail "unblock in dut after fuzzing"
expect_pass ping 198.51.100.2 198.51.100.1
expect_eq "kernel reports (WARN, BUG, Oops, KASAN, UBSAN)" "$(kernel_reports)" "$reports0"
net_down
rmmod arc_firewall || fail "rmmod arc_firewall after fuzzing"
pass "arcfw genl fuzzed as root, root of a user namespace and unprivileged; state as the model says"
