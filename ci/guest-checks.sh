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

# kfunc-worst: the string kfuncs on their worst inputs at maximal sizes
# (64 KiB map buffers), called from a tracing program (tp_btf/sys_enter):
# each answer must equal the string core's in user space (-ERANGE where the
# glob budget runs out) and each call must return within KFX_WORST_MAX_US
# by bpf_ktime_get_ns.  Under TCG on the shared 2-core box the worst calls
# took 2-12 ms (0.2-0.6 ms natively), the code before the budget 100 ms to
# hours, hence 50 ms.  The dmesg scan then shows that no soft lockup or RCU
# stall came of it.  bpf_kfx_dentry_path gets hostile blocks there too
# (fake dentries and mounts that are each other's parents, pointers no read
# can follow, malformed blocks): each must stop within its budget with the
# status expected.  Source-tree runs only (the test object and loader are
# not shipped).
if [ "${KFX_INSTALLED:-0}" != 1 ]; then
	run kfunc-worst "$KFX_DIR/build/kfx-worst" --max-us "${KFX_WORST_MAX_US:-50000}" \
		"$KFX_DIR/build/kfx_worst.bpf.o"
fi

# doc-examples: every C example marked in README.md and tools/kfx.8
# (extracted and compiled into build/examples by `make vmtest`, see mk/doc.mk) must
# load, attach and do what its marker says on this kernel: README's unlink
# example must count exactly the one removal whose name contains "secret".
# doc-rodata-refused: the same program with the needle as a string literal
# (.rodata) must be refused, as README says every supported kernel does.
# Source-tree runs only (the examples and their loader are not shipped).
if [ "${KFX_INSTALLED:-0}" != 1 ]; then
	doc_ex=$KFX_DIR/build/examples
	doc_n=0 doc_bad=
	for n in $(cat "$doc_ex/list" 2>/dev/null); do
		doc_n=$((doc_n + 1))
		echo "--- doc example $n: kfx-doc-example $(cat "$doc_ex/$n.args")"
		# shellcheck disable=SC2046
		if ! "$KFX_DIR/build/kfx-doc-example" $(cat "$doc_ex/$n.args") \
			"$doc_ex/$n.bpf.o" >"$T/out" 2>&1; then
			doc_bad="$doc_bad $n"
		fi
		cat "$T/out"
	done
	if [ $doc_n = 0 ]; then
		check doc-examples fail "no examples in $doc_ex/list"
	elif [ -n "$doc_bad" ]; then
		check doc-examples fail "failed:$doc_bad"
	else
		check doc-examples pass "$doc_n example(s)"
	fi
	echo "--- doc-rodata-refused"
	if "$KFX_DIR/build/kfx-doc-example" --refused "write into map forbidden" \
		"$KFX_DIR/build/kfx_doc_rodata.bpf.o" >"$T/out" 2>&1; then
		grep -B2 -A2 'write into map forbidden\|memory, len pair' "$T/out"
		check doc-rodata-refused pass "$(tail -n 1 "$T/out")"
	else
		cat "$T/out"
		check doc-rodata-refused fail "a .rodata needle was not refused as README says"
	fi
fi

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

# --- What watch reports: removals that happened, resolved, escaped -------
# A world-readable directory (mktemp's is 0700) so an unprivileged user can
# try, and fail, to unlink in it. R is its resolved path: the expected one.
D=$(mktemp -d /tmp/kfx-watch.XXXXXX)
chmod 755 "$D"
R=$(readlink -f "$D")

# wstart NAME ARGS...: a watch in the background, stdout/stderr in
# $T/NAME.out/.err; waits until it is attached (sets pid).
wstart() {
	_n=$1
	shift
	echo "--- $_n: kfx watch $*"
	"$KFX" watch "$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	attached $! "$T/$_n.err"
}
# wend NAME: wait for it, show its output; sets rc.
wend() {
	wait $pid
	rc=$?
	cat "$T/$1.err" "$T/$1.out"
}
# has NAME STRING: the watch's stdout has STRING (fixed string).
has() { grep -qF -- "$2" "$T/$1.out"; }

