#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Namespaces are isolated: entries in one do not affect another, each has
# its own counters; a namespace dies with its entries without harm.
. "$(dirname "$0")/fwlib.sh"
trap 'fw_cleanup; ns_del dut2; ns_del peer2' EXIT
fw_load
net_up
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
sets0=$(fw_objects sets) entries0=$(fw_objects entries)
[ -n "$sets0" ] && [ -n "$entries0" ] || fail "no object counts in debugfs"
ip netns add dut2
ip netns add peer2
ip link add veth2 netns dut2 type veth peer name veth3 netns peer2
ip -n dut2 addr add 198.51.100.1/24 dev veth2
ip -n peer2 addr add 198.51.100.2/24 dev veth3
ip -n dut2 link set veth2 up
ip -n peer2 link set veth3 up
ip netns exec peer2 ping -q -c1 -W2 198.51.100.1 >/dev/null || fail "dut2 unreachable"

arcfw block 198.51.100.2 || fail "block in dut"
expect_drop ping 198.51.100.2 198.51.100.1
ip netns exec peer2 ping -q -c1 -W1 198.51.100.1 >/dev/null || fail "dut's entry dropped traffic into dut2"
expect_eq "dut2 entries" "$(FW_NS=dut2 arcfw list | wc -l)" 0
expect_eq "init_net entries" "$("$ARCFW" list | wc -l)" 0
FW_NS=dut2 arcfw block 198.51.100.0/24 || fail "block in dut2"
d0=$(FW_NS=dut2 fw_stats dropped_packets)
ip netns exec peer2 ping -q -c1 -W1 198.51.100.1 >/dev/null && fail "dut2 entry did not apply"
# No answer is not enough: dut2's firewall dropped the echo request.
expect_eq "dut2 drops" $(($(FW_NS=dut2 fw_stats dropped_packets) - d0)) 1
expect_eq "dut entries unchanged" "$(arcfw list)" "198.51.100.2/32 packets 1 bytes 84"

# A namespace with 5,000 entries goes away; the module carries on, and
# every set and entry of the two namespaces is freed.
python3 -S -c 'print("\n".join("100.64.%d.%d" % (i >> 8, i & 255) for i in range(5000)))' |
	FW_NS=dut2 arcfw restore - 2>/dev/null || fail "restore in dut2"
# (The set restore replaced goes after a grace period.)
fw_objects_settle $((sets0 + 2)) $((entries0 + 5001)) "with dut2 and peer2"
ip netns del peer2
ip netns del dut2
# Namespaces are dismantled by a worker, entries freed after a grace period.
fw_objects_settle "$sets0" $((entries0 + 1)) "after dut2 and peer2 died"
expect_drop ping 198.51.100.2 198.51.100.1
arcfw stats >/dev/null || fail "stats after a namespace died"
pass "per-namespace state, isolation, namespace teardown frees it all"
