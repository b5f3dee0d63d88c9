// SPDX-License-Identifier: GPL-2.0
/*
 * kfx_bench_set.bpf.o: rule sets in the kernel.  One SYSCALL program run
 * with BPF_PROG_TEST_RUN (no `repeat` for that type: it loops itself with
 * bpf_loop() and times the loop); contenders for one path:
 *  - one bpf_kfx_match_set over the compiled set;
 *  - the same rules one by one, a bpf_loop over the rules calling the
 *    single-pattern kfuncs (prefix and suffix as bpf_kfx_strstr on the
 *    path's first / last len bytes, found at 0), lowest match first, as
 *    the set answers;
 *  - one lookup in a BPF LPM trie holding the prefix rules (what in-kernel
 *    tools use for path prefixes today), against a prefix-only set;
 *  - the empty loop, subtracted by user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "kfx_kfuncs.h"
#include "kfx_bench_set.h"

char LICENSE[] SEC("license") = "GPL";

/* src/kfx_set.h's rule kinds (ABI numbers). */
#define RULE_SUBSTR	1
#define RULE_PREFIX	3
#define RULE_SUFFIX	4
#define RULE_GLOB	6
#define RULE_PATH	7

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_bset_io);
} kfx_bset_io SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_bset_set);
} kfx_bset_set SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KFX_BSET_RULES_MAX);
	__type(key, u32);
	__type(value, struct kfx_bset_rule);
} kfx_bset_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, KFX_BSET_RULES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct kfx_bset_lpm_key);
	__type(value, u32);
} kfx_bset_lpm SEC(".maps");

struct ctx {
	struct kfx_bset_io *io;
	struct kfx_bset_set *set;
	s64 result;
};

/* Every callback checks the length the same way: the empty loop's cost. */
static long cb_empty(u64 idx, void *c)
{
	struct ctx *x = c;
	u32 n = x->io->hay_len;

	if (n > KFX_BSET_HAY_MAX)
		return 1;
	x->result = n;
	return 0;
}

static long cb_set(u64 idx, void *c)
{
	struct ctx *x = c;
	u32 n = x->io->hay_len, len = x->set->len;

	if (n > KFX_BSET_HAY_MAX || len > KFX_BSET_SET_MAX)
		return 1;
	x->result = bpf_kfx_match_set(x->set->b, len, x->io->hay, n);
	return 0;
}

static long cb_lpm(u64 idx, void *c)
{
	struct ctx *x = c;
	u32 n = x->io->hay_len, *v;

	if (n > KFX_BSET_HAY_MAX)
		return 1;
	/* the key is prefixlen + hay, laid out as struct kfx_bset_lpm_key */
	v = bpf_map_lookup_elem(&kfx_bset_lpm, &x->io->prefixlen);
	x->result = v ? (s64)*v : -1;
	return 0;
}

/* One rule with one single-pattern kfunc: 1 match, 0 not, < 0 error. */
static long one_rule(struct kfx_bset_io *io, struct kfx_bset_rule *r)
{
	u32 n = io->hay_len, m = r->len, off;

	if (n > KFX_BSET_HAY_MAX || m > KFX_BSET_PAT_MAX || m == 0)
		return -1;
	switch (r->kind) {
	case RULE_SUBSTR:
		return bpf_kfx_strstr(io->hay, n, r->pat, m) >= 0;
	case RULE_PREFIX:
		return m <= n && bpf_kfx_strstr(io->hay, m, r->pat, m) == 0;
	case RULE_SUFFIX:
		if (m > n)
			return 0;
		/* bounded again: the verifier does not relate n and m */
		off = n - m;
		if (off > KFX_BSET_HAY_MAX)
			return 0;
		return bpf_kfx_strstr(io->hay + off, m, r->pat, m) == 0;
	case RULE_GLOB:
		return bpf_kfx_glob_match(io->hay, n, r->pat, m);
	case RULE_PATH:
		return bpf_kfx_path_match(io->hay, n, r->pat, m);
	}
	return -1;
}

static long cb_rule(u64 idx, void *c)
{
	struct ctx *x = c;
	struct kfx_bset_rule *r;
	u32 i = idx;
	long m;

	r = bpf_map_lookup_elem(&kfx_bset_rules, &i);
	if (!r)
		return 1;
	m = one_rule(x->io, r);
	if (m) {
		x->result = m > 0 ? (s64)idx : m;
		return 1;
	}
	return 0;
}

static long cb_one(u64 idx, void *c)
{
	struct ctx *x = c;
	u32 nrules = x->io->nrules;

	if (nrules > KFX_BSET_RULES_MAX)
		return 1;
	x->result = -1;
	bpf_loop(nrules, cb_rule, x, 0);
	return 0;
}

SEC("syscall")
int kfx_bench_set(void *ctx)
{
	struct ctx x = { .result = -1 };
	u32 zero = 0, iters;
	u64 t0, t1;
	long ret;

	x.io = bpf_map_lookup_elem(&kfx_bset_io, &zero);
	x.set = bpf_map_lookup_elem(&kfx_bset_set, &zero);
	if (!x.io || !x.set)
		return 1;
	iters = x.io->iters;
	if (iters > (1u << 23))
		return 1;

	switch (x.io->op) {
	case KFX_BSET_EMPTY:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_empty, &x, 0);
		t1 = bpf_ktime_get_ns();
		break;
	case KFX_BSET_SET:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_set, &x, 0);
		t1 = bpf_ktime_get_ns();
		break;
	case KFX_BSET_ONE:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_one, &x, 0);
		t1 = bpf_ktime_get_ns();
		break;
	case KFX_BSET_LPM:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_lpm, &x, 0);
		t1 = bpf_ktime_get_ns();
		break;
	default:
		return 2;
	}
	x.io->ns = t1 - t0;
	x.io->loops = ret;
	x.io->result = x.result;
	return 0;
}
