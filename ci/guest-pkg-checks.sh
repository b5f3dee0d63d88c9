#!/bin/sh
# In-guest checks of the package matrix (run by ci/pkg-vmtest in a kernel
# booted from a throwaway root where `apt install kfx-dkms kfx` ran).
#
#   KFX_PKG_ACTION=check (default): what DKMS left for the running kernel
#     (dkms status, module path and version), then ci/guest-checks.sh with
#     KFX_INSTALLED=1 (modprobe, module BTF, kfx status/selftest/watch, dmesg)
#   KFX_PKG_ACTION=old-kernel: a kernel below the minimum (5.10): DKMS
#     built nothing for it, modprobe fails, `kfx status` fails and says
#     the kernel is too old
#   KFX_PKG_ACTION=sdk: the SDK project KFX_SDK_NAME (made by `kfx new`,
#     packaged by its `make deb`, installed): DKMS built it, it loads with
#     module BTF, `NAME status` and `NAME selftest` pass, and each kfunc of
#     KFX_SDK_KFUNCS answers in the selftest's output
#   KFX_PKG_ACTION=install-kernel: configure the kernel packages unpacked
#     beforehand (the guest has no network) while this older kernel runs,
#     so DKMS builds for a kernel that is not the running one; then check
#     that it did, for KFX_PKG_NEW_KVER
#
# KFX_PKG_VERSION: the kfx version that must be installed.  The scripts sit
# in KFX_PKG_DIR (/var/lib/kfx-pkgvm) in the guest's root.
# Output: "KFX-CHECK <name> <pass|fail|skip> [detail]" lines, as vmtest's.
dir=${KFX_PKG_DIR:-/var/lib/kfx-pkgvm}
ver=${KFX_PKG_VERSION:?}
kver=$(uname -r)
. "$dir/guest-lib.sh"

# dkms_ok KVER: kfx/$ver is the only kfx DKMS knows, installed for KVER.
dkms_ok() {
	# stderr apart: dkms 3.0 passes on readelf warnings there.
	s=$(dkms status kfx -k "$1" 2>/tmp/dkms.err)
	echo "dkms status kfx -k $1: $s"
	cat /tmp/dkms.err
	if [ "$s" = "kfx/$ver, $1, x86_64: installed" ]; then
		check "dkms-$2" pass
	else
		check "dkms-$2" fail "$s"
	fi
}

case ${KFX_PKG_ACTION:-check} in
install-kernel)
	new=${KFX_PKG_NEW_KVER:?}
	# virtme-init puts tmpfs over /var/cache and /var/lib/apt (for
	# read-only roots); this root is writable and holds the lists and
	# the downloaded .debs there, so uncover them.
	for d in /var/lib/apt /var/cache; do
		if grep -q "^tmpfs $d tmpfs " /proc/mounts; then
			umount "$d" || check uncover-apt fail "umount $d"
		fi
	done
	# The packages were unpacked in a chroot (ci/pkg-vmtest); configuring
	# them runs the kernel's postinst and hooks here, under this kernel.
	echo "--- dpkg --configure -a ($KFX_PKG_KERNEL_PKGS), running $kver"
	st=0
	DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/tmp/apt.log 2>&1 || st=$?
	cat /tmp/apt.log
	s=$(dpkg-query -W -f '${Status}' "linux-image-$new" 2>&1)
	if [ $st = 0 ] && [ "$s" = "install ok installed" ]; then
		check kernel-install pass
	else
		check kernel-install fail "dpkg exit $st, linux-image-$new: $s"
	fi
	grep -i 'dkms\|kfx' /tmp/apt.log | head -n 20
	[ "$kver" != "$new" ] && check built-while-other-runs pass "running $kver" ||
		check built-while-other-runs fail "running $new itself"
	dkms_ok "$new" new-kernel
	# The module's BTF came from the new kernel's vmlinux: kbuild's own
	# step ("BTF [M]", with the headers' vmlinux) or kfx-module-btf's with
	# a base of that kernel, never the running kernel's
	# /sys/kernel/btf/vmlinux; and its kfunc ids resolved.
	ml=/var/lib/dkms/kfx/$ver/$new/x86_64/log/make.log
	grep "BTF" "$ml"
	if grep -q 'base: /sys/kernel/btf/vmlinux' "$ml"; then
		check btf-for-target fail "BTF made from the running kernel's"
	elif { grep -Eq '^ *BTF +\[M\] ' "$ml" ||
	       grep -Fq "(base: /boot/vmlinuz-$new)" "$ml" ||
	       grep -Fq "(base: /lib/modules/$new/" "$ml"; } &&
	     grep -Eq 'CHECK .*\.BTF present, [0-9]+ ids and [0-9]+ sets \([0-9]+ members\) resolved' "$ml"; then
		check btf-for-target pass
	else
		check btf-for-target fail "no BTF step for $new in $ml"
	fi
	sync
	dmesg_block
	;;
