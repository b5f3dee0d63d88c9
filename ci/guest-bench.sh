#!/bin/sh
# In-guest part of `make bench` (run by bench/kernel-report through
# ci/vm-boot): load the module, run build/kfx-bench (string search, rule
# sets, watch cost by bpf_stats; not part of the kfx package), print its JSON between
# KFX-BENCH-JSON-BEGIN / -END and the guest's dmesg between KFX-DMESG-BEGIN
# / -END (the host scans it for splats).
#
# Environment: KFX_DIR (the tree, with build/ and src/kfx.ko built for this
# kernel), KFX_BENCH_ARGS (extra kfx-bench options, e.g. "--runs 3"),
# KFX_BENCH_TEXT=1 (also print the readable tables).
KFX_DIR=${KFX_DIR:-/kfx}
BENCH=$KFX_DIR/build/kfx-bench
T=$(mktemp -d /tmp/kfx-bench-guest.XXXXXX)
. "$(dirname "$0")/guest-lib.sh"
rc=0

echo "kfx-bench on $(uname -r), $(nproc) CPUs"
if ! insmod "$KFX_DIR/src/kfx.ko"; then
	echo "KFX-BENCH-FAIL insmod"
	exit 1
fi
# The unlink loop runs on a tmpfs: the root is shared with the host (9p or
# virtiofs) and its round trips would drown what is measured.
dir=
mkdir -p "$T/fs"
if mount -t tmpfs -o size=64m kfx-bench "$T/fs"; then
	dir="--dir $T/fs"
else
	echo "guest-bench: no tmpfs, the unlink loop runs in /tmp"
fi
# shellcheck disable=SC2086 # lists of options
if [ "${KFX_BENCH_TEXT:-0}" = 1 ]; then
	"$BENCH" $dir ${KFX_BENCH_ARGS:-} || rc=$?
	echo "KFX-BENCH-TEXT-EXIT $rc"
fi
# shellcheck disable=SC2086
"$BENCH" --json $dir ${KFX_BENCH_ARGS:-} >"$T/bench.json" || rc=$?
umount "$T/fs" 2>/dev/null
echo KFX-BENCH-JSON-BEGIN
cat "$T/bench.json"
echo KFX-BENCH-JSON-END
echo "KFX-BENCH-EXIT $rc"
rmmod kfx || rc=1

dmesg_block
rm -rf "$T"
exit $rc
