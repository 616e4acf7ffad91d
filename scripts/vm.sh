#!/usr/bin/env bash
# Boot a stock kernel in virtme-ng once and run one command in it.
#
#   scripts/vm.sh [-k KVER | -i IMAGE] [-t SECONDS] [-m MEM] [-c CPUS] [-w RWDIR]... -- CMD...
#
# -k boots /boot/vmlinuz-KVER; -i boots an unpacked kernel image whose
# modules sit in the same root (scripts/kernels.sh stages them so).
# The guest sees the host's root filesystem read-only (tmpfs overlays on
# /etc, /lib, /usr, /var, /tmp, ...); pass -w for directories whose writes
# must come back. Exit status is CMD's; 255 means the guest panicked, 124
# that it timed out.
set -euo pipefail

kver=${KVER:-}
img=
tmo=1800
mem=2G
cpus=2
rw=()
while [ $# -gt 0 ]; do
	case $1 in
	-k) kver=$2; shift 2 ;;
	-i) img=$2; shift 2 ;;
	-t) tmo=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-c) cpus=$2; shift 2 ;;
	-w) d=$(cd "$2" && pwd); rw+=(--rwdir "$d=$d"); shift 2 ;;
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
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	kvm=()
fi

# The guest command goes through a file: no quoting through script(1),
# vng and the guest shell.
cmdfile=$(mktemp /tmp/arc-vm.XXXXXX)
trap 'rm -f "$cmdfile"' EXIT
{
	echo "cd $(printf %q "$PWD")"
	printf '%q ' "$@"
	echo
} >"$cmdfile"
chmod 644 "$cmdfile"

# vng needs a terminal on stdin: without one (CI) it hangs before running
# the command. script(1) gives it a pty and returns the command's status.
# An oops ends the guest at once (exit status 255) instead of leaving it
# hung until the timeout. The guest's console is not in the log: vng's
# --verbose would put it there, but it made the tests up to four times
# slower (params.sh on 5.10: 16 s -> 66 s, measured): ARC_VM_CONSOLE=1
# asks for it, with loglevel 3 so that only crashes show.
console=()
[ -n "${ARC_VM_CONSOLE:-}" ] && console=(--verbose --append "loglevel=3")
vng_cmd=(vng "${kvm[@]}" --run "$img" --cpus "$cpus" --memory "$mem"
	 --append "oops=panic" "${console[@]}" --user root "${rw[@]}" --exec "bash $cmdfile")
set +e
timeout --kill-after=30 "$tmo" script -qefc "$(printf '%q ' "${vng_cmd[@]}")" /dev/null </dev/null |
	stdbuf -o0 tr -d '\r'
rc=${PIPESTATUS[0]}
set -e
exit "$rc"
