#!/usr/bin/env bash
# Register, build and install arc with DKMS for one kernel, or remove it.
#
#   scripts/dkms.sh install [KVER]   (default: the running kernel)
#   scripts/dkms.sh remove [KVER]    (removes the version for every kernel)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?usage: dkms.sh install|remove [KVER]}
kver=${2:-$(uname -r)}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
command -v dkms >/dev/null || { echo "arc: dkms not installed (apt-get install dkms)" >&2; exit 1; }

case $action in
install)
	src=/usr/src/arc-$ver
	if dkms status -m arc -v "$ver" 2>/dev/null | grep -q .; then
		dkms remove -m arc -v "$ver" --all >/dev/null
	fi
	rm -rf "$src"
	mkdir -p "$src"
	# Sources only: build output and caches stay behind.
	(cd "$root" && tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='*.d' \
		--exclude=modules.order --exclude=Module.symvers \
		Kbuild Makefile dkms.conf include shim modules scripts) | tar -xf - -C "$src"
	# Probe results already computed for this kernel go along: they are
	# keyed by its release and .config, so DKMS reuses them for this
	# kernel and probes afresh for any other.
	for p in "$root"/.cache/probes/"$kver"-*/arc_probes.h; do
		[ -f "$p" ] || continue
		d=$src/.cache/probes/$(basename "$(dirname "$p")")
		mkdir -p "$d"
		cp "$(dirname "$p")"/{arc_probes.h,results} "$d/"
	done
	dkms add -m arc -v "$ver"
	dkms build -m arc -v "$ver" -k "$kver" || {
		cat "/var/lib/dkms/arc/$ver/build/make.log" >&2 2>/dev/null
		exit 1
	}
	dkms install -m arc -v "$ver" -k "$kver"
	;;
remove)
	if dkms status -m arc -v "$ver" 2>/dev/null | grep -q .; then
		dkms remove -m arc -v "$ver" --all
	fi
	rm -rf "/usr/src/arc-$ver"
	;;
*) echo "usage: dkms.sh install|remove [KVER]" >&2; exit 2 ;;
esac
