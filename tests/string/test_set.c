// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Rule sets: the compiler (src/kfx_ruleset.c) and the matcher
 * (src/kfx_set.c) against an oracle that checks each rule on its own
 * (tests/string/set_oracle.h), on hand-picked and random sets and
 * strings; compiler limits and errors; malformed sets (truncated,
 * corrupted word by word and at random), each placed against a
 * PROT_NONE page so that a read past the buffer crashes the test; the
 * work bound KFX_SET_WORK on every call.
 *
 * Usage: test_set [COUNTFILE [RANDOM_SETS [SEED_DIR]]]
 *   SEED_DIR: write a few compiled sets there (fuzzer seeds).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kfx_ruleset.h"
#include "set_oracle.h"
#include "harness.h"

static unsigned long passed, failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static struct gbuf gset, gstr;

/* Match through the guard pages, checking the work bound. */
static int gmatch(const void *set, size_t sz, const char *s, size_t n)
{
	const void *gs = gbuf_put(&gset, set, sz);
	const char *gx = gbuf_put(&gstr, s, n);
	u64 steps;
	int r;

	r = kfx_match_set_steps(gs, (u32)sz, gx, (u32)n, &steps);
	if (steps > KFX_SET_WORK(n)) {
		failed++;
		printf("FAIL work %llu > bound %llu (n=%zu)\n",
		       (unsigned long long)steps,
		       (unsigned long long)KFX_SET_WORK(n), n);
	}
	return r;
}

struct built {
	void *set;
	size_t sz;
};

/*
 * Dense rows for the sets build() compiles (kfx_ruleset_dense_max): the
 * default (all dense when small), or few/none so that the sparse states,
 * the dense -> sparse hand-over and the failure path into a dense row are
 * all exercised too.
 */
static unsigned int build_dense = KFX_SET_NONE;
static int build_rows = KFX_RS_ROWS_AUTO;

static int build(const struct or_rule *r, size_t nr, struct built *b,
		 char *err, size_t errlen)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	size_t i;
	int ret = 0;

	kfx_ruleset_dense_max(rs, build_dense);
	kfx_ruleset_dense_rows(rs, build_rows);
	for (i = 0; i < nr && !ret; i++)
		if (kfx_ruleset_add(rs, r[i].kind, r[i].pat, r[i].len, err,
				    errlen) != (int)i)
			ret = -1;
	if (!ret)
		ret = kfx_ruleset_compile(rs, &b->set, &b->sz, err, errlen);
	kfx_ruleset_free(rs);
	return ret;
}

