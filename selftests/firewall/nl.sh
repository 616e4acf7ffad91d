#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed and unprivileged netlink requests (fw_nl, kselftest harness),
# in a fresh namespace; afterwards traffic is still filtered.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up
dut "$(dirname "$0")/fw_nl" || fail "fw_nl"
# The entry fw_nl leaves behind still drops traffic.
arcfw block 198.51.100.2 || fail "block after the malformed requests"
expect_drop ping 198.51.100.2 198.51.100.1
pass "malformed requests refused, module still filtering"
