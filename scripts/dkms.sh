#!/usr/bin/env bash
# Register, build and install arc with DKMS for one kernel, or remove it.
#
#   scripts/dkms.sh install [KVER [KDIR]]   (default: the running kernel)
#   scripts/dkms.sh remove [KVER]           (removes the version for every kernel)
#
# ARC_DKMS_DIR=DIR keeps every DKMS tree under DIR (sources in DIR/src,
# DKMS's state in DIR/dkms, installed modules in DIR/modules/KVER, no
# depmod) instead of /usr/src, /var/lib/dkms and /lib/modules: `make
# check` uses it to run DKMS for the kernels it boots without touching
# the host's module trees.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?usage: dkms.sh install|remove [KVER [KDIR]]}
kver=${2:-$(uname -r)}
kdir=${3:-}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
command -v dkms >/dev/null || { echo "arc: dkms not installed (apt-get install dkms)" >&2; exit 1; }

src=/usr/src/arc-$ver
log=/var/lib/dkms/arc/$ver/build/make.log
opts=()
if [ -n "${ARC_DKMS_DIR:-}" ]; then
	d=$ARC_DKMS_DIR
	mkdir -p "$d/src" "$d/dkms" "$d/modules/$kver"
	opts=(--sourcetree "$d/src" --dkmstree "$d/dkms" --installtree "$d/modules" --no-depmod)
	src=$d/src/arc-$ver
	log=$d/dkms/arc/$ver/build/make.log
fi
[ -n "$kdir" ] && opts+=(--kernelsourcedir "$kdir")

case $action in
install)
	if dkms status -m arc -v "$ver" "${opts[@]}" 2>/dev/null | grep -q .; then
		dkms remove -m arc -v "$ver" --all "${opts[@]}" >/dev/null
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
	dkms add -m arc -v "$ver" "${opts[@]}"
	dkms build -m arc -v "$ver" -k "$kver" "${opts[@]}" || {
		cat "$log" >&2 2>/dev/null
		exit 1
	}
	dkms install -m arc -v "$ver" -k "$kver" "${opts[@]}"
	;;
remove)
	if dkms status -m arc -v "$ver" "${opts[@]}" 2>/dev/null | grep -q .; then
		dkms remove -m arc -v "$ver" --all "${opts[@]}"
	fi
	rm -rf "$src"
	;;
*) echo "usage: dkms.sh install|remove [KVER [KDIR]]" >&2; exit 2 ;;
esac