static void show(const char *what, const char *s, size_t n)
{
	size_t i;

	printf("  %s = \"", what);
	for (i = 0; i < n && i < 100; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
	printf("\"\n");
}

static unsigned long rand_vectors, rand_bad, rand_erange, rand_refused,
		     rand_hits;

/* One set against one string: 0 mismatches allowed. */
static void diff(const struct or_rule *r, size_t nr, const struct built *b,
		 const char *s, size_t n, int counted)
{
	int want = oracle_set(r, nr, s, n), got = gmatch(b->set, b->sz, s, n);
	size_t i;

	if (counted) {
		rand_vectors++;
		rand_hits += want >= 0;
	}
	if (got == -KFX_ERANGE &&
	    oracle_set_candidates(r, nr, s, n) > KFX_SET_VERIFY_MAX) {
		rand_erange += counted;
		if (!counted)
			passed++;
		return;
	}
	if (got == want) {
		if (!counted)
			passed++;
		return;
	}
	if (counted && ++rand_bad > 20)
		return;
	if (!counted)
		failed++;
	printf("FAIL set of %zu rules: got %d, want %d\n", nr, got, want);
	show("str", s, n);
	for (i = 0; i < nr && i < 40; i++) {
		printf("  rule %zu %s", i, kfx_rule_kind_name(r[i].kind));
		show("", r[i].pat, r[i].len);
	}
}

#define R(k, p) { KFX_RULE_##k, p, sizeof(p) - 1 }

static void hand_picked(void)
{
	static const struct or_rule rules[] = {
		R(EXACT, "/etc/shadow"),		/* 0 */
		R(PREFIX, "/etc/ssh/"),			/* 1 */
		R(SUFFIX, ".swp"),			/* 2 */
		R(PATH, "/home/*/.ssh/id_*"),		/* 3 */
		R(ISUBSTR, "passwd"),			/* 4 */
		R(SUBSTR, "/.git/"),			/* 5 */
		R(GLOB, "/tmp/*.sh"),			/* 6 */
		R(PATH, "/var/log/**"),			/* 7 */
		R(PREFIX, "/etc/"),			/* 8 */
		R(SUFFIX, "/etc/shadow"),		/* 9 */
		R(GLOB, "*"),				/* 10: no literal */
	};
	static const struct {
		const char *s;
		int want;
	} v[] = {
		{ "/etc/shadow", 0 }, { "/etc/shadow-", 8 },
		{ "/x/etc/shadow", 9 }, { "/etc/ssh/sshd_config", 1 },
		{ "/home/u/.ssh/id_rsa", 3 }, { "/home/u/x/.ssh/id_rsa", 10 },
		{ "/usr/share/PassWD.txt", 4 }, { "/src/.git/config", 5 },
		{ "/tmp/a.sh", 6 }, { "/tmp/a/b.sh", 6 }, { "/var/log/syslog", 7 },
		{ "/var/log", 10 }, { "/a.swp", 2 }, { "", 10 },
	};
	struct built b;
	char err[200];
	size_t i, n = sizeof(rules) / sizeof(rules[0]);

	if (build(rules, n, &b, err, sizeof(err))) {
		ok(0, "hand-picked set: %s", err);
		return;
	}
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int got = gmatch(b.set, b.sz, v[i].s, strlen(v[i].s));

		ok(got == v[i].want, "hand-picked \"%s\": got %d, want %d",
		   v[i].s, got, v[i].want);
		diff(rules, n, &b, v[i].s, strlen(v[i].s), 0);
	}
	/* Without the catch-all, a miss is -1; a NUL ends the string. */
	free(b.set);
	if (build(rules, n - 1, &b, err, sizeof(err))) {
		ok(0, "hand-picked set: %s", err);
		return;
	}
	ok(gmatch(b.set, b.sz, "/nothing", 8) == -1, "miss is -1");
	ok(gmatch(b.set, b.sz, "/a.swp\0/etc/shadow", 18) == 2,
	   "NUL ends the string");
	ok(gmatch(b.set, b.sz, "/etc/shadow\0x", 13) == 0,
	   "exact before the NUL");
	free(b.set);
}

