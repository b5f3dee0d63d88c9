// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bench_set: the native rule-set goals of issue 9, on bench/workload.c's
 * rules and paths.
 *
 *   bench_set count     under callgrind: each figure is one labelled dump
 *                       (CALLGRIND_ZERO_STATS .. CALLGRIND_DUMP_STATS_AT)
 *                       around CALLS calls; report.py divides.
 *   bench_set time      the same figures in wall-clock ns per call (median
 *                       of REPS runs), and the compile times.
 *   ... LABEL-PREFIX    only the figures whose label starts with it.
 *
 * Output lines: "count LABEL CALLS", "time LABEL NS", "info KEY VALUE".
 * Every contender's answers are checked first (the set against the rules
 * tried one by one, Hyperscan against the literal set): a fast wrong
 * answer fails the run.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#ifdef KFX_BENCH_HS
#include <hs/hs.h>
#endif

#include "kfx_ruleset.h"
#include "kfx_set.h"
#include "workload.h"

#define NPATHS		64	/* paths per figure: each call gets another */
#define REPS		7
#define HEAD_RULES	1000
#define HEAD_LEN	256
#define NEEDLE		"passwd.b"	/* 8 bytes, in no generated path */

static char *paths[NPATHS];
static unsigned int path_len;
static volatile int sink;
static int counting, failed;
static const char *only;	/* run only the figures whose label starts so */

struct set {
	void *b;
	size_t sz;
	unsigned int nrules;
	struct kfx_wl_rule *rules;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void make_paths(unsigned int len)
{
	unsigned int i;

	path_len = len;
	for (i = 0; i < NPATHS; i++) {
		free(paths[i]);
		paths[i] = malloc(len + 1);
		if (!paths[i])
			exit(2);
		kfx_wl_path(paths[i], len, 1000 + i);
	}
}

/* Build the n-rule set (only_kind 0: the mix; literal: literal kinds only). */
static void build(struct set *s, unsigned int n, int only_kind, int literal)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	struct kfx_wl_rule r;
	unsigned int i;
	char err[256];

	s->rules = calloc(n, sizeof(*s->rules));
	s->nrules = 0;
	if (!rs || !s->rules)
		exit(2);
	for (i = 0; s->nrules < n; i++) {
		kfx_wl_rule(i, only_kind, &r);
		if (literal && !kfx_wl_is_literal(r.kind))
			continue;
		if (kfx_ruleset_add(rs, r.kind, r.pat, r.len, err,
				    sizeof(err)) < 0) {
			fprintf(stderr, "bench_set: rule %u '%s': %s\n", i,
				r.pat, err);
			exit(2);
		}
		s->rules[s->nrules++] = r;
	}
	if (kfx_ruleset_compile(rs, &s->b, &s->sz, err, sizeof(err))) {
		fprintf(stderr, "bench_set: compile %u rules: %s\n", n, err);
		exit(2);
	}
	kfx_ruleset_free(rs);
}

static void drop(struct set *s)
{
	free(s->b);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}

/* One rule with kfx's single-pattern functions: 1 match, 0 not, <0 error. */
static int one_rule(const struct kfx_wl_rule *r, const char *p, unsigned int n)
{
	switch (r->kind) {
	case KFX_RULE_SUBSTR:
		return kfx_strstr(p, n, r->pat, r->len) >= 0;
	case KFX_RULE_PREFIX:	/* strstr on the first len bytes, at 0 */
		return r->len <= n && kfx_strstr(p, r->len, r->pat, r->len) == 0;
	case KFX_RULE_SUFFIX:
		return r->len <= n &&
		       kfx_strstr(p + n - r->len, r->len, r->pat, r->len) == 0;
	case KFX_RULE_GLOB:
		return kfx_glob_match(p, n, r->pat, r->len);
	case KFX_RULE_PATH:
		return kfx_path_match(p, n, r->pat, r->len);
	}
	return -1;
}

/* The lowest rule that matches, as the set answers, one rule at a time. */
static int one_by_one(const struct set *s, const char *p, unsigned int n)
{
	unsigned int i;
	int r;

	for (i = 0; i < s->nrules; i++) {
		r = one_rule(&s->rules[i], p, n);
		if (r)
			return r > 0 ? (int)i : r;
	}
	return -1;
}

enum what { W_STRSTR, W_SET, W_ONE, W_HS };

#ifdef KFX_BENCH_HS
static hs_database_t *hs_db;
static hs_scratch_t *hs_scratch;

