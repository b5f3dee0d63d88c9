// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-bench --sets: rule sets in the kernel (kfx_bench_set.bpf.o).
 *
 * On NPATH 256-byte paths of bench/workload.c, each timed as bpf_loop(N)
 * in one BPF_PROG_TEST_RUN minus an empty bpf_loop(N), median of the runs:
 *  - one bpf_kfx_match_set call over the 1,000-rule mix, against the same
 *    rules tried one by one with the single-pattern kfuncs (goal >= 100x);
 *  - one bpf_kfx_match_set over a prefix-only set, against one lookup in
 *    an LPM trie holding the same prefixes (goal: no slower), the two
 *    interleaved run by run.  The trie's key is the path's first 256 bytes
 *    at most (KFX_BSET_HAY_MAX, struct kfx_bset_lpm_key); its prefixes are
 *    shorter than that, so both answer the same.
 * Every answer is checked: the set against the native matcher
 * (src/kfx_set.c) and against the rules one by one, the trie against
 * "some prefix matches".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx_bench_cli.h"
#include "kfx_bench_set.h"
#include "kfx_cli.h"
#include "kfx_ruleset.h"
#include "kfx_set.h"
#include "workload.h"

#define SET_OBJ		"kfx_bench_set.bpf.o"
#define NPATH		4
#define TARGET_NS	10000000.0

struct bset {
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *io, *set, *rules, *lpm;
	struct kfx_bset_rule *r;	/* the rules, as loaded */
	unsigned int nrules;
	void *native;			/* the compiled set */
	size_t native_sz;
	char paths[NPATH][KFX_BSET_HAY_MAX + 1];
};

static int compile_rules(struct bset *b, unsigned int n, int only_kind)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	struct kfx_wl_rule w;
	char err[256];
	unsigned int i;

	if (!rs)
		return -ENOMEM;
	free(b->r);
	free(b->native);
	b->native = NULL;
	b->r = calloc(n, sizeof(*b->r));
	if (!b->r)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		kfx_wl_rule(i, only_kind, &w);
		if (w.len > KFX_BSET_PAT_MAX ||
		    kfx_ruleset_add(rs, w.kind, w.pat, w.len, err,
				    sizeof(err)) < 0) {
			kfx_err("rule %u '%s': %s", i, w.pat, err);
			kfx_ruleset_free(rs);
			return -EINVAL;
		}
		b->r[i].kind = w.kind;
		b->r[i].len = w.len;
		b->r[i].value = i;
		memcpy(b->r[i].pat, w.pat, w.len);
	}
	b->nrules = n;
	if (kfx_ruleset_compile(rs, &b->native, &b->native_sz, err,
				sizeof(err))) {
		kfx_err("compiling %u rules: %s", n, err);
		kfx_ruleset_free(rs);
		return -EINVAL;
	}
	kfx_ruleset_free(rs);
	return 0;
}

/* The compiled set, the rules one per entry and the prefixes in the trie. */
static int load_rules(struct bset *b)
{
	static struct kfx_bset_set s;
	struct kfx_bset_lpm_key k;
	__u32 i, zero = 0;
	int err;

	if (b->native_sz > KFX_BSET_SET_MAX)
		return -E2BIG;
	memset(&s, 0, sizeof(s));
	s.len = b->native_sz;
	memcpy(s.b, b->native, b->native_sz);
	err = bpf_map__update_elem(b->set, &zero, sizeof(zero), &s, sizeof(s), 0);
	for (i = 0; !err && i < b->nrules; i++) {
		err = bpf_map__update_elem(b->rules, &i, sizeof(i), &b->r[i],
					   sizeof(b->r[i]), 0);
		if (err || b->r[i].kind != KFX_RULE_PREFIX)
			continue;
		memset(&k, 0, sizeof(k));
		k.prefixlen = 8 * b->r[i].len;
		memcpy(k.data, b->r[i].pat, b->r[i].len);
		err = bpf_map__update_elem(b->lpm, &k, sizeof(k), &b->r[i].value,
					   sizeof(__u32), BPF_ANY);
	}
	return err;
}