/* Compiler limits: one-line errors, never a crash or a huge set. */
static void compiler_limits(void)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	char err[200], big[KFX_SET_PAT_MAX + 2];
	void *set;
	size_t sz;
	int i, r;

	memset(big, 'a', sizeof(big));
	ok(kfx_ruleset_add(rs, KFX_RULE_SUBSTR, "", 0, err, sizeof(err)) == -1 &&
	   strstr(err, "empty"), "empty pattern refused");
	ok(kfx_ruleset_add(rs, KFX_RULE_SUBSTR, big, KFX_SET_PAT_MAX + 1, err,
			   sizeof(err)) == -1 && strstr(err, "at most"),
	   "over-long pattern refused");
	ok(kfx_ruleset_add(rs, KFX_RULE_SUBSTR, big, KFX_SET_PAT_MAX, err,
			   sizeof(err)) == 0, "longest pattern accepted");
	ok(kfx_ruleset_add(rs, KFX_RULE_GLOB, "a[b", 3, err, sizeof(err)) == -1 &&
	   strstr(err, "unclosed"), "unclosed bracket refused: %s", err);
	ok(kfx_ruleset_add(rs, KFX_RULE_PATH, "a/b\\", 4, err, sizeof(err)) == -1 &&
	   strstr(err, "backslash"), "trailing backslash refused: %s", err);
	ok(kfx_ruleset_add(rs, KFX_RULE_PATH, "a[/]b", 5, err, sizeof(err)) == -1,
	   "path glob bracket across '/' refused");
	ok(kfx_ruleset_add(rs, 99, "a", 1, err, sizeof(err)) == -1,
	   "unknown kind refused");
	ok(kfx_ruleset_add(rs, KFX_RULE_EXACT, "a\0b", 3, err, sizeof(err)) == -1,
	   "NUL in pattern refused");
	for (i = 0; i < (int)KFX_SET_VERIFY_MAX; i++)
		kfx_ruleset_add(rs, KFX_RULE_GLOB, "*", 1, err, sizeof(err));
	ok(kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err)) == 0,
	   "%u anchorless globs compile", KFX_SET_VERIFY_MAX);
	free(set);
	kfx_ruleset_add(rs, KFX_RULE_PATH, "**", 2, err, sizeof(err));
	ok(kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err)) == -1 &&
	   strstr(err, "without a literal"), "one more refused: %s", err);
	kfx_ruleset_free(rs);

	/* Nested anchors "a", "aa", ...: refused past KFX_SET_GLOB_NEST. */
	rs = kfx_ruleset_new();
	for (i = 1; i <= (int)KFX_SET_GLOB_NEST + 1; i++) {
		char p[40];

		p[0] = '*';
		memset(p + 1, 'a', i);
		p[i + 1] = '*';
		kfx_ruleset_add(rs, KFX_RULE_GLOB, p, i + 2, err, sizeof(err));
	}
	r = kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err));
	ok(r == -1 && strstr(err, "nest"), "nested anchors refused: %s", err);
	kfx_ruleset_free(rs);

	/* The rule limit. */
	rs = kfx_ruleset_new();
	for (i = 0; i < (int)KFX_SET_MAX_RULES; i++) {
		char p[16];

		snprintf(p, sizeof(p), "r%d", i);
		if (kfx_ruleset_add(rs, KFX_RULE_SUBSTR, p, strlen(p), err,
				    sizeof(err)) != i)
			break;
	}
	ok(i == (int)KFX_SET_MAX_RULES, "%u rules accepted", KFX_SET_MAX_RULES);
	ok(kfx_ruleset_add(rs, KFX_RULE_SUBSTR, "x", 1, err, sizeof(err)) == -1 &&
	   strstr(err, "too many"), "one rule more refused");
	/* 65536 short rules need more than 4 MiB: a clear refusal. */
	r = kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err));
	ok((r == 0 && sz <= KFX_SET_MAX_SIZE) ||
	   (r == -1 && strstr(err, "bytes (at most")),
	   "%u rules: compiled or refused by size (%s)", KFX_SET_MAX_RULES,
	   r ? err : "compiled");
	if (!r)
		free(set);
	kfx_ruleset_free(rs);

	/* 10,000 rules: compile, size per rule, first and last found. */
	rs = kfx_ruleset_new();
	for (i = 0; i < 10000; i++) {
		char p[40];

		snprintf(p, sizeof(p), "/dir%d/file", i);
		kfx_ruleset_add(rs, i % 3 ? KFX_RULE_SUBSTR : KFX_RULE_PREFIX, p,
				strlen(p), err, sizeof(err));
	}
	r = kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err));
	ok(r == 0, "10000 rules compile: %s", r ? err : "");
	if (!r) {
		printf("10000 rules: %zu bytes, %.0f bytes per rule\n", sz,
		       sz / 10000.0);
		ok(gmatch(set, sz, "/dir9999/file", 13) == 9999, "rule 9999 found");
		ok(gmatch(set, sz, "/x/dir1/file", 12) == 1, "rule 1 found");
		ok(gmatch(set, sz, "/x/dir0/file", 12) == -1, "prefix rule 0 not");
		free(set);
	}
	kfx_ruleset_free(rs);
}

/*
 * Malformed sets: every result is an answer or an error, within bounds.
 * Counted in *bad (each family is one test, so totals stay readable).
 */
static unsigned long n_einval;

static void check_sane(const void *set, size_t sz, const char *s, size_t n,
		       u32 nrules, const char *what, unsigned long *bad)
{
	int r = gmatch(set, sz, s, n);

	n_einval += r == -KFX_EINVAL;
	if (r == -KFX_EINVAL || r == -KFX_ERANGE || r == -1 ||
	    (r >= 0 && (u32)r < nrules))
		return;
	if (++*bad <= 10)
		printf("FAIL %s: result %d\n", what, r);
}

/* With the 9th rule's many bytes: byte-wide dense rows. */
static const struct or_rule mal_mix[] = {
	R(SUBSTR, "abc"), R(ISUBSTR, "Bcd"), R(PREFIX, "/a"),
	R(SUFFIX, ".c"), R(EXACT, "abc"), R(GLOB, "*b*c"),
	R(PATH, "**/x*/y"), R(GLOB, "?"),
	R(SUBSTR, "0123456789efghijklmnopqrstuvwzABCDEFGHIJ"),
};
/* Prefix and exact rules only: the goto walk (KFX_SET_ROOT_GOTO). */
static const struct or_rule mal_goto[] = {
	R(PREFIX, "/abcd/xbc/"), R(PREFIX, "/abx"), R(EXACT, "/abcd/xbc/y.c"),
	R(PREFIX, "/abcd/"), R(EXACT, "/a"), R(PREFIX, "/b"),
	R(PREFIX, "/abcd/xbc/y.c/"), R(PREFIX, "/"),
	R(PREFIX, "/0123456789efghijklmnopqrstuvwzABCDEFGHIJ"),
};

