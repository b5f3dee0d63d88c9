// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Worst cases of the kfx string core at the largest accepted sizes: every
 * adversarial family known (see the table below and issue 8), each run at
 * n = KFX_STR_MAX_LEN and the longest needle or pattern accepted.
 *
 * For each case it asserts the answer (the oracle's, or -KFX_ERANGE where
 * the glob budget must run out, or either where it may), the work done in
 * steps (glob: at most KFX_GLOB_BUDGET plus one element's overshoot;
 * searches: at most KFX_SEARCH_STEPS(n, m), counted when built with
 * -DKFX_STRING_STEPS), and the CPU time of one call (best of 5, thread CPU
 * clock, so a busy machine does not make it fail): at most LIMIT_US.  A
 * call that has not returned after 2 s (WORST_TIMEOUT) fails.  Then it
 * fuzzes hostile pattern alphabets for more worst cases, with the same
 * assertions.
 *
 * Usage: worst [COUNTFILE [TABLE.md]]
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kfx_string.h"
#include "oracle.h"
#include "path_oracle.h"
#include "set_oracle.h"
#include "harness.h"

#define N	KFX_STR_MAX_LEN
#define M	KFX_GLOB_PAT_MAX
/* Pass mark for one call's CPU time: well above the measured worst. */
#define LIMIT_US	2000.0
/* What one bracket can add after the budget check (see kfx_string.c). */
#define GLOB_OVERSHOOT	(16u * (KFX_GLOB_PAT_MAX + 1) + 64u)

/* Expected glob outcome beyond the oracle's answer. */
enum { WANT_ORACLE, WANT_ERANGE, WANT_ORACLE_OR_ERANGE };

static unsigned long passed, failed;
static FILE *table;
static double worst_us[4], worst_set_us;
static char *worst_name[4];

static char str[N + 1], pat[N + 1];

static sigjmp_buf on_timeout;
static unsigned int timeout_s = 2;

