#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sensor-gadget's own checks, run as root inside a guest (never on a
# host you care about: it loads dummy_hcd):
#   scripts/vm.sh -- userspace/sensor-gadget/tools/gadget-check.sh
# Reads the device from the host side with libusb (sensor-read.py), no
# kernel driver involved: enumeration of every --shape, the test pattern
# exactly, START/STOP/SET_RATE and bad commands, faults counted on both
# sides, disconnect and rebind, clean SIGTERM, two instances at once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
gadget=$here/../sensor-gadget
read_py() { /usr/bin/python3 "$here/sensor-read.py" "$@"; }
# Not 1234:5678: usbtouchscreen would take that one.
VID=0x1234 PID=0x5679
tmp=$(mktemp -d /tmp/sg-check.XXXXXX)
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
# kv LINE KEY: the value of KEY in a key=value line
kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
# expect LINE KEY=VALUE...: every pair matches
expect() {
	local line=$1 pair bad=0; shift
	for pair in "$@"; do
		if [ "$(kv "$line" "${pair%%=*}")" != "${pair#*=}" ]; then
			echo "# expected ${pair}, got ${pair%%=*}=$(kv "$line" "${pair%%=*}")"
			bad=1
		fi
	done
	return $bad
}

modprobe dummy_hcd num=2 && modprobe libcomposite && modprobe usb_f_fs || {
	echo "Bail out! cannot load dummy_hcd, libcomposite, usb_f_fs"
	exit 1
}
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

pid=
start() { # start NAME ARGS...: run the gadget, wait for its ready file and the host's device
	local name=$1 i; shift
	rm -f "$tmp/$name.ready"
	"$gadget" --name "$name" --vid $VID --pid $PID --ready-file "$tmp/$name.ready" \
		--stats "$tmp/$name.stats" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	for i in $(seq 100); do
		[ -f "$tmp/$name.ready" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	for i in $(seq 100); do
		lsusb -d ${VID#0x}:${PID#0x} >/dev/null 2>&1 && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	echo "# the gadget did not come up:"; sed 's/^/# /' "$tmp/$name.err"
	return 1
}
stop() { # stop: SIGTERM, wait, exit status 0
	kill -TERM $pid 2>/dev/null
	wait $pid
	local rc=$?
	[ $rc -eq 0 ] || { echo "# exit status $rc"; sed 's/^/# /' "$tmp"/*.err | tail -n 5; }
	return $rc
}
stats() { kill -USR1 $pid; sleep 0.3; cat "$tmp/$1.stats"; }

echo "TAP version 13"

# 1. Every shape enumerates with the descriptors it claims.
for shape in normal no-out int-in wrong-dir zero-maxpacket; do
	if ! start shape --shape $shape; then fail "shape $shape: enumerates"; stop; continue; fi
	sleep 1
	lsusb -v -d ${VID#0x}:${PID#0x} 2>/dev/null >"$tmp/lsusb.$shape"
	echo "# shape $shape: $(grep -E 'bConfigurationValue|bInterfaceClass|bEndpointAddress|Transfer Type|wMaxPacketSize' "$tmp/lsusb.$shape" | tr -s ' ' | tr '\n' ';')"
	cfg=$(cat /sys/bus/usb/devices/*/idProduct 2>/dev/null | grep -c ${PID#0x})
	case $shape in
	normal) check "shape normal: vendor class, bulk IN 0x81 and bulk OUT 0x02, 512" \
		grep -qzE 'bInterfaceClass +255.*0x81 +EP 1 IN.*Bulk.*0x0200 +1x 512.*0x02 +EP 2 OUT.*Bulk.*0x0200' "$tmp/lsusb.$shape" ;;
	no-out) check "shape no-out: one endpoint, bulk IN" \
		bash -c "grep -q 'bNumEndpoints *1' $tmp/lsusb.$shape && ! grep -q 'EP . OUT' $tmp/lsusb.$shape" ;;
	int-in) check "shape int-in: interrupt IN" grep -qzE 'EP 1 IN.*Transfer Type +Interrupt' "$tmp/lsusb.$shape" ;;
	wrong-dir) check "shape wrong-dir: two OUT endpoints, no IN" \
		bash -c "[ \$(grep -c 'EP . OUT' $tmp/lsusb.$shape) = 2 ] && ! grep -q 'EP . IN' $tmp/lsusb.$shape" ;;
	zero-maxpacket) check "shape zero-maxpacket: the host sees wMaxPacketSize 0" \
		grep -qE 'wMaxPacketSize +0x0000' "$tmp/lsusb.$shape"
		echo "# host log: $(dmesg | grep -E 'wMaxPacketSize 0|set config|maxpacket 0' | tail -n 3 | tr '\n' ';')"
		echo "# configured: $(cat /sys/bus/usb/devices/*/bConfigurationValue 2>/dev/null | tr '\n' ' ')" ;;
	esac
	check "shape $shape: SIGTERM exits 0" stop
