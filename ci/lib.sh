# Shared helpers for the kfx VM scripts (ci/setup-roots, ci/vm-boot, ci/vmtest,
# ci/demo). Source it; it defines functions and paths, runs nothing.

KFX_CACHE=${KFX_CACHE:-/var/cache/kfx}
KFX_ROOTS=$KFX_CACHE/roots
# The trixie root boots 6.12 and 7.3 and holds the bookworm root (6.1) at
# /bookworm, so `vng --root /bookworm` works from inside it.
KFX_TRIXIE=$KFX_ROOTS/trixie
KFX_BOOKWORM_IN=/bookworm
# This file, for helpers that re-enter it in a child shell.
KFX_LIB=${KFX_LIB:-$(cd "$(dirname "$0")" && pwd)/lib.sh}

# Lines of a guest's dmesg that mean the kernel complained: splats, and the
# watchdogs' reports of a CPU held too long (soft lockup, RCU stall, hung
# task), which is how a kfunc that runs too long shows.  One list for every
# script that boots a guest.
KFX_SPLAT='WARNING:|BUG:|Call Trace:|Oops|unreferenced object|general protection|KASAN|soft lockup|hard LOCKUP|rcu_(sched|preempt)? ?(self-)?detected (stalls|stall)|rcu: INFO|blocked for more than [0-9]+ seconds'

kfx_say() { printf '>> %s\n' "$*" >&2; }
kfx_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

kfx_need_root() {
	[ "$(id -u)" = 0 ] || kfx_die "must run as root (chroot, mounts)"
}

# The roots are usable only once setup-roots has stamped them.
kfx_need_roots() {
	[ -f "$KFX_TRIXIE/.kfx-stamp" ] && [ -f "$KFX_TRIXIE$KFX_BOOKWORM_IN/.kfx-stamp" ] ||
		kfx_die "VM roots missing under $KFX_ROOTS; run ci/setup-roots (make vm-setup)"
}

# kfx_lock_tree: hold, until this script exits, the lock of the roots'
# /kfx: ci/vmtest, ci/demo and bench/kernel-report copy a tree there and
# the guest reads it live, so two runs at once (two checkouts, a developer
# and CI) would boot each other's tree.  The second one waits.
kfx_lock_tree() {
	exec 9>"$KFX_CACHE/.tree.lock"
	if ! flock -n 9; then
		kfx_say "another VM run is using the roots' /kfx; waiting for it"
		flock 9
	fi
}

# kfx_chroot ROOT CMD [ARG...]: run CMD chrooted in ROOT inside a private
# mount namespace.  The bind mounts of /proc, /sys, /dev die with the
# namespace, so nothing stays mounted in the cache whatever happens to us.
# /tmp and /run are fresh tmpfs each time.
kfx_chroot() {
	_r=$1; shift
	unshare --mount --propagation private -- sh -euc '
		r=$1; shift
		mount --rbind /dev "$r/dev"
		mount --bind /proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
		mount -t tmpfs -o mode=755 tmpfs "$r/run"
		exec chroot "$r" "$@"
	' kfx-chroot "$_r" "$@"
}

# kfx_chroot_ovl DIR BASE AT ROOT CMD [ARG...]: kfx_chroot ROOT CMD with the
# throwaway root DIR (a ci/pkg-chroot state dir whose lower layer is BASE)
# mounted at ROOT/AT, in the same private mount namespace.  A guest booted
# from there with `vng --root AT --rw` writes into DIR's upper layer, which
# outlives the boot; ROOT and BASE stay as they were (AT is an empty
# directory the caller removes).
kfx_chroot_ovl() {
	_d=$1 _b=$2 _a=$3
	shift 3
	unshare --mount --propagation private -- sh -euc '
		dir=$1 base=$2 at=$3 lib=$4
		shift 4
		mkdir -p "$1$at"
		if [ "$(cat "$dir/.mode")" = overlay ]; then
			mount -t overlay overlay -o \
				"lowerdir=$base,upperdir=$dir/upper,workdir=$dir/work" "$1$at"
		else
			mount --bind "$dir/root" "$1$at"
		fi
		. "$lib"
		kfx_chroot "$@"
	' kfx-chroot-ovl "$_d" "$_b" "$_a" "$KFX_LIB" "$@"
}

# kfx_ovl_files DIR: where the files a ci/pkg-chroot state DIR holds beyond
# its base are, readable while nothing is mounted: its overlay's upper layer,
# or its full copy.  Fails if DIR is no such state dir.
kfx_ovl_files() {
	case $(cat "$1/.mode" 2>/dev/null) in
	overlay) echo "$1/upper" ;;
	copy) echo "$1/root" ;;
	*) return 1 ;;
	esac
}

# kfx_row_root KERNEL: "bookworm" for the 6.1 row, "trixie" otherwise.
kfx_row_root() {
	case $1 in
	6.1|6.1.*) echo bookworm ;;
	*) echo trixie ;;
	esac
}

# kfx_kver DIR SHORT: the full kernel release in DIR/boot matching SHORT
# ("6.12" -> "6.12.57+deb13-amd64"); a full release is returned as is.
# Prints nothing if there is none (or if SHORT is ambiguous).
kfx_kver() {
	if [ -e "$1/boot/vmlinuz-$2" ]; then
		echo "$2"
		return
	fi
	# Keep only releases whose version is SHORT followed by '.', '-', '+'.
	# (dpkg's half-unpacked vmlinuz-*.dpkg-new is not a kernel yet).
	_m=$(cd "$1/boot" 2>/dev/null && ls -d vmlinuz-"$2"[.+-]* 2>/dev/null |
		grep -v '\.dpkg-' | sed 's/^vmlinuz-//')
	[ "$(printf '%s\n' "$_m" | grep -c .)" = 1 ] && echo "$_m"
	return 0
}

# kfx_kvm_probe: print 1 if QEMU can really run a guest with KVM, else 0.
# /dev/kvm can exist and still be useless (nested setups where QEMU aborts
# with "failed to set MSR 0x10a" or hangs), so boot the 6.12 kernel with no
# root file system: under working KVM it reaches its "Kernel panic" (no
# root) within seconds and QEMU exits (-no-reboot).
kfx_kvm_probe() {
	if [ ! -c /dev/kvm ] || ! [ -r /dev/kvm -a -w /dev/kvm ]; then
		echo 0
		return
	fi
	_k=$(kfx_kver "$KFX_TRIXIE" 6.12)
	[ -n "$_k" ] || { echo 0; return; }
	_o=$(timeout -k 2 "${KFX_KVM_PROBE_TIMEOUT:-20}" env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c \
		'. "$1"; kfx_chroot "$2" qemu-system-x86_64 -accel kvm -cpu host \
			-m 256 -nodefaults -display none -no-reboot -serial stdio \
			-kernel "/boot/vmlinuz-$3" -append "console=ttyS0 panic=-1"' \
		kfx "$KFX_LIB" "$KFX_TRIXIE" "$_k" </dev/null 2>&1) || true
	case $_o in
	*"Kernel panic"*) echo 1 ;;
	*) echo 0 ;;
	esac
}
