# Sourced by the shell test suites: how a suite reports what it skipped.
#
# Every suite writes COUNTFILE ("passed failed skipped") and, beside it,
# NAME.skips with one "check<TAB>reason" line per skip; tests/summarize adds
# them up.  A skip is legitimate only when the kernel under test lacks a
# feature; such a reason starts with "kernel: ".  Any other skip fails
# `make test` on the reference platform (see tests/summarize).

# kfx_suite COUNTFILE: start counting (COUNTFILE may be empty: no files).
kfx_suite() {
	kfx_countfile=$1
	if [ -n "$kfx_countfile" ]; then
		kfx_skipfile=${kfx_countfile%.count}.skips
	else
		kfx_skipfile=$(mktemp)
	fi
	: >"$kfx_skipfile"
}

# kfx_skip CHECK REASON...: one skip, printed with its reason.  Safe in
# subshells (it only appends to the skips file).
kfx_skip() {
	_n=$1
	shift
	echo "SKIP $_n: $*"
	printf '%s\t%s\n' "$_n" "$*" >>"$kfx_skipfile"
}

# kfx_suite_end PASSED FAILED: print the suite's closing line, write the
# count file; returns non-zero if anything failed.
kfx_suite_end() {
	_s=$(grep -c . "$kfx_skipfile" 2>/dev/null || :)
	echo "$1 passed, $2 failed, ${_s:-0} skipped"
	if [ -n "$kfx_countfile" ]; then
		echo "$1 $2 ${_s:-0}" >"$kfx_countfile"
	else
		rm -f "$kfx_skipfile"
	fi
	[ "$2" -eq 0 ]
}