old-kernel)
	s=$(dkms status kfx -k "$kver" 2>&1)
	echo "dkms status kfx -k $kver: $s"
	case $s in
	*installed*) check dkms-none fail "$s" ;;
	*) check dkms-none pass ;;
	esac
	if modprobe kfx 2>/tmp/mp.err; then
		check modprobe-fails fail "kfx loaded on $kver"
	else
		check modprobe-fails pass "$(cat /tmp/mp.err)"
	fi
	/usr/sbin/kfx status >/tmp/st.out 2>&1
	rc=$?
	cat /tmp/st.out
	if [ $rc -ne 0 ] && grep -q "older than 6.1" /tmp/st.out; then
		check status-too-old pass "exit $rc"
	else
		check status-too-old fail "exit $rc: $(head -n 3 /tmp/st.out)"
	fi
	dmesg_block
	;;
check)
	dkms_ok "$kver" status
	p=$(modinfo -n kfx 2>&1)
	case $p in
	/lib/modules/$kver/updates/dkms/kfx.ko*|/usr/lib/modules/$kver/updates/dkms/kfx.ko*)
		check module-path pass "$p" ;;
	*) check module-path fail "$p" ;;
	esac
	v=$(modinfo -F version kfx 2>&1)
	if [ "$v" = "$ver" ]; then
		check module-version pass "$v"
	else
		check module-version fail "'$v', want '$ver'"
	fi
	# No other kfx module could shadow the DKMS one.
	n=$(find /lib/modules/"$kver" -name 'kfx.ko*' | wc -l)
	[ "$n" = 1 ] && check one-module pass ||
		check one-module fail "$n kfx.ko* under /lib/modules/$kver"
	KFX_INSTALLED=1 sh "$dir/guest-checks.sh" || fails=$((fails + 1))
	;;
sdk)
	# An SDK project made by `kfx new` in this root, packaged with its
	# `make deb` and installed (pathkit-dkms + pathkit): DKMS built it
	# for this kernel, it loads with module BTF, and its selftest calls
	# every example kfunc with the right answers.
	p=${KFX_SDK_NAME:?}
	s=$(dkms status "$p" -k "$kver" 2>/tmp/dkms.err)
	echo "dkms status $p -k $kver: $s"
	case $s in
	"$p/"*", $kver, x86_64: installed") check sdk-dkms pass ;;
	*) check sdk-dkms fail "$s" ;;
	esac
	if modprobe "$p" 2>/tmp/mp.err; then
		check sdk-modprobe pass
	else
		check sdk-modprobe fail "$(cat /tmp/mp.err)"
	fi
	dmesg | grep -i "$p" | tail -n 5
	if [ -e "/sys/kernel/btf/$p" ]; then
		check sdk-module-btf pass
	else
		check sdk-module-btf fail "no /sys/kernel/btf/$p"
	fi
	"$p" status >/tmp/st.out 2>&1
	rc=$?
	cat /tmp/st.out
	[ $rc = 0 ] && check sdk-status pass || check sdk-status fail "exit $rc"
	"$p" selftest >/tmp/self.out 2>&1
	rc=$?
	cat /tmp/self.out
	[ $rc = 0 ] && check sdk-selftest pass || check sdk-selftest fail "exit $rc"
	# Each kfunc the project declares answered: `NAME status` resolved it
	# in the module's BTF ("NAME ok"), and the selftest, which calls
	# every kfunc on its vectors, passed them all.
	self_ok=0
	[ $rc = 0 ] && grep -Eq '^[0-9]+ passed, 0 failed$' /tmp/self.out && self_ok=1
	for f in ${KFX_SDK_KFUNCS:-}; do
		l=$(grep -E "^[[:space:]]*$f[[:space:]]" /tmp/st.out | head -n 1)
		if [ $self_ok = 1 ] && echo "$l" | grep -Eq "[[:space:]]ok\$"; then
			check "sdk-kfunc-$f" pass
		else
			check "sdk-kfunc-$f" fail "status: '$l'; selftest exit $rc"
		fi
	done
	# The program's module reference goes after an RCU grace period.
	i=0
	until modprobe -r "$p" 2>/tmp/rm.err; do
		i=$((i + 1))
		[ $i -lt 20 ] || break
		sleep 0.5
	done
	[ $i -lt 20 ] && check sdk-unload pass || check sdk-unload fail "$(cat /tmp/rm.err)"
	dmesg_block
	;;
*)
	check action fail "unknown KFX_PKG_ACTION=$KFX_PKG_ACTION"
	;;
esac
echo "KFX-GUEST-PKG-END fails=$fails"
[ $fails -eq 0 ]
