#!/usr/bin/env bash
# Run a command where arc can be built for one kernel of the matrix: the
# kernel is fetched if needed (scripts/kernels.sh), KVER and KDIR are set
# for make, and the command runs inside the kernel's build root (7.2: a
# sid chroot) or with its compiler shims first in PATH (5.10).
#
#   scripts/for-kernel.sh SERIES CMD...      e.g.
#   scripts/for-kernel.sh 7.2 make probes    what each probe gave on 7.2
#   scripts/for-kernel.sh 5.10 make          build arc for 5.10
#
# With SERIES "-" the kernel is taken from the environment instead (KVER
# KDIR KROOT KPATH as scripts/kernels.sh prints them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
series=${1:?usage: for-kernel.sh SERIES|- CMD...}
shift
[ $# -gt 0 ] || { echo "usage: for-kernel.sh SERIES|- CMD..." >&2; exit 2; }

if [ "$series" != - ]; then
	env=$("$root/scripts/kernels.sh" "$series")
	eval "$env"
fi
export KVER KDIR
if [ -n "${KROOT:-}" ]; then
	exec "$root/scripts/in-root.sh" "$KROOT" env KVER="$KVER" KDIR="$KDIR" "$@"
fi
PATH=${KPATH:+$KPATH:}$PATH exec "$@"