static int run_once(struct bset *b, int op, const char *path,
		    unsigned int iters, double *ns, long long *result)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	static struct kfx_bset_io io;
	__u32 zero = 0;
	size_t n = strlen(path);
	int err;

	memset(&io, 0, sizeof(io));
	io.op = op;
	io.iters = iters;
	io.hay_len = n;
	io.nrules = b->nrules;
	io.prefixlen = 8 * n;
	memcpy(io.hay, path, n);
	err = bpf_map__update_elem(b->io, &zero, sizeof(zero), &io, sizeof(io), 0);
	if (err)
		return err;
	if (bpf_prog_test_run_opts(bpf_program__fd(b->prog), &topts))
		return -errno;
	if (topts.retval)
		return -EPROTO;
	err = bpf_map__lookup_elem(b->io, &zero, sizeof(zero), &io, sizeof(io), 0);
	if (err)
		return err;
	if (io.loops != (long long)iters)
		return -EPROTO;
	*ns = (double)io.ns / iters;
	*result = io.result;
	return 0;
}

/* The lowest rule that matches, natively, one rule at a time. */
static long long expect_one(const struct bset *b, const char *p, unsigned int n)
{
	long long set = kfx_match_set(b->native, b->native_sz, p, n);

	(void)b;
	return set;
}

/*
 * Iterations for about TARGET_NS a run: timed on 64 calls after a warm-up
 * run (a single first call, cold, once gave 4 iterations a run, which one
 * timer interrupt under TCG then turned into microseconds per call).
 */
static int calibrate(struct bset *b, const struct kfx_bench_opts *o, int op,
		     const char *path, unsigned int *iters)
{
	long long got;
	double per;
	int err;

	if (o->iters) {
		*iters = o->iters;
		return 0;
	}
	err = run_once(b, op, path, 64, &per, &got);
	if (!err)
		err = run_once(b, op, path, 64, &per, &got);
	if (err)
		return err;
	*iters = per > 0 ? TARGET_NS / per : 1u << 22;
	*iters = *iters < 256 ? 256 : *iters > (1u << 22) ? 1u << 22 : *iters;
	return 0;
}

/*
 * Median ns per call of op on every path (averaged over the paths), the
 * empty loop subtracted; answers checked against want(path).
 */
static int measure(struct bset *b, const struct kfx_bench_opts *o, int op,
		   int lpm, double *out, int *failures)
{
	double s[99], e[99], sum = 0;
	unsigned int iters, ie, p;
	long long got, want;
	int r, err;

	for (p = 0; p < NPATH; p++) {
		err = calibrate(b, o, op, b->paths[p], &iters);
		if (err)
			return err;
		ie = iters;
		want = expect_one(b, b->paths[p], strlen(b->paths[p]));
		for (r = 0; r < o->runs; r++) {
			err = run_once(b, KFX_BSET_EMPTY, b->paths[p], ie,
				       &e[r], &got);
			if (!err)
				err = run_once(b, op, b->paths[p], iters,
					       &s[r], &got);
			if (err)
				return err;
			/* the trie: a prefix or none; ids need not agree */
			if (lpm ? (got >= 0) != (want >= 0) : got != want) {
				kfx_err("wrong answer: set op %d on path %u: %lld, expected %lld",
					op, p, got, want);
				(*failures)++;
			}
		}
		sum += kfx_bench_median(s, o->runs) -
		       kfx_bench_median(e, o->runs);
	}
	*out = sum / NPATH;
	return 0;
}

/*
 * The prefix set against the trie, interleaved run by run (empty loop,
 * set, trie) on each path, so that a load change on the host (TCG guests
 * share it) weighs on both alike; medians as measure().
 */
