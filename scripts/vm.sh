#!/usr/bin/env bash
# Boot a stock kernel in virtme-ng once and run one command in it.
#
#   scripts/vm.sh [-k KVER | -i IMAGE] [-t SECONDS] [-m MEM] [-c CPUS] [-n] [-w RWDIR]... -- CMD...
#
# -k boots /boot/vmlinuz-KVER; -i boots an unpacked kernel image whose
# modules sit in the same root (scripts/kernels.sh stages them so).
# The guest sees the host's root filesystem read-only (tmpfs overlays on
# /etc, /lib, /usr, /var, /tmp, ...); pass -w for directories whose writes
# must come back. -n gives the guest a KVM of its own (nested: under
# emulation an emulated CPU with AMD SVM, "-cpu max"; under KVM the
# host's CPU, as always). Exit status is CMD's; 255 means the guest panicked, 124
# that it timed out.
set -euo pipefail

kver=${KVER:-}
img=
tmo=1800
mem=2G
cpus=2
rw=()
nested=
while [ $# -gt 0 ]; do
	case $1 in
	-k) kver=$2; shift 2 ;;
	-i) img=$2; shift 2 ;;
	-t) tmo=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-c) cpus=$2; shift 2 ;;
	-w) d=$(cd "$2" && pwd); rw+=(--rwdir "$d=$d"); shift 2 ;;
	-n) nested=1; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: vm.sh [opts] -- CMD..." >&2; exit 2; }

if [ -z "$img" ]; then
	if [ -z "$kver" ]; then
		kver=$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
	fi
	img=/boot/vmlinuz-$kver
fi
[ -f "$img" ] || { echo "vm.sh: no kernel image $img (apt-get install linux-image-amd64)" >&2; exit 2; }

# The /dev/kvm of these build machines cannot boot a stock kernel unless
# the CPU really has VT-x/AMD-V: use TCG otherwise (ENVIRONMENT.md).
kvm=(--disable-kvm)
# QEMU: 10.0 from bookworm-backports, which scripts/deps.sh unpacks under
# ARC_QEMU_DIR (the system keeps bookworm's 7.2), else the system's.
# ARC_QEMU names another binary.
qdir=${ARC_QEMU_DIR:-/usr/local/lib/arc/qemu10}
qemu=${ARC_QEMU:-}
qemu_opts=
if [ -z "$qemu" ] && [ -x "$qdir/usr/bin/qemu-system-x86_64" ]; then
	qemu=$qdir/usr/bin/qemu-system-x86_64
	# Its own option ROMs and firmware first (Debian's binary looks in
	# /usr/share/qemu, the system QEMU's), and its own modules.
	qemu_opts="-L $qdir/usr/share/qemu -L $qdir/usr/share/seabios"
	export QEMU_MODULE_DIR=$qdir/usr/lib/x86_64-linux-gnu/qemu
fi
qemu=${qemu:-$(command -v qemu-system-x86_64 || true)}
[ -n "$qemu" ] || { echo "vm.sh: no qemu-system-x86_64 (scripts/deps.sh)" >&2; exit 2; }
qver=$("$qemu" --version | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
# Under emulation, QEMU 10 runs each guest CPU on a host thread of its own
# (thread=multi), so the guest's CPUs really run at the same time. QEMU
# 7.2 did the same, but there a CPU could run kernel code that another
# CPU was rewriting (the kernel does so for every static key it flips),
# and the guest died of a stray int3: seen on 6.12, "Oops: int3" in
# ip_rcv/ipv6_rcv when netfilter hooks came and went under traffic, and
# in sched_clock_cpu() during boot. With an older QEMU, one host thread
# runs all the guest's CPUs in turn (thread=single). ARC_VM_TCG_THREAD
# (single|multi) overrides the choice.
# -icount (make bench's BENCH_CLOCK=icount) needs a single thread too.
thread=single
case ${ARC_VM_TCG_OPTS:-} in
*icount*) ;;
*) [ "${qver:-0}" -ge 10 ] && thread=multi ;;
esac
thread=${ARC_VM_TCG_THREAD:-$thread}
tcg_opts=${ARC_VM_TCG_OPTS:-}
[ -z "$nested" ] || tcg_opts="${tcg_opts:+$tcg_opts }-cpu max"
tcg=("--qemu-opts=-accel tcg,thread=$thread${tcg_opts:+ $tcg_opts}")
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	if [ -n "${ARC_VM_TCG_OPTS:-}" ]; then
		echo "vm.sh: ARC_VM_TCG_OPTS ($ARC_VM_TCG_OPTS) needs emulation (TCG), and this machine runs guests under KVM" >&2
		exit 2
	fi
	kvm=() tcg=()
