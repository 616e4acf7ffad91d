#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fio writes and verifies (crc32c) with one job per CPU on disjoint areas:
# 4k random writes at queue depth 16, then block sizes from 512 to 128k.
. "$(dirname "$0")/../lib.sh"
need fio
trap arc_unload_all EXIT
ramdisk_load size_mb=128
cd /tmp || fail "cd /tmp"

jobs=$(nproc)
per=$((128 / jobs))M
run() {
	local out
	out=$(fio --name=verify --filename=/dev/arcram0 --direct=1 \
		--ioengine=libaio --iodepth=16 --numjobs="$jobs" \
		--size="$per" --offset_increment="$per" \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--verify_state_save=0 \
		--group_reporting --output-format=terse --terse-version=3 "$@" 2>&1) ||
		{ echo "$out"; fail "fio $*"; }
	# terse v3: field 5 is the error count.
	echo "$out" | awk -F';' '/^3;/ { n++; if ($5 != 0) bad = 1 }
		END { exit bad || n != 1 }' || { echo "$out"; fail "fio $* reported errors"; }
	echo "fio $*: verified $per x $jobs jobs"
}
run --rw=randwrite --bs=4k
run --rw=randwrite --bsrange=512-128k
run --rw=write --bs=1M
pass "fio verify"
