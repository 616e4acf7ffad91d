#!/usr/bin/env bash
# `make bench [BENCH=blk|fw|genl|usb|pktan|minivm|all]`: build arc, boot the stock kernel
# once per benchmark and run it: blk (scripts/bench/blk.py: arc_ramdisk
# against brd and null_blk), fw (scripts/bench/fw.py: arc_firewall against
# nftables and iptables+ipset) and genl (scripts/bench/genl.py: another
# generic netlink family's latency while arcfw commits run) and usb
# (scripts/bench/usb.py: arc_usb_sensor against f_hid -> usbhid -> evdev
# on the same dummy_hcd) and pktan (scripts/bench/pktan.py: arc_pktan's
# counters and detectors against nftables counter rules) and minivm
# (scripts/bench/minivm.py: arc_minivm's in-kernel exit loop against
# uvmm, a userspace VMM on the same KVM). Not part of
# `make check`: figures under
# TCG are noisy and only ratios mean anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -n "${ARC_SKIP_DEPS:-}" ] || scripts/deps.sh test
KVER=${KVER:-$(make -s print-kver)}
make -s modules KVER="$KVER"
make -s userspace
mkdir -p build
# The fw bench's helper module that times nf_hook() alone (never installed).
make -s -C "$(make -s print-kdir KVER="$KVER")" M="$root/scripts/bench/nfbench" modules
# The fw bench's IPv6 injector (pktgen randomises only IPv4 sources).
gcc -O2 -Wall -Wextra -o build/tun6 scripts/bench/tun6.c
# The usb bench's HID device and its evdev reader (both paths).
gcc -O2 -Wall -Wextra -Iinclude/uapi -o build/hid_sensor scripts/bench/hid_sensor.c \
	$(pkg-config --cflags --libs libusbgx 2>/dev/null || echo -lusbgx) -lm
gcc -O2 -Wall -Wextra -Iinclude/uapi -o build/sensor_read scripts/bench/sensor_read.c -lm
# The minivm bench's guests and its userspace anchor.
make -s -C guests
gcc -O2 -Wall -Wextra -o build/uvmm scripts/bench/uvmm.c
which=${BENCH:-all}
# The guest reads time from the TSC, as hardware does. Under TCG the
# kernel would otherwise pick the emulated HPET, where every clock read
# leaves translated code for QEMU's device model: 8-16% of all CPU time
# in the fw bench. ARC_VM_APPEND (read by vm.sh) overrides this.
export ARC_VM_APPEND=${ARC_VM_APPEND-clocksource=tsc tsc=reliable}
# BENCH_CLOCK=icount: the guest's clock counts instructions instead of
# following the host's (QEMU -icount shift=2, sleep=off: 4 ns of guest
# time per guest instruction, idle time skipped), so a rate is exactly
# "operations per instruction" and two runs agree to within about 1%,
# where wall-clock runs under TCG differ by tens of percent. It does not
# see what memory costs (a cache or TLB miss is one instruction like any
# other): read it beside a wall-clock run, not instead of one. QEMU 7.2
# hangs bringing up a second CPU under -icount, so this guest has one.
vm_opts=(-k "$KVER" -t 5400 -m 6G -w build)
# BENCH_CPUS: the guest's CPU count (default 2, as in make check).
[ -z "${BENCH_CPUS:-}" ] || vm_opts+=(-c "$BENCH_CPUS")
case ${BENCH_CLOCK:=host} in
host) ;;
icount)
	# vm.sh refuses it where guests run under KVM.
	export ARC_VM_TCG_OPTS="-icount shift=2,sleep=off"
	vm_opts+=(-c 1) ;;
*)
	echo "bench.sh: BENCH_CLOCK=$BENCH_CLOCK: must be host or icount" >&2
	exit 2 ;;
esac
# The guest starts with a clean environment: hand it the BENCH_* knobs
# (BENCH_ROUNDS, BENCH_SIZES, ...) that the scripts under bench/ read.
mapfile -t knobs < <(env | grep -E '^BENCH_[A-Z_]+=' || true)
for b in blk fw genl usb pktan minivm; do
	[ "$which" = all ] || [ "$which" = "$b" ] || continue
	b_opts=()
	# A KVM inside the guest, and one vCPU (under emulation two can
	# livelock after some 100k nested exits, with or without arc).
	[ "$b" != minivm ] || b_opts=(-n -c 1)
	# The first line records the guest kernel and the clock it really
	# used (a kernel that distrusts the TSC falls back to another).
	scripts/vm.sh "${vm_opts[@]}" "${b_opts[@]}" -- sh -c \
		'echo "# guest $(uname -r), $(nproc) CPU, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), clock '"$BENCH_CLOCK"'"; exec "$@"' \
		sh env ARC_ROOT="$root" "${knobs[@]}" python3 "scripts/bench/$b.py" |
		tee "build/bench-$b.txt"
done