static void malformed_set(const struct or_rule *rules, unsigned int dense,
			  u32 nr)
{
	const char *s = "/abcd/xbc/y.c";
	unsigned long bad_trunc = 0, bad_word = 0, bad_rand = 0, nword = 0;
	struct built b;
	char err[200], what[80];
	u32 *w, i, k, save;
	size_t sz;
	int base;

	build_dense = dense;
	build_rows = nr > 8 ? KFX_RS_ROWS_BYTE : KFX_RS_ROWS_AUTO;
	n_einval = 0;
	if (build(rules, nr, &b, err, sizeof(err))) {
		ok(0, "malformed base: %s", err);
		return;
	}
	build_dense = KFX_SET_NONE;
	build_rows = KFX_RS_ROWS_AUTO;
	if (dense == KFX_SET_NONE)
		printf("malformed sets (%u rules), all states dense:\n", nr);
	else
		printf("malformed sets (%u rules), at most %u dense states:\n",
		       nr, dense);
	w = b.set;
	base = gmatch(b.set, b.sz, s, strlen(s));
	ok(base == oracle_set(rules, nr, s, strlen(s)), "base set answers %d",
	   base);
	/* Every truncation: the header's size no longer fits. */
	for (sz = 0; sz < b.sz; sz++)
		if (gmatch(b.set, sz, s, strlen(s)) != -KFX_EINVAL &&
		    ++bad_trunc <= 10)
			printf("FAIL truncated to %zu bytes: not -EINVAL\n", sz);
	ok(!bad_trunc, "every truncation (%zu) -EINVAL", b.sz);
	/* Each word set to hostile values, one at a time. */
	for (i = 0; i < b.sz / 4; i++) {
		static const u32 vals[] = { 0, 1, 2, 0xffffff, 0x1000000,
					    0x7fffffff, 0xfffffffe, 0xffffffff };

		save = w[i];
		for (k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
			w[i] = vals[k];
			snprintf(what, sizeof(what), "word %u = %#x", i, vals[k]);
			check_sane(b.set, b.sz, s, strlen(s), nr, what, &bad_word);
			nword++;
		}
		w[i] = save;
	}
	ok(!bad_word, "%lu single-word corruptions: sane answers", nword);
	/* Random corruption, many words at once. */
	for (i = 0; i < 20000; i++) {
		u32 *c = malloc(b.sz), nflip = 1 + rnd(8);

		memcpy(c, w, b.sz);
		for (k = 0; k < nflip; k++)
			c[KFX_SET_HDR_WORDS + rnd(b.sz / 4 - KFX_SET_HDR_WORDS)] =
				rnd(2) ? rnd(64) : (u32)rng;
		snprintf(what, sizeof(what), "random corruption #%u", i);
		check_sane(c, b.sz, s, strlen(s), nr, what, &bad_rand);
		free(c);
	}
	ok(!bad_rand, "20000 random corruptions: sane answers");
	printf("corrupted sets: %lu single-word + 20000 random, %lu answered -EINVAL, the rest an id or -1\n",
	       nword, n_einval);
	free(b.set);
	/* Sizes: over the limits, -E2BIG before anything is read. */
	ok(kfx_match_set("", KFX_SET_MAX_SIZE + 1, "", 0) == -KFX_E2BIG,
	   "set_sz over the limit: -E2BIG");
	ok(kfx_match_set("", 0, "", KFX_STR_MAX_LEN + 1) == -KFX_E2BIG,
	   "str_sz over the limit: -E2BIG");
	ok(kfx_match_set("", 0, "", 0) == -KFX_EINVAL, "empty set: -EINVAL");
}

/* Random sets over a small alphabet, so that rules hit often. */
static size_t rand_pat(char *p, int kind)
{
	static const char *lit[] = { "a", "b", "/", "A", "ab", "/a", ".c" };
	static const char *glob[] = { "a", "b", "/", "*", "?", "**", "/**/",
				      "**/", "[ab]", "[!a]", "\\*", "ab" };
	size_t n = 0, l;
	unsigned int k = 1 + rnd(5), t;

	while (k--) {
		if (kind == KFX_RULE_GLOB || kind == KFX_RULE_PATH) {
			t = rnd(12);
			l = strlen(glob[t]);
			memcpy(p + n, glob[t], l);
		} else {
			t = rnd(7);
			l = strlen(lit[t]);
			memcpy(p + n, lit[t], l);
		}
		n += l;
	}
	return n;
}