static int hs_on_match(unsigned int id, unsigned long long from,
		       unsigned long long to, unsigned int flags, void *ctx)
{
	(void)from; (void)to; (void)flags;
	*(int *)ctx = (int)id;
	return 1;	/* stop: one match answers "flagged", as the set does */
}

static int hs_run(const char *p, unsigned int n)
{
	int id = -1;

	hs_scan(hs_db, p, n, 0, hs_scratch, hs_on_match, &id);
	return id;
}

/* Literal rules as Hyperscan expressions: escaped, anchored as the kind. */
static void hs_build(const struct set *s)
{
	char **exprs = calloc(s->nrules, sizeof(char *));
	unsigned int *flags = calloc(s->nrules, sizeof(unsigned int));
	unsigned int *ids = calloc(s->nrules, sizeof(unsigned int));
	hs_compile_error_t *cerr;
	unsigned int i, j, o;

	for (i = 0; i < s->nrules; i++) {
		const struct kfx_wl_rule *r = &s->rules[i];

		exprs[i] = malloc(4 * r->len + 8);
		o = 0;
		if (r->kind == KFX_RULE_PREFIX)
			exprs[i][o++] = '^';
		for (j = 0; j < r->len; j++)
			o += sprintf(exprs[i] + o, "\\x%02x",
				     (unsigned char)r->pat[j]);
		if (r->kind == KFX_RULE_SUFFIX)
			exprs[i][o++] = '$';
		exprs[i][o] = '\0';
		flags[i] = HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL;
		ids[i] = i;
	}
	if (hs_compile_multi((const char *const *)exprs, flags, ids,
			     s->nrules, HS_MODE_BLOCK, NULL, &hs_db,
			     &cerr) != HS_SUCCESS) {
		fprintf(stderr, "bench_set: hyperscan: %s\n", cerr->message);
		exit(2);
	}
	if (hs_alloc_scratch(hs_db, &hs_scratch) != HS_SUCCESS)
		exit(2);
	for (i = 0; i < s->nrules; i++)
		free(exprs[i]);
	free(exprs);
	free(flags);
	free(ids);
}
#endif

static int run(int what, const struct set *s, unsigned int k)
{
	const char *p = paths[k % NPATHS];

	switch (what) {
	case W_STRSTR:
		return kfx_strstr(p, path_len, NEEDLE, 8);
	case W_SET:
		return kfx_match_set(s->b, s->sz, p, path_len);
	case W_ONE:
		return one_by_one(s, p, path_len);
#ifdef KFX_BENCH_HS
	case W_HS:
		return hs_run(p, path_len);
#endif
	}
	return -1;
}

/* Answers first: every path, the contender against its reference. */
static void check(int what, const struct set *s, const char *label)
{
	unsigned int k;
	int got, want;

	for (k = 0; k < NPATHS; k++) {
		got = run(what, s, k);
		switch (what) {
		case W_STRSTR:
			want = -1;
			break;
		case W_HS:	/* any literal rule: as the literal set says */
			want = kfx_match_set(s->b, s->sz, paths[k], path_len);
			got = got >= 0 ? want : -1;
			if (want < -1)
				want = -2;
			break;
		default:
			want = one_by_one(s, paths[k], path_len);
			break;
		}
		if (got != want) {
			printf("MISMATCH %s path %u: %d, expected %d\n", label,
			       k, got, want);
			failed = 1;
			return;
		}
	}
}

/* One figure: instructions (count) or ns (time) per call. */
static void figure(int what, const struct set *s, const char *label,
		   unsigned int calls)
{
	double t[REPS], t0;
	unsigned int k, r;

	if (only && strncmp(label, only, strlen(only)))
		return;
	check(what, s, label);
	if (counting) {
		CALLGRIND_ZERO_STATS;
		for (k = 0; k < calls; k++)
			sink = run(what, s, k);
		CALLGRIND_DUMP_STATS_AT(label);
		printf("count %s %u\n", label, calls);
	} else {
		/* time mode: repeat to about 2 ms a run */
		unsigned int reps = 1;

		for (;;) {
			t0 = now_ns();
			for (k = 0; k < reps * NPATHS; k++)
				sink = run(what, s, k);
			if (now_ns() - t0 > 2e6 || reps >= 1u << 16)
				break;
			reps *= 2;
		}
		for (r = 0; r < REPS; r++) {
			t0 = now_ns();
			for (k = 0; k < reps * NPATHS; k++)
				sink = run(what, s, k);
			t[r] = (now_ns() - t0) / (reps * NPATHS);
		}
		qsort(t, REPS, sizeof(t[0]), cmp_double);
		printf("time %s %.1f\n", label, t[REPS / 2]);
	}
	fflush(stdout);
}