# Failures first, then five removals that succeed: with --count 5, a
# reported failure would push a success out and its check would fail.
: >"$D/kfx-w-eacces"
mkdir "$D/real"
ln -s real "$D/lnk"
: >"$D/kfx-w-rel"
: >"$D/kfx-w-at"
: >"$D/kfx-w-dots"
: >"$D/real/kfx-w-sym"
mkdir "$D/kfx-w-dir"
wstart res --match kfx-w- --json --count 5 --duration 60
rm "$D/kfx-w-nx" 2>/dev/null				# ENOENT
setpriv --reuid=65534 --regid=65534 --clear-groups \
	rm -f "$D/kfx-w-eacces" 2>/dev/null		# EACCES
[ -e "$D/kfx-w-eacces" ] || echo "(the unprivileged unlink succeeded?)"
(cd "$D" && rm kfx-w-rel)				# relative
find "$D" -maxdepth 1 -name kfx-w-at -delete		# unlinkat(dirfd)
rm "/$D/../${D##*/}/kfx-w-dots"				# //tmp/x/../x/...
rm "$D/lnk/kfx-w-sym"					# symlinked directory
rmdir "$D/kfx-w-dir"
wend res
if [ $rc -ne 0 ]; then
	check watch-fail-enoent fail "watch exited $rc"
elif has res kfx-w-nx; then
	check watch-fail-enoent fail "the failed unlink of a missing file was reported"
else
	check watch-fail-enoent pass
fi
if [ ! -e "$D/kfx-w-eacces" ]; then
	check watch-fail-eacces fail "the unprivileged unlink was not refused: nothing tested"
elif has res kfx-w-eacces; then
	check watch-fail-eacces fail "the unlink refused with EACCES was reported"
elif ! grep -q '"failed":[1-9]' "$T/res.err"; then
	check watch-fail-eacces fail "not counted as failed"
else
	check watch-fail-eacces pass
fi
# want CHECK PATH [OP]: an event with exactly this absolute path (and op)
want() {
	if grep -F "\"path\":\"$2\"," "$T/res.out" |
	   grep -qF "\"op\":\"${3:-unlink}\""; then
		check "$1" pass
	else
		check "$1" fail "no event with path $2"
	fi
}
want watch-relative "$R/kfx-w-rel"
want watch-unlinkat "$R/kfx-w-at"
want watch-dotdot "$R/kfx-w-dots"
want watch-symlink-dir "$R/real/kfx-w-sym"
want watch-rmdir "$R/kfx-w-dir" rmdir

# A path crafted to spend the glob's whole work budget (the kfunc returns
# -ERANGE) must not hide from the filter: the removal is reported, flagged.
a250=$(head -c 250 /dev/zero | tr '\0' a)
B=$D
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do B=$B/$a250; done
# The rule's literal part (a^200 b) must occur, or the set never verifies
# the glob: the name is that literal, so verifying costs ~3750 x 201 steps.
a200b=$(head -c 200 /dev/zero | tr '\0' a)b
mkdir -p "$B" && : >"$B/$a200b"
wstart budget --glob "*${a200b}*" --json --count 1 --duration 60
rm "$B/$a200b"
wend budget
# (the event holds the path's first 511 bytes: the name itself is past them)
if [ $rc -eq 0 ] && has budget '"filter_error":true' &&
   has budget '"rule_id":-1,"rule":null' &&
   has budget "\"path\":\"$R/$a250/a" && has budget "\"path_len\":$(( ${#R} + 15 * 251 + 202 )),"; then
	check watch-filter-budget pass
else
	check watch-filter-budget fail "exit $rc, or the removal was not reported with filter_error"
fi
rm -rf "$D/$a250"

# A name with a newline, a forged event line and an ESC sequence: escaped
# in text (one event line, no raw ESC), exact in JSON. Two watches, one
# removal.
hostile=$(printf 'kfx-h\n00:00:00.000000 1 forged\033[31mred\\')
: >"$D/$hostile"
wstart esc-text --match kfx-h --count 1 --duration 60
p1=$pid
wstart esc-json --match kfx-h --json --count 1 --duration 60
p2=$pid
rm "$D/$hostile"
pid=$p1; wend esc-text; rc1=$rc
pid=$p2; wend esc-json; rc2=$rc
esc=$(printf '\033')
if [ $rc1 -eq 0 ] && [ "$(wc -l <"$T/esc-text.out")" -eq 2 ] &&
   ! grep -q "$esc" "$T/esc-text.out" &&
   has esc-text "$R/kfx-h\n00:00:00.000000 1 forged\x1b[31mred\\\\"; then
	check watch-escape-text pass
else
	check watch-escape-text fail "exit $rc1, or not one escaped line"
