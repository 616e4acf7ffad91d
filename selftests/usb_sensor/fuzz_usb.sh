#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzzing what a hostile device and a hostile user can hand the driver:
# random transfers (1-300 random bytes, the magic byte often in place) in
# between real samples, and random writes to the interface's sysfs rate.
# Every random transfer is skipped and counted as short, odd, garbage or
# out of sequence; the real samples still reach the reader exact and in
# order; rate writes in 1..100000 are taken and reach the device, the
# rest are refused. ARC_FUZZ_MODE=full: 20,000 random transfers and
# 2,000 rate writes; 400 and 40 otherwise.
. "$(dirname "$0")/usblib.sh"
. "$(dirname "$0")/../fuzz/values.sh"
export LC_ALL=C
trap sensor_cleanup EXIT
usb_setup
sensor_load
fuzz_seed
nrand=$(fuzz_count 20000)
nrate=$(fuzz_count 2000)

# One random transfer after every 3 samples: about nrand * 3 samples.
gadget_start z --pattern test --fault "random:every=3,len=300,count=$nrand"
sensor_wait_bound z
ev=$(sensor_event z)
out=$("$EV_READ" --timeout 30 "$ev" $((nrand * 3 + 30))) || fail "reading between random transfers: $out"
echo "# $out"
sleep 0.5
sent=$(gadget_stat z fault_random)
expect_eq "random transfers sent" "$sent" "$nrand"
skipped=0
for c in short odd garbage out_of_sequence; do
	v=$(sensor_stat z "$c")
	skipped=$((skipped + v))
	printf '# %s=%s ' "$c" "$v"
done
echo
expect_eq "random transfers skipped (short + odd + garbage + out of sequence)" "$skipped" "$sent"
expect_eq "samples the driver counted vs the device sent" "$(sensor_stat z samples)" "$(gadget_stat z samples)"
expect_eq "lost" "$(sensor_stat z lost)" 0

# The rate file, from a user with write access to sysfs (root here).
intf=$(sensor_intf z)
# At up to 100,000 samples/s the reader falls behind: SYN_DROPPED is
# counted, not the end of it. It must hold the device open throughout, or
# the writes after it left would only be stored for the next open.
"$EV_READ" --gaps --drops --quiet --timeout 60 "$ev" 1000000000 >/tmp/arc-fuzz-usb-reader 2>&1 &
r=$!
sensor_reader_streaming z $r "rate writes" /tmp/arc-fuzz-usb-reader
ok=0 refused=0
for ((i = 0; i < nrate; i++)); do
	rand_value uint 1 100000
	[ "$val" = "$NOARG" ] && val=
	[ -z "$val" ] && continue
	judge uint 1 100000 "$val"
	before=$(sysfs_read "$intf/rate")
	if { printf '%s' "$val" >"$intf/rate"; } 2>/dev/null; then
		[ "$want" = bad ] && fail "rate '${val:0:40}' accepted"
		got=$(sysfs_read "$intf/rate")
		[ "$want" = ok ] && expect_eq "rate after writing '${val:0:40}'" "$got" "$norm"
		ok=$((ok + 1))
	else
		[ "$want" = ok ] && fail "rate '${val:0:40}' refused"
		expect_eq "rate after the refused '${val:0:40}'" "$(sysfs_read "$intf/rate")" "$before"
		refused=$((refused + 1))
	fi
done
kill -0 $r 2>/dev/null || { cat /tmp/arc-fuzz-usb-reader; fail "the reader ended during the rate writes"; }
expect_eq "the device's rate" "$(gadget_stat z rate)" "$(sysfs_read "$intf/rate")"
kill $r
wait $r 2>/dev/null
echo "# rate: $nrate writes, $ok taken, $refused refused"
pass "$sent random transfers skipped and counted, samples exact; $nrate rate writes"