/* A call that runs away is abandoned (its state is all on our side). */
static void on_alarm(int sig)
{
	(void)sig;
	siglongjmp(on_timeout, 1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void fill(char *b, size_t n, const char *unit)
{
	size_t k = strlen(unit), i;

	for (i = 0; i < n; i++)
		b[i] = unit[i % k];
}

/* fn 0: strstr, 1: strcasestr, 2: glob, 3: path glob. */
static int call(int fn, const char *s, u32 n, const char *x, u32 m,
		unsigned long long *steps)
{
	u32 gs = 0;
	int r;

#ifdef KFX_STRING_STEPS
	kfx_search_steps = 0;
#endif
	switch (fn) {
	case 0:
		r = kfx_strstr(s, n, x, m);
		break;
	case 1:
		r = kfx_strcasestr(s, n, x, m);
		break;
	case 3:
		r = kfx_path_match_steps(s, n, x, m, &gs);
		break;
	default:
		r = kfx_glob_match_steps(s, n, x, m, &gs);
	}
#ifdef KFX_STRING_STEPS
	*steps = fn >= 2 ? gs : kfx_search_steps;
#else
	*steps = fn >= 2 ? gs : 0;
#endif
	return r;
}

static int oracle(int fn, const char *s, size_t n, const char *x, size_t m)
{
	char *sz, *pz;
	const char *r;
	int v;

	if (fn == 0) {
		r = memmem(s, n, x, m);
		return r ? (int)(r - s) : -1;
	}
	if (fn == 1)
		return oracle_casemem(s, n, x, m);
	if (strnlen(x, m) > KFX_GLOB_PAT_MAX)
		return -KFX_E2BIG;
	if (fn == 3)
		return oracle_path(s, n, x, m);
	sz = strndup(s, n);
	pz = strndup(x, m);
	v = fnmatch(pz, sz, 0) == 0;
	free(sz);
	free(pz);
	return v;
}

static const char *fname[] = { "strstr", "strcasestr", "glob", "path" };

/*
 * Run one case.  want_kind says what answers are right; oracle_ok = 0
 * skips the (possibly exponential) fnmatch oracle where the answer is
 * known: then want is that answer.
 */
static void run(const char *name, int fn, u32 n, u32 m, int want_kind,
		int want_in)
{
	unsigned long long steps, bound;
	double best = 1e30, t;
	int r = 0, i, ok, want;
	char why[160] = "";

	if (sigsetjmp(on_timeout, 1)) {
		failed++;
		printf("FAIL %-44s no answer within %u s\n", name, timeout_s);
		if (table)
			fprintf(table, "| %s | %s | %u | %u | - | - | > %u s |\n",
				fname[fn], name, n, m, timeout_s);
		return;
	}
	alarm(timeout_s);
	for (i = 0; i < 5; i++) {
		t = now_us();
		r = call(fn, str, n, pat, m, &steps);
		t = now_us() - t;
		if (t < best)
			best = t;
	}
	alarm(0);
	/* Not before sigsetjmp: nothing it needs may change across it. */
	want = want_in == 1000 ? oracle(fn, str, n, pat, m) : want_in;
	if (want_in != 1000 && want != -2 && getenv("WORST_ORACLE") &&
		 want != oracle(fn, str, n, pat, m))
		printf("ORACLE DISAGREES %s: want %d, fnmatch %d\n", name,
		       want, oracle(fn, str, n, pat, m));
	/* Path: plus one component scan (up to n + 1) past the check. */
	bound = fn == 3 ? KFX_GLOB_BUDGET + GLOB_OVERSHOOT + n + 1 :
		fn == 2 ? KFX_GLOB_BUDGET + GLOB_OVERSHOOT :
			  KFX_SEARCH_STEPS(n, m);
	/* want -2: any answer (no oracle affordable), but bounded work. */
	ok = want == -2 ? (r == 0 || r == 1 || r == -KFX_ERANGE) :
	     want_kind == WANT_ERANGE ? r == -KFX_ERANGE :
	     want_kind == WANT_ORACLE ? r == want :
	     (r == want || r == -KFX_ERANGE);
	if (!ok)
		snprintf(why, sizeof(why), "result %d, want %d%s", r, want,
			 want_kind == WANT_ERANGE ? " (-ERANGE)" :
			 want_kind == WANT_ORACLE_OR_ERANGE ?
			 " or -ERANGE" : "");
	else if (steps > bound)
		snprintf(why, sizeof(why), "%llu steps > bound %llu", steps,
			 bound);
	else if (best > LIMIT_US)
		snprintf(why, sizeof(why), "%.0f us > %.0f us", best,
			 LIMIT_US);
	if (why[0]) {
		failed++;
		printf("FAIL %-44s %s\n", name, why);
	} else {
		passed++;
	}
	if (best > worst_us[fn]) {
		worst_us[fn] = best;
		free(worst_name[fn]);
		worst_name[fn] = strdup(name);
	}
	if (table)
		fprintf(table, "| %s | %s | %u | %u | %d | %llu | %.1f |\n",
			fname[fn], name, n, m, r, steps, best);
	if (!why[0] && !table)
		printf("ok   %-44s %-10s r=%-6d steps=%-9llu %8.1f us\n", name,
		       fname[fn], r, steps, best);
}

/* Glob pattern: prefix, then unit repeated to total length len, then tail. */
static u32 gpat(const char *prefix, const char *unit, const char *tail,
		u32 len)
{
	size_t a = strlen(prefix), c = strlen(tail);

	memcpy(pat, prefix, a);
	fill(pat + a, len - a - c, unit);
	memcpy(pat + len - c, tail, c);
	return len;
}

/*
 * Path glob: "**" retried at every component of a 32768-component path,
 * component globs with star traps, and the realistic shapes at full size.
 * The oracle (a recursion) is only asked where it is affordable.
 */
static void path_families(void)
{
	fill(str, N, "a/");
	run("**/a/**/a/.../b vs (a/)^n", 3, N, gpat("**/", "a/**/", "b", M),
	    WANT_ERANGE, 0);
	run("**/x vs (a/)^n", 3, N, gpat("**/", "", "x", 4),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("**/x vs (a/)^2048 (PATH_MAX)", 3, 4096, gpat("**/", "", "x", 4),
	    WANT_ORACLE, 1000);
	run("**/**/.../x vs (a/)^n", 3, N, gpat("", "**/", "x", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("a/a/.../b vs (a/)^n (no star)", 3, N, gpat("", "a/", "b", M),
	    WANT_ORACLE, 0);
	fill(str, N, "a");
	run("**/*a*a..*a/b vs a^n", 3, N, gpat("**/", "*a", "/b", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*a..ab* vs a^n (one component)", 3, N, gpat("*", "a", "b*", M),
	    WANT_ERANGE, 0);
	fill(str, N, "/abcdefghij");
	run("/**/*.[ch] vs 64 KiB path", 3, N, gpat("/**/", "", "*.[ch]", 10),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("/**/*.[ch] vs 4 KiB path (PATH_MAX)", 3, 4096,
	    gpat("/**/", "", "*.[ch]", 10), WANT_ORACLE, 0);
	run("**/*/*/*/x vs 64 KiB path", 3, N, gpat("**/", "*/", "x", 12),
	    WANT_ORACLE_OR_ERANGE, 0);
	fill(str, N, "[/");
	run("**/*[^k x vs ([/)^n", 3, N, gpat("**/*", "[", "x", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	fill(str, N, "a");
	run("pattern of 257 bytes", 3, N, gpat("**/", "a", "", M + 1),
	    WANT_ORACLE, -KFX_E2BIG);
}

static void glob_families(void)
{
	/* Issue 8's measurements, at the largest accepted sizes. */
	fill(str, N, "[");
	run("*[^k x vs [^n (unclosed brackets)", 2, N,
	    gpat("*", "[", "x", M), WANT_ORACLE_OR_ERANGE, 0);
	run("[^m vs [^n (no star)", 2, N, gpat("", "[", "", M),
	    WANT_ORACLE, 1000);
	run("*[^m vs [^n", 2, N, gpat("*", "[", "", M),
	    WANT_ORACLE_OR_ERANGE, 1);
	fill(str, N, "a");
	/* A fixed-length tail after the last star is tried once, at the end. */
	run("*a..ab vs a^n (greedy star, anchored tail)", 2, N,
	    gpat("*", "a", "b", M), WANT_ORACLE, 0);
	/* The same segment, but a star follows: every offset is tried. */
	run("*a..ab* vs a^n (greedy star)", 2, N, gpat("*", "a", "b*", M),
	    WANT_ERANGE, 0);
	run("*a..a[b] vs a^n (greedy star, bracket tail)", 2, N,
	    gpat("*", "a", "[b]", M), WANT_ERANGE, 0);
	run("*[b..b] vs a^n (long bracket)", 2, N, gpat("*[", "b", "]", M),
	    WANT_ERANGE, 0);
	run("*[!a..a] vs a^n (long negated bracket)", 2, N,
	    gpat("*[!", "a", "]", M), WANT_ERANGE, 0);
	/* Nested classes, collating and equivalence forms. */
	run("*[[:alpha:] repeated vs a^n", 2, N,
	    gpat("*", "[[:alpha:]", "", M - M % 10 + 1),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[:alpha:]]... b vs a^n", 2, N,
	    gpat("*", "[[:alpha:]]", "b", M), WANT_ERANGE, 0);
	run("*[[:alpha:][:digit:]...] vs a^n", 2, N,
	    gpat("*[", "[:digit:]", "]", 2 + 9 * 28), WANT_ERANGE, 0);
	fill(str, N, "[");
	run("*[[.[.] repeated vs [^n", 2, N, gpat("*", "[[.[.]", "", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[=[=] repeated vs [^n", 2, N, gpat("*", "[[=[=]", "", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[. unterminated vs [^n", 2, N, gpat("*", "[[.", "", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[= unterminated vs [^n", 2, N, gpat("*", "[[=", "", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[: unterminated vs [^n", 2, N, gpat("*", "[[:", "", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	run("*[[:aaaa... long class name vs [^n", 2, N,
	    gpat("*[[:", "a", ":]x", M), WANT_ORACLE_OR_ERANGE, 0);
	/* Backslashes. */
	fill(str, N, "\\");
	run("*[\\] repeated vs \\^n", 2, N, gpat("*", "[\\\\]", "x", M),
	    WANT_ERANGE, 0);
	run("*[\\ unclosed repeated vs \\^n", 2, N, gpat("*", "[\\", "x", M),
	    WANT_ORACLE_OR_ERANGE, 0);
	fill(str, N, "a");
	run("*\\a..\\ab vs a^n", 2, N, gpat("*", "\\a", "b", M),
	    WANT_ORACLE, 0);
	run("*\\a..\\ab* vs a^n", 2, N, gpat("*", "\\a", "b*", M),
	    WANT_ERANGE, 0);
	/* Many stars: linear for the greedy matcher. */
	run("*a*a...*a vs a^n (many stars, match)", 2, N,
	    gpat("", "*a", "", M), WANT_ORACLE, 1);
	run("*a*a...*b vs a^n (many stars, no match)", 2, N,
	    gpat("", "*a", "*b", M), WANT_ORACLE, 0);
	run("?^m* vs a^n", 2, N, gpat("", "?", "*", M), WANT_ORACLE, 1);
	run("*? ... ?b vs a^n", 2, N, gpat("*", "?", "b", M), WANT_ORACLE, 0);
	run("*? ... ?b* vs a^n", 2, N, gpat("*", "?", "b*", M), WANT_ERANGE,
	    0);
	/* Ranges in a long star segment. */
	run("*[a-z]..[a-z]0 vs a^n", 2, N, gpat("*", "[a-z]", "0", M),
	    WANT_ERANGE, 0);
	/* Everyday patterns on a maximal string stay within budget. */
	fill(str, N, "abcdefghij/");
	run("*.log vs path-like 64 KiB", 2, N, gpat("*", "", ".log", 5),
	    WANT_ORACLE, 0);
	run("/tmp/*/*.[ch] vs path-like 64 KiB", 2, N,
	    gpat("*/", "", "*.[ch]", 8), WANT_ORACLE, 0);
	/* Sizes: the largest pattern accepted, one byte more refused. */
	run("pattern of KFX_GLOB_PAT_MAX + 1", 2, N, gpat("*", "a", "", M + 1),
	    WANT_ORACLE, -KFX_E2BIG);
}

static void search_families(void)
{
	u32 ms[] = { 2, 3, 100, 4096, N / 2, N - 1, N };
	char name[96];
	unsigned int i;
	int fn;

	for (fn = 0; fn < 2; fn++) {
		for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
			fill(str, N, "a");
			fill(pat, ms[i], "a");
			pat[ms[i] - 1] = 'b';
			snprintf(name, sizeof(name), "a^(m-1)b vs a^n, m=%u",
				 ms[i]);
			run(name, fn, N, ms[i], WANT_ORACLE, 1000);
			pat[0] = 'b';
			pat[ms[i] - 1] = 'a';
			snprintf(name, sizeof(name), "ba^(m-1) vs a^n, m=%u",
				 ms[i]);
			run(name, fn, N, ms[i], WANT_ORACLE, 1000);
			fill(str, N, fn ? "aB" : "ab");
			fill(pat, ms[i], "ab");
			pat[ms[i] - 1] = 'c';
			snprintf(name, sizeof(name),
				 "(ab)^k c vs (ab)^n, m=%u", ms[i]);
			run(name, fn, N, ms[i], WANT_ORACLE, 1000);
			fill(str, N, "aaab");
			fill(pat, ms[i], "aaab");
			pat[ms[i] - 1] = 'a';
			pat[ms[i] / 2] = 'c';
			snprintf(name, sizeof(name),
				 "(aaab)^k, c in middle, m=%u", ms[i]);
			run(name, fn, N, ms[i], WANT_ORACLE, 1000);
		}
		/* Needle found at the very end. */
		fill(str, N, "a");
		str[N - 1] = 'b';
		fill(pat, 300, "a");
		pat[299] = 'b';
		run("a^299b at the end of a^n", fn, N, 300, WANT_ORACLE, 1000);
		/* First/last bytes match everywhere, middle never. */
		fill(str, N, "a");
		fill(pat, 64, "x");
		pat[0] = pat[63] = 'a';
		run("ax^62a vs a^n", fn, N, 64, WANT_ORACLE, 1000);
		/* Bytes >= 0x80 (filter false alarms). */
		fill(str, N, "\xff\xfe");
		fill(pat, 16, "\xff\xfe");
		pat[15] = 0;
		run("(ff fe)^n vs (ff fe)^7 ff 00", fn, N, 16, WANT_ORACLE,
		    1000);
	}
}

/*
 * Random hostile patterns of maximal length over bracket syntax, against
 * maximal strings of the bytes they mention.  The oracle is not asked
 * (fnmatch is exponential on such input): the assertions are the work
 * bound and the time, which is what a hostile pattern attacks.
 */
static void random_hostile(unsigned int iters)
{
	static const char *units[] = {
		"[", "[[", "[:", "[.", "[=", "]", "\\", "*", "?", "!", "a",
		"-", ":]", ".]", "=]", "[:alpha:]", "[!", "[^", "a-z",
	};
	static const char *salpha[] = { "[", "a", "[a", "]", "\\", ":" };
	unsigned int it, len, k;
	char name[64];

	for (it = 0; it < iters; it++) {
		len = 0;
		pat[len++] = '*';
		while (len < M) {
			const char *u = units[rnd(sizeof(units) /
						  sizeof(units[0]))];

			k = strlen(u);
			if (len + k > M)
				break;
			memcpy(pat + len, u, k);
			len += k;
		}
		fill(str, N, salpha[rnd(sizeof(salpha) / sizeof(salpha[0]))]);
		snprintf(name, sizeof(name), "random hostile pattern #%u", it);
		run(name, 2, N, len, WANT_ORACLE_OR_ERANGE, -2);
	}
}

/*
 * Rule sets at the largest sizes: realistic sets of 1,000 and 10,000
 * rules, and the shapes that make kfx_match_set work hardest.  Asserts the
 * per-rule oracle's answer (or -ERANGE where the shared glob budget must
 * run out), KFX_SET_WORK(n), and the CPU time: at most the two glob
 * budgets' worth, 2 x LIMIT_US.
 */
enum { SET_REALISTIC, SET_VERIFY_TRAP, SET_NESTED, SET_LITERAL_TRAP,
       SET_VERIFY_SUM, SET_SHARED_DIR, SET_SHARED_PRE, SET_ANCHORED };

static struct or_rule set_rules[10000];
static char set_pats[10000][64];
/* Dense rows of the next set (kfx_ruleset_dense_max): 0 = all sparse. */
static unsigned int set_dense = KFX_SET_NONE;

static void *make_set(int shape, int nr, size_t *len, int *nrules)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	char err[200], *p;
	void *set;
	int i, k = 0;

	kfx_ruleset_dense_max(rs, set_dense);

	for (i = 0; i < nr; i++) {
		p = set_pats[i];
		memset(p, 0, sizeof(set_pats[i]));
		switch (shape) {
		case SET_REALISTIC:
			k = i % 10;
			if (k < 4)
				snprintf(p, 64, "/secret%d/", i);
			else if (k < 6)
				snprintf(p, 64, "/etc/app%d/", i);
			else if (k < 8)
				snprintf(p, 64, ".ext%d", i);
			else if (k == 8)
				snprintf(p, 64, "/var/*/log%d/*.log", i);
			else
				snprintf(p, 64, "/home/**/.cfg%d/*", i);
			k = k < 4 ? KFX_RULE_SUBSTR : k < 6 ? KFX_RULE_PREFIX :
			    k < 8 ? KFX_RULE_SUFFIX : k == 8 ? KFX_RULE_GLOB :
			    KFX_RULE_PATH;
			break;
		case SET_VERIFY_TRAP:	/* anchorless star traps */
			for (k = 0; k < 15; k++)
				memcpy(p + 4 * k, "*[a]", 4);
			memcpy(p + 60, "[b]*", 3);
			k = KFX_RULE_GLOB;
			break;
		case SET_VERIFY_SUM:	/* each just under one budget */
			snprintf(p, 64, "*[%c]", 'b' + i);
			k = KFX_RULE_GLOB;
			break;
		case SET_SHARED_DIR:	/* one directory, many names */
			snprintf(p, 64, i & 1 ? "/var/log/*.x%d" :
				 "/var/log/app/*/n%d*", i);
			k = i & 2 ? KFX_RULE_PATH : KFX_RULE_GLOB;
			break;
		case SET_ANCHORED:	/* prefix, exact, suffix only */
			snprintf(p, 64, i % 3 == 0 ? "/usr/lib/x86_64/%d/" :
				 i % 3 == 1 ? ".so.%d" : "/usr/lib/x86_64/%d", i);
			k = i % 3 == 0 ? KFX_RULE_PREFIX : i % 3 == 1 ?
			    KFX_RULE_SUFFIX : KFX_RULE_EXACT;
			break;
		case SET_SHARED_PRE:	/* one anchor and prefix a^40 */
			memset(p, 'a', 40);
			snprintf(p + 40, 24, "*[b]x%d", i);
			k = KFX_RULE_GLOB;
			break;
		case SET_NESTED:	/* anchors a, aa, ... 8 deep */
			p[0] = '*';
			memset(p + 1, 'a', i + 1);
			memcpy(p + i + 2, "*[b]", 4);
			k = KFX_RULE_GLOB;
			break;
		default:		/* near-miss literals */
			memset(p, 'a', 50);
			snprintf(p + 50, 14, "%c%d", 'b' + i % 20, i);
			k = KFX_RULE_SUBSTR;
		}
		set_rules[i].kind = k;
		set_rules[i].pat = p;
		set_rules[i].len = strlen(p);
		if (kfx_ruleset_add(rs, k, p, strlen(p), err, sizeof(err)) < 0) {
			printf("FAIL set rule %d: %s\n", i, err);
			exit(1);
		}
	}
	if (kfx_ruleset_compile(rs, &set, len, err, sizeof(err))) {
		printf("FAIL set compile: %s\n", err);
		exit(1);
	}
	kfx_ruleset_free(rs);
	*nrules = nr;
	return set;
}

static void set_case(const char *name, int shape, int nr, const char *unit,
		     u32 n, int want_kind)
{
	unsigned long long steps = 0;
	double best = 1e30, t, ms;
	struct timespec t0, t1;
	char why[160] = "";
	int r = 0, want, i, nrules;
	size_t len;
	void *set;
	u64 st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	set = make_set(shape, nr, &len, &nrules);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	fill(str, n, unit);
	for (i = 0; i < 5; i++) {
		t = now_us();
		r = kfx_match_set_steps(set, (u32)len, str, n, &st);
		t = now_us() - t;
		if (t < best)
			best = t;
	}
	steps = st;
	want = oracle_set(set_rules, nrules, str, n);
	if (want_kind == WANT_ERANGE ? r != -KFX_ERANGE :
	    want_kind == WANT_ORACLE ? r != want :
	    r != want && r != -KFX_ERANGE)
		snprintf(why, sizeof(why), "result %d, want %d", r, want);
	else if (steps > KFX_SET_WORK(n))
		snprintf(why, sizeof(why), "%llu steps > bound %llu", steps,
			 (unsigned long long)KFX_SET_WORK(n));
	else if (best > 2 * LIMIT_US)
		snprintf(why, sizeof(why), "%.0f us > %.0f us", best,
			 2 * LIMIT_US);
	if (why[0]) {
		failed++;
		printf("FAIL %-44s %s\n", name, why);
	} else {
		passed++;
	}
	if (table)
		fprintf(table, "| match_set | %s (%zu bytes, %.0f B/rule, compiled in %.1f ms) | %u | %d rules | %d | %llu | %.1f |\n",
			name, len, (double)len / nrules, ms, n, nrules, r,
			steps, best);
	else if (!why[0])
		printf("ok   %-44s r=%-6d steps=%-9llu %8.1f us (%zu bytes, compile %.1f ms)\n",
		       name, r, steps, best, len, ms);
	if (best > worst_set_us)
		worst_set_us = best;
	free(set);
}

static void set_families(void)
{
	set_case("1,000 realistic rules vs 64 KiB path", SET_REALISTIC, 1000,
		 "/usr/lib/x86_64/", N, WANT_ORACLE);
	set_case("1,000 realistic rules vs 4 KiB path", SET_REALISTIC, 1000,
		 "/home/user/doc/", 4096, WANT_ORACLE);
	set_case("10,000 realistic rules vs 4 KiB path", SET_REALISTIC, 10000,
		 "/home/user/doc/", 4096, WANT_ORACLE);
	set_case("10,000 realistic rules vs 256 B path", SET_REALISTIC, 10000,
		 "/home/user/.cfg9/x/", 256, WANT_ORACLE);
	set_case("8 anchorless glob traps vs a^n", SET_VERIFY_TRAP, 8, "a", N,
		 WANT_ERANGE);
	set_case("8 globs *[x], each near one budget, vs a^20000",
		 SET_VERIFY_SUM, 8, "a", 20000, WANT_ERANGE);
	set_case("glob anchors nested 8 deep vs a^n", SET_NESTED, 8, "a", N,
		 WANT_ORACLE_OR_ERANGE);
	/*
	 * Globs sharing their directory: each is found through a run of
	 * its own, the pre-checks sort out the rest: never -ERANGE.
	 */
	set_case("10,000 globs in one directory vs 4 KiB path", SET_SHARED_DIR,
		 10000, "/var/log/app/x/", 4096, WANT_ORACLE);
	set_case("10,000 globs in one directory vs 256 B path", SET_SHARED_DIR,
		 10000, "/var/log/app/n1/", 256, WANT_ORACLE);
	/*
	 * Globs sharing their only run and prefix (a^40), suffixes differ:
	 * every one is a candidate that costs a 41-byte pre-check.  2,000
	 * fit in the pre-check budget; 10,000 run it out (-ERANGE).
	 */
	set_case("2,000 globs a^40*[b]xN vs a^n", SET_SHARED_PRE, 2000, "a",
		 N, WANT_ORACLE);
	set_case("10,000 globs a^40*[b]xN vs a^n", SET_SHARED_PRE, 10000, "a",
		 N, WANT_ERANGE);
	/* Anchored rules only: a trie walk and the last bytes, no scan. */
	set_case("10,000 prefix/exact/suffix rules vs 64 KiB path",
		 SET_ANCHORED, 10000, "/usr/lib/x86_64/", N, WANT_ORACLE);
	set_case("1,000 near-miss literals a^50 x vs a^n", SET_LITERAL_TRAP,
		 1000, "a", N, WANT_ORACLE);
	/* The sparse fallback alone (no dense rows): goto + failures. */
	set_dense = 0;
	set_case("10,000 realistic rules, all sparse, vs 64 KiB path",
		 SET_REALISTIC, 10000, "/usr/lib/x86_64/", N, WANT_ORACLE);
	set_case("1,000 near-miss literals, all sparse, vs a^n",
		 SET_LITERAL_TRAP, 1000, "a", N, WANT_ORACLE);
	set_dense = KFX_SET_NONE;
}

int main(int argc, char **argv)
{
	int fn;

	setlocale(LC_ALL, "C");
	unsetenv("POSIXLY_CORRECT");
	signal(SIGALRM, on_alarm);
	if (getenv("WORST_TIMEOUT"))
		timeout_s = (unsigned int)atoi(getenv("WORST_TIMEOUT"));
	if (argc > 2) {
		table = fopen(argv[2], "w");
		if (!table) {
			perror(argv[2]);
			return 2;
		}
		fprintf(table, "| kfunc | family | n | m | result | steps | "
			       "best of 5 (us) |\n|---|---|---|---|---|---|---|\n");
	}
	glob_families();
	path_families();
	set_families();
	search_families();
	random_hostile(60);

	for (fn = 0; fn < 4; fn++)
		printf("worst %-10s %8.1f us  (%s)\n", fname[fn], worst_us[fn],
		       worst_name[fn]);
	printf("worst %-10s %8.1f us\n", "match_set", worst_set_us);
	if (table)
		fclose(table);
	return kfx_test_finish(argc > 1 ? argv[1] : NULL, passed, failed);
}