done

# 2. The test pattern, exactly, with --count, counters on both sides.
start pat --pattern test --count 3000 --seq-start 0xfffffc00 || fail "pattern: gadget up"
r=$(read_py --vid $VID --pid $PID --start --samples 3000 --pattern test --silence 500 --expect-seq 0xfffffc00)
echo "# reader: $r"
check "pattern test: 3000 samples, values exact across the seq wrap, nothing lost" \
	expect "$r" samples=3000 mismatches=0 gaps=0 oos=0 short=0 odd=0 garbage=0 ts_backwards=0 \
	first_seq=4294966272 last_seq=1975 error=none
s=$(stats pat)
echo "# gadget: $s"
check "pattern test: the gadget counted what the host read" \
	expect "$s" samples=3000 transfers=$(kv "$r" transfers) bytes=$(kv "$r" bytes) cmd_start=1 done=1
check "pattern test: SIGTERM exits 0" stop

# 3. Commands: START, STOP (silence), SET_RATE, and bad ones counted and ignored.
start cmd --pattern test || fail "commands: gadget up"
r=$(read_py --vid $VID --pid $PID --silence 500)
check "commands: nothing streams before START" expect "$r" error=none
r=$(read_py --vid $VID --pid $PID --start --samples 500 --stop --pattern test --expect-seq 0)
check "commands: START streams from seq 0" expect "$r" samples=500 mismatches=0 gaps=0 error=none
sleep 0.3
r=$(read_py --vid $VID --pid $PID --samples 0 --size 16384 --silence 700)
echo "# after STOP: $r"
check "commands: nothing streams after STOP" expect "$r" error=none transfers=0
rate_r=$(read_py --vid $VID --pid $PID --rate 5000 --start --samples 10000 --pattern test --stop)
echo "# at 5000/s: $rate_r"
rate=$(kv "$rate_r" rate)
# The Python reader under emulation is the bottleneck: a loose bound.
check "commands: SET_RATE 5000 gives 2500..6000 samples/s (got $rate)" \
	bash -c "[ $rate -ge 2500 ] && [ $rate -le 6000 ]"
r=$(read_py --vid $VID --pid $PID --rate 100001 --raw a503000000000000 \
	--raw a50300000000c350ff --raw 5a0300000000c350 --raw a509000000000000 --raw a501000100000000 \
	--raw a5090000000000ff)
sleep 0.3
s=$(stats cmd)
echo "# gadget: $s"
check "commands: counted by kind, bad ones ignored, rate unchanged" \
	expect "$s" cmd_start=2 cmd_stop=2 cmd_set_rate=1 rate=5000 cmd_bad_rate=2 cmd_malformed=3 \
	cmd_unknown_op=2
stop || fail "commands: SIGTERM exits 0"

# 4. Faults: injected exactly, seen exactly by the host.
start flt --pattern test --rate 20000 --count 2000 \
	--fault garbage:every=300,count=5 --fault gap:after=250,every=500,count=2,skip=3 \
	--fault short:every=400,count=2 --fault odd:after=150 --fault oos:after=450 \
	--fault halt:after=777 --fault burst:after=1000,samples=500 || fail "faults: gadget up"
r=$(read_py --vid $VID --pid $PID --start --samples 2000 --pattern test --expect-seq 0 --silence 300)
echo "# reader: $r"
s=$(stats flt)
echo "# gadget: $s"
check "faults: the host saw exactly what was injected" \
	expect "$r" samples=2000 garbage=5 gaps=2 lost=6 short=2 odd=1 oos=1 halts=1 mismatches=0 error=none
