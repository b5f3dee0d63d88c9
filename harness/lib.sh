# The kfx VM harness, as a library: choose the root that carries a kernel,
# copy a project's tree into it, build the project's module there, boot the
# kernel with virtme-ng (vm-boot) and run a guest script, read the guest's
# "KFX-CHECK" lines and scan its dmesg, tabulate.  Used by kfx's ci/vmtest,
# ci/demo, ci/pkg-vmtest, bench/kernel-report and by every SDK project (from
# /usr/share/kfx-dev/harness).  See README.md beside this file.
#
# Source it with KFX_HARNESS set to the directory holding it (a sourced sh
# file cannot find itself); it defines functions and paths, runs nothing.
# Nothing here knows the project: its root directory is passed in.

if [ -z "${KFX_HARNESS:-}" ]; then
	if [ -n "${KFX_LIB:-}" ]; then     # a child re-entering the library
		KFX_HARNESS=$(dirname "$KFX_LIB")
	elif [ -f "$(dirname "$0")/lib.sh" ] && [ -f "$(dirname "$0")/vm-boot" ]; then
		KFX_HARNESS=$(cd "$(dirname "$0")" && pwd)
	else
		KFX_HARNESS=/usr/share/kfx-dev/harness
	fi
fi
# This file, for helpers that re-enter it in a child shell.
KFX_LIB=$KFX_HARNESS/lib.sh

KFX_CACHE=${KFX_CACHE:-/var/cache/kfx}
KFX_ROOTS=$KFX_CACHE/roots
# The trixie root boots 6.12 and 7.3 and holds the bookworm root (6.1) at
# /bookworm, so `vng --root /bookworm` works from inside it.
KFX_TRIXIE=$KFX_ROOTS/trixie
KFX_BOOKWORM_IN=/bookworm

# Lines of a guest's dmesg that mean the kernel complained: splats, and the
# watchdogs' reports of a CPU held too long (soft lockup, RCU stall, hung
# task), which is how a kfunc that runs too long shows.  The one list for
# every script that boots a guest (kfx_dmesg_verdict).
KFX_SPLAT='WARNING:|BUG:|Call Trace:|Oops|unreferenced object|general protection|KASAN|soft lockup|hard LOCKUP|rcu_(sched|preempt)? ?(self-)?detected (stalls|stall)|rcu: INFO|blocked for more than [0-9]+ seconds'

# What kfx_copy_tree leaves out of every copy (paths relative to the
# project's root): git's store, test results, and kfx's own bulky build
# products no guest reads (string bench, BTF tests, package matrix).
KFX_COPY_EXCLUDE=${KFX_COPY_EXCLUDE:-.git results build/results build/strings build/btf-test build/pkgvm}

kfx_say() { printf '>> %s\n' "$*" >&2; }
kfx_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

kfx_need_root() {
	[ "$(id -u)" = 0 ] || kfx_die "must run as root (chroot, mounts)"
}

# The roots are usable only once setup-roots has stamped them.
kfx_need_roots() {
	[ -f "$KFX_TRIXIE/.kfx-stamp" ] && [ -f "$KFX_TRIXIE$KFX_BOOKWORM_IN/.kfx-stamp" ] ||
		kfx_die "VM roots missing under $KFX_ROOTS; run $KFX_HARNESS/setup-roots (make vm-setup)"
}

# kfx_lock_tree [DEST]: hold, until this script exits, the lock of the
# tree copied into the roots at DEST (kfx_copy_tree; default /kfx): the
# guest reads its tree live, so two runs into one DEST at once (two
# checkouts, a developer and CI) would boot each other's tree.  The second
# one waits; runs into different DESTs (another project, the bench) do not.
kfx_lock_tree() {
	case ${1:-/kfx} in
	/kfx) exec 9>"$KFX_CACHE/.tree.lock" ;;
	*) exec 9>"$KFX_CACHE/.tree$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.\n' -).lock" ;;
	esac
	if ! flock -n 9; then
		kfx_say "another VM run is using the roots' ${1:-/kfx}; waiting for it"
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

