#!/usr/bin/env bash
# Run a command inside a chroot (scripts/kernels.sh's sid root for 7.2)
# with the arc tree visible at the same path and /proc, /dev mounted;
# everything is unmounted again afterwards.
#
#   scripts/in-root.sh ROOT CMD...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
chroot_dir=${1:?usage: in-root.sh ROOT CMD...}
shift
[ $# -gt 0 ] || { echo "usage: in-root.sh ROOT CMD..." >&2; exit 2; }

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"
	done
}
trap cleanup EXIT
mkdir -p "$chroot_dir/proc" "$chroot_dir/dev" "$chroot_dir$root"
mount -t proc proc "$chroot_dir/proc"
mounts+=("$chroot_dir/proc")
mount --bind /dev "$chroot_dir/dev"
mounts+=("$chroot_dir/dev")
mount --bind "$root" "$chroot_dir$root"
mounts+=("$chroot_dir$root")
chroot "$chroot_dir" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$PWD" "$@"
