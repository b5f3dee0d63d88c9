// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * kfx rule-set matcher (see kfx_set.h for the format and why it is
 * Aho-Corasick).  Kernel-agnostic; no allocation, no recursion, bounded
 * stack.  The set is hostile until proven otherwise: every word is read
 * through kfx_w(), which the init checks make safe, and every index read
 * from the set is checked before it is used as one.
 */
#include "kfx_set.h"

/*
 * The spelling kbuild leaves alone: the kernel defines "noinline" as a
 * macro, which breaks __attribute__((noinline)) there.
 */
#define KFX_NOINLINE __attribute__((__noinline__))
#define KFX_INLINE inline __attribute__((__always_inline__))

/*
 * Every word of a set is fetched from the set exactly once. The set is a
 * map value that user space (any holder of the map) may rewrite while a
 * call runs: a word the matcher has checked must not be read again from
 * memory, where it may have changed since (a compiler may merge or repeat
 * plain loads; it does neither with a volatile one). Unaligned: the
 * tests' buffers need not be aligned (map values are). The two hot row
 * steps (KFX_STEP, KFX_WSTEP) keep a plain load: the entry is compared
 * and used as the next row offset at once, with nothing in between that
 * could make a compiler load it again.
 */
typedef u32 __attribute__((__aligned__(1))) kfx_u32_una;

static inline u32 kfx_get(const u8 *p)
{
	return *(const volatile kfx_u32_una *)p;
}

struct kfx_auto {
	u32 off;	/* first state word */
	u32 nstates;
	u32 trans;	/* first transition word */
	u32 ntrans;
	u32 globs;	/* first glob id word */
	u32 nglobs;
	u32 cmap;	/* byte -> class map, 256 bytes (64 words) */
	u32 dense;	/* first dense row word */
	u32 ndense;	/* states 0..ndense-1 have a dense row */
	u32 cshift;	/* a row has 1 << cshift entries */
};

struct kfx_set_ctx {
	const u8 *set;
	u32 nw;		/* words in the set (checked against set_sz) */
	u32 nrules, rules, nverify, verify, pool, pool_bytes;
	const u8 *str;
	u32 n;
	u32 best;
	u64 steps;
	u32 len;	/* bytes before the first NUL, or NONE: not known yet */
	/* Next to each other: zeroed by two stores. */
	u32 glob_steps;	/* of all verifications so far */
	u32 pre_steps;	/* of all glob pre-checks so far */
	u32 nverified;
	u32 ndone;
	u32 verified[KFX_SET_VERIFY_MAX];
	u32 done[KFX_SET_GLOB_DONE];	/* glob states whose list is done */
	u32 quiet;	/* a state kfx_outputs has nothing more from, or NONE */
};

/* Word i of the set: callers have checked i < nw. */
static inline u32 kfx_w(const struct kfx_set_ctx *c, u32 i)
{
	return kfx_get(c->set + (u64)i * 4);
}

/* Word field f of state s of a: s < a->nstates checked by the caller. */
static inline u32 kfx_sw(const struct kfx_set_ctx *c,
			 const struct kfx_auto *a, u32 s, u32 f)
{
	return kfx_w(c, a->off + s * KFX_SET_STATE_WORDS + f);
}

/* A region of cnt words at off lies inside the set. */
static inline int kfx_in(const struct kfx_set_ctx *c, u64 off, u64 cnt)
{
	return off <= c->nw && cnt <= c->nw - off;
}

static inline int kfx_auto_init(const struct kfx_set_ctx *c, struct kfx_auto *a,
			 u32 h)
{
	u64 words;

	a->nstates = kfx_w(c, h + 1);
	if (!a->nstates)
		return 0;	/* no rule needs this automaton */
	a->off = kfx_w(c, h);
	a->ntrans = kfx_w(c, h + 2);
	a->nglobs = kfx_w(c, h + 3);
	a->ndense = kfx_w(c, h + 4);
	a->cshift = kfx_w(c, h + 5);
	/*
	 * Targets are 24 bits; 2^24 states would not fit in 4 MiB anyway.
	 * These O(1) checks are all the dense rows need: an entry below
	 * ndense << cshift is inside a dense state's row, and a class byte
	 * (< 256) past it stays inside the KFX_SET_ROW_PAD words that follow
	 * the last row.
	 */
	if (a->nstates > (1u << 24) || a->ndense > a->nstates ||
	    a->cshift > 8)
		return -KFX_EINVAL;
	words = (u64)a->nstates * KFX_SET_STATE_WORDS + a->ntrans + a->nglobs +
		KFX_SET_CMAP_WORDS + ((u64)a->ndense << a->cshift) +
		KFX_SET_ROW_PAD;
	if (!kfx_in(c, a->off, words))
		return -KFX_EINVAL;
	a->trans = a->off + a->nstates * KFX_SET_STATE_WORDS;
	a->globs = a->trans + a->ntrans;
	a->cmap = a->globs + a->nglobs;
	a->dense = a->cmap + KFX_SET_CMAP_WORDS;
	/* The root has depth 0: the failure amortisation starts from it. */
	if (kfx_sw(c, a, 0, KFX_SS_DEPTH))
		return -KFX_EINVAL;
	return 0;
}

/* A rule id read from the set: NONE, or a valid rule. */
static inline int kfx_id_ok(const struct kfx_set_ctx *c, u32 id)
{
	return id == KFX_SET_NONE || id < c->nrules;
}

static u32 kfx_nul_len(const u8 *str, u32 sz);

/*
 * The string's length up to its first NUL.  The first automaton run finds
 * it at the end of its scan, but a glob candidate can come up before: then
 * it is looked for here, once per call (a word at a time).
 */
static u32 kfx_str_len(struct kfx_set_ctx *c)
{
	if (c->len == KFX_SET_NONE) {
		c->len = kfx_nul_len(c->str, c->n);
		c->steps += c->len / 8 + 1;
	}
	return c->len;
}

