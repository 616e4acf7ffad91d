#!/usr/bin/env bash
# `make run`: install what is missing, build arc and its tools for
# Debian's stock kernel, boot it in virtme-ng and run scripts/demo.sh
# inside (it uses the modules and userspace/arcfw).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -n "${ARC_SKIP_DEPS:-}" ] || scripts/deps.sh test
KVER=${KVER:-$(make -s print-kver)}
make -s modules KVER="$KVER"
make -s userspace
make -s -C guests
# -n: a CPU with hardware virtualization for arc_minivm's guests.
exec scripts/vm.sh -k "$KVER" -n -t 900 -- env ARC_ROOT="$root" scripts/demo.sh