# kfx_root_of KERNEL: the root (a host path) that carries KERNEL: the
# bookworm root inside the trixie root for 6.1, the trixie root otherwise.
kfx_root_of() {
	if [ "$(kfx_row_root "$1")" = bookworm ]; then
		echo "$KFX_TRIXIE$KFX_BOOKWORM_IN"
	else
		echo "$KFX_TRIXIE"
	fi
}

# kfx_copy_tree SRC DST [EXCLUDE...]: a fresh copy of the project tree SRC
# at DST (a directory inside a root, e.g. ROOT/kfx): what the guest sees is
# exactly this tree.  Leaves out KFX_COPY_EXCLUDE and each EXCLUDE (paths
# relative to SRC, or absolute ones under it).  Hold kfx_lock_tree.
kfx_copy_tree() {
	_src=$1 _dst=$2
	shift 2
	set -- $KFX_COPY_EXCLUDE "$@"
	_ex=
	for _e; do
		case $_e in
		"$_src"/*) _e=${_e#"$_src"/} ;;
		/*) continue ;;   # outside the tree: nothing to leave out
		esac
		_ex="$_ex --exclude=./$_e"
	done
	rm -rf --one-file-system "$_dst"
	mkdir -p "$_dst"
	# shellcheck disable=SC2086 # one word per option
	(cd "$_src" && tar $_ex -cf - .) | tar -C "$_dst" -xf -
}

# kfx_build_in ROOT KVER CMD: run the shell command CMD chrooted in ROOT
# with KVER (the full release) in its environment, e.g. the project's
# `make -C /kfx module KVER=$KVER`.  A clean environment: nothing of the
# host's leaks into the build.  Output goes to stdout/stderr.
kfx_build_in() {
	env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin KVER="$2" \
		sh -c '. "$1"; kfx_chroot "$2" sh -c "$3"' kfx "$KFX_LIB" \
		"$1" "$3"
}

# kfx_guest_checks LOG: the guest's "KFX-CHECK <name> <pass|fail|skip>
# [detail]" lines of LOG, as "name TAB status TAB detail".
kfx_guest_checks() {
	sed -n 's/^KFX-CHECK \([^ ]*\) \(pass\|fail\|skip\)\( \(.*\)\)\{0,1\}$/\1\t\2\t\4/p' "$1"
}

# kfx_boot_verdict STATUS LOG END_MARK: did the guest run its script to the
# end?  STATUS is vm-boot's exit status, END_MARK the line (a prefix) the
# guest script prints last.  Prints "pass TAB exit N" or "fail TAB why".
kfx_boot_verdict() {
	if [ "$1" = 255 ]; then
		printf 'fail\tguest crashed or panicked (vng 255)\n'
	elif [ "$1" = 124 ]; then
		printf 'fail\ttimed out after %ss\n' "${KFX_BOOT_TIMEOUT:-600}"
	elif ! grep -q "^$3" "$2"; then
		printf 'fail\tguest script did not reach its end (exit %s)\n' "$1"
	else
		printf 'pass\texit %s\n' "$1"
	fi
}

# kfx_dmesg_verdict LOG: the guest's dmesg block (dmesg_block in
# guest-lib.sh) scanned with KFX_SPLAT.  Prints "pass TAB" or "fail TAB the
# first splat lines".
kfx_dmesg_verdict() {
	if ! grep -q '^KFX-DMESG-BEGIN' "$1" || ! grep -q '^KFX-DMESG-END' "$1"; then
		printf 'fail\tno dmesg block in the guest output\n'
		return
	fi
	_sp=$(sed -n '/^KFX-DMESG-BEGIN/,/^KFX-DMESG-END/p' "$1" |
		grep -E "$KFX_SPLAT" | head -n 3 || :)
	if [ -n "$_sp" ]; then
		printf 'fail\t%s\n' "$(printf '%s' "$_sp" | tr '\t\r\n' '   ')"
	else
		printf 'pass\t\n'
	fi
}

# kfx_table CELLS ROWS PREFIX: the kernel x check table.  CELLS holds
# "kernel TAB release TAB check TAB status TAB detail" lines (a check seen
# twice keeps its worst status), ROWS "kernel TAB release TAB seconds".
# Prints the table (and why each failure or skip happened) and writes
# PREFIX.md, PREFIX.json, PREFIX.count ("passed failed skipped") and
# PREFIX.skips ("kernel/check TAB reason"): tests/lib.sh's interface, read
# by tests/summarize.  Columns: build, boot, the guest's checks in the order
# first seen, dmesg.
kfx_table() {
	awk -F'\t' -v md="$3.md" -v js="$3.json" -v cnt="$3.count" \
		-v skf="$3.skips" -v rowsf="$2" '
function w(c) { return length(c) < 4 ? 4 : length(c) }
function rank(s) { return s == "fail" ? 3 : s == "pass" ? 2 : s == "skip" ? 1 : 0 }
function jstr(s,    i, c, o) {
	# Character by character: awks differ on backslashes in gsub().
	o = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"") o = o "\\" c
		else if (c < " ") o = o " "
		else o = o c
	}
	return "\"" o "\""
}
BEGIN {
	while ((getline line < rowsf) > 0) {
		split(line, f, "\t")
		nk++; kern[nk] = f[1]; rel[f[1]] = f[2]; secs[f[1]] = f[3]
	}
	# Fixed columns first, the guest checks in the order first seen.
	ncol = 0; col[++ncol] = "build"; col[++ncol] = "boot"; seen["build"]; seen["boot"]
}
{
	c = $3
	if (c != "dmesg" && !(c in seen)) { seen[c]; col[++ncol] = c }
	key = $1 SUBSEP c
	if (rank($4) > rank(st[key])) { st[key] = $4; det[key] = $5 }
	else if (rank($4) == rank(st[key]) && det[key] == "") det[key] = $5
}
END {
	col[++ncol] = "dmesg"
	hdr = "| kernel | release"; sep = "|---|---"
	for (i = 1; i <= ncol; i++) { hdr = hdr " | " col[i]; sep = sep "|---" }
	print hdr " | seconds |" > md; print sep "|---|" > md
	printf "%-6s %-24s", "kernel", "release"
	for (i = 1; i <= ncol; i++) printf(" %-" w(col[i]) "s", col[i])
	printf " %s\n", "seconds"
	pass = fail = skip = 0
	printf "" > skf
	printf "{\n  \"kernels\": [" > js
	for (r = 1; r <= nk; r++) {
		k = kern[r]
		line = "| " k " | " rel[k]
		printf "%-6s %-24s", k, rel[k]
		printf "%s\n    {\"kernel\": %s, \"release\": %s, \"seconds\": %d, \"checks\": {", \
			(r > 1 ? "," : ""), jstr(k), jstr(rel[k]), secs[k] > js
		first = 1
		for (i = 1; i <= ncol; i++) {
			key = k SUBSEP col[i]; s = (key in st) ? st[key] : "-"
			line = line " | " s
			printf(" %-" w(col[i]) "s", s)
			if (s == "pass") pass++
			if (s == "fail") fail++
			if (s == "skip") { skip++; printf "%s/%s\t%s\n", k, col[i], det[key] > skf }
			if (s != "-") {
				printf "%s\n      %s: {\"status\": %s, \"detail\": %s}", \
					(first ? "" : ","), jstr(col[i]), jstr(s), jstr(det[key]) > js
				first = 0
			}
		}
		printf " %s\n", secs[k]
		print line " | " secs[k] " |" > md
		printf "\n    }}" > js
	}
	printf "\n  ],\n  \"passed\": %d,\n  \"failed\": %d,\n  \"skipped\": %d\n}\n", pass, fail, skip > js
	print pass, fail, skip > cnt
	# Why each failure failed, under the table.
	for (r = 1; r <= nk; r++) for (i = 1; i <= ncol; i++) {
		key = kern[r] SUBSEP col[i]
		if (st[key] == "fail" || st[key] == "skip") {
			printf "  %s %s %s: %s\n", kern[r], col[i], st[key], det[key]
			printf "\n- %s %s %s: %s", kern[r], col[i], st[key], det[key] > md
		}
	}
	printf "\n" > md
}' "$1"
}
