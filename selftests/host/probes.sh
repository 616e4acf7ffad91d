#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The compatibility probes: make probes lists every probe with its result,
# results are cached per kernel release and config, and a kernel offering
# none of the shapes of a required API stops the build with the kernel
# release and the probe's compiler output (fail closed).
. "$(dirname "$0")/../lib.sh"
kver=$(make -s -C "$ARC_ROOT" print-kver)
kdir=/lib/modules/$kver/build

out=$(make -s -C "$ARC_ROOT" probes) || { echo "$out"; fail "make probes"; }
echo "$out"
n=$(ls "$ARC_ROOT"/shim/compat/probes/*.c | wc -l)
expect_eq "probes listed" "$(echo "$out" | grep -cE ' (yes|no)$')" "$n"
echo "$out" | grep -qE '^  sanity +yes$' || fail "sanity probe did not pass"

# Cached: a second build does not run the probes again.
hdr=$(make -s -C "$ARC_ROOT" print-probes)/arc_probes.h
[ -f "$hdr" ] || fail "no generated header at $hdr"
before=$(stat -c %Y "$hdr")
sleep 1
make -s -C "$ARC_ROOT" modules >/dev/null 2>&1 || fail "build"
expect_eq "header rewritten" "$(stat -c %Y "$hdr")" "$before"

# Fail closed.
src=$(mktemp -d)
out_dir=$(mktemp -d)
trap 'rm -rf "$src" "$out_dir"' EXIT
mkdir "$src/probes"
cp "$ARC_ROOT/shim/compat/probes/sanity.c" "$src/probes/"
printf '// SPDX-License-Identifier: GPL-2.0\n#include <linux/blkdev.h>\nint f(void);\nint f(void) { return blk_no_such_api(1, 2); }\n' \
	>"$src/probes/no_such_shape.c"
printf 'require sanity\nrequire no_such_shape\n' >"$src/probes.list"
if err=$(ARC_PROBE_SRC=$src "$ARC_ROOT/shim/compat/probe.sh" "$kdir" "$out_dir" 2>&1); then
	fail "probe.sh accepted a kernel without any known shape"
fi
echo "$err" | sed 's/^/  /'
echo "$err" | grep -q "kernel $(cat "$kdir/include/config/kernel.release")" ||
	fail "refusal does not name the kernel release"
echo "$err" | grep -q 'blk_no_such_api' || fail "refusal does not show the probe's log"
[ -f "$out_dir/arc_probes.h" ] && fail "a header was generated anyway"
pass "$n probes, cached, fail closed"
