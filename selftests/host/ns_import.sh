#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arc's API lives in real symbol namespaces: modinfo shows each module's
# imports, and modpost refuses a module that uses ARC_BLOCK without
# importing it (while the same module with the import links).
. "$(dirname "$0")/../lib.sh"
kver=$(make -s -C "$ARC_ROOT" print-kver)
kdir=/lib/modules/$kver/build
probes=$(make -s -C "$ARC_ROOT" print-probes)
[ -f "$ARC_ROOT/Module.symvers" ] || fail "build arc first"

imports=$(modinfo -F import_ns "$RAMDISK_KO" | sort | xargs)
expect_eq "arc_ramdisk imports" "$imports" "ARC_BLOCK ARC_CORE"
grep -q 'arc_blk_disk_create.*ARC_BLOCK' "$ARC_ROOT/Module.symvers" ||
	fail "arc_blk_disk_create is not exported in ARC_BLOCK"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # build IMPORT-LINE
	cat >"$work/nsuser.c" <<EOC
#include <arc/block.h>
$1
MODULE_LICENSE("GPL");
static int __init nsuser_init(void)
{
	return arc_blk_disk_name(NULL) ? 0 : -EINVAL;
}
module_init(nsuser_init);
EOC
	echo 'obj-m := nsuser.o' >"$work/Kbuild"
	make -C "$kdir" M="$work" KBUILD_EXTRA_SYMBOLS="$ARC_ROOT/Module.symvers" \
		ccflags-y="-I$ARC_ROOT/include -I$ARC_ROOT/shim -I$probes" modules 2>&1
}
out=$(build "") && { echo "$out"; fail "a module without ARC_IMPORT_NS(ARC_BLOCK) linked"; }
echo "$out" | grep -q 'uses symbol arc_blk_disk_name from namespace ARC_BLOCK, but does not import it' ||
	{ echo "$out"; fail "modpost failed for another reason"; }
out=$(build "ARC_IMPORT_NS(ARC_BLOCK);") || { echo "$out"; fail "the module with the import did not link"; }
pass "modpost enforces ARC_BLOCK; imports: $imports"
