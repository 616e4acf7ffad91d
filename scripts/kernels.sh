#!/usr/bin/env bash
# Fetch one of the stock Debian kernels arc is tested on and describe how
# to build for it and boot it.
#
#   scripts/kernels.sh SERIES      SERIES: 5.10 | 6.1 | 6.12 | 7.2 | cloud | debug
#
# Prints shell assignments (also cached in $ARC_KERNEL_CACHE/SERIES.env):
#   KVER     the kernel release
#   KDIR     its build tree (inside KROOT when KROOT is set)
#   KIMG     the image to boot with virtme-ng (its modules sit beside it)
#   KROOT    a Debian sid chroot to build in, or empty to build on the host
#   KPATH    a directory to put first in PATH for builds, or empty: it
#            stands gcc-12 in for a compiler Debian's headers name but
#            bookworm lacks (5.10's gcc-10)
#
# Where each comes from (../shared/ENVIRONMENT.md):
#   6.1   bookworm: installed with apt (linux-image-amd64, linux-headers-amd64)
#   cloud bookworm's linux-image-cloud-amd64 (6.1 without USB), unpacked like:
#   6.12  bookworm-backports, 5.10 bullseye: the packages are downloaded and
#         unpacked under $ARC_KERNEL_CACHE/SERIES (nothing is installed: 5.10's
#         headers depend on gcc-10, which bookworm lacks; arc builds them
#         with gcc-12)
#   7.2   sid: its kbuild tools need a newer glibc and gcc-16, so headers and
#         kernel live in a debootstrap'd sid chroot, and arc builds there
#   debug `make check-debug`'s kernel: built here from Debian's linux-source-6.1
#         with scripts/debug/kernel.config (KASAN, lockdep, kmemleak, UBSAN,
#         ...), once per hash of that file, the source's version and the
#         recipe number below, under $ARC_KERNEL_CACHE/debug-HASH (about 30
#         minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
series=${1:?usage: kernels.sh 5.10|6.1|6.12|7.2|cloud|debug}
# Outside the source tree on purpose: Kbuild's `make M=... clean` deletes
# every *.ko and *.ko.* below the module directory, kernels' too. And not
# under /var/cache or /tmp-like places: the guest mounts an empty tmpfs
# there, and it must see the kernel's modules.
cache=${ARC_KERNEL_CACHE:-/usr/local/lib/arc/kernels}
mkdir -p "$cache"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# The archive these machines see may be a snapshot with an expired
# Release file; apt must still accept it.
APT_OPTS=(-o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false -qq)

say() { printf 'kernels: %s\n' "$*" >&2; }

# A kernel staged earlier whose image and build tree are still there.
cached() {
	local f=$cache/$series.env
	[ -f "$f" ] || return 1
	# shellcheck source=/dev/null
	. "$f"
	[ -f "$KIMG" ] && [ -f "$KROOT$KDIR/Makefile" ] || return 1
	# The image's modules must all be there too (virtme-ng copies some
	# into the guest's initramfs): spot-check the first and the last.
	local dep first last
	dep=$(dirname "$KIMG")/../lib/modules/$KVER/modules.dep
	[ -f "$dep" ] || dep=$(dirname "$KIMG")/modules.dep
	[ -f "$dep" ] || return 1
	first=$(head -n 1 "$dep" | cut -d: -f1)
	last=$(tail -n 1 "$dep" | cut -d: -f1)
	[ -f "$(dirname "$dep")/$first" ] && [ -f "$(dirname "$dep")/$last" ] || return 1
	cat "$f"
}

emit() {
	case $KVER in
	"$series".* | *-arcdebug | *-cloud-amd64) ;;
	*) say "note: asked for $series, the archive now has $KVER" ;;
	esac
	local f=$cache/$series.env
	{
		# Plain KEY=value (no value has blanks): sh and make read it.
		printf 'KVER=%s\nKDIR=%s\nKIMG=%s\nKROOT=%s\nKPATH=%s\n' \
			"$KVER" "$KDIR" "$KIMG" "$KROOT" "$KPATH"
	} >"$f.tmp"
	mv "$f.tmp" "$f"
	cat "$f"
}

