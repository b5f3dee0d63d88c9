# Sourced by the in-guest scripts (ci/guest-*.sh): the check lines the
# harness tabulates, and the dmesg block it scans for splats.

fails=0

# check NAME pass|fail|skip [DETAIL...]: one "KFX-CHECK" line; fails counts.
check() {
	name=$1 st=$2
	shift 2
	echo "KFX-CHECK $name $st $*"
	[ "$st" = fail ] && fails=$((fails + 1))
	return 0
}

# dmesg_block: the guest's kernel log, between markers.
dmesg_block() {
	echo KFX-DMESG-BEGIN
	dmesg
	echo KFX-DMESG-END
}
