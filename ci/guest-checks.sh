#!/bin/sh
# In-guest checks of the VM matrix (run by ci/vmtest inside the booted kernel).
#
# Prints one line per check, "KFX-CHECK <name> <pass|fail|skip> [detail]",
# then the guest's dmesg between KFX-DMESG-BEGIN and KFX-DMESG-END, which
# the harness scans for splats. KFX_DIR is the kfx tree with build/ and the
# module built for this kernel (src/kfx.ko).
# KFX_INSTALLED=1 checks the installed packages instead (ci/pkg-vmtest):
# /usr/sbin/kfx, and the DKMS-built module loaded with modprobe.
KFX_DIR=${KFX_DIR:-/kfx}
T=$(mktemp -d /tmp/kfx-guest.XXXXXX)
. "$(dirname "$0")/guest-lib.sh"
if [ "${KFX_INSTALLED:-0}" = 1 ]; then
	KFX=/usr/sbin/kfx
	# The installed module, uncompressed for objcopy (dkms may xz it).
	KO=$(modinfo -n kfx 2>/dev/null)
	case $KO in
	*.xz) xz -dc "$KO" >"$T/kfx.ko" && KO=$T/kfx.ko ;;
	*.zst) zstd -qdc "$KO" >"$T/kfx.ko" && KO=$T/kfx.ko ;;
	*.gz) gzip -dc "$KO" >"$T/kfx.ko" && KO=$T/kfx.ko ;;
	esac
	LOAD="modprobe kfx" LOAD_NAME=modprobe
	UNLOAD="modprobe -r kfx" UNLOAD_NAME=modprobe-r
else
	KFX=$KFX_DIR/build/kfx
	KO=${KFX_KO:-$KFX_DIR/src/kfx.ko}
	LOAD="insmod $KO" LOAD_NAME=insmod
	UNLOAD="rmmod kfx" UNLOAD_NAME=rmmod
fi

# run NAME CMD...: run, show its output, pass if it exits 0
run() {
	name=$1
	shift
	echo "--- $name: $*"
	"$@" >"$T/out" 2>&1
	rc=$?
	cat "$T/out"
	if [ $rc -eq 0 ]; then check "$name" pass; else check "$name" fail "exit $rc"; fi
	return $rc
}

echo "kfx guest checks on $(uname -r)"

# Before the module is in: status must say what is wrong, and fail.
echo "--- status-nomod: $KFX status"
$KFX status >"$T/out" 2>&1
rc=$?
cat "$T/out"
if [ $rc -ne 0 ] && grep -q "module not loaded\|not installed" "$T/out"; then
	check status-nomod pass
else
	check status-nomod fail "exit $rc without a module-not-loaded problem"
fi

# refused NAME FILE REGEX [INSMOD-REGEX]: insmod of the broken copy FILE
# must fail, printing INSMOD-REGEX if given, and the kernel log must say why
# (REGEX, grep basic syntax). Never ENOKEY's "Required key not available":
# that reads as a Secure Boot refusal (kfx refuses with -ENODATA).
refused() {
	if insmod "$2" 2>"$T/err"; then
		check "$1" fail "the broken module loaded"
		rmmod kfx
	elif grep -q "Required key not available" "$T/err" ||
	     { [ -n "${4:-}" ] && ! grep -q "$4" "$T/err"; }; then
		check "$1" fail "insmod said: $(cat "$T/err")"
	elif dmesg | grep -q "$3"; then
		check "$1" pass "$(sed 's/.*: //' "$T/err" | head -n 1)"
	else
		check "$1" fail "refused without the expected message: $(cat "$T/err")"
	fi
}

# A module without BTF must refuse to load, saying why (the silent failure
# users hit most). objcopy strips the .BTF section from a copy.
if [ ! -f "$KO" ]; then
	check nobtf-refused fail "no module file (modinfo -n kfx: '$KO')"
elif command -v objcopy >/dev/null; then
	objcopy --remove-section=.BTF "$KO" "$T/kfx-nobtf.ko"
	refused nobtf-refused "$T/kfx-nobtf.ko" "kfx: module has no BTF" \
		"No data available"
else
	check nobtf-refused skip "no objcopy in this root"
fi