# Add a Debian suite to apt, pinned at 100 so nothing upgrades from it.
add_suite() {
	local suite=$1 name=arc-$1
	[ -f "/etc/apt/sources.list.d/$name.sources" ] && return 0
	say "adding $suite to apt (pinned at priority 100)"
	printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$suite" | $SUDO tee "/etc/apt/sources.list.d/$name.sources" >/dev/null
	printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$suite" |
		$SUDO tee "/etc/apt/preferences.d/$name" >/dev/null
	$SUDO apt-get "${APT_OPTS[@]}" update
}

# Names of the packages PKG depends on that match PATTERN.
deps_of() {
	dpkg-deb -f "$1" Depends | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' |
		grep -E "$2" || true
}

# 5.10 and 6.12: unpack image, modules, headers and kbuild of the suite's
# current linux-image-amd64 into $ARC_KERNEL_CACHE/SERIES/root.
# stage SUITE [FLAVOUR]: Debian's kernel of SUITE (empty: the host's own
# release, security updates included) in FLAVOUR (amd64, or cloud-amd64:
# the cloud images' kernel, built without USB), unpacked under the cache.
stage() {
	local suite=$1 flavour=${2:-amd64} dir=$cache/$series dl kpkg
	cached && return 0
	[ -n "$suite" ] && add_suite "$suite"
	rm -rf "$dir"
	dl=$dir/debs
	mkdir -p "$dl" "$dir/root"
	# apt downloads as _apt when it can write there.
	chown _apt "$dl" 2>/dev/null || true
	(cd "$dl" && apt-get "${APT_OPTS[@]}" download "linux-image-$flavour${suite:+/$suite}")
	kpkg=$(deps_of "$dl"/linux-image-"$flavour"_*.deb '^linux-image-[0-9]' | head -n 1)
	[ -n "$kpkg" ] || { say "$suite: cannot tell which kernel linux-image-amd64 means"; exit 1; }
	KVER=${kpkg#linux-image-}
	(cd "$dl" && apt-get "${APT_OPTS[@]}" download "$kpkg" "linux-headers-$KVER")
	mapfile -t more < <(deps_of "$dl/linux-headers-${KVER}_"*.deb \
		'^linux-(headers-.*-common|kbuild-)')
	(cd "$dl" && apt-get "${APT_OPTS[@]}" download "${more[@]}")
	local deb
	for deb in "$dl"/linux-{image,headers,kbuild}-*[0-9]*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	rm -rf "$dl"

	# The headers include their -common half by absolute path, and
	# modules/KVER/build points at /usr/src: point both into the stage.
	KDIR=$dir/root/usr/src/linux-headers-$KVER
	sed -i "s|include /usr/src/|include $dir/root/usr/src/|" "$KDIR/Makefile"
	local moddir
	for moddir in "$dir"/root/lib/modules/"$KVER" "$dir"/root/usr/lib/modules/"$KVER"; do
		[ -d "$moddir" ] && ln -sfn "$KDIR" "$moddir/build"
	done
	depmod -a -b "$dir/root" "$KVER"
	KIMG=$dir/root/boot/vmlinuz-$KVER
	KROOT=
	KPATH=
	# Debian's headers name the compiler the kernel was built with; when
	# that one is not installable here, gcc-12 stands in under its name
	# (for arc's build and for DKMS alike).
	local cc
	cc=$(sed -n 's/^CC = .*)gcc-\([0-9]*\)$/gcc-\1/p' "$KDIR/.kernelvariables" 2>/dev/null)
	if [ -n "$cc" ] && ! command -v "$cc" >/dev/null; then
		KPATH=$dir/bin
		mkdir -p "$KPATH"
		ln -sfn "$(command -v gcc-12)" "$KPATH/$cc"
		say "$KVER was built with $cc, which bookworm lacks: gcc-12 stands in ($KPATH)"
	fi
	emit
}

# 7.2: a sid chroot holding the headers (and the gcc they want) and the
# image, unpacked rather than installed so no initramfs is generated.
stage_sid() {
	local dir=$cache/sid
	cached && return 0
	command -v debootstrap >/dev/null ||
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	if [ ! -x "$dir/usr/bin/apt-get" ]; then
		say "debootstrap sid into $dir"
		rm -rf "$dir"
		$SUDO debootstrap --variant=minbase sid "$dir" http://deb.debian.org/debian >/dev/null
	fi
	say "installing sid's linux-headers-amd64 in the chroot"
	chroot "$dir" apt-get "${APT_OPTS[@]}" update
	chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y \
		--no-install-recommends linux-headers-amd64 make dkms kmod >/dev/null
	KVER=$(ls "$dir/usr/src" | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | sort -V | tail -n 1)
	[ -n "$KVER" ] || { say "sid: no linux-headers-*-amd64 in the chroot"; exit 1; }
	mkdir -p "$dir/var/tmp/arc-debs"
	chroot "$dir" sh -c "cd /var/tmp/arc-debs && apt-get ${APT_OPTS[*]} download \
		linux-binary-$KVER linux-modules-$KVER && for f in *.deb; do dpkg -x \$f /; done && rm -f *.deb"
	depmod -a -b "$dir" "$KVER"
	KDIR=/usr/src/linux-headers-$KVER
	KIMG=$dir/usr/lib/modules/$KVER/vmlinuz
	KROOT=$dir
	KPATH=
	emit
}

# debug: configure and build linux-source-6.1 for `make check-debug`.
# The tree stays (it is KDIR: arc builds against it); the image and the
# installed modules go under root/, as the stock kernels' do.
stage_debug() {
	local frag=$root/scripts/debug/kernel.config tarball ver key dir src opt k v
	"$root/scripts/deps.sh" debug >&2
	tarball=/usr/src/linux-source-6.1.tar.xz
	ver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
	# Raise the recipe number when the way it is built changes.
	key=$( { cat "$frag"; echo "$ver recipe 1"; } | sha1sum | cut -c1-12)
	series=debug-$key
	cached && return 0
	dir=$cache/$series
	src=$dir/linux
	say "building the debug kernel (linux-source-6.1 $ver, config $key) in $dir: about 30 minutes on 2 cores"
	rm -rf "$dir"
	mkdir -p "$src" "$dir/root/boot"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	(cd "$src" && virtme-configkernel --defconfig --custom "$frag" >"$dir/config.log" 2>&1) || {
		cat "$dir/config.log" >&2
		say "debug: virtme-configkernel failed"
		exit 1
	}
	# Every option asked for must have survived olddefconfig: one that a
	# missing dependency dropped would weaken the lane unseen.
	while IFS= read -r opt; do
		k=${opt%%=*} v=${opt#*=}
		if [ "$v" = n ]; then
			! grep -q "^$k=" "$src/.config"
		else
			grep -qxF "$opt" "$src/.config"
		fi || { say "debug: $opt did not survive the configuration (a dependency is missing)"; exit 1; }
	done < <(grep -E '^CONFIG_' "$frag")
	make -C "$src" -s -j"$(nproc)" bzImage modules >"$dir/build.log" 2>&1 || {
		tail -n 40 "$dir/build.log" >&2
		say "debug: the kernel build failed (log: $dir/build.log)"
		exit 1
	}
	make -C "$src" -s INSTALL_MOD_PATH="$dir/root" modules_install >>"$dir/build.log" 2>&1
	KVER=$(cat "$src/include/config/kernel.release")
	cp "$src/arch/x86/boot/bzImage" "$dir/root/boot/vmlinuz-$KVER"
	ln -sfn "$src" "$dir/root/lib/modules/$KVER/build"
	rm -f "$dir/root/lib/modules/$KVER/source"
	depmod -a -b "$dir/root" "$KVER"
	KDIR=$src
	KIMG=$dir/root/boot/vmlinuz-$KVER
	KROOT=
	KPATH=
	emit
}

case $series in
debug) stage_debug ;;
6.1)
	"$root/scripts/deps.sh" test >&2
	KVER=
	for img in $(ls /boot/vmlinuz-6.1.* 2>/dev/null | sort -rV); do
		k=${img#/boot/vmlinuz-}
		if [ -f "/lib/modules/$k/build/Makefile" ]; then KVER=$k; break; fi
	done
	[ -n "$KVER" ] || { say "no 6.1 image with headers (apt-get install linux-image-amd64 linux-headers-amd64)"; exit 1; }
	KDIR=/lib/modules/$KVER/build KIMG=/boot/vmlinuz-$KVER KROOT= KPATH=
	emit
	;;
5.10) stage bullseye ;;
# Debian 12's cloud kernel (6.1, no USB): DKMS must still install the rest.
cloud) stage "" cloud-amd64 ;;
6.12) stage bookworm-backports ;;
7.2) stage_sid ;;
*) say "unknown series '$series' (5.10, 6.1, 6.12, 7.2, cloud or debug)"; exit 2 ;;
esac