fi
if [ $rc2 -eq 0 ] &&
   has esc-json "\"path\":\"$R/kfx-h\n00:00:00.000000 1 forged\u001b[31mred\\\\\"," &&
   ! grep -q "$esc" "$T/esc-json.out"; then
	check watch-escape-json pass
else
	check watch-escape-json fail "exit $rc2, or the path not JSON-escaped"
fi

# UTF-8 passes through JSON unchanged; an invalid byte is U+FFFD plus the
# raw bytes in path_hex.
utf=$(printf 'kfx-u-\303\251\346\227\245\346\234\254')
bad=$(printf 'kfx-v-\377x')
: >"$D/$utf"
: >"$D/$bad"
wstart utf --match kfx- --json --count 2 --duration 60
rm "$D/$utf"
rm "$D/$bad"
wend utf
badhex=$(printf '%s' "$R/kfx-v-" | od -An -tx1 | tr -d ' \n')ff78
if [ $rc -eq 0 ] && has utf "\"path\":\"$R/$utf\"," &&
   ! grep -F "$utf" "$T/utf.out" | grep -q path_hex; then
	check watch-utf8-json pass
else
	check watch-utf8-json fail "exit $rc, or the UTF-8 name changed"
fi
if [ $rc -eq 0 ] && has utf "\"path\":\"$R/kfx-v-\ufffdx\",\"path_hex\":\"$badhex\""; then
	check watch-invalid-utf8-json pass
else
	check watch-invalid-utf8-json fail "no U+FFFD + path_hex $badhex"
fi

# --count 1 under a burst: the watch is stopped while 100 matching unlinks
# queue up, then prints exactly one.
i=0
while [ $i -lt 100 ]; do : >"$D/kfx-b-$i"; i=$((i + 1)); done
wstart burst --match kfx-b- --json --count 1 --duration 60
kill -STOP $pid
rm -f "$D"/kfx-b-*
kill -CONT $pid
wend burst
n=$(grep -c '"path"' "$T/burst.out")
if [ $rc -eq 0 ] && [ "$n" -eq 1 ]; then
	check watch-count-burst pass
else
	check watch-count-burst fail "exit $rc, $n events printed for --count 1"
fi

# Every name length around the in-dentry name sizes (32 up to 6.13, 40
# from 6.14) and the 8-byte words the fentry walk copies them in, as file
# and as directory, half of them across a mount (a tmpfs on a subdirectory):
# each reported path is exactly the file's.
lens="1 7 8 9 15 16 17 23 24 25 31 32 33 39 40 41 64"
mkdir "$D/mnt"
mount -t tmpfs kfx-len "$D/mnt" || echo "(no tmpfs: no mount crossing)"
n=0
for l in $lens; do
	pad=$(printf "%0${l}d" 0 | tr 0 x)		# l bytes
	dir=$([ $((n % 2)) = 0 ] && echo "$D/mnt" || echo "$D")/$pad
	# "kfx-l-NN" then x up to l bytes (8 at least)
	f=$(printf 'kfx-l-%02d%s' "$l" "$pad" | cut -c1-$((l > 8 ? l : 8)))
	mkdir -p "$dir" && : >"$dir/$f" && echo "$dir/$f" >>"$T/lens.want"
	n=$((n + 1))
done
wstart lens --match kfx-l- --json --count "$n" --duration 60
while read -r p; do rm "$p"; done <"$T/lens.want"
wend lens
bad=
while read -r p; do
	has lens "\"path\":\"$(readlink -f "$(dirname "$p")")/${p##*/}\"," || bad="$bad ${p#"$D"/}"
done <"$T/lens.want"
umount "$D/mnt" 2>/dev/null
if [ $rc -eq 0 ] && [ -z "$bad" ]; then
	check watch-name-lengths pass
else
	check watch-name-lengths fail "exit $rc, or wrong path for:$bad"
fi

# No stale bytes after the path: a long name, then a short one.
long=kfx-t-$(printf '%0200d' 0)
: >"$D/$long"
: >"$D/kfx-t-s"
export KFX_DEBUG_EVENT_TAIL=1
wstart tail --match kfx-t- --json --count 2 --duration 60
unset KFX_DEBUG_EVENT_TAIL
rm "$D/$long"
rm "$D/kfx-t-s"
wend tail
if [ $rc -eq 0 ] && has tail "\"path\":\"$R/kfx-t-s\",\"tail_zero\":true" &&
   ! has tail '"tail_zero":false'; then
	check watch-tail-zero pass