# BTF the kernel rejects (as it rejects BTF made against another kernel's
# vmlinux) must be refused as well: Debian's CONFIG_MODULE_ALLOW_BTF_MISMATCH
# loads such a module without BTF, and only kfx's own check stops it. A BTF
# header with an unknown version byte gets the same treatment.
off=$(LC_ALL=C readelf -SW "$KO" 2>/dev/null |
	sed -n 's/.*\] \.BTF  *[A-Z_]*  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
if [ -n "$off" ]; then
	cp "$KO" "$T/kfx-badbtf.ko"
	printf '\177' | dd of="$T/kfx-badbtf.ko" bs=1 seek=$((0x$off + 2)) \
		conv=notrunc 2>/dev/null
	refused badbtf-refused "$T/kfx-badbtf.ko" \
		"kfx: the kernel rejected the module's BTF\|failed to validate module \[kfx\] BTF"
else
	check badbtf-refused fail "no .BTF section found in $KO"
fi

run $LOAD_NAME $LOAD
if [ -e /sys/kernel/btf/kfx ]; then
	check module-btf pass
else
	check module-btf fail "no /sys/kernel/btf/kfx"
fi
run status "$KFX" status
run selftest "$KFX" selftest

# attached PID ERRFILE: wait (30 s at most) until the watch started in the
# background as PID says on stderr that it is attached, or has exited; sets
# pid for the caller's wait.
attached() {
	pid=$1
	i=0
	while ! grep -q watching "$2" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
}

# watch_case NAME OPTION PATTERN MATCHING_FILE OTHER_FILE
# Removes a file that must not match, then one that must; the event for the
# second must appear and the first must not (the filter runs in the kernel).
watch_case() {
	name=$1 opt=$2 pat=$3 hit=$4 miss=$5
	echo "--- $name: kfx watch $opt '$pat' --json --count 1 --duration 30"
	mkdir -p "$(dirname "$hit")" "$(dirname "$miss")"
	: >"$hit"
	: >"$miss"
	"$KFX" watch "$opt" "$pat" --json --count 1 --duration 30 \
		>"$T/$name.out" 2>"$T/$name.err" &
	attached $! "$T/$name.err"
	rm -f "$miss"
	rm -f "$hit"
	wait $pid
	rc=$?
	cat "$T/$name.err" "$T/$name.out"
	if [ $rc -ne 0 ]; then
		check "$name" fail "watch exited $rc"
	elif ! grep -q "\"path\":\"$hit\"" "$T/$name.out"; then
		check "$name" fail "no event for $hit"
	elif grep -q "\"path\":\"$miss\"" "$T/$name.out"; then
		check "$name" fail "event for non-matching $miss"
	else
		check "$name" pass
	fi
}

watch_case watch --match kfx-needle "$T/a/kfx-needle.txt" "$T/b/other.txt"
watch_case watch-imatch --imatch KFX-NEEDLE "$T/c/Kfx-Needle.log" \
	"$T/d/kfx-nee.dle"
watch_case watch-glob --glob "$T/*/*.swp" "$T/e/f/x.swp" "$T/e/x.swx"

# Plain text output and the counters on exit.
echo "--- watch-text: kfx watch --match kfx-text --count 1"
: >"$T/kfx-text"
"$KFX" watch --match kfx-text --count 1 --duration 30 >"$T/wt.out" 2>"$T/wt.err" &
attached $! "$T/wt.err"
rm -f "$T/kfx-text"
wait $pid
rc=$?
cat "$T/wt.err" "$T/wt.out"
if [ $rc -eq 0 ] && grep -q "$T/kfx-text" "$T/wt.out" &&
   grep -q "matched 1" "$T/wt.err"; then
	check watch-text pass
else
	check watch-text fail "exit $rc or missing event/counters"
fi

# SIGINT and --duration end a watch cleanly: exit 0, counters printed.
"$KFX" watch --glob '*.never-matches' >"$T/si.out" 2>"$T/si.err" &
attached $! "$T/si.err"
kill -INT $pid
wait $pid
rc=$?
cat "$T/si.err"
if [ $rc -eq 0 ] && grep -q "seen [0-9]*, matched 0, lost 0" "$T/si.err"; then
	check watch-sigint pass
else
	check watch-sigint fail "exit $rc or no counters after SIGINT"
fi
"$KFX" watch --match x --duration 2 >/dev/null 2>"$T/du.err"
rc=$?
if [ $rc -eq 0 ] && grep -q "seen" "$T/du.err"; then
	check watch-duration pass
else
	check watch-duration fail "exit $rc: $(tail -n 1 "$T/du.err")"
fi

# Bad input is refused before anything is loaded.
"$KFX" watch --object /nonexistent.bpf.o --match x >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then check bad-object pass; else check bad-object fail "exit $rc, want 2"; fi

# BPF programs hold a reference on the module whose kfuncs they call, and
# the kernel frees a closed program asynchronously (RCU, a workqueue): right
# after the last watch exits, unloading may still find the module in use.
# Give it a few seconds before calling that a failure.
unload() {
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || { "$@"; return; }
		sleep 0.2
	done
	[ $i -eq 0 ] || echo "(unloaded after $i retries)"
}
run $UNLOAD_NAME unload $UNLOAD

# Signature enforcement (Secure Boot, module.sig_enforce=1): the kernel
# refuses a module signed by no key it trusts, which is what a DKMS build is
# until its MOK key is enrolled.  sig_enforce can be switched on at run time
# (never off again), so this comes last.
SIGP=/sys/module/module/parameters/sig_enforce
if [ ! -e $SIGP ]; then
	check sig-enforce skip "WARNING! no $SIGP (kernel without CONFIG_MODULE_SIG): signature check skipped"
elif ! echo 1 >$SIGP 2>"$T/sig.err" || [ "$(cat $SIGP)" != Y ]; then
	check sig-enforce fail "cannot enable $SIGP: $(cat "$T/sig.err")"
elif $LOAD 2>"$T/sig.err"; then
	check sig-enforce fail "module loaded although signatures are enforced"
	$UNLOAD
else
	cat "$T/sig.err"
	"$KFX" status >"$T/sig.out" 2>&1
	rc=$?
	grep -i 'sign' "$T/sig.out"
	if [ $rc -eq 1 ] && grep -q 'loads only signed modules (module.sig_enforce)' "$T/sig.out" &&
	   grep -q 'mokutil --import' "$T/sig.out"; then
		check sig-enforce pass "$(cat "$T/sig.err")"
	else
		check sig-enforce fail "kfx status exit $rc without the signature problem"
	fi
fi

dmesg_block
rm -rf "$T"
echo "KFX-GUEST-END fails=$fails"
[ $fails -eq 0 ]
