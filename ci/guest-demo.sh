#!/bin/sh
# make demo, inside the VM: load kfx.ko, show status and selftest, then let
# `kfx watch` catch an unlink that matches while ignoring one that does not.
KFX_DIR=${KFX_DIR:-/kfx}
KFX=$KFX_DIR/build/kfx
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "kernel $(uname -r): loading kfx.ko"
insmod "$KFX_DIR/src/kfx.ko" || exit 1
dmesg | grep 'kfx:' | tail -3

step "kfx status"
$KFX status || exit 1

step "kfx selftest"
$KFX selftest >/tmp/selftest.out
st=$?
tail -6 /tmp/selftest.out
[ $st -eq 0 ] || exit 1

step "kfx watch --match secret (in the background)"
mkdir -p /tmp/demo
: >/tmp/demo/notes.txt
: >/tmp/demo/my-secret-key.pem
$KFX watch --match secret --count 1 --duration 30 >/tmp/demo.out 2>/tmp/demo.err &
pid=$!
i=0
while ! grep -q watching /tmp/demo.err 2>/dev/null && [ $i -lt 300 ] &&
      kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
cat /tmp/demo.err
step "rm /tmp/demo/notes.txt /tmp/demo/my-secret-key.pem"
rm /tmp/demo/notes.txt /tmp/demo/my-secret-key.pem
wait $pid
rc=$?
cat /tmp/demo.out
tail -n 1 /tmp/demo.err
[ $rc -eq 0 ] || exit $rc
# The claim below, checked: the matching path, absolute, and only it.
if ! grep -q ' /tmp/demo/my-secret-key.pem' /tmp/demo.out ||
   grep -q notes.txt /tmp/demo.out; then
	step "FAILED: the output is not exactly the matching removal"
	exit 1
fi
step "done: only the path containing 'secret' was reported (filtered in the kernel by one bpf_kfx_match_set call)"
exit 0
