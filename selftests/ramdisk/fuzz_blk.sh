#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Block request fuzzer (blk_fuzz.c): random mixes of reads, writes,
# discards, zeroouts and flushes, aligned and not, buffered and O_DIRECT,
# past the end and from several threads, against a model of a 64 MiB
# arcram0. Twice: with the module's defaults (a full run: 20,000 inputs),
# then with one hardware queue of 4 tags and every allocating write sent
# to the disk's worker (alloc_nowait=N), the path that sleeps (5,000). After each run, the disk
# (closed, so its page cache written back) holds exactly the pages the
# model says: none past the end, none a discard should have freed.
. "$(dirname "$0")/../lib.sh"
log=$(mktemp /tmp/arc-blk-fuzz.XXXXXX)
trap 'rm -f "$log"; arc_unload_all' EXIT
FUZZ=$ARC_ROOT/selftests/ramdisk/blk_fuzz
[ -x "$FUZZ" ] || fail "$FUZZ is not built (make -C selftests)"
t0=$SECONDS

# run COUNT [PARAM=VALUE...]
run() {
	local want count=$1
	shift
	ramdisk_load size_mb=64 "$@"
	echo "# arc_ramdisk $*"
	# Through tee, so that a run that hangs shows how far it got.
	"$FUZZ" /dev/arcram0 "$count" | tee "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "blk_fuzz with $*"
	want=$(awk '$1 == "#" && $2 == "pages" { print $3 }' "$log")
	[ -n "$want" ] || fail "blk_fuzz printed no page count"
	expect_eq "pages held after the run ($*)" "$(rd_pages)" "$want"
	ramdisk_unload || fail "rmmod after the run with $*"
}

run 20000
run 5000 hw_queues=1 queue_depth=4 alloc_nowait=N
pass "block fuzzer: two runs against the model in $((SECONDS - t0)) s"