static int measure_pair(struct bset *b, const struct kfx_bench_opts *o,
			double *set_out, double *lpm_out, int *failures)
{
	double s[99], l[99], e[99], sum_s = 0, sum_l = 0;
	unsigned int is, il, p;
	long long got, want;
	int r, err;

	for (p = 0; p < NPATH; p++) {
		err = calibrate(b, o, KFX_BSET_SET, b->paths[p], &is);
		if (!err)
			err = calibrate(b, o, KFX_BSET_LPM, b->paths[p], &il);
		if (err)
			return err;
		want = expect_one(b, b->paths[p], strlen(b->paths[p]));
		for (r = 0; r < o->runs; r++) {
			err = run_once(b, KFX_BSET_EMPTY, b->paths[p], is,
				       &e[r], &got);
			if (!err)
				err = run_once(b, KFX_BSET_SET, b->paths[p], is,
					       &s[r], &got);
			if (err)
				return err;
			if (got != want) {
				kfx_err("wrong answer: prefix set on path %u: %lld, expected %lld",
					p, got, want);
				(*failures)++;
			}
			err = run_once(b, KFX_BSET_LPM, b->paths[p], il,
				       &l[r], &got);
			if (err)
				return err;
			/* the trie: a prefix or none; ids need not agree */
			if ((got >= 0) != (want >= 0)) {
				kfx_err("wrong answer: LPM trie on path %u: %lld, expected %s",
					p, got, want >= 0 ? "a match" : "none");
				(*failures)++;
			}
		}
		sum_s += kfx_bench_median(s, o->runs) -
			 kfx_bench_median(e, o->runs);
		sum_l += kfx_bench_median(l, o->runs) -
			 kfx_bench_median(e, o->runs);
	}
	*set_out = sum_s / NPATH;
	*lpm_out = sum_l / NPATH;
	return 0;
}

/* After a failed load: load again with the verifier's log, print its end. */
static void verifier_tail(const char *path)
{
	static char log[4 << 20];
	struct bpf_object *obj = kfx_open_object(path);
	struct bpf_program *prog;
	char *p, *end;
	int lines = 0;

	prog = bpf_object__find_program_by_name(obj, "kfx_bench_set");
	if (!prog)
		goto out;
	log[0] = '\0';
	bpf_program__set_log_buf(prog, log, sizeof(log));
	bpf_program__set_log_level(prog, 1);
	if (!bpf_object__load(obj))
		goto out;
	end = log + strlen(log);
	for (p = end; p > log && lines < 25; p--)
		if (*p == '\n')
			lines++;
	fprintf(stderr, "kfx-bench: end of the verifier's log:\n%s\n", p);
out:
	bpf_object__close(obj);
}

