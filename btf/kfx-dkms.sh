# shellcheck shell=bash
# /usr/lib/kfx-btf/kfx-dkms.sh (package kfx-btf): which kernels a DKMS
# module that needs module BTF (kfx.ko, every `kfx new` project's module)
# leaves to DKMS, and which it skips without failing an apt or rpm
# transaction.  A module's dkms.conf sources it as its last line:
#
#   [ -r /usr/lib/kfx-btf/kfx-dkms.sh ] && . /usr/lib/kfx-btf/kfx-dkms.sh
#
# It reads PACKAGE_NAME, BUILT_MODULE_NAME[0], BUILD_EXCLUSIVE_KERNEL_MIN
# (set above that line) and ${kernelver}; it may empty AUTOINSTALL and set
# BUILD_EXCLUSIVE_KERNEL, and leaves nothing else behind: its variables are
# local to kfx_dkms_* functions, which it unsets.  (The guard keeps dkms
# working, only without these skips, should kfx-btf be missing.)
#
# Two cases:
# - A kernel with headers but no vmlinux BTF to make the module's BTF
#   against: its headers have no vmlinux (Debian 12's; Debian 13's have one
#   and kbuild makes BTF itself), its image is not installed
#   (/boot/vmlinuz-KVER: a chroot, a container, a headers-only install), and
#   it is not the running kernel (/sys/kernel/btf/vmlinux).  The module
#   cannot work there, and that is no reason to fail the transaction that
#   installs the headers, the kernel or the -dkms package: the kernel is
#   excluded (BUILD_EXCLUSIVE_KERNEL that it cannot match), saying why and
#   how to fix it.  A genuine build failure (compiler, pahole, unresolved
#   ids) on a kernel that has a vmlinux BTF still fails, loudly.
# - A kernel older than BUILD_EXCLUSIVE_KERNEL_MIN: dkms itself excludes it
#   and says why; it is only left out of AUTOINSTALL as well (below).
#
# dkms sources dkms.conf with bash, in a subshell of dkms (so /proc/$$ is
# dkms), with ${kernelver} set to the kernel it asks about, and two dkms
# versions matter:
# - 3.2.x (Debian 13) reads AUTOINSTALL for the target kernel, and a
#   BUILD_EXCLUSIVE mismatch makes build/install/autoinstall exit 77, which
#   its kernel hooks and dh_dkms's postinst count as skipped;
# - 3.0.10 (Debian 12) also exits 77 (Debian's patch) and dh_dkms's postinst
#   skips, but its autoinstall (the kernel and header hooks) counts 77 as a
#   failure and fails the hook (dkms#302), and it reads AUTOINSTALL with the
#   version of some *other* kernel the module is built for (or none).  So
#   the target is taken from dkms's own command line ("autoinstall -k KVER";
#   no -k means the running kernel), and AUTOINSTALL is emptied for it: both
#   versions then leave the kernel out of autoinstall, which succeeds.
#
# `bash kfx-dkms.sh VERB KVER NAME MODULE MIN [ROOT [RUNNING]]` runs the
# decision alone and prints AUTOINSTALL and BUILD_EXCLUSIVE_KERNEL (the
# tests' entry point; ROOT prefixes the paths looked at, RUNNING stands for
# `uname -r`).

# Not bash (dkms.conf is bash: some other tool reading it): leave it alone.
[ -n "${BASH_VERSION:-}" ] || return 0 2>/dev/null || exit 0