fi

# The guest's root filesystem: virtio-fs when a daemon vng can drive
# exists, else vng falls back to 9p, where every exec in the guest costs
# about three times as much. Debian 12 has only QEMU 7.2's C virtiofsd,
# which vng cannot start by itself: scripts/virtiofsd-qemu adapts it.
have_rust_virtiofsd() {
	local p
	for p in "$(command -v virtiofsd || true)" /usr/libexec/virtiofsd \
		 /usr/lib/virtiofsd/virtiofsd /usr/lib/virtiofsd /usr/lib/qemu/virtiofsd; do
		[ -n "$p" ] && [ -x "$p" ] || continue
		# The C daemon documents "-o source=PATH"; the Rust one does not.
		"$p" --help 2>&1 | grep -q -- '-o source=' && continue
		return 0
	done
	return 1
}
# QEMU 10 has no C daemon of its own: the system's 7.2 one serves it
# (vhost-user is a stable protocol), or the copy scripts/deps.sh unpacked
# when the system's QEMU is not 7.2.
vfsd=${ARC_QEMU_VIRTIOFSD:-/usr/lib/qemu/virtiofsd}
[ -x "$vfsd" ] || vfsd=$qdir/virtiofsd/usr/lib/qemu/virtiofsd
export ARC_QEMU_VIRTIOFSD=$vfsd
vfsdir=
if [ -z "${ARC_VM_9P:-}" ] && ! have_rust_virtiofsd && [ -x "$vfsd" ]; then
	vfsdir=$(mktemp -d /tmp/arc-vfs.XXXXXX)
	ln -s "$(cd "$(dirname "$0")" && pwd)/virtiofsd-qemu" "$vfsdir/virtiofsd"
	PATH=$vfsdir:$PATH
fi

# The guest command goes through a file: no quoting through script(1),
# vng and the guest shell.
cmdfile=$(mktemp /tmp/arc-vm.XXXXXX)
# The boot messages before the command starts are kept back, and shown
# only if the command never started.
marker="arc-vm: the guest command starts"
# What the guest prints once the command is done is its shutdown (vng's
# init ends with a panic message of its own): not shown.
end_marker="arc-vm: the guest command is done"
trap 'rm -f "$cmdfile"; [ -z "$vfsdir" ] || rm -rf "$vfsdir"' EXIT
{
	[ -n "${ARC_VM_CONSOLE:-}" ] || echo "dmesg -n 4"
	echo "echo $marker"
	echo "cd $(printf %q "$PWD")"
	printf '%q ' "$@"
	echo
	echo 'rc=$?'
	echo "echo $end_marker"
	echo 'exit $rc'
} >"$cmdfile"
chmod 644 "$cmdfile"

# vng needs a terminal on stdin: without one (CI) it hangs before running
# the command. script(1) gives it a pty and returns the command's status.
# An oops ends the guest at once (exit status 255) instead of leaving it
# hung until the timeout. The guest's console is in the log (vng
# --verbose), but the guest command first turns the console down to
# errors and worse (dmesg -n 4): printing every kernel message to the
# emulated serial port made tests up to four times slower (measured). An
# oops turns the console up again by itself, so a crash still shows its
# whole trace; RCU stalls and soft lockups show too.
# ARC_VM_CONSOLE=1 keeps every message; ARC_VM_APPEND adds kernel
# parameters; ARC_VM_TCG_OPTS adds QEMU options when the guest is
# emulated (make bench's BENCH_CLOCK=icount passes -icount through it).
vng_cmd=(vng --qemu "$qemu" ${qemu_opts:+"--qemu-opts=$qemu_opts"} "${kvm[@]}" "${tcg[@]}" --run "$img" --cpus "$cpus" --memory "$mem" --verbose
	 --append "oops=panic ${ARC_VM_APPEND:-}" --user root "${rw[@]}" --exec "bash $cmdfile")
set +e
timeout --kill-after=30 "$tmo" script -qefc "$(printf '%q ' "${vng_cmd[@]}")" /dev/null </dev/null |
	stdbuf -o0 tr -d '\r' |
	{
		boot=
		while IFS= read -r line; do
			if [ "$line" = "$marker" ]; then
				boot=
				break
			fi
			boot+=$line$'\n'
		done
		printf '%s' "$boot"
		while IFS= read -r line; do
			[ "$line" = "$end_marker" ] && break
			printf '%s\n' "$line"
		done
		cat >/dev/null
	}
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