static void random_sets(unsigned long nsets, const char *seed_dir)
{
	static const char *stok[] = { "a", "b", "/", "A", "ab", ".c", "B", "" };
	struct or_rule r[64];
	char pats[64][64], s[200], err[200];
	struct built b;
	unsigned long it;
	size_t nr, i, n, l, j;
	unsigned int t;

	for (it = 0; it < nsets; it++) {
		/* All dense, all sparse, the root only, a few dense states. */
		build_dense = (it >> 1) % 4 == 0 ? KFX_SET_NONE :
			      (it >> 1) % 4 == 1 ? 0 :
			      (it >> 1) % 4 == 2 ? 1 : 2 + rnd(6);
		nr = 1 + rnd(it & 1 ? 64 : 8);
		for (i = 0; i < nr; i++) {
			r[i].kind = 1 + (int)rnd(KFX_RULE_KIND_MAX);
			/*
			 * Every fifth set anchored only (prefix, exact,
			 * suffix; isubstr in the other automaton): the
			 * matcher's trie walk + suffix tail instead of a scan.
			 */
			if (it % 5 == 4) {
				static const int ak[] = {
					KFX_RULE_PREFIX, KFX_RULE_EXACT,
					KFX_RULE_SUFFIX, KFX_RULE_PREFIX,
					KFX_RULE_ISUBSTR };

				r[i].kind = ak[rnd(it % 10 == 9 ? 5 : 4)];
			}
			/*
			 * And every fifth (another one) prefix and exact
			 * only, a third of them with isubstr rules too: the
			 * goto walk (KFX_SET_ROOT_GOTO), alone or not.
			 */
			if (it % 5 == 2) {
				static const int gk[] = {
					KFX_RULE_PREFIX, KFX_RULE_EXACT,
					KFX_RULE_ISUBSTR };

				r[i].kind = gk[rnd(it % 3 == 2 ? 3 : 2)];
			}
			r[i].len = rand_pat(pats[i], r[i].kind);
			r[i].pat = pats[i];
		}
		/*
		 * Every third set gets a rule with many distinct bytes (more
		 * than KFX_RS_RAW_CLASSES classes); every third set has
		 * byte-wide dense rows, another third class rows.
		 */
		build_rows = (int)(it % 3);
		if (it % 3 == 0 && nr < 64) {
			static const char wide[] = "0123456789cdefghijklmnopqrstuvwxyzCDEF";

			r[nr].kind = rnd(2) ? KFX_RULE_SUBSTR : KFX_RULE_ISUBSTR;
			r[nr].pat = wide;
			r[nr].len = sizeof(wide) - 1;
			nr++;
		}
		if (build(r, nr, &b, err, sizeof(err))) {
			rand_refused++;
			continue;
		}
		if (seed_dir && it < 8) {
			char path[256];
			FILE *f;

			snprintf(path, sizeof(path), "%s/set%lu", seed_dir, it);
			f = fopen(path, "w");
			if (f) {
				/* fuzz_set: byte 0 picks the cut, set first */
				fputc(0, f);
				fwrite(b.set, 1, b.sz, f);
				fwrite("/ab/a.c", 1, 7, f);
				fclose(f);
			}
		}
		for (j = 0; j < 20; j++) {
			n = 0;
			t = 1 + rnd(12);
			while (t--) {
				const char *tok = stok[rnd(8)];

				l = strlen(tok);
				if (n + l >= sizeof(s))
					break;
				memcpy(s + n, tok, l);
				n += l;
			}
			/* Sometimes a rule's own pattern, so literals hit. */
			if (rnd(3) == 0) {
				i = rnd((unsigned int)nr);
				if (n + r[i].len < sizeof(s)) {
					memcpy(s + n, r[i].pat, r[i].len);
					n += r[i].len;
				}
			}
			/*
			 * Sometimes a NUL inside: the string ends there (the
			 * matcher finds it in its scan, dense or sparse).
			 */
			if (n && rnd(6) == 0)
				s[rnd((unsigned int)n)] = 0;
			diff(r, nr, &b, s, n, 1);
		}
		free(b.set);
	}
	build_dense = KFX_SET_NONE;
	build_rows = KFX_RS_ROWS_AUTO;
}

/*
 * Many globs sharing their literals (issue 9): directories and name parts
 * from small pools, so that dozens to hundreds of globs share a run and a
 * prefix.  Strings are mostly instances of the rules (wildcards filled
 * in), some mutated.  0 mismatches, and -ERANGE only where more than
 * KFX_SET_VERIFY_MAX globs pass the pre-checks (diff() checks both).
 */
static unsigned long shared_vectors, shared_erange, shared_hits, shared_bad;