/*
 * Pre-check of glob pat[0..len): the bytes before its first special byte
 * ('*', '?', '[', '\') must start the string, those after its last special
 * byte (or, in a path glob, '/': a leading "** /" may match nothing) must
 * end it, without overlapping.  Both are literal in every match, so a
 * string failing them cannot match; most candidates sharing an anchor
 * fail here, in O(prefix + suffix) steps, and do not count against
 * KFX_SET_VERIFY_MAX.  1 may match, 0 cannot, < 0 out of budget.
 */
/* Not inlined: its frame stays off the path down to the glob matcher. */
static KFX_NOINLINE
int kfx_precheck(struct kfx_set_ctx *c, const u8 *pat, u32 len, int path)
{
	u32 n = kfx_str_len(c), i, j;
	const u8 *s = c->str;
	int r = 1;
	u8 p;

	for (i = 0; i < len; i++) {
		p = pat[i];
		if (p == '*' || p == '?' || p == '[' || p == '\\')
			break;
		if (i >= n || s[i] != p) {
			r = 0;
			goto out;
		}
	}
	if (i == len) {
		/* No special byte: the pattern matches itself only. */
		r = n == len;
		goto out;
	}
	for (j = 0; j < len - i; j++) {
		p = pat[len - 1 - j];
		if (p == '*' || p == '?' || p == '[' || p == ']' ||
		    p == '\\' || (path && p == '/'))
			break;
		if (i + j >= n || s[n - 1 - j] != p) {
			r = 0;
			break;
		}
	}
	i += j;
out:
	c->steps += i + 1;
	c->pre_steps += i + 1;
	if (c->pre_steps > KFX_SET_PRE_BUDGET)
		return -KFX_ERANGE;
	return r;
}

/* Glob-verify rule id (once per call): 1 match, 0 not, < 0 error. */
static int kfx_verify(struct kfx_set_ctx *c, u32 id)
{
	u32 kind, off, len, steps, i, budget;
	const char *pat;
	int r;

	if (id >= c->nrules)
		return -KFX_EINVAL;
	for (i = 0; i < c->nverified; i++)
		if (c->verified[i] == id)
			return 0;	/* done before: it did not match */
	/*
	 * The rule table and the byte pool are read here only: checked on
	 * the call's first verification, so that a scan with no glob
	 * candidate does not pay for them.
	 */
	if (c->rules == KFX_SET_NONE) {
		c->rules = kfx_w(c, KFX_SH_RULES);
		c->pool = kfx_w(c, KFX_SH_POOL);
		c->pool_bytes = kfx_w(c, KFX_SH_POOL_BYTES);
		if (!kfx_in(c, c->rules, (u64)c->nrules * 3) ||
		    !kfx_in(c, c->pool, ((u64)c->pool_bytes + 3) / 4)) {
			c->rules = KFX_SET_NONE;
			return -KFX_EINVAL;
		}
	}
	kind = kfx_w(c, c->rules + id * 3);
	off = kfx_w(c, c->rules + id * 3 + 1);
	len = kfx_w(c, c->rules + id * 3 + 2);
	if (len > KFX_SET_PAT_MAX || off > c->pool_bytes ||
	    len > c->pool_bytes - off)
		return -KFX_EINVAL;
	if (kind != KFX_RULE_GLOB && kind != KFX_RULE_PATH)
		return -KFX_EINVAL;
	pat = (const char *)c->set + (u64)c->pool * 4 + off;
	r = kfx_precheck(c, (const u8 *)pat, len, kind == KFX_RULE_PATH);
	if (r <= 0)
		return r;
	if (c->nverified == KFX_SET_VERIFY_MAX)
		return -KFX_ERANGE;
	c->verified[c->nverified++] = id;
	/* One glob budget per call, shared by its verifications. */
	if (c->glob_steps >= KFX_SET_GLOB_BUDGET)
		return -KFX_ERANGE;
	budget = KFX_SET_GLOB_BUDGET - c->glob_steps;
	if (kind == KFX_RULE_GLOB)
		r = kfx_glob_match_budget((const char *)c->str, c->n, pat, len,
					  budget, &steps);
	else if (kind == KFX_RULE_PATH)
		r = kfx_path_match_budget((const char *)c->str, c->n, pat, len,
					  budget, &steps);
	else
		return -KFX_EINVAL;
	c->steps += steps;
	c->glob_steps += steps;
	return r;
}

/*
 * Glob rule ids at words [first, first + cnt): verify those below best.
 * Ids must ascend, so that only the (at most KFX_SET_VERIFY_MAX) ids
 * verified already are passed over: the work per list stays bounded.
 */
static int kfx_verify_list(struct kfx_set_ctx *c, u32 first, u32 cnt)
{
	u32 k, id, prev = 0;
	int r;

	for (k = 0; k < cnt; k++) {
		c->steps++;
		id = kfx_w(c, first + k);
		if (k && id <= prev)
			return -KFX_EINVAL;
		prev = id;
		if (id >= c->best)
			break;
		r = kfx_verify(c, id);
		if (r < 0)
			return r;
		if (r) {
			c->best = id;
			break;
		}
	}
	return 0;
}