else
	check watch-tail-zero fail "exit $rc, or bytes after the NUL"
fi

# A path of exactly 4095 bytes is whole (path_truncated false); a longer
# one (reachable with relative names) is flagged path_truncated.
deep=$(
	cd "$D" || exit 1
	left=$((4095 - ${#R}))
	comp=$(printf '%0200d' 0)
	while [ $left -gt 460 ]; do
		mkdir "$comp" && cd "$comp" || exit 1
		left=$((left - 201))
	done
	name=kfx-m-$(printf "%0$((left - 1 - 6 - 201))d" 0)
	mkdir "$comp" && cd "$comp" || exit 1
	: >"$name"
	mkdir "$comp" && : >"$comp/kfx-m-long-$(printf '%0240d' 0)"
	echo "$name"
)
wstart pmax --match kfx-m- --json --count 2 --duration 60
(
	comp=$(printf '%0200d' 0)
	cd "$D" || exit 1
	while [ ! -e "$deep" ]; do cd "$comp" || exit 1; done
	rm "$deep" && rm "$comp"/kfx-m-long-*
)
wend pmax
# the event holds the first 511 bytes: tell the two apart by path_len
if [ $rc -eq 0 ] &&
   grep -q '"path_len":4095,"truncated":true,"path_truncated":false,"unresolved":false' "$T/pmax.out" &&
   grep -q '"path_truncated":true,"unresolved":false' "$T/pmax.out"; then
	check watch-path-max pass
else
	check watch-path-max fail "exit $rc, or wrong path_len/path_truncated"
fi

# A truncated path that no rule matches on the part known (its last 4095
# bytes) is reported all the same, flagged: a prefix rule never sees the
# start of such a path, and a deep directory must not hide a removal.
q=kfx-q-$(printf '%0240d' 0)
(
	comp=$(printf '%0200d' 0)
	cd "$D" || exit 1
	while [ -d "$comp" ]; do cd "$comp" || exit 1; done	# the deepest
	: >"$q"
)
wstart ptr --prefix "$R/" --json --count 1 --duration 60
(
	comp=$(printf '%0200d' 0)
	cd "$D" || exit 1
	while [ -d "$comp" ]; do cd "$comp" || exit 1; done
	rm "$q"
)
wend ptr
# (the event holds the path's first 511 bytes: not the name)
if [ $rc -eq 0 ] && has ptr '"path_truncated":true' &&
   has ptr '"filter_error":false' && has ptr '"rule_id":-1,'; then
	check watch-truncated-unmatched pass
else
	check watch-truncated-unmatched fail "exit $rc, or the truncated removal was not reported"
fi
# A removal made in another mount namespace (unshare -m, a tmpfs only that
# namespace has) is relative to that namespace's root: flagged other_root,
# with the path the remover used; one in kfx watch's own namespace is not.
mkdir "$D/ons"
: >"$D/kfx-o-here"
wstart oroot --match kfx-o- --json --count 2 --duration 60
unshare -m sh -c 'mount -t tmpfs kfx-o "$1" && : >"$1/kfx-o-there" && rm "$1/kfx-o-there"' - "$D/ons"
rm "$D/kfx-o-here"
wend oroot
if [ $rc -eq 0 ] &&
   grep -F "\"path\":\"$D/ons/kfx-o-there\"" "$T/oroot.out" | grep -qF '"other_root":true' &&
   grep -F "\"path\":\"$D/kfx-o-here\"" "$T/oroot.out" | grep -qF '"other_root":false'; then
	check watch-other-root pass
else
	check watch-other-root fail "exit $rc, or other_root wrong"
fi
rmdir "$D/ons"

# --- Rule sets (issue 9): one bpf_kfx_match_set call on the absolute path --
# rid NAME ID RULE: an event with rule_id ID and "rule":"RULE" (JSON text)
rid() { has "$1" "\"rule_id\":$2,\"rule\":\"$3\"}"; }

# ~1000 rules of every kind; only rule 777 (a path glob with '**') and the
# later rule 1000 match the file: the event names rule 777. The time from
# start to attached (compile + load + attach) is reported by kfx itself.
mkdir -p "$D/r1/r2/r3"
: >"$D/r1/r2/r3/kfx-r-target"
: >"$D/r1/kfx-r-other"
awk -v R="$R" 'BEGIN {
	# near misses first (each kind but isubstr), then distinct fillers
	printf "exact %s/r1/r2/kfx-r-target\n", R
	printf "path %s/r1/*/kfx-r-target\n", R
	printf "glob %s/r1/r2/kfx-r-target?\n", R
	printf "prefix %s/r1/r2/r3/kfx-r-target/\n", R
	printf "suffix /r3/kfx-r-targe\n"
	printf "substr /r2/kfx-r-target\n"
	for (i = 6; i < 1000; i++) {
		if (i == 777) { printf "path %s/r1/**/kfx-r-t?rget\n", R; continue }
		k = i % 10
		if (k < 3) printf "substr /kfx-nomatch-%d/\n", i
		else if (k == 3) printf "isubstr KFX-NOPE-%d\n", i
		else if (k < 6) printf "prefix %s/r1/no%d/\n", R, i
		else if (k < 8) printf "suffix /kfx-r-target%d\n", i
		else if (k == 8) printf "glob */kfx-nog-%d/*.log\n", i
		else printf "path /srv/kfx-nop-%d/**/*.conf\n", i
	}
	print "# the same file, a later rule: not the one reported"
	print "substr kfx-r-target"
}' >"$T/r1000.rules"
"$KFX" rules check "$T/r1000.rules"
wstart r1000 --rules "$T/r1000.rules" --json --count 1 --duration 120
rm "$D/r1/kfx-r-other"
rm "$D/r1/r2/r3/kfx-r-target"
wend r1000
startup=$(sed -n 's/.*\(1001 rules ([0-9]*-byte set, compiled in [0-9.]* ms), loaded in [0-9.]* ms\).*/\1/p' "$T/r1000.err")
if [ $rc -eq 0 ] && rid r1000 777 "path $R/r1/**/kfx-r-t?rget" &&
   has r1000 "\"path\":\"$R/r1/r2/r3/kfx-r-target\"" && ! has r1000 kfx-r-other; then
	check watch-rules-1000 pass "$startup"
else
	check watch-rules-1000 fail "exit $rc, or not rule 777 for the file"
fi

# Several --prefix options, a relative unlink: matched on the absolute path,
# the lowest matching prefix reported (rule 1 and 2 both match the first
# file, only rule 2 the second).
mkdir -p "$D/p1/p2"
: >"$D/p1/p2/kfx-p-rel"
: >"$D/p1/kfx-p-abs"
wstart prefix --prefix /nonexistent/ --prefix "$R/p1/p2/" --prefix "$R/p1/" \
	--json --count 2 --duration 60
(cd "$D/p1/p2" && rm kfx-p-rel)
rm "$D/p1/kfx-p-abs"
wend prefix
if [ $rc -eq 0 ] && grep -F "\"path\":\"$R/p1/p2/kfx-p-rel\"" "$T/prefix.out" |
   grep -qF "\"rule_id\":1,\"rule\":\"prefix $R/p1/p2/\"" &&
   grep -F "\"path\":\"$R/p1/kfx-p-abs\"" "$T/prefix.out" |
   grep -qF "\"rule_id\":2,\"rule\":\"prefix $R/p1/\""; then
	check watch-rules-prefix-relative pass
else
	check watch-rules-prefix-relative fail "exit $rc, or wrong rule for the relative/absolute unlinks"
fi

# Path glob: '*' stays in one directory, '**' crosses them; case-insensitive
# substring; the file's rules come first (ids 0-2), then the options (3).
mkdir -p "$D/g1/g2/KFX-I-Dir"
: >"$D/g1/g2/kfx-pg-1"
: >"$D/g1/g2/KFX-I-Dir/x"
: >"$D/g1/kfx-opt"
printf '%s\n' "path $R/*/kfx-pg-1" "path $R/**/kfx-pg-1" \
	"isubstr /kfx-i-dir/" >"$T/pg.rules"
wstart pg --prefix "$R/g1/" --rules "$T/pg.rules" --json --count 3 --duration 60
rm "$D/g1/g2/kfx-pg-1"
rm "$D/g1/g2/KFX-I-Dir/x"
rm "$D/g1/kfx-opt"
wend pg
if [ $rc -eq 0 ] && rid pg 3 "prefix $R/g1/" && has pg "\"path\":\"$R/g1/kfx-opt\""; then
	check watch-rules-file-then-options pass
else
	check watch-rules-file-then-options fail "exit $rc, or the --prefix is not rule 3 (after the file's 3)"
fi
if [ $rc -eq 0 ] && rid pg 1 "path $R/**/kfx-pg-1" && ! has pg '"rule_id":0,'; then
	check watch-rules-path-glob pass
else
	check watch-rules-path-glob fail "exit $rc, or '*' crossed '/' (rule 0) / '**' did not"
fi
if [ $rc -eq 0 ] && rid pg 2 "isubstr /kfx-i-dir/"; then
	check watch-rules-imatch pass
else
	check watch-rules-imatch fail "exit $rc, or no isubstr match of /KFX-I-Dir/"
fi
# (the rule that matches holds an ESC: shown as \x1b, like a path byte)
esc=$(printf '\033')
: >"$D/kfx-tx-$esc"
wstart rtext --suffix "/kfx-tx-$esc" --glob '*.never' --count 1 --duration 60
rm "$D/kfx-tx-$esc"
wend rtext
if [ $rc -eq 0 ] && has rtext "$R/kfx-tx-\x1b  [rule 0: suffix /kfx-tx-\x1b]" &&
   ! grep -q "$esc" "$T/rtext.out" "$T/rtext.err" && grep -q ', 2 rules' "$T/rtext.err"; then
	check watch-rules-text pass
else
	check watch-rules-text fail "exit $rc, or no escaped [rule 0: suffix /kfx-tx-\\x1b] in text"
fi

# No filter: every removal, rule_id -1 and rule null.
: >"$D/kfx-nf"
wstart nofilter --json --count 1 --duration 60
rm "$D/kfx-nf"
wend nofilter
if [ $rc -eq 0 ] && has nofilter '"match_off":-1,"rule_id":-1,"rule":null}' &&
   grep -q 'no filter' "$T/nofilter.err"; then
	check watch-no-filter pass
else
	check watch-no-filter fail "exit $rc, or not rule_id -1 / rule null"
fi

# The largest set: ~4 MiB, just under KFX_SET_MAX_SIZE (the map value is
# sized to it; the verifier checks the call against that size).
awk 'BEGIN { srand(7); for (i = 0; i < 340; i++) { s = "";
	for (j = 0; j < 250; j++) s = s sprintf("%c", 97 + int(rand() * 26));
	print "substr " s } print "suffix /kfx-big-hit" }' >"$T/big.rules"
