#!/usr/bin/env bash
# `make bench`: build arc, boot the stock kernel once and run the RAM disk
# benchmark (scripts/bench/blk.py) against brd and null_blk. Not part of
# `make check`: figures under TCG are noisy and only ratios mean anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -n "${ARC_SKIP_DEPS:-}" ] || scripts/deps.sh test
KVER=${KVER:-$(make -s print-kver)}
make -s modules KVER="$KVER"
mkdir -p build
scripts/vm.sh -k "$KVER" -t 3600 -m 4G -w build -- \
	env ARC_ROOT="$root" python3 scripts/bench/blk.py | tee build/bench-blk.txt