/* Compile n rules: wall-clock median (time) or one counted compile. */
static void compile_figure(unsigned int n)
{
	double t[REPS], t0;
	struct set s;
	char label[64];
	unsigned int r;

	snprintf(label, sizeof(label), "compile %u", n);
	if (only && strncmp(label, only, strlen(only)))
		return;
	if (counting) {
		CALLGRIND_ZERO_STATS;
		build(&s, n, 0, 0);
		CALLGRIND_DUMP_STATS_AT(label);
		printf("count %s 1\n", label);
		printf("info bytes_per_rule_%u %.1f\n", n, (double)s.sz / n);
		printf("info set_bytes_%u %zu\n", n, s.sz);
		drop(&s);
		return;
	}
	for (r = 0; r < REPS; r++) {
		t0 = now_ns();
		build(&s, n, 0, 0);
		t[r] = now_ns() - t0;
		drop(&s);
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	printf("time %s %.0f\n", label, t[REPS / 2]);
}

int main(int argc, char **argv)
{
	static const unsigned int growth[] = { 10, 100, 1000, 10000 };
	static const unsigned int lens[] = { 64, 256, 1024, 4096 };
	struct set s, lit;
	char label[96];
	unsigned int i;

	if (argc < 2 || argc > 3 ||
	    (strcmp(argv[1], "time") && strcmp(argv[1], "count"))) {
		fprintf(stderr, "usage: %s time | count [LABEL-PREFIX]\n",
			argv[0]);
		return 2;
	}
	only = argc == 3 ? argv[2] : NULL;
	counting = !strcmp(argv[1], "count");

	/* The headline: 1,000 rules, 256-byte paths. */
	make_paths(HEAD_LEN);
	build(&s, HEAD_RULES, 0, 0);
	figure(W_STRSTR, &s, "strstr8 256", NPATHS * 4);
	figure(W_SET, &s, "set 1000 256", NPATHS * 4);
	figure(W_ONE, &s, "onebyone 1000 256", NPATHS / 4);
	drop(&s);

	/*
	 * Prefix rules only (the in-kernel figure compares them with one
	 * BPF LPM trie lookup): the matcher walks the trie from byte 0 and
	 * skips the rest of the path.
	 */
	build(&s, HEAD_RULES, KFX_RULE_PREFIX, 0);
	figure(W_SET, &s, "prefix 1000 256", NPATHS * 4);
	/* As the kernel bench: a quarter of the paths start with a prefix. */
	for (i = 0; i < NPATHS; i += 4)
		memcpy(paths[i], s.rules[i * 37 % HEAD_RULES].pat,
		       s.rules[i * 37 % HEAD_RULES].len);
	figure(W_SET, &s, "prefixhit 1000 256", NPATHS * 4);
	make_paths(HEAD_LEN);
	drop(&s);

	/* Growth at 256 bytes. */
	for (i = 0; i < sizeof(growth) / sizeof(growth[0]); i++) {
		build(&s, growth[i], 0, 0);
		snprintf(label, sizeof(label), "growth %u 256", growth[i]);
		figure(W_SET, &s, label, NPATHS * 4);
		drop(&s);
	}

	/* Path lengths, 1,000 rules (64..4096 bytes). */
	build(&s, HEAD_RULES, 0, 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		make_paths(lens[i]);
		snprintf(label, sizeof(label), "len 1000 %u", lens[i]);
		figure(W_SET, &s, label, NPATHS);
	}
	drop(&s);

	/* The literal-only subset of the 1,000 rules vs Hyperscan. */
	make_paths(HEAD_LEN);
	build(&lit, HEAD_RULES * 8 / 10, 0, 1);
	figure(W_SET, &lit, "literal kfx 256", NPATHS * 4);
#ifdef KFX_BENCH_HS
	hs_build(&lit);
	figure(W_HS, &lit, "literal hyperscan 256", NPATHS * 4);
	printf("info hyperscan %s\n", hs_version());
#else
	printf("info hyperscan none\n");
#endif
	drop(&lit);

	compile_figure(1000);
	compile_figure(10000);
	return failed;
}