static size_t shared_pat(char *p, int kind)
{
	static const char *dir[] = { "/var/log/", "/home/*/.ssh/", "/etc/",
				     "/usr/lib/", "/home/*/", "/tmp/*/",
				     "/var/log/**/", "**/" };
	static const char *pre[] = { "", "*", "*.", "id_", "?" };
	static const char *stem = "abcde.";
	static const char *suf[] = { "", "*", ".log", ".gz", "*.conf", "?" };
	size_t n = 0, l, k;
	const char *t;

	t = dir[rnd(kind == KFX_RULE_PATH ? 8 : 6)];
	l = strlen(t);
	memcpy(p, t, l);
	n = l;
	t = pre[rnd(5)];
	l = strlen(t);
	memcpy(p + n, t, l);
	n += l;
	for (k = 1 + rnd(4); k--;)
		p[n++] = stem[rnd(6)];
	t = suf[rnd(6)];
	l = strlen(t);
	memcpy(p + n, t, l);
	return n + l;
}

/* An instance of pattern p: wildcards filled in (no brackets here). */
static size_t shared_str(char *s, const char *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == '*' && i + 1 < len && p[i + 1] == '*') {
			if (rnd(2))
				n += (size_t)sprintf(s + n, "d/e");
			else if (n && s[n - 1] == '/' && i + 2 < len &&
				 p[i + 2] == '/')
				i++;	/* zero directories: eat the '/' */
			i++;
		} else if (p[i] == '*') {
			n += (size_t)sprintf(s + n, "%s",
					     rnd(3) == 0 ? "" : rnd(2) ? "q" :
					     "abc");
		} else if (p[i] == '?') {
			s[n++] = "qa."[rnd(3)];
		} else {
			s[n++] = p[i];
		}
	}
	return n;
}

static void shared_globs(unsigned long nsets)
{
	static struct or_rule r[400];
	static char pats[400][64];
	char s[512], err[200];
	unsigned long it;
	size_t nr, i, j, n;
	struct built b;
	int want, got;

	for (it = 0; it < nsets; it++) {
		build_dense = it % 3 == 2 ? 0 : KFX_SET_NONE;
		nr = 10 + rnd(it & 1 ? 390 : 60);
		for (i = 0; i < nr; i++) {
			/* Mostly globs; some literal rules in between. */
			j = rnd(10);
			r[i].kind = j < 5 ? KFX_RULE_GLOB : j < 9 ? KFX_RULE_PATH :
				    KFX_RULE_SUFFIX;
			r[i].len = shared_pat(pats[i], r[i].kind);
			if (r[i].kind == KFX_RULE_SUFFIX)
				r[i].len = strlen(memcpy(pats[i], ".log",
							 5));
			r[i].pat = pats[i];
		}
		if (build(r, nr, &b, err, sizeof(err))) {
			printf("FAIL shared globs: set %lu refused: %s\n", it,
			       err);
			failed++;
			continue;
		}
		for (j = 0; j < 40; j++) {
			i = rnd((unsigned int)nr);
			n = shared_str(s, r[i].pat, r[i].len);
			/* Sometimes mutated: a byte changed or cut short. */
			if (n && rnd(4) == 0)
				s[rnd((unsigned int)n)] = "x/.a"[rnd(4)];
			if (n && rnd(8) == 0)
				n = rnd((unsigned int)n);
			shared_vectors++;
			want = oracle_set(r, nr, s, n);
			got = gmatch(b.set, b.sz, s, n);
			shared_hits += want >= 0;
			if (got == -KFX_ERANGE &&
			    oracle_set_candidates(r, nr, s, n) >
			    KFX_SET_VERIFY_MAX) {
				shared_erange++;
				continue;
			}
			if (got != want && ++shared_bad <= 5) {
				printf("FAIL shared globs: got %d, want %d\n",
				       got, want);
				show("str", s, n);
				for (i = 0; i < nr && i < 40; i++) {
					printf("  rule %zu %s", i,
					       kfx_rule_kind_name(r[i].kind));
					show("", r[i].pat, r[i].len);
				}
			}
		}
		free(b.set);
	}
	build_dense = KFX_SET_NONE;
	printf("shared-literal globs: %lu sets of 10..400 rules, %lu vectors, %lu matched, %lu -ERANGE (more than %u pass the pre-checks), %lu mismatches\n",
	       nsets, shared_vectors, shared_hits, shared_erange,
	       KFX_SET_VERIFY_MAX, shared_bad);
	ok(!shared_bad, "shared globs: %lu mismatches", shared_bad);
	ok(shared_hits > shared_vectors / 2, "shared globs: too few matches");
}

