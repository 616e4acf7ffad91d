#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every fault the device can make, while a reader streams: short, odd-
# length, garbage and out-of-sequence transfers are skipped and counted,
# sequence gaps are counted as lost samples, a halted endpoint is cleared
# and streaming resumes; the driver's counters equal what the device
# injected, every sample the reader gets is the pattern's, in order.
# Then a burst faster than the reader (evdev may drop for the reader; the
# driver loses nothing), and disconnects in the middle of a transfer,
# after which the device comes back and binds again.
. "$(dirname "$0")/usblib.sh"
trap sensor_cleanup EXIT
usb_setup
sensor_load

# stats_match NAME DRIVER-COUNTER GADGET-COUNTER
stats_match() {
	expect_eq "$2 (driver) vs $3 (device)" "$(sensor_stat "$1" "$2")" "$(gadget_stat "$1" "$3")"
}

gadget_start f --pattern test \
	--fault short:every=397,count=5 --fault odd:every=389,len=40,count=5 \
	--fault garbage:every=383,len=48,count=5 --fault oos:every=379,count=5 \
	--fault gap:every=373,skip=3,count=5 --fault halt:every=701,count=3
sensor_wait_bound f
out=$("$EV_READ" --gaps --timeout 20 "$(sensor_event f)" 4000) || fail "reading through the faults: $out"
echo "# $out"
sleep 0.5
for k in short odd garbage halt; do
	[ "$(gadget_stat f "fault_$k")" -gt 0 ] || fail "the device injected no $k fault"
done
stats_match f short fault_short
stats_match f odd fault_odd
stats_match f garbage fault_garbage
stats_match f out_of_sequence fault_oos
stats_match f lost gap_seqs
stats_match f halts_cleared fault_halt
stats_match f samples samples
expect_eq "gaps the reader saw" "$(sed 's/.* gaps \([0-9]*\) .*/\1/' <<<"$out")" "$(gadget_stat f gap_seqs)"
for c in err_proto err_ilseq err_time err_overflow err_other failures resyncs; do
	expect_eq "stats/$c" "$(sensor_stat f "$c")" 0
done
[ "$(sensor_stat f halts)" -ge "$(gadget_stat f fault_halt)" ] || fail "fewer halts seen than made"
echo "# injected: $(for k in short odd garbage oos halt; do printf '%s=%s ' $k "$(gadget_stat f fault_$k)"; done)gap_seqs=$(gadget_stat f gap_seqs)"
gadget_stop f

# Bursts: 3 x 5,000 samples as fast as the device can send them.
gadget_start b --pattern test --fault burst:every=6000,samples=5000,count=3
sensor_wait_bound b
out=$("$EV_READ" --gaps --drops --timeout 20 "$(sensor_event b)" 24000) || fail "reading through the bursts: $out"
echo "# $out"
sleep 0.5
expect_eq "bursts made" "$(gadget_stat b fault_burst)" 3
stats_match b samples samples
stats_match b lost gap_seqs
gadget_stop b

# Disconnects right after a transfer was queued, the device back 300 ms
# later: each time the reader ends with an error and a new binding comes.
dmesg -C
gadget_start d --pattern test --fault disconnect:every=1500,rebind=300,count=3
for i in 1 2 3; do
	sensor_wait_bound d
	"$EV_READ" --gaps --quiet --timeout 20 "$(sensor_event d)" 1000000000
	expect_eq "disconnect $i: how the reader ended (3: the device went away)" $? 3
done
sensor_wait_bound d
"$EV_READ" --gaps --quiet "$(sensor_event d)" 500 || fail "reading after 3 disconnects"
expect_eq "disconnects made" "$(gadget_stat d fault_disconnect)" 3
expect_eq "disconnects the driver saw" "$(dmesg | grep -c 'USB Sensor disconnected')" 3
pass "faults counted exactly; bursts lost nothing in the driver; 3 disconnects mid-transfer"