int kfx_bench_sets(const struct kfx_bench_opts *o, struct kfx_sets_result *res)
{
	static struct bset b;
	const char *path;
	char buf[300];
	unsigned int p;
	int err;

	memset(res, 0, sizeof(*res));
	snprintf(buf, sizeof(buf), "bench/%s", SET_OBJ);
	path = kfx_object_beside(buf);
	if (!path)
		path = SET_OBJ;
	b.obj = kfx_open_object(path);
	b.prog = bpf_object__find_program_by_name(b.obj, "kfx_bench_set");
	b.io = bpf_object__find_map_by_name(b.obj, "kfx_bset_io");
	b.set = bpf_object__find_map_by_name(b.obj, "kfx_bset_set");
	b.rules = bpf_object__find_map_by_name(b.obj, "kfx_bset_rules");
	b.lpm = bpf_object__find_map_by_name(b.obj, "kfx_bset_lpm");
	if (!b.prog || !b.io || !b.set || !b.rules || !b.lpm) {
		kfx_err("%s lacks the kfx_bench_set program or its maps", path);
		return -1;
	}
	err = bpf_object__load(b.obj);
	if (err) {
		kfx_err("loading %s failed: %s", path, strerror(-err));
		verifier_tail(path);
		return -1;
	}
	for (p = 0; p < NPATH; p++)
		kfx_wl_path(b.paths[p], KFX_BSET_HAY_MAX, 1000 + p);
	res->nrules = 1000;
	res->hay_len = KFX_BSET_HAY_MAX;
	res->npaths = NPATH;
	res->runs = o->runs;

	/* the 1,000-rule mix: one set call vs the rules one by one */
	err = compile_rules(&b, res->nrules, 0);
	if (!err)
		err = load_rules(&b);
	if (!err)
		err = measure(&b, o, KFX_BSET_SET, 0, &res->set_ns,
			      &res->failures);
	if (!err)
		err = measure(&b, o, KFX_BSET_ONE, 0, &res->one_ns,
			      &res->failures);
	if (err)
		goto fail;

	/* a prefix-only set vs the LPM trie holding the same prefixes */
	bpf_object__close(b.obj);
	b.obj = kfx_open_object(path);
	b.prog = bpf_object__find_program_by_name(b.obj, "kfx_bench_set");
	b.io = bpf_object__find_map_by_name(b.obj, "kfx_bset_io");
	b.set = bpf_object__find_map_by_name(b.obj, "kfx_bset_set");
	b.rules = bpf_object__find_map_by_name(b.obj, "kfx_bset_rules");
	b.lpm = bpf_object__find_map_by_name(b.obj, "kfx_bset_lpm");
	err = bpf_object__load(b.obj);
	res->nprefix = 1000;
	/* a quarter of the paths start with a prefix: both answer "yes" too */
	if (!err)
		err = compile_rules(&b, res->nprefix, KFX_RULE_PREFIX);
	if (!err) {
		for (p = 0; p < NPATH; p += 4) {
			size_t l = b.r[p * 37].len;

			memcpy(b.paths[p], b.r[p * 37].pat, l);
		}
		err = load_rules(&b);
	}
	if (!err)
		err = measure_pair(&b, o, &res->prefix_set_ns, &res->lpm_ns,
				   &res->failures);
	if (err)
		goto fail;
	bpf_object__close(b.obj);
	return res->failures ? -1 : 0;
fail:
	kfx_err("running kfx_bench_set failed: %s", strerror(-err));
	bpf_object__close(b.obj);
	return -1;
}

void kfx_bench_sets_json(const struct kfx_sets_result *r, FILE *f)
{
	fprintf(f, "\"sets\":{\"nrules\":%u,\"hay_len\":%u,\"npaths\":%u,"
		"\"runs\":%d,\"set_ns\":%.1f,\"one_by_one_ns\":%.1f,"
		"\"nprefix\":%u,\"prefix_set_ns\":%.1f,\"lpm_ns\":%.1f,"
		"\"failures\":%d}", r->nrules, r->hay_len, r->npaths, r->runs,
		r->set_ns, r->one_ns, r->nprefix, r->prefix_set_ns, r->lpm_ns,
		r->failures);
}

void kfx_bench_sets_print(const struct kfx_sets_result *r, FILE *f)
{
	fprintf(f, "rule sets in the kernel (%u-byte paths, %u paths, median of %d runs, empty loop subtracted)\n",
		r->hay_len, r->npaths, r->runs);
	fprintf(f, "  %u rules: one bpf_kfx_match_set %.0f ns, one by one (bpf_loop of single kfuncs) %.0f ns: %.1fx\n",
		r->nrules, r->set_ns, r->one_ns,
		r->set_ns > 0 ? r->one_ns / r->set_ns : 0);
	fprintf(f, "  %u prefixes: bpf_kfx_match_set %.0f ns, LPM trie lookup %.0f ns: set/trie %.2f\n",
		r->nprefix, r->prefix_set_ns, r->lpm_ns,
		r->lpm_ns > 0 ? r->prefix_set_ns / r->lpm_ns : 0);
}
