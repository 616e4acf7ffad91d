#!/usr/bin/env bash
# Install everything arc needs to build and test on a Debian/Ubuntu host.
# Idempotent: packages already present are not touched again.
#
# Usage: scripts/deps.sh [build|test|debug]
#   build: compiler, kernel headers, linux-source (kselftest framework, checkpatch)
#   test:  build + stock kernel image, qemu, virtme-ng and the tools the
#          selftests run inside the guest
#   debug: test + what building `make check-debug`'s kernel takes
set -euo pipefail

mode=${1:-test}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

say() { printf 'deps: %s\n' "$*" >&2; }

build_pkgs=(build-essential make gcc bc kmod libelf-dev sparse dkms dwarves
	    linux-headers-amd64 linux-source-6.1 xz-utils perl python3
	    pkg-config libmnl-dev libbpf-dev libusbgx-dev bpftool clang zlib1g-dev)
test_pkgs=(linux-image-amd64 qemu-system-x86 fio e2fsprogs util-linux
	   fdisk iproute2 procps udev busybox-static script-util
	   iputils-ping nftables iptables ipset clang libclang-rt-14-dev
	   usbutils python3-usb evtest nmap hping3 dnsutils)

debug_pkgs=(flex bison libssl-dev cpio)

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || printf '%s\n' "$p"
	done
}

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	say "apt-get update"
	$SUDO apt-get update -qq
	apt_updated=1
}

install() {
	local want
	mapfile -t want < <(missing "$@")
	[ "${#want[@]}" -eq 0 ] && return 0
	apt_update
	say "installing ${want[*]}"
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

# virtme-ng is packaged in trixie (Architecture: all, pure Python) and its
# dependencies all exist in bookworm: fetch just that .deb so nothing else
# in the system moves to trixie.
install_vng() {
	command -v vng >/dev/null && return 0
	if ! apt-cache policy virtme-ng 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		say "adding trixie (pinned at priority 100) for virtme-ng"
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
			$SUDO tee /etc/apt/sources.list.d/arc-trixie.sources >/dev/null
		printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' |
			$SUDO tee /etc/apt/preferences.d/arc-trixie >/dev/null
		apt_updated=
		apt_update
	fi
	local tmp
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq virtme-ng)
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "$tmp"/virtme-ng_*.deb >/dev/null
	rm -rf "$tmp"
}

# QEMU 10.0 from bookworm-backports, unpacked under ARC_QEMU_DIR (not
# installed: the system keeps bookworm's QEMU 7.2, whose C virtiofsd
# scripts/vm.sh still uses). Under emulation QEMU 10 runs the guest's CPUs
# on host threads of their own without the stray int3 oopses 7.2 gave
# (README, "How the guests run"). With it: bookworm-backports' seabios,
# which it wants newer than bookworm's; every library it needs is in
# bookworm and gets installed.
APT_OPTS=(-o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false -qq)
qemu_dir=${ARC_QEMU_DIR:-/usr/local/lib/arc/qemu10}
qemu_bpo=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
install_qemu10() {
	local q=$qemu_dir/usr/bin/qemu-system-x86_64 tmp deb libs
	[ -x "$q" ] && "$q" --version >/dev/null 2>&1 && return 0
	if [ ! -f /etc/apt/sources.list.d/arc-bookworm-backports.sources ]; then
		say "adding bookworm-backports (pinned at priority 100) for QEMU 10"
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
			$SUDO tee /etc/apt/sources.list.d/arc-bookworm-backports.sources >/dev/null
		printf 'Package: *\nPin: release n=bookworm-backports\nPin-Priority: 100\n' |
			$SUDO tee /etc/apt/preferences.d/arc-bookworm-backports >/dev/null
		apt_updated=
	fi
	apt_update
	tmp=$(mktemp -d)
	chown _apt "$tmp" 2>/dev/null || true
	say "unpacking QEMU 10 from bookworm-backports into $qemu_dir"
	(cd "$tmp" && apt-get "${APT_OPTS[@]}" download "${qemu_bpo[@]/%//bookworm-backports}")
	# The libraries they link against, from bookworm.
	mapfile -t libs < <(for deb in "$tmp"/*.deb; do dpkg-deb -f "$deb" Depends; done |
		tr ',' '\n' | sed 's/^ *//; s/[ |].*//' | grep -E '^lib' | sort -u)
	install "${libs[@]}"
	$SUDO rm -rf "$qemu_dir.new"
	$SUDO mkdir -p "$qemu_dir.new"
	# Never into /: dpkg -x would replace the merged-/usr symlinks.
	for deb in "$tmp"/*.deb; do $SUDO dpkg -x "$deb" "$qemu_dir.new"; done
	rm -rf "$tmp"
	"$qemu_dir.new/usr/bin/qemu-system-x86_64" --version >/dev/null || {
		say "the unpacked QEMU 10 does not run"
		ldd "$qemu_dir.new/usr/bin/qemu-system-x86_64" | grep 'not found' >&2
		exit 1
	}
	$SUDO rm -rf "$qemu_dir"
	$SUDO mv "$qemu_dir.new" "$qemu_dir"
}

# QEMU 10 no longer ships the C virtiofsd that scripts/virtiofsd-qemu
# adapts for virtme-ng (Debian 12 has no Rust one). It speaks vhost-user,
# a stable protocol, so QEMU 7.2's serves QEMU 10 as well. When the
# system's QEMU is not bookworm's 7.2 (so /usr/lib/qemu/virtiofsd is
# missing), take the daemon from bookworm's qemu-system-common.
install_virtiofsd() {
	local tmp
	[ -x /usr/lib/qemu/virtiofsd ] && return 0
	[ -x "$qemu_dir/virtiofsd/usr/lib/qemu/virtiofsd" ] && return 0
	apt_update
	tmp=$(mktemp -d)
	chown _apt "$tmp" 2>/dev/null || true
	say "unpacking QEMU 7.2's virtiofsd into $qemu_dir/virtiofsd"
	(cd "$tmp" && apt-get "${APT_OPTS[@]}" download qemu-system-common/bookworm)
	install libcap-ng0 libseccomp2 libglib2.0-0
	$SUDO rm -rf "$qemu_dir/virtiofsd"
	$SUDO mkdir -p "$qemu_dir/virtiofsd"
	$SUDO dpkg -x "$tmp"/qemu-system-common_*.deb "$qemu_dir/virtiofsd"
	rm -rf "$tmp"
}

case $mode in
build) install "${build_pkgs[@]}" ;;
test)
	# script(1) lives in bsdutils on Debian: always present.
	test_pkgs=("${test_pkgs[@]/script-util/}")
	install "${build_pkgs[@]}" ${test_pkgs[@]}
	install_vng
	install_qemu10
	install_virtiofsd
	;;
debug)
	"$0" test
	install "${debug_pkgs[@]}"
	;;
*) say "unknown mode '$mode' (build|test|debug)"; exit 2 ;;
esac
say "ok ($mode)"