/* Candidates at state s: its glob chain, then the substring output. */
static int kfx_outputs(struct kfx_set_ctx *c, const struct kfx_auto *a,
		       u32 s, u32 pos, int literal_kinds)
{
	u32 g, depth, gd, goff, ng, id, k, hops = 0;
	int r;

	id = kfx_sw(c, a, s, KFX_SS_SUB);
	if (!kfx_id_ok(c, id))
		return -KFX_EINVAL;
	if (id < c->best)
		c->best = id;
	if (!literal_kinds)
		return 0;
	depth = kfx_sw(c, a, s, KFX_SS_DEPTH);
	/* The whole string so far is the state's string: prefix rules. */
	if (depth == pos + 1) {
		id = kfx_sw(c, a, s, KFX_SS_PRE);
		if (!kfx_id_ok(c, id))
			return -KFX_EINVAL;
		if (id < c->best)
			c->best = id;
	}
	for (g = kfx_sw(c, a, s, KFX_SS_GLINK); g != KFX_SET_NONE; ) {
		if (g >= a->nstates || ++hops > KFX_SET_GLOB_NEST)
			return -KFX_EINVAL;
		gd = kfx_sw(c, a, g, KFX_SS_DEPTH);
		/* Strictly shallower along the chain: it must end. */
		if (gd > depth || (hops > 1 && gd == depth))
			return -KFX_EINVAL;
		depth = gd;
		goff = kfx_sw(c, a, g, KFX_SS_GOFF);
		ng = kfx_sw(c, a, g, KFX_SS_NGLOB);
		if (goff > a->nglobs || ng > a->nglobs - goff)
			return -KFX_EINVAL;
		/*
		 * A list's outcome does not depend on where the anchor
		 * occurred (verification and pre-checks are on the whole
		 * string, and best only falls): walk each list once a call.
		 */
		for (k = 0; k < c->ndone && c->done[k] != g; k++)
			;
		c->steps += k;
		if (k == c->ndone) {
			r = kfx_verify_list(c, a->globs + goff, ng);
			if (r)
				return r;
			if (c->ndone < KFX_SET_GLOB_DONE)
				c->done[c->ndone++] = g;
		}
		/* Next: the nearest glob state below g's failure link. */
		if (!gd)
			break;
		g = kfx_sw(c, a, g, KFX_SS_FAIL);
		if (g >= a->nstates)
			return -KFX_EINVAL;
		g = kfx_sw(c, a, g, KFX_SS_GLINK);
	}
	return 0;
}

/*
 * After kfx_outputs(s) in the case-sensitive automaton: nothing more can
 * come from s in this call if it has no substring output, every glob list
 * on its chain has been walked and remembered (the memory is not full, so
 * none was left out), and its prefix output needs depth == pos + 1, which
 * a later visit (pos larger, depth the same) cannot meet.  kfx_run skips
 * s from then on: a scan sitting in a glob anchor's state ("a^40" in a^n)
 * would otherwise come back here every byte.
 */
static inline void kfx_quiet(struct kfx_set_ctx *c, const struct kfx_auto *a,
			     u32 s)
{
	if (c->ndone < KFX_SET_GLOB_DONE &&
	    kfx_sw(c, a, s, KFX_SS_SUB) == KFX_SET_NONE)
		c->quiet = s;
}

/* Byte b's class in a's map (dense rows are indexed by class). */
static inline u32 kfx_class(const struct kfx_set_ctx *c,
			    const struct kfx_auto *a, u8 b)
{
	return c->set[(u64)a->cmap * 4 + b];
}

/* Dense row entry of state s < a->ndense for class k (< 256, padded). */
static inline u32 kfx_dense(const struct kfx_set_ctx *c,
			    const struct kfx_auto *a, u32 s, u32 k)
{
	return kfx_w(c, a->dense + (s << a->cshift) + k);
}

/*
 * Take dense entry e (read at a state of verified depth bound lim - 1):
 * its target, checked; a sparse target's depth is at most lim, which keeps
 * the failure amortisation of the sparse states (see kfx_run).
 */
static inline int kfx_dense_target(const struct kfx_set_ctx *c,
				   const struct kfx_auto *a, u32 e, u64 lim,
				   u32 *t)
{
	*t = (e & ~KFX_SET_DOUT) >> a->cshift;
	if (*t >= a->nstates)
		return -KFX_EINVAL;
	if (*t >= a->ndense && kfx_sw(c, a, *t, KFX_SS_DEPTH) > lim)
		return -KFX_EINVAL;
	return 0;
}

/* State s's record (s < a->nstates checked by the caller). */
static inline const u8 *kfx_rec(const struct kfx_set_ctx *c,
				const struct kfx_auto *a, u32 s)
{
	return c->set + ((u64)a->off + (u64)s * KFX_SET_STATE_WORDS) * 4;
}

static inline u32 kfx_ld(const u8 *p, u32 word)
{
	return kfx_get(p + word * 4);
}

/*
 * Byte b (folded for the ISUBSTR automaton) from sparse state *s: goto,
 * else failure links until a goto or a dense state, whose row ends it.
 * *lim_d gets the verified depth bound after the byte, *out the target's
 * output flag.  Every index is checked before use; each failure strictly
 * lowers the depth (see kfx_run for why that bounds the work).
 */