check "faults: the gadget reports the same" \
	expect "$s" samples=2000 fault_garbage=5 fault_gap=2 gap_seqs=6 fault_short=2 fault_odd=1 \
	fault_oos=1 fault_halt=1 fault_burst=1 burst_samples=500 transfers=$(kv "$r" transfers)
stop || fail "faults: SIGTERM exits 0"

# 5. Disconnect mid-stream, rebind after 500 ms; the stream carries on.
start dis --pattern test --autostart --fault disconnect:after=1000,rebind=500 || fail "disconnect: gadget up"
r1=$(read_py --vid $VID --pid $PID --samples 100000 --pattern test --expect-seq 0 --timeout 3000)
echo "# before: $r1"
for i in $(seq 50); do lsusb -d ${VID#0x}:${PID#0x} >/dev/null 2>&1 && break; sleep 0.1; done
sleep 0.5
r2=$(read_py --vid $VID --pid $PID --samples 500 --pattern test)
echo "# after: $r2"
s=$(stats dis)
echo "# gadget: $s"
check "disconnect: the host lost the device mid-stream, after at least 1000 samples" \
	bash -c "[ $(kv "$r1" samples) -ge 1000 ] && [ $(kv "$r1" error) != none ]"
# The transfer that completed as the device went away can be lost in
# libusb (its disconnect handling cancels what it has not reaped yet):
# the gadget counted it, the reader did not see it. At most one batch.
lost=$(( $(kv "$r2" first_seq) - $(kv "$r1" last_seq) - 1 ))
echo "# samples the reader lost at the disconnect: $lost"
check "disconnect: after the rebind the stream goes on where it stopped" \
	bash -c "[ $(kv "$r2" samples) = 500 ] && [ $lost -ge 0 ] && [ $lost -le 2 ] && [ $(kv "$r2" mismatches) = 0 ]"
# Seen twice: the gadget counted one batch more than the libusb reader
# read (a transfer completed as the reader let go of the device).
extra=$(( $(kv "$s" samples) - $(kv "$r1" samples) - lost - $(kv "$r2" samples) ))
echo "# gadget samples beyond what the reader saw: $extra"
check "disconnect: the gadget counted what it sent, within one batch" \
	bash -c "[ $extra -ge 0 ] && [ $extra -le 2 ]"
check "disconnect: counted once, bound twice" expect "$s" fault_disconnect=1 ev_bind=2 bound=1
stop || fail "disconnect: SIGTERM exits 0"

# 6. Clean exit: nothing left in configfs or mounted; the same name starts again at once.
check "exit: no gadget left in configfs" bash -c "! ls /sys/kernel/config/usb_gadget | grep -q ."
check "exit: functionfs unmounted" bash -c "! grep -q functionfs /proc/mounts"
start again --autostart && ok "exit: a new instance starts right after" || fail "exit: a new instance starts right after"
r=$(read_py --vid $VID --pid $PID --samples 100)
check "exit: and streams" expect "$r" samples=100 error=none
stop || fail "again: SIGTERM exits 0"

# 7. Two at once on the two UDCs of dummy_hcd num=2.
start one --autostart --serial one --pattern test || fail "two: first up"
p1=$pid
start two --autostart --serial two --pattern test || fail "two: second up"
p2=$pid
sleep 1
r1=$(read_py --vid $VID --pid $PID --serial one --samples 300 --pattern test)
r2=$(read_py --vid $VID --pid $PID --serial two --samples 300 --pattern test)
check "two: both stream" bash -c "[ $(kv "$r1" samples) = 300 ] && [ $(kv "$r2" samples) = 300 ]"
echo "# udcs: $(cat "$tmp/one.ready" "$tmp/two.ready" | tr '\n' ' ')"
pid=$p1; stop || fail "two: first exits 0"
pid=$p2; stop || fail "two: second exits 0"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
dmesg | grep -iE 'warn|bug|oops' | tail -n 5 | sed 's/^/# dmesg: /'
rm -rf "$tmp"
[ $failed -eq 0 ]