# kfx_dkms_older KVER MIN: KVER's version (up to three numeric fields,
# 6.1.0-57-amd64 -> 6 1 0) is below MIN's; a missing field counts as 0.
# Anything not numeric is not older: dkms decides on it.
kfx_dkms_older() {
	local k=$1 m=$2 kf mf
	case $k in [0-9]*) ;; *) return 1 ;; esac
	case $m in [0-9]*) ;; *) return 1 ;; esac
	for _ in 1 2 3; do
		kf=${k%%[!0-9]*} mf=${m%%[!0-9]*}
		# A field too long for test's integers is a very new version.
		[ ${#kf} -le 9 ] && [ ${#mf} -le 9 ] || return 1
		[ "${kf:-0}" -lt "${mf:-0}" ] && return 0
		[ "${kf:-0}" -gt "${mf:-0}" ] && return 1
		k=${k#"$kf"} m=${m#"$mf"}
		case $k in .*) k=${k#.} ;; *) k= ;; esac
		case $m in .*) m=${m#.} ;; *) m= ;; esac
	done
	return 1
}

# kfx_dkms_decide VERB KVER NAME MODULE MIN ROOT RUNNING: the decision for
# dkms VERB on kernel KVER, of package NAME building MODULE.ko whose
# BUILD_EXCLUSIVE_KERNEL_MIN is MIN (may be empty); ROOT prefixes the paths
# looked at ("" for dkms), RUNNING is the running kernel's release.
kfx_dkms_decide() {
	local verb=$1 k=$2 name=$3 ko=$4 min=$5 root=$6 running=$7
	[ -n "$k" ] || return 0
	if [ -n "$min" ] && kfx_dkms_older "$k" "$min"; then
		AUTOINSTALL=""
		return 0
	fi
	if [ -e "$root/lib/modules/$k/build/vmlinux" ] || [ -e "$root/boot/vmlinuz-$k" ] ||
	   [ -e "$root/lib/modules/$k/vmlinuz" ] ||
	   { [ "$k" = "$running" ] && [ -r "$root/sys/kernel/btf/vmlinux" ]; }; then
		return 0
	fi
	AUTOINSTALL=""
	BUILD_EXCLUSIVE_KERNEL="^$name-needs-the-vmlinux-BTF-of-this-kernel\$"
	# Only where dkms acts on the kernel: `dkms status` sources dkms.conf
	# for every kernel and must stay quiet.
	case $verb in
	autoinstall|kernel_postinst|build|install)
		echo "$name: skipping kernel $k: $ko.ko needs that kernel's vmlinux BTF, and there is none (linux-image-$k is not installed: no /boot/vmlinuz-$k; its headers have no vmlinux). Install linux-image-$k, then run 'dkms autoinstall -k $k'." >&2 ;;
	esac
}

# kfx_dkms_main: dkms's verb and target kernel from its command line, then
# the decision.
kfx_dkms_main() {
	local kver=${kernelver:-} verb='' k='' next='' a
	if [ -r "/proc/$$/cmdline" ]; then
		while IFS= read -r -d '' a; do
			if [ -n "$next" ]; then k=$a next=; continue; fi
			case $a in
			autoinstall|kernel_postinst|build|install|add) [ -n "$verb" ] || verb=$a ;;
			-k|--kernelver) next=1 ;;
			--kernelver=*) k=${a#--kernelver=} ;;
			-k?*) k=${a#-k} ;;
			esac
		done <"/proc/$$/cmdline"
		if [ "$verb" = autoinstall ]; then
			kver=${k:-$(uname -r)}
			kver=${kver%%/*}
		fi
	fi
	kfx_dkms_decide "$verb" "$kver" "${PACKAGE_NAME:-${BUILT_MODULE_NAME[0]:-module}}" \
		"${BUILT_MODULE_NAME[0]:-${PACKAGE_NAME:-module}}" "${BUILD_EXCLUSIVE_KERNEL_MIN:-}" \
		"" "$(uname -r)"
}

# Executed rather than sourced ("return" only works in a sourced file).
if ! (return 0 2>/dev/null); then
	if [ $# -lt 5 ] || [ $# -gt 7 ]; then
		echo "usage: bash kfx-dkms.sh VERB KVER NAME MODULE MIN [ROOT [RUNNING]]" >&2
		exit 2
	fi
	AUTOINSTALL=yes
	BUILD_EXCLUSIVE_KERNEL=
	kfx_dkms_decide "$1" "$2" "$3" "$4" "$5" "${6:-}" "${7:-$(uname -r)}"
	echo "[$AUTOINSTALL] [$BUILD_EXCLUSIVE_KERNEL]"
	exit 0
fi
kfx_dkms_main
unset -f kfx_dkms_older kfx_dkms_decide kfx_dkms_main