static int kfx_sparse_step(struct kfx_set_ctx *c, const struct kfx_auto *a,
			   u32 *s, u8 b, u64 *lim_d, u32 *out)
{
	const u8 *rec = kfx_rec(c, a, *s), *tr;
	u32 nt, toff, d, lo, hi, mid, e, t, fd, steps = 0;
	int r = 0;

	for (;;) {
		nt = kfx_ld(rec, KFX_SS_NTRANS) & ~KFX_SET_DOUT;
		toff = kfx_ld(rec, KFX_SS_TOFF);
		d = kfx_ld(rec, KFX_SS_DEPTH);
		if (nt > 256 || toff > a->ntrans || nt > a->ntrans - toff)
			goto bad;
		tr = c->set + ((u64)a->trans + toff) * 4;
		lo = 0;
		hi = nt;
		while (lo < hi) {
			steps++;
			mid = lo + (hi - lo) / 2;
			e = kfx_ld(tr, mid);
			if (e >> 24 == b) {
				t = e & 0xffffff;
				if (t >= a->nstates)
					goto bad;
				rec = kfx_rec(c, a, t);
				/* Exactly one deeper. */
				if (kfx_ld(rec, KFX_SS_DEPTH) != d + 1)
					goto bad;
				*s = t;
				*lim_d = (u64)d + 1;
				*out = kfx_ld(rec, KFX_SS_NTRANS) & KFX_SET_DOUT;
				goto done;
			}
			if (e >> 24 < b)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!d) {
			*lim_d = 0;	/* a root stays */
			*out = kfx_ld(rec, KFX_SS_NTRANS) & KFX_SET_DOUT;
			goto done;
		}
		t = kfx_ld(rec, KFX_SS_FAIL);
		if (t >= a->nstates)
			goto bad;
		rec = kfx_rec(c, a, t);
		/* Strictly shallower: failures never outnumber bytes. */
		fd = kfx_ld(rec, KFX_SS_DEPTH);
		if (fd >= d)
			goto bad;
		*s = t;
		if (t < a->ndense) {
			/* Its row has the rest of the chain folded in. */
			steps++;
			*lim_d = (u64)fd + 1;
			e = kfx_dense(c, a, t, kfx_class(c, a, b));
			r = kfx_dense_target(c, a, e, *lim_d, s);
			*out = e & KFX_SET_DOUT;
			goto done;
		}
	}
bad:
	r = -KFX_EINVAL;
done:
	c->steps += steps;
	return r;
}

/*
 * One automaton over the string.  Dense states (the first ndense in BFS
 * order: the shallow ones, where a scan spends almost all its bytes) take
 * one table read per byte: their row holds the full transition function
 * (goto with the failures already followed), and the entry's top bit says
 * whether the target has a candidate to look at (a substring, prefix or
 * glob output), so the loop below does nothing else for most bytes.  The
 * deeper, sparse states use the sorted transitions and failure links.
 *
 * Work bound with hostile tables: a dense byte costs O(1).  For the
 * sparse states, lim is an upper bound on the depth the current state may
 * have: it grows by one per byte, a sparse state entered must not be
 * deeper, and each failure step strictly lowers the depth; after a sparse
 * byte lim becomes the verified depth reached (+1 for a goto).  So all the
 * failure steps of a call together are at most n, as in plain AC, whatever
 * the dense rows claim.
 */
enum { KFX_RUN_FOLD = 1, KFX_RUN_SUFFIX = 2 };

static KFX_INLINE int kfx_run_in(struct kfx_set_ctx *c,
				  const struct kfx_auto *a, int mode, u32 from)
{
	const u8 *str = c->str;
	u32 s = 0, t, i = from, e, nd = a->ndense, n = c->n, start, out;
	u64 lim_d = 0, lim_i = from;	/* lim at byte i: lim_d + i - lim_i */
	/* Suffix-only runs (see kfx_anchored) look at no output on the way. */
	u32 omask = mode & KFX_RUN_SUFFIX ? 0 : KFX_SET_DOUT;
	int fold = mode & KFX_RUN_FOLD;
	int r;
	u8 b;

	c->quiet = KFX_SET_NONE;	/* a state of this automaton */
	while (i < n) {
		if (s < nd) {
			/*
			 * The hot loop, with everything it needs in locals
			 * (byte loads may alias the context for the compiler).
			 * Entries are row offsets (state << cshift): an entry
			 * below lim is a dense state's row, and a row plus any
			 * class (< 256) stays inside the region kfx_auto_init
			 * checked, padding included: no check but e < lim.
			 */
			const u8 *cmap = c->set + (u64)a->cmap * 4;
			const u8 *rows = c->set + (u64)a->dense * 4;
			const u8 *p = str + i, *end = str + n;
			u32 sh = a->cshift, lim = nd << sh, off = s << sh;

			start = i;
			/*
			 * Eight bytes a round: one end check for eight, and
			 * the entry read straight into the row offset (the
			 * exit path needs only the entry).
			 */
#define KFX_STEP(k, col) do { \
		__builtin_memcpy(&off, rows + ((u64)off + (col)) * 4, \
				 sizeof(off)); \
		if (off >= lim) { \
			p += (k) + 1; \
			goto left; \
		} \
	} while (0)
#define KFX_DSTEP(k) KFX_STEP(k, cmap[p[k]])
#define KFX_RSTEP(k) KFX_STEP(k, p[k])
#define KFX_STEP8(step, b) do { \
		step((b) + 0); step((b) + 1); step((b) + 2); step((b) + 3); \
		step((b) + 4); step((b) + 5); step((b) + 6); step((b) + 7); \
	} while (0)
			if (sh == 8) {
				/* Byte-wide rows: the byte is the column. */
				while (end - p >= 128) {
					KFX_STEP8(KFX_RSTEP, 0);
					KFX_STEP8(KFX_RSTEP, 8);
					KFX_STEP8(KFX_RSTEP, 16);
					KFX_STEP8(KFX_RSTEP, 24);
					KFX_STEP8(KFX_RSTEP, 32);
					KFX_STEP8(KFX_RSTEP, 40);
					KFX_STEP8(KFX_RSTEP, 48);
					KFX_STEP8(KFX_RSTEP, 56);
					KFX_STEP8(KFX_RSTEP, 64);
					KFX_STEP8(KFX_RSTEP, 72);
					KFX_STEP8(KFX_RSTEP, 80);
					KFX_STEP8(KFX_RSTEP, 88);
					KFX_STEP8(KFX_RSTEP, 96);
					KFX_STEP8(KFX_RSTEP, 104);
					KFX_STEP8(KFX_RSTEP, 112);
					KFX_STEP8(KFX_RSTEP, 120);
					p += 128;
				}
				while (end - p >= 16) {
					KFX_STEP8(KFX_RSTEP, 0);
					KFX_STEP8(KFX_RSTEP, 8);
					p += 16;
				}
				while (p < end) {
					KFX_RSTEP(0);
					p++;
				}
			} else {
				while (end - p >= 8) {
					KFX_STEP8(KFX_DSTEP, 0);
					p += 8;
				}
				while (p < end) {
					KFX_DSTEP(0);
					p++;
				}
			}
#undef KFX_STEP8
#undef KFX_RSTEP
#undef KFX_DSTEP
#undef KFX_STEP
			/* The string ended in a dense state. */
			c->steps += (u32)(p - str) - start;
			s = off >> sh;
			break;
left:
			e = off;
			i = (u32)(p - str);
			c->steps += i - start;
			r = kfx_dense_target(c, a, e, lim_d + i - lim_i, &t);
			if (r)
				return r;
			s = t;
			/*
			 * The NUL byte has a class of its own whose entries
			 * stay in the state but leave the loop (flagged): the
			 * string ends there.
			 */
			if (!str[i - 1]) {
				c->n = n = i - 1;
				break;
			}
			if ((e & omask) && s != c->quiet) {
				r = kfx_outputs(c, a, s, i - 1, !fold);
				if (r)
					return r;
				if (!fold)
					kfx_quiet(c, a, s);
			}
			continue;
		}
		/* A sparse state: goto, else failure links, for byte i. */
		b = str[i];
		if (!b) {
			c->n = n = i;	/* the string ends at its first NUL */
			break;
		}
		if (fold && b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		r = kfx_sparse_step(c, a, &s, b, &lim_d, &out);
		if (r)
			return r;
		i++;
		lim_i = i;
		/* Only states with a candidate output are flagged. */
		if ((out & omask) && s != c->quiet) {
			r = kfx_outputs(c, a, s, i - 1, !fold);
			if (r)
				return r;
			if (!fold)
				kfx_quiet(c, a, s);
		}
	}
	if (fold)
		return 0;
	/* The end: suffix rules among the outputs, exact ones at full depth. */
	t = kfx_sw(c, a, s, KFX_SS_SUF);
	if (!kfx_id_ok(c, t))
		return -KFX_EINVAL;
	if (t < c->best)
		c->best = t;
	if (!(mode & KFX_RUN_SUFFIX) && kfx_sw(c, a, s, KFX_SS_DEPTH) == c->n) {
		t = kfx_sw(c, a, s, KFX_SS_EXACT);
		if (!kfx_id_ok(c, t))
			return -KFX_EINVAL;
		if (t < c->best)
			c->best = t;
	}
	return 0;
}

