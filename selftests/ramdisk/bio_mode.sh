#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every RAM disk test again with queue_mode=bio: the disk bio-based, each
# bio served straight from submit_bio() (ARC_BLOCK's ARC_BLK_BIO). The
# tests read ARC_RAMDISK_MODE (selftests/lib.sh) and skip only what a
# bio-based disk does not have (hardware queues, tags, an I/O scheduler).
. "$(dirname "$0")/../lib.sh"
here=$(dirname "$0")
tests=(params.sh io.sh fio_verify.sh ext4.sh partitions.sh load_unload.sh
       pressure.sh sleep.sh discard.sh fuzz_blk.sh)
failed=()
for t in "${tests[@]}"; do
	t0=$SECONDS
	ARC_RAMDISK_MODE=bio "$here/$t" 2>&1 | sed "s/^/# $t: /"
	case ${PIPESTATUS[0]} in
	0) echo "# $t (bio): ok in $((SECONDS - t0)) s" ;;
	"$KSFT_SKIP") echo "# $t (bio): skipped" ;;
	*) echo "# $t (bio): FAILED"; failed+=("$t") ;;
	esac
	arc_unload_all
done
[ ${#failed[@]} = 0 ] || fail "with queue_mode=bio: ${failed[*]}"
pass "all ${#tests[@]} RAM disk tests with queue_mode=bio"
