#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The port rule: TCP to guarded ports from non-local sources is dropped;
# local sources, other ports and other protocols pass; ports and local
# prefixes are configurable; off means off.
. "$(dirname "$0")/fwlib.sh"
trap fw_cleanup EXIT
fw_load
net_up

arcfw ssh-guard | grep -q '^ssh-guard off' || fail "port rule should start off"
expect_pass tcp 198.51.100.2 198.51.100.1 22
arcfw ssh-guard on || fail "ssh-guard on"
DROP_BY=port_rule expect_drops "tcp 198.51.100.2 198.51.100.1 22" "tcp 2001:db8::2 2001:db8::1 22"
expect_pass tcp 10.9.0.2 10.9.0.1 22
expect_pass tcp fd00:9::2 fd00:9::1 22
expect_pass tcp 198.51.100.2 198.51.100.1 8080
expect_pass udp 198.51.100.2 198.51.100.1 5353
echo "default: port 22, private ranges local"

arcfw ssh-guard on --ports 2222,8080 --local 198.51.100.3/32 || fail "configure"
expect_pass tcp 198.51.100.2 198.51.100.1 22
DROP_BY=port_rule expect_drops "tcp 198.51.100.2 198.51.100.1 2222" "tcp 198.51.100.2 198.51.100.1 8080" \
	"tcp 10.9.0.2 10.9.0.1 8080"
expect_pass tcp 198.51.100.3 198.51.100.1 8080
json=$(arcfw --json ssh-guard)
expect_eq "ssh-guard json" "$json" '{"enabled":true,"ports":[2222,8080],"local":["198.51.100.3/32"]}'
n=$(fw_stats port_rule_packets)
[ "$n" -gt 0 ] || fail "port rule drops not counted"

arcfw ssh-guard on --ports 0 && fail "port 0 accepted"
arcfw ssh-guard on --ports 70000 && fail "port 70000 accepted"
arcfw ssh-guard maybe && fail "'maybe' accepted"
expect_eq "config unchanged by bad input" "$(arcfw --json ssh-guard)" "$json"

arcfw ssh-guard off || fail "off"
expect_pass tcp 198.51.100.2 198.51.100.1 2222
pass "port rule"
