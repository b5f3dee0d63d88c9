#!/bin/sh
# In the VM (ci/vmtest): load @NAME@.ko built for this kernel, then prove
# its kfuncs: module BTF, `@NAME@ status`, `@NAME@ selftest` (every CHECK of
# bpf/@NAME@_selftest.bpf.c), unload. One KFX-CHECK line per check.
cd "$KFX_DIR"
. build/vm/guest-lib.sh
T=/tmp/@NAME@-guest
mkdir -p $T

if insmod src/@NAME@.ko 2>$T/insmod; then
	check load pass
else
	check load fail "$(cat $T/insmod)"
fi
if [ -d /sys/kernel/btf/@NAME@ ] || [ -e /sys/kernel/btf/@NAME@ ]; then
	check module-btf pass
else
	check module-btf fail "no /sys/kernel/btf/@NAME@"
fi
if build/@NAME@ status >$T/status 2>&1; then
	check status pass
else
	check status fail "$(grep problem: $T/status | head -n 3 | tr '\n' ' ')"
fi
cat $T/status
if build/@NAME@ selftest >$T/selftest 2>&1; then
	check selftest pass "$(tail -n 1 $T/selftest)"
else
	check selftest fail "$(grep -E 'FAIL|@NAME@:' $T/selftest | head -n 3 | tr '\n' ' ')"
fi
cat $T/selftest
# The programs' module reference goes after an RCU grace period: retry.
i=0
until rmmod @NAME@ 2>$T/rmmod; do
	i=$((i + 1))
	[ $i -lt 20 ] || break
	sleep 0.5
done
if [ -e /sys/module/@NAME@ ]; then
	check unload fail "$(cat $T/rmmod)"
else
	check unload pass
fi
dmesg_block