/*
 * The case from issue 9: more than KFX_SET_VERIFY_MAX globs whose longest
 * run is one directory used to answer -ERANGE for every path under it.
 */
static void shared_dir(void)
{
	static struct or_rule r[3000];
	static char pats[3000][40];
	static const char *paths[] = {
		"/var/log/syslog.x7", "/var/log/a.x1999", "/var/log/b.x2000",
		"/var/log/nothing", "/home/ann/.ssh/id_k12", "/home/bob/.ssh/k5",
		"/home/ann/.ssh/authorized_keys", "/etc/passwd",
	};
	char err[200];
	struct built b;
	size_t i;
	int want, got, bad = 0;

	for (i = 0; i < 3000; i++) {
		if (i < 2000)
			snprintf(pats[i], 40, "/var/log/*.x%zu", i);
		else if (i < 2999)
			snprintf(pats[i], 40, "/home/*/.ssh/%sk%zu",
				 i & 1 ? "id_" : "", i - 2000);
		else
			snprintf(pats[i], 40, "/home/*/.ssh/authorized_keys");
		r[i].kind = i < 2000 ? KFX_RULE_GLOB : KFX_RULE_PATH;
		r[i].pat = pats[i];
		r[i].len = strlen(pats[i]);
	}
	if (build(r, 3000, &b, err, sizeof(err))) {
		ok(0, "shared directory set: %s", err);
		return;
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		want = oracle_set(r, 3000, paths[i], strlen(paths[i]));
		got = gmatch(b.set, b.sz, paths[i], strlen(paths[i]));
		if (got != want) {
			printf("FAIL 3,000 globs sharing directories: %s: got %d, want %d\n",
			       paths[i], got, want);
			bad++;
		}
	}
	ok(!bad, "3,000 globs sharing directories: no -ERANGE, oracle answers");
	free(b.set);
}

/*
 * Prefix and exact rules only: the compiler flags the set
 * (KFX_SET_ROOT_GOTO) and writes gotos only into the rows; the matcher
 * walks them from byte 0 and stops at the first byte without a goto, in
 * at most min(n, depth) + 1 steps, whatever the rows (all dense, none,
 * some; class or byte rows), alone or with an isubstr automaton and an
 * always-verified glob beside it.
 */
static void goto_sets(void)
{
	static const struct or_rule rules[] = {
		R(PREFIX, "/usr/lib/"), R(EXACT, "/etc/x"), R(PREFIX, "/home/"),
		R(EXACT, "/usr/lib"), R(PREFIX, "/usr/"), R(PREFIX, "/etc/x/y"),
		R(GLOB, "*?"), R(ISUBSTR, "LIB"),
	};
	static const char *const strs[] = {
		"/usr/lib/x", "/usr/lib", "/usr/li", "/etc/x", "/etc/x/", "/etc/x/y",
		"/etc/x/yz", "/home", "/home/", "", "/", "/usr/lib/\\0x", "/usr\\0/",
		"/USR/LIB/", "x/usr/lib/",
	};
	static char s[4096];
	struct built b;
	char err[200];
	u64 steps;
	size_t n, nr;
	unsigned int k, v, info, bad = 0, slow = 0, flag = 0;
	int want, got;

	for (v = 0; v < 12; v++) {
		/* 6, 7 or 8 rules; all dense, none, three; auto/byte rows */
		nr = 6 + v % 3;
		build_dense = v / 3 % 2 ? (v & 4 ? 3 : 0) : KFX_SET_NONE;
		build_rows = v >= 6 ? KFX_RS_ROWS_BYTE : KFX_RS_ROWS_AUTO;
		if (build(rules, nr, &b, err, sizeof(err))) {
			ok(0, "goto set: %s", err);
			return;
		}
		build_dense = KFX_SET_NONE;
		build_rows = KFX_RS_ROWS_AUTO;
		info = ((const u32 *)b.set)[((const u32 *)b.set)[KFX_SH_A] +
					    KFX_SS_FAIL];
		flag += !(info & KFX_SET_ROOT_GOTO);
		for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
			const char *z = strchr(strs[k], '\\');

			n = strlen(strs[k]);
			memcpy(s, strs[k], n);
			if (z) {	/* backslash 0: a NUL there, bytes after it */
				n = (size_t)(z - strs[k]);
				s[n] = 0;
				memcpy(s + n + 1, z + 2, strlen(z + 2));
				n += 1 + strlen(z + 2);
			}
			if (k & 1) {	/* a long tail the walk must not read */
				memset(s + n, 'q', sizeof(s) - n);
				n = sizeof(s);
			}
			want = oracle_set(rules, nr, s, n);
			got = gmatch(b.set, b.sz, s, n);
			kfx_match_set_steps(b.set, (u32)b.sz, s, (u32)n, &steps);
			bad += got != want;
			/* the glob and isubstr rules look at the whole string */
			if (nr == 6 && steps > 16) {
				slow++;
				printf("FAIL goto set %u, string %u: %llu steps\n",
				       v, k, (unsigned long long)steps);
			}
			if (got != want)
				printf("FAIL goto set %u, string %u: got %d, want %d\n",
				       v, k, got, want);
		}
		free(b.set);
	}
	ok(!flag, "goto sets: flagged KFX_SET_ROOT_GOTO");
	ok(!bad, "goto sets: oracle answers");
	ok(!slow, "goto sets: at most depth + 1 steps (no scan, no NUL search)");
}

