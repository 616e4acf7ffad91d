#!/usr/bin/env bash
# Extract the kernel's own tooling that arc uses (kselftest framework,
# checkpatch, kernel-doc) from Debian's linux-source package into DIR.
# Nothing extracted here is committed to arc.
set -euo pipefail
dir=${1:?usage: ksrc.sh DIR}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "arc: no /usr/src/linux-source-*.tar.xz: apt-get install linux-source-6.1" >&2
	echo "arc: (or run scripts/deps.sh build)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
rm -rf "$dir"
mkdir -p "$dir"
tar -xJf "$tarball" -C "$dir" --strip-components=1 \
	"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch" "$top/scripts/kernel-doc" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/tools/testing/selftests/kselftest/runner.sh" \
	"$top/tools/testing/selftests/kselftest/prefix.pl" \
	"$top/tools/testing/selftests/kselftest/module.sh"
echo "arc: kernel tooling from $(basename "$tarball") in $dir" >&2