/* Out of line for the suffix tail and the ISUBSTR automaton. */
static KFX_NOINLINE int kfx_run(struct kfx_set_ctx *c,
				const struct kfx_auto *a, int mode, u32 from)
{
	return kfx_run_in(c, a, mode, from);
}

/*
 * Goto (no failure) from state s on byte b: 1 and *t, or 0.  From a dense
 * row, the entry is a goto exactly when its target is one deeper (a
 * failure-derived entry is never deeper than s).
 */
static int kfx_goto(const struct kfx_set_ctx *c, const struct kfx_auto *a,
		    u32 s, u8 b, u32 *t, int *err)
{
	const u8 *rec = kfx_rec(c, a, s), *tr;
	u32 d = kfx_ld(rec, KFX_SS_DEPTH), nt, toff, lo, hi, mid, e;

	if (s < a->ndense) {
		*t = (kfx_dense(c, a, s, kfx_class(c, a, b)) & ~KFX_SET_DOUT) >>
		     a->cshift;
		if (*t >= a->nstates)
			goto bad;
		return kfx_sw(c, a, *t, KFX_SS_DEPTH) == d + 1;
	}
	nt = kfx_ld(rec, KFX_SS_NTRANS) & ~KFX_SET_DOUT;
	toff = kfx_ld(rec, KFX_SS_TOFF);
	if (nt > 256 || toff > a->ntrans || nt > a->ntrans - toff)
		goto bad;
	tr = c->set + ((u64)a->trans + toff) * 4;
	lo = 0;
	hi = nt;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = kfx_ld(tr, mid);
		if (e >> 24 == b) {
			*t = e & 0xffffff;
			if (*t >= a->nstates)
				goto bad;
			return 1;
		}
		if (e >> 24 < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
bad:
	*err = -KFX_EINVAL;
	return 0;
}

/*
 * A case-sensitive automaton with prefix, exact and suffix rules only
 * (KFX_SET_ROOT_ANCHORED): prefix rules along the trie walk from byte 0,
 * which ends at the first byte without a goto (past it the automaton would
 * be back on a failure chain: no prefix can match any more); exact at the
 * end of the walk if it consumed the string; suffix rules by finding the
 * NUL and running the automaton over the last depth bytes only (every
 * state's string is at most depth long, so the state at the end is the
 * same).  O(min(n, depth)), plus n / 8 with suffix rules, instead of O(n):
 * the prefix-only set vs one LPM trie lookup.
 */
/* Not inlined: its locals would grow the frame every call path shares. */
static KFX_NOINLINE
int kfx_anchored(struct kfx_set_ctx *c, const struct kfx_auto *a, u32 info)
{
	const u8 *str = c->str;
	u32 s = 0, t, i, id, len = 0, depth = KFX_SET_ROOT_DEPTH(info);
	int err = 0;

	for (i = 0; i < c->n && str[i]; i++) {
		if (!kfx_goto(c, a, s, str[i], &t, &err))
			break;
		s = t;
		id = kfx_sw(c, a, s, KFX_SS_PRE);
		if (!kfx_id_ok(c, id))
			return -KFX_EINVAL;
		if (id < c->best)
			c->best = id;
	}
	c->steps += i + 1;
	if (err)
		return err;
	/* The walk reached the string's end: exact rules. */
	if (i == c->n || !str[i]) {
		c->n = c->len = len = i;
		id = kfx_sw(c, a, s, KFX_SS_EXACT);
		if (!kfx_id_ok(c, id))
			return -KFX_EINVAL;
		if (id < c->best)
			c->best = id;
	} else if (info & KFX_SET_ROOT_SUFFIX) {
		/* The end is needed for suffix rules only: the first NUL. */
		len = i + kfx_nul_len(str + i, c->n - i);
		c->steps += (len - i) / 8 + 1;
		c->n = c->len = len;
	}
	if (!(info & KFX_SET_ROOT_SUFFIX))
		return 0;
	return kfx_run(c, a, KFX_RUN_SUFFIX, len > depth ? len - depth : 0);
}

/*
 * Goto from sparse state s on byte b: 1 and *t (< nstates), 0 if none,
 * -KFX_EINVAL for a malformed state.  At most 9 probes.
 */
static inline int kfx_sparse_goto(const struct kfx_set_ctx *c,
				  const struct kfx_auto *a, u32 s, u8 b, u32 *t)
{
	const u8 *rec = kfx_rec(c, a, s), *tr;
	u32 nt = kfx_ld(rec, KFX_SS_NTRANS) & ~KFX_SET_DOUT, lo = 0, hi, mid, e;
	u32 toff = kfx_ld(rec, KFX_SS_TOFF);

	if (nt > 256 || toff > a->ntrans || nt > a->ntrans - toff)
		return -KFX_EINVAL;
	tr = c->set + ((u64)a->trans + toff) * 4;
	hi = nt;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = kfx_ld(tr, mid);
		if (e >> 24 == b) {
			*t = e & 0xffffff;
			return *t < a->nstates ? 1 : -KFX_EINVAL;
		}
		if (e >> 24 < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * A case-sensitive automaton of prefix and exact rules only, whose dense
 * rows hold gotos only (KFX_SET_ROOT_GOTO): the walk from byte 0 is the
 * plain row loop, one load (two with a class map) and one compare a byte:
 * an entry of 0 (back to the root) ends the walk, one at or past the rows'
 * end (a flagged target: a prefix rule, or the NUL column; or a sparse
 * target) leaves the loop to be looked at.  Sparse states take their goto
 * by binary search.  Work: at most n bytes, each O(1) dense or 9 probes
 * sparse, whatever the rows say; no failure link is ever followed.  The
 * same as one LPM trie lookup, which is what it competes with.
 */
static KFX_INLINE int kfx_goto_walk_in(struct kfx_set_ctx *c,
					const struct kfx_auto *a)
{
	const u8 *str = c->str, *p = str, *end = str + c->n;
	const u8 *cmap = c->set + (u64)a->cmap * 4;
	const u8 *rows = c->set + (u64)a->dense * 4;
	u32 sh = a->cshift, nd = a->ndense, lim = nd << sh, off = 0, e = 0;
	u32 s = 0, t, id, best = c->best;
	int r;

	if (!nd)
		goto sparse;	/* no rows at all: the root is sparse */
	for (;;) {
		/*
		 * State off >> sh, dense.  e - 1 < lim - 1: neither 0 (no
		 * goto) nor past the rows (lim >= 1 here: nd >= 1).
		 */
#define KFX_WSTEP(k, col) do { \
		__builtin_memcpy(&e, rows + ((u64)off + (col)) * 4, \
				 sizeof(e)); \
		if (e - 1 >= lim - 1) { \
			p += (k); \
			goto left; \
		} \
		off = e; \
	} while (0)
		if (sh == 8) {
			while (end - p >= 4) {
				KFX_WSTEP(0, p[0]);
				KFX_WSTEP(1, p[1]);
				KFX_WSTEP(2, p[2]);
				KFX_WSTEP(3, p[3]);
				p += 4;
			}
			while (p < end) {
				KFX_WSTEP(0, p[0]);
				p++;
			}
		} else {
			while (end - p >= 4) {
				KFX_WSTEP(0, cmap[p[0]]);
				KFX_WSTEP(1, cmap[p[1]]);
				KFX_WSTEP(2, cmap[p[2]]);
				KFX_WSTEP(3, cmap[p[3]]);
				p += 4;
			}
			while (p < end) {
				KFX_WSTEP(0, cmap[p[0]]);
				p++;
			}
		}
#undef KFX_WSTEP
left:
		s = off >> sh;
		if (p == end)
			goto at_end;
		if (!e)
			goto out;	/* no goto: no prefix any more */
		t = (e & ~KFX_SET_DOUT) >> sh;
		if (t >= a->nstates)
			return -KFX_EINVAL;
		if (!*p)
			goto at_end;	/* the NUL column: the string ends */
		s = t;
		p++;
		if (e & KFX_SET_DOUT) {
			id = kfx_sw(c, a, s, KFX_SS_PRE);
			if (!kfx_id_ok(c, id))
				return -KFX_EINVAL;
			if (id < best)
				best = id;
		}
		if (s < nd) {
			off = s << sh;
			continue;
		}
sparse:
		for (;;) {
			if (p == end || !*p)
				goto at_end;
			r = kfx_sparse_goto(c, a, s, *p, &t);
			if (r < 0)
				return r;
			if (!r)
				goto out;
			s = t;
			p++;
			if (kfx_sw(c, a, s, KFX_SS_NTRANS) & KFX_SET_DOUT) {
				id = kfx_sw(c, a, s, KFX_SS_PRE);
				if (!kfx_id_ok(c, id))
					return -KFX_EINVAL;
				if (id < best)
					best = id;
			}
			if (s < nd)
				break;	/* back in the rows */
		}
		off = s << sh;
	}
at_end:
	/* The walk consumed the string: exact rules at s. */
	c->n = c->len = (u32)(p - str);
	id = kfx_sw(c, a, s, KFX_SS_EXACT);
	if (!kfx_id_ok(c, id))
		return -KFX_EINVAL;
	if (id < best)
		best = id;
out:
	c->steps += (u32)(p - str) + 1;
	c->best = best;
	return 0;
}

/* Out of line for sets with more than prefix and exact rules. */
static KFX_NOINLINE
int kfx_goto_walk(struct kfx_set_ctx *c, const struct kfx_auto *a)
{
	return kfx_goto_walk_in(c, a);
}

/*
 * Length up to the first NUL: eight bytes at a time (a byte loop here cost
 * more than a whole strstr); reads stay inside str[0..sz).
 */
static u32 kfx_nul_len(const u8 *str, u32 sz)
{
	const u64 ones = 0x0101010101010101ull, highs = ones << 7;
	u64 v;
	u32 i = 0;

	for (; i + 8 <= sz; i += 8) {
		__builtin_memcpy(&v, str + i, sizeof(v));
		if ((v - ones) & ~v & highs)
			break;	/* a zero byte among these eight */
	}
	while (i < sz && str[i])
		i++;
	return i;
}

/* Inlined in both entry points: the kfunc's call is the only one. */
/* Word i of a set whose first nw words are readable (i < nw). */
static inline u32 kfx_rw(const u8 *set, u32 i)
{
	return kfx_get(set + (u64)i * 4);
}

/*
 * A set of prefix and exact rules only (KFX_SET_ROOT_GOTO, no always-
 * verified glob, no ISUBSTR automaton): the goto walk is all there is to
 * do.  Its own small function, entered by a tail call before anything of
 * the general path's frame is set up (it reads the automaton and nothing
 * else, so the rest of the set needs no checking).  steps may be NULL.
 */
static KFX_NOINLINE int kfx_walk_set(const u8 *set, u32 nw, u32 nrules,
				     u32 aoff, const u8 *str, u32 n,
				     u64 *steps)
{
	u32 ns = kfx_rw(set, KFX_SH_A_STATES);
	u32 ntr = kfx_rw(set, KFX_SH_A_TRANS), ngl = kfx_rw(set, KFX_SH_A_GLOBS);
	u32 nd = kfx_rw(set, KFX_SH_A_DENSE), sh = kfx_rw(set, KFX_SH_A_CSHIFT);
	u32 lim, off = 0, e = 0, s = 0, t, id, best = KFX_SET_NONE;
	u32 nt, toff, lo, hi, mid;
	const u8 *st, *tr, *cmap, *rows, *p = str, *end = str + n, *x;

	/*
	 * As kfx_auto_init. aoff is the caller's (it checked aoff < nw and
	 * read the root's word through it): never fetched again.
	 */
	if (ns > (1u << 24) || nd > ns || sh > 8 ||
	    (u64)ns * KFX_SET_STATE_WORDS + ntr + ngl + KFX_SET_CMAP_WORDS +
	    ((u64)nd << sh) + KFX_SET_ROW_PAD > nw - aoff)
		return -KFX_EINVAL;
	st = set + (u64)aoff * 4;
	tr = st + (u64)ns * KFX_SET_STATE_WORDS * 4;
	cmap = tr + ((u64)ntr + ngl) * 4;
	rows = cmap + KFX_SET_CMAP_WORDS * 4;
	lim = nd << sh;
#define KFX_ST(s, f) kfx_ld(st, (s) * KFX_SET_STATE_WORDS + (f))
	if (!nd)
		goto sparse;	/* no rows at all: the root is sparse */
	for (;;) {
		/*
		 * Dense state off >> sh.  e - 1 < lim - 1: neither 0 (no goto)
		 * nor past the rows (lim >= 1 here: nd >= 1).  Walks are
		 * short (a rule's depth at most): no unrolling.
		 */
		if (sh == 8) {
			for (; p < end; p++) {
				e = kfx_ld(rows, off + *p);
				if (e - 1 >= lim - 1)
					break;
				off = e;
			}
		} else {
			for (; p < end; p++) {
				e = kfx_ld(rows, off + cmap[*p]);
				if (e - 1 >= lim - 1)
					break;
				off = e;
			}
		}
		s = off >> sh;
		if (p == end)
			goto at_end;
		if (!e)
			goto out;	/* no goto: no prefix any more */
		t = (e & ~KFX_SET_DOUT) >> sh;
		if (t >= ns)
			return -KFX_EINVAL;
		if (!*p)
			goto at_end;	/* the NUL column: the string ends */
		s = t;
		p++;
		if (e & KFX_SET_DOUT) {
			id = KFX_ST(s, KFX_SS_PRE);
			if (id < best) {
				if (id >= nrules)
					return -KFX_EINVAL;
				best = id;
			}
		}
		if (s < nd) {
			off = s << sh;
			continue;
		}
sparse:
		/* Sparse states: the goto by binary search, no failure. */
		for (;;) {
			if (p == end || !*p)
				goto at_end;
			nt = KFX_ST(s, KFX_SS_NTRANS) & ~KFX_SET_DOUT;
			toff = KFX_ST(s, KFX_SS_TOFF);
			if (nt > 256 || toff > ntr || nt > ntr - toff)
				return -KFX_EINVAL;
			x = tr + (u64)toff * 4;
			lo = 0;
			hi = nt;
			for (;;) {
				if (lo >= hi)
					goto out;	/* no goto */
				mid = lo + (hi - lo) / 2;
				e = kfx_ld(x, mid);
				if (e >> 24 == *p)
					break;
				if (e >> 24 < *p)
					lo = mid + 1;
				else
					hi = mid;
			}
			s = e & 0xffffff;
			if (s >= ns)
				return -KFX_EINVAL;
			p++;
			if (KFX_ST(s, KFX_SS_NTRANS) & KFX_SET_DOUT) {
				id = KFX_ST(s, KFX_SS_PRE);
				if (id < best) {
					if (id >= nrules)
						return -KFX_EINVAL;
					best = id;
				}
			}
			if (s < nd)
				break;	/* back in the rows */
		}
		off = s << sh;
	}
at_end:
	/* The walk consumed the string: exact rules at s. */
	id = KFX_ST(s, KFX_SS_EXACT);
	if (id < best) {
		if (id >= nrules)
			return -KFX_EINVAL;
		best = id;
	}
out:
#undef KFX_ST
	if (steps)
		*steps = (u64)(p - str) + 1;
	return best == KFX_SET_NONE ? -1 : (int)best;
}

/*
 * The general path, after kfx_match's header checks: out of line, entered
 * by a tail call, so that the header checks and the goto walk's entry
 * need no frame.
 */
static KFX_NOINLINE int kfx_match_all(const u8 *set, u32 nw, u32 nrules,
				      const char *str, u32 str_sz, u64 *steps)
{
	struct kfx_set_ctx c;
	struct kfx_auto a, b;
	u32 info;
	int r;

	c.set = set;
	c.nw = nw;
	c.nrules = nrules;
	c.str = (const u8 *)str;
	c.n = str_sz;
	c.best = KFX_SET_NONE;
	c.steps = 0;
	c.len = KFX_SET_NONE;
	r = kfx_auto_init(&c, &a, KFX_SH_A);
	if (r)
		return r;
	info = a.nstates ? kfx_sw(&c, &a, 0, KFX_SS_FAIL) : 0;
	c.rules = KFX_SET_NONE;	/* see kfx_verify */
	c.nverify = kfx_w(&c, KFX_SH_NVERIFY);
	if (c.nverify) {
		c.verify = kfx_w(&c, KFX_SH_VERIFY);
		if (!kfx_in(&c, c.verify, c.nverify))
			return -KFX_EINVAL;
	}
	/* Most sets have no ISUBSTR rule: no call for the empty automaton. */
	b.nstates = kfx_w(&c, KFX_SH_B_STATES);
	if (b.nstates) {
		r = kfx_auto_init(&c, &b, KFX_SH_B);
		if (r)
			return r;
	}
	/*
	 * The first automaton run finds the NUL (in its scan: no second
	 * pass over the string); with neither automaton, look for it here.
	 */
	if (!a.nstates && !b.nstates) {
		c.n = kfx_nul_len(c.str, str_sz);
		c.steps = c.n;
	}
	c.nverified = 0;
	c.glob_steps = 0;
	c.pre_steps = 0;
	c.ndone = 0;
	r = 0;
	if (a.nstates) {
		if (info & KFX_SET_ROOT_GOTO)
			r = kfx_goto_walk(&c, &a);
		else if (info & KFX_SET_ROOT_ANCHORED)
			r = kfx_anchored(&c, &a, info);
		else	/* the common case: inlined */
			r = kfx_run_in(&c, &a, 0, 0);
	}
	if (!r && b.nstates)
		r = kfx_run(&c, &b, KFX_RUN_FOLD, 0);
	/* Rules with no literal at all: verified for every string. */
	if (!r && c.nverify)
		r = kfx_verify_list(&c, c.verify, c.nverify);
	if (steps)
		*steps = c.steps;
	if (r)
		return r;
	return c.best == KFX_SET_NONE ? -1 : (int)c.best;
}

/*
 * The header, then the goto walk (a tail call) or the general path
 * (inlined).  steps may be NULL.
 */
static KFX_INLINE int kfx_match(const void *set_, u32 set_sz, const char *str,
				u32 str_sz, u64 *steps)
{
	static const u32 id[2] = { KFX_SET_MAGIC, KFX_SET_VERSION };
	const u8 *set = set_;
	u32 nw = set_sz / 4, words, nrules, aoff, info;
	u64 want, got;

	if (steps)
		*steps = 0;
	if (str_sz > KFX_STR_MAX_LEN || set_sz > KFX_SET_MAX_SIZE)
		return -KFX_E2BIG;
	/*
	 * Magic and version as one 8-byte compare (native words, so the
	 * expected value is built the same way); the declared size within
	 * [KFX_SET_HDR_WORDS, nw] as one unsigned compare.
	 */
	if (nw < KFX_SET_HDR_WORDS)
		return -KFX_EINVAL;
	__builtin_memcpy(&want, id, sizeof(want));
	__builtin_memcpy(&got, set, sizeof(got));
	words = kfx_rw(set, KFX_SH_WORDS);
	if (got != want || words - KFX_SET_HDR_WORDS > nw - KFX_SET_HDR_WORDS)
		return -KFX_EINVAL;
	/* From here on only the declared size counts. */
	nw = words;
	nrules = kfx_rw(set, KFX_SH_NRULES);
	if (nrules > KFX_SET_MAX_RULES)
		return -KFX_EINVAL;
	/* The root's word (see KFX_SET_ROOT_ANCHORED), if it is in the set. */
	aoff = kfx_rw(set, KFX_SH_A);
	info = aoff < nw && KFX_SET_STATE_WORDS <= nw - aoff ?
	       kfx_rw(set, aoff + KFX_SS_FAIL) : 0;
	if (info & KFX_SET_ROOT_GOTO && kfx_rw(set, KFX_SH_A_STATES) &&
	    !kfx_rw(set, KFX_SH_NVERIFY) && !kfx_rw(set, KFX_SH_B_STATES))
		return kfx_walk_set(set, nw, nrules, aoff, (const u8 *)str,
				    str_sz, steps);
	return kfx_match_all(set, nw, nrules, str, str_sz, steps);
}

int kfx_match_set_steps(const void *set, u32 set_sz, const char *str,
			u32 str_sz, u64 *steps)
{
	return kfx_match(set, set_sz, str, str_sz, steps);
}

int kfx_match_set(const void *set, u32 set_sz, const char *str, u32 str_sz)
{
	return kfx_match(set, set_sz, str, str_sz, NULL);
}