/*
 * Anchored sets (prefix, exact, suffix rules only) must not scan the
 * middle of the string: the work is about the rules' depth plus the NUL
 * search (n / 8), and the answers are the oracle's.
 */
static void anchored_sets(void)
{
	static const struct or_rule rules[] = {
		R(PREFIX, "/usr/lib/"), R(PREFIX, "/home/"), R(EXACT, "/etc/x"),
		R(SUFFIX, ".so"), R(PREFIX, "/usr/"),
	};
	static char s[60000];
	struct built b;
	char err[200];
	u64 steps;
	size_t n;
	int k, want, got, bad = 0, slow = 0;

	if (build(rules, 5, &b, err, sizeof(err))) {
		ok(0, "anchored set: %s", err);
		return;
	}
	for (k = 0; k < 8; k++) {
		n = k < 4 ? sizeof(s) : 20 + 7 * k;
		memset(s, 'a', n);
		memcpy(s, k & 1 ? "/usr/lib/" : "/home/", k & 1 ? 9 : 6);
		if (k & 2)
			memcpy(s + n - 3, ".so", 3);
		if (k == 7)
			memcpy(s, "/etc/x", n = 6);
		want = oracle_set(rules, 5, s, n);
		got = gmatch(b.set, b.sz, s, n);
		kfx_match_set_steps(b.set, (u32)b.sz, s, (u32)n, &steps);
		bad += got != want;
		slow += steps > n / 8 + 64;
		if (got != want || steps > n / 8 + 64)
			printf("FAIL anchored set, string %d (%zu bytes): got %d, want %d, %llu steps\n",
			       k, n, got, want, (unsigned long long)steps);
	}
	ok(!bad, "anchored set: oracle answers");
	ok(!slow, "anchored set: at most n / 8 + 64 steps (no scan)");
	free(b.set);
	goto_sets();
}

int main(int argc, char **argv)
{
	unsigned long nsets = argc > 2 ? strtoul(argv[2], NULL, 0) : 20000;

	setlocale(LC_ALL, "C");
	unsetenv("POSIXLY_CORRECT");
	gbuf_init(&gset, KFX_SET_MAX_SIZE + 8);
	gbuf_init(&gstr, KFX_STR_MAX_LEN + 8);

	hand_picked();
	compiler_limits();
	malformed_set(mal_mix, KFX_SET_NONE, 8);
	malformed_set(mal_mix, 3, 8);
	malformed_set(mal_mix, 0, 8);
	malformed_set(mal_mix, KFX_SET_NONE, 9);
	malformed_set(mal_mix, 5, 9);
	malformed_set(mal_goto, KFX_SET_NONE, 8);
	malformed_set(mal_goto, 2, 8);
	malformed_set(mal_goto, 0, 8);
	malformed_set(mal_goto, KFX_SET_NONE, 9);
	malformed_set(mal_goto, 3, 9);
	random_sets(nsets, argc > 3 ? argv[3] : NULL);
	printf("random sets: %lu sets (%lu refused by the compiler), %lu vectors, %lu matched, %lu -ERANGE (legitimate), %lu mismatches\n",
	       nsets, rand_refused, rand_vectors, rand_hits, rand_erange,
	       rand_bad);
	ok(rand_bad == 0, "random sets: %lu mismatches", rand_bad);
	ok(rand_hits > rand_vectors / 10, "random sets: too few matches");
	shared_dir();
	shared_globs(nsets / 20);
	anchored_sets();
	return kfx_test_finish(argc > 1 ? argv[1] : NULL, passed, failed);
}