: >"$D/kfx-big-hit"
wstart big --rules "$T/big.rules" --json --count 1 --duration 120
rm "$D/kfx-big-hit"
wend big
bigset=$(sed -n 's/.*341 rules (\([0-9]*\)-byte set.*/\1/p' "$T/big.err")
if [ $rc -eq 0 ] && [ "${bigset:-0}" -gt 4000000 ] &&
   rid big 340 "suffix /kfx-big-hit"; then
	check watch-rules-max-set pass "$bigset-byte set"
else
	check watch-rules-max-set fail "exit $rc, set ${bigset:-?} bytes, or rule 340 not reported"
fi

# The kprobe/kretprobe fallback (--attach kprobe) tells the same truth
# where kprobe programs may call module kfuncs (6.10+); elsewhere it must
# refuse, saying why.
kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
set -- $kv
if [ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 10 ]; }; then
	: >"$D/kfx-k-eacces"
	: >"$D/kfx-k-rel"
	wstart kp --attach kprobe --match kfx-k- --json --count 1 --duration 60
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		rm -f "$D/kfx-k-eacces" 2>/dev/null
	(cd "$D" && rm kfx-k-rel)
	wend kp
	if [ $rc -eq 0 ] && has kp "\"path\":\"$R/kfx-k-rel\"," &&
	   ! has kp kfx-k-eacces && grep -q '"failed":1' "$T/kp.err" &&
	   grep -q 'kprobe on' "$T/kp.err"; then
		check watch-kprobe pass
	else
		check watch-kprobe fail "exit $rc, or wrong events as kprobe"
	fi
else
	"$KFX" watch --attach kprobe --match x --duration 1 >"$T/kp.out" 2>&1
	rc=$?
	cat "$T/kp.out"
	if [ $rc -eq 1 ] && grep -q 'only from Linux 6.10 on' "$T/kp.out"; then
		check watch-kprobe pass "refused before 6.10, saying why"
	else
		check watch-kprobe fail "exit $rc without the 6.10 reason"
	fi
fi
rm -rf "$D"

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
	check sig-enforce skip "kernel: no $SIGP (built without CONFIG_MODULE_SIG), so no signature enforcement to test"
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
