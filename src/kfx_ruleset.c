// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * kfx rule-set compiler: builds the two Aho-Corasick automata kfx_set.c
 * runs (format and rationale in kfx_set.h).
 *
 * Steps: a trie of every rule's literal (whole pattern for the literal
 * kinds, the anchor for globs; ISUBSTR rules ASCII-folded in a second
 * trie), breadth-first renumbering (so every state's failure link and
 * transitions point at states the matcher can check by depth), failure
 * links, then per state the precomputed lowest rule id of each literal
 * kind, so that the matcher never walks output lists for them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfx_ruleset.h"

struct rs_rule {
	int kind;
	u32 off, len;	/* in the pool */
};

struct rs_node {
	u32 depth, fail;
	u32 nkids, kcap;
	u32 *kids;	/* (byte << 24) | node, kept sorted by byte */
	u32 sub, suf, pre, exact;	/* own lowest ids */
	u32 nglob, gcap;
	u32 *globs;	/* own glob rule ids, ascending (added in id order) */
	/* Filled by the compile pass. */
	u32 bfs, glink, nest;
};

struct rs_trie {
	struct rs_node *n;
	u32 count, cap;
};

struct kfx_ruleset {
	u32 dense_max;	/* most dense states per automaton (tests) */
	int dense_rows;	/* KFX_RS_ROWS_* (tests) */
	struct rs_rule *rules;
	u32 nrules, rcap;
	char *pool;
	size_t pool_len, pool_cap;
};

static void rs_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *const kind_names[] = {
	[KFX_RULE_SUBSTR] = "substr", [KFX_RULE_ISUBSTR] = "isubstr",
	[KFX_RULE_PREFIX] = "prefix", [KFX_RULE_SUFFIX] = "suffix",
	[KFX_RULE_EXACT] = "exact", [KFX_RULE_GLOB] = "glob",
	[KFX_RULE_PATH] = "path",
};

int kfx_rule_kind_parse(const char *name, size_t len)
{
	int k;

	for (k = 1; k <= KFX_RULE_KIND_MAX; k++)
		if (strlen(kind_names[k]) == len &&
		    !memcmp(kind_names[k], name, len))
			return k;
	return 0;
}

const char *kfx_rule_kind_name(int kind)
{
	return kind >= 1 && kind <= KFX_RULE_KIND_MAX ? kind_names[kind] : "?";
}

struct kfx_ruleset *kfx_ruleset_new(void)
{
	struct kfx_ruleset *rs = calloc(1, sizeof(struct kfx_ruleset));

	if (rs)
		rs->dense_max = KFX_SET_NONE;
	return rs;
}

void kfx_ruleset_dense_max(struct kfx_ruleset *rs, unsigned int states)
{
	rs->dense_max = states;
}

void kfx_ruleset_dense_rows(struct kfx_ruleset *rs, int rows)
{
	rs->dense_rows = rows;
}

void kfx_ruleset_free(struct kfx_ruleset *rs)
{
	if (!rs)
		return;
	free(rs->rules);
	free(rs->pool);
	free(rs);
}

/*
 * All the literal runs of a glob: the runs of bytes every matching string
 * contains as is, between wildcards, backslash escapes resolved. Their
 * bytes go into buf, (start, length) pairs into at and rl; returns their
 * number (at most KFX_SET_PAT_MAX / 2 + 1). Scanning stops at the first
 * '[' (where a bracket ends is fnmatch's business, and an anchor only has
 * to be necessary, not the best); a path glob also breaks runs at '/' (a
 * leading "**" + "/" may match nothing, '/' included).
 */
static u32 rs_glob_runs(int kind, const char *pat, size_t len, char *buf,
			u32 *at, u32 *rl)
{
	size_t i = 0;
	u32 nr = 0, b = 0, cur = 0;
	int path = kind == KFX_RULE_PATH;
	char c;

	while (i < len) {
		c = pat[i];
		if (c == '[')
			break;
		if (c == '*' || c == '?' || (path && c == '/')) {
			if (cur) {
				at[nr] = b - cur;
				rl[nr++] = cur;
			}
			cur = 0;
			i++;
			continue;
		}
		if (c == '\\') {
			if (i + 1 == len || (path && pat[i + 1] == '/'))
				break;
			c = pat[i + 1];
			i += 2;
		} else {
			i++;
		}
		buf[b++] = c;
		cur++;
	}
	if (cur) {
		at[nr] = b - cur;
		rl[nr++] = cur;
	}
	return nr;
}

/*
 * Anchor choice.  Every candidate a glob's anchor brings costs the matcher
 * a pre-check, and more than KFX_SET_VERIFY_MAX surviving ones an -ERANGE,
 * so globs sharing their longest run (the directory "/var/log/" of the
 * globs "/var/log/{*.gz,*.xz}") should each be found through a run of
 * their own (".gz", ".xz").  Each glob takes, among its runs of at least
 * min(RS_ANCHOR_MIN, its longest) bytes (a short run would fire on too
 * many strings), the one the fewest globs of the set contain; ties go to
 * the longest, then the first.  The counts come from one hash table of
 * all runs: linear in the total glob bytes.
 */
#define RS_ANCHOR_MIN	3u

struct rs_run {
	u32 hash, len, count, last;	/* last: the rule that counted it */
	const char *bytes;
};

struct rs_runs {
	struct rs_run *t;
	u32 mask;
};

static u32 rs_hash(const char *p, u32 len)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (u8)p[i]) * 16777619u;
	return h;
}

/* The entry of run p[0..len) (inserted if absent; the table has room). */
static struct rs_run *rs_run_get(struct rs_runs *rt, const char *p, u32 len)
{
	u32 h = rs_hash(p, len), i = h & rt->mask;
	struct rs_run *e;

	for (;; i = (i + 1) & rt->mask) {
		e = &rt->t[i];
		if (!e->bytes) {
			e->hash = h;
			e->len = len;
			e->bytes = p;
			e->last = KFX_SET_NONE;
			return e;
		}
		if (e->hash == h && e->len == len && !memcmp(e->bytes, p, len))
			return e;
	}
}

/*
 * anc[id] gets (offset into store, length) of each glob rule's anchor
 * (length 0: none); store holds the runs' bytes.  0, or -1 out of memory.
 */
static int rs_pick_anchors(const struct kfx_ruleset *rs, char *store,
			   u32 *anc)
{
	u32 at[KFX_SET_PAT_MAX / 2 + 2], rl[KFX_SET_PAT_MAX / 2 + 2];
	u32 id, k, nr, total = 0, cap = 16, base = 0, best, longest, min;
	const struct rs_rule *r;
	struct rs_runs rt;
	struct rs_run *e, *be;
	int pass;

	for (id = 0; id < rs->nrules; id++)
		if (rs->rules[id].kind == KFX_RULE_GLOB ||
		    rs->rules[id].kind == KFX_RULE_PATH)
			total += rs->rules[id].len / 2 + 1;
	while (cap < 2 * total)
		cap *= 2;
	rt.t = calloc(cap, sizeof(*rt.t));
	if (!rt.t)
		return -1;
	rt.mask = cap - 1;
	/* Pass 0 counts the globs containing each run; pass 1 chooses. */
	for (pass = 0; pass < 2; pass++) {
		base = 0;
		for (id = 0; id < rs->nrules; id++) {
			r = &rs->rules[id];
			if (r->kind != KFX_RULE_GLOB && r->kind != KFX_RULE_PATH)
				continue;
			nr = rs_glob_runs(r->kind, rs->pool + r->off, r->len,
					  store + base, at, rl);
			longest = 0;
			for (k = 0; k < nr; k++) {
				e = rs_run_get(&rt, store + base + at[k], rl[k]);
				if (!pass && e->last != id) {
					e->last = id;
					e->count++;
				}
				if (rl[k] > longest)
					longest = rl[k];
			}
			if (pass) {
				min = longest < RS_ANCHOR_MIN ? longest :
				      RS_ANCHOR_MIN;
				best = KFX_SET_NONE;
				be = NULL;
				for (k = 0; k < nr; k++) {
					if (rl[k] < min)
						continue;
					e = rs_run_get(&rt, store + base + at[k],
						       rl[k]);
					if (!be || e->count < be->count ||
					    (e->count == be->count &&
					     rl[k] > rl[best])) {
						be = e;
						best = k;
					}
				}
				anc[2 * id] = be ? base + at[best] : 0;
				anc[2 * id + 1] = be ? rl[best] : 0;
			}
			base += r->len;
		}
	}
	free(rt.t);
	return 0;
}

/* Check a glob (a path glob per component) with the matcher's parser. */
static int rs_glob_ok(int kind, const char *pat, size_t len, char *err,
		      size_t errlen)
{
	static const char *const why[] = {
		[KFX_GLOB_TRAILING_BACKSLASH] = "ends in a backslash (matches nothing)",
		[KFX_GLOB_UNCLOSED] = "has an unclosed '['",
		[KFX_GLOB_MALFORMED] = "has a malformed bracket expression (matches nothing)",
	};
	size_t i = 0, e;
	u32 where;
	int r;

	while (i <= len) {
		e = len;
		if (kind == KFX_RULE_PATH) {
			const char *s = memchr(pat + i, '/', len - i);

			if (s)
				e = (size_t)(s - pat);
		}
		r = kfx_glob_check(pat + i, (u32)(e - i), &where);
		if (r != KFX_GLOB_OK) {
			rs_err(err, errlen, "malformed %s pattern: %s at byte %zu",
			       kind == KFX_RULE_PATH ? "path glob" : "glob",
			       r > 0 ? why[r] : "too long", i + where + 1);
			return 0;
		}
		i = e + 1;
	}
	return 1;
}

int kfx_ruleset_add(struct kfx_ruleset *rs, int kind, const char *pat,
		    size_t len, char *err, size_t errlen)
{
	struct rs_rule *r;

	if (kind < 1 || kind > KFX_RULE_KIND_MAX) {
		rs_err(err, errlen, "unknown rule kind %d", kind);
		return -1;
	}
	if (!len) {
		rs_err(err, errlen, "empty pattern");
		return -1;
	}
	if (len > KFX_SET_PAT_MAX) {
		rs_err(err, errlen, "pattern of %zu bytes (at most %u)", len,
		       KFX_SET_PAT_MAX);
		return -1;
	}
	if (memchr(pat, 0, len)) {
		rs_err(err, errlen, "pattern contains a NUL byte");
		return -1;
	}
	if ((kind == KFX_RULE_GLOB || kind == KFX_RULE_PATH) &&
	    !rs_glob_ok(kind, pat, len, err, errlen))
		return -1;
	if (rs->nrules >= KFX_SET_MAX_RULES) {
		rs_err(err, errlen, "too many rules (at most %u)",
		       KFX_SET_MAX_RULES);
		return -1;
	}
	if (rs->nrules == rs->rcap) {
		u32 cap = rs->rcap ? rs->rcap * 2 : 64;
		void *p = realloc(rs->rules, cap * sizeof(*rs->rules));

		if (!p)
			goto nomem;
		rs->rules = p;
		rs->rcap = cap;
	}
	if (rs->pool_len + len > rs->pool_cap) {
		size_t cap = rs->pool_cap ? rs->pool_cap * 2 : 4096;
		void *p;

		while (cap < rs->pool_len + len)
			cap *= 2;
		p = realloc(rs->pool, cap);
		if (!p)
			goto nomem;
		rs->pool = p;
		rs->pool_cap = cap;
	}
	memcpy(rs->pool + rs->pool_len, pat, len);
	r = &rs->rules[rs->nrules];
	r->kind = kind;
	r->off = (u32)rs->pool_len;
	r->len = (u32)len;
	rs->pool_len += len;
	return (int)rs->nrules++;
nomem:
	rs_err(err, errlen, "out of memory");
	return -1;
}

/* ---- trie ---- */

static u32 rs_new_node(struct rs_trie *t, u32 depth)
{
	struct rs_node *n;

	if (t->count == t->cap) {
		u32 cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->n, cap * sizeof(*t->n));

		if (!p)
			return KFX_SET_NONE;
		t->n = p;
		t->cap = cap;
	}
	n = &t->n[t->count];
	memset(n, 0, sizeof(*n));
	n->depth = depth;
	n->sub = n->suf = n->pre = n->exact = KFX_SET_NONE;
	return t->count++;
}

static u32 rs_child(const struct rs_node *n, u8 b)
{
	u32 lo = 0, hi = n->nkids, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (n->kids[mid] >> 24 == b)
			return n->kids[mid] & 0xffffff;
		if (n->kids[mid] >> 24 < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return KFX_SET_NONE;
}

static int rs_add_child(struct rs_trie *t, u32 p, u8 b, u32 c)
{
	struct rs_node *n = &t->n[p];
	u32 i;

	if (n->nkids == n->kcap) {
		u32 cap = n->kcap ? n->kcap * 2 : 2;
		void *q = realloc(n->kids, cap * sizeof(u32));

		if (!q)
			return -1;
		n->kids = q;
		n->kcap = cap;
	}
	for (i = n->nkids; i && n->kids[i - 1] >> 24 > b; i--)
		n->kids[i] = n->kids[i - 1];
	n->kids[i] = (u32)b << 24 | c;
	n->nkids++;
	return 0;
}

/* Insert s[0..len) (folded if fold); the node, or NONE when full. */
static u32 rs_insert(struct rs_trie *t, const char *s, size_t len, int fold,
		     u32 *total)
{
	u32 cur = 0, nx, i;
	u8 b;

	for (i = 0; i < len; i++) {
		b = (u8)s[i];
		if (fold && b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		nx = rs_child(&t->n[cur], b);
		if (nx == KFX_SET_NONE) {
			if (++*total > KFX_RS_MAX_STATES)
				return KFX_SET_NONE;
			nx = rs_new_node(t, i + 1);
			if (nx == KFX_SET_NONE ||
			    rs_add_child(t, cur, b, nx))
				return KFX_SET_NONE;
		}
		cur = nx;
	}
	return cur;
}

static inline u32 rs_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/*
 * Failure links and closures in BFS order; order[] gets the BFS order
 * (order[k] = node), n->bfs the inverse.  Returns the deepest glob
 * nesting.
 */
static u32 rs_link(struct rs_trie *t, u32 *order)
{
	u32 head = 0, tail = 0, k, i, p, c, f, nest = 0;
	struct rs_node *n;
	u8 b;

	order[tail++] = 0;
	t->n[0].fail = 0;
	while (head < tail) {
		p = order[head++];
		n = &t->n[p];
		n->bfs = head - 1;
		if (p) {
			struct rs_node *fn = &t->n[n->fail];

			n->sub = rs_min(n->sub, fn->sub);
			n->suf = rs_min(n->suf, fn->suf);
			n->nest = fn->nest + (n->nglob ? 1 : 0);
			n->glink = n->nglob ? p : fn->glink;
		} else {
			n->nest = 0;
			n->glink = KFX_SET_NONE;
		}
		if (n->nest > nest)
			nest = n->nest;
		for (k = 0; k < t->n[p].nkids; k++) {
			c = t->n[p].kids[k] & 0xffffff;
			b = (u8)(t->n[p].kids[k] >> 24);
			if (!p) {
				t->n[c].fail = 0;
			} else {
				f = t->n[p].fail;
				for (;;) {
					i = rs_child(&t->n[f], b);
					if (i != KFX_SET_NONE) {
						f = i;
						break;
					}
					if (!f)
						break;
					f = t->n[f].fail;
				}
				t->n[c].fail = f;
			}
			order[tail++] = c;
		}
	}
	return nest;
}

static void rs_trie_free(struct rs_trie *t)
{
	u32 i;

	for (i = 0; i < t->count; i++) {
		free(t->n[i].kids);
		free(t->n[i].globs);
	}
	free(t->n);
}

/*
 * Dense rows: byte classes and how many states get one.
 *
 * Why classes: paths and rules use few distinct bytes, and every byte that
 * labels no transition behaves the same in every state (back to the
 * root's row), so the alphabet is "each label byte its own class, all other
 * bytes class 0", rounded up to a power of two (the matcher masks a class
 * instead of checking it).  A realistic 1,000-rule set has about 60 label
 * bytes: 64-entry rows of 256 bytes instead of 1 KiB.
 *
 * Why the first states in BFS order: they are the shallow ones, where a
 * scan spends almost all of its bytes (a path keeps falling back to depth
 * 0..3 between rule literals); deeper states are mostly single-child chains
 * that the sparse form serves in one probe.  How many: at most
 * KFX_RS_DENSE_BYTES of rows (and what fits under KFX_SET_MAX_SIZE), so the
 * set stays small and the compile fast.
 */
struct rs_dense {
	u32 nd, cshift, ncls, nulcls;
	u8 cmap[256];
	int rep[256];		/* a byte of each class, -1 for class 0 */
};

static void rs_dense_plan(const struct rs_trie *t, int fold, u32 dense_max,
			  int rows, struct rs_dense *dn)
{
	u32 i, k;
	u8 used[256] = { 0 };

	memset(dn, 0, sizeof(*dn));
	for (i = 0; i < t->count; i++)
		for (k = 0; k < t->n[i].nkids; k++)
			used[t->n[i].kids[k] >> 24] = 1;
	dn->ncls = 1;
	dn->rep[0] = -1;
	for (i = 0; i < 256; i++)
		if (used[i]) {
			dn->cmap[i] = (u8)dn->ncls;
			dn->rep[dn->ncls++] = (int)i;
		}
	/*
	 * The NUL byte (never in a pattern) gets a class whose entries stay
	 * in the state, flagged, so they leave the matcher's fast loop: that
	 * is where it sees the string end, without a separate pass to find it.
	 */
	dn->nulcls = dn->ncls;
	dn->cmap[0] = (u8)dn->ncls;
	dn->rep[dn->ncls++] = -1;
	/* The folded automaton has lower-case labels only: map both cases. */
	if (fold)
		for (i = 'A'; i <= 'Z'; i++)
			dn->cmap[i] = dn->cmap[i + 'a' - 'A'];
	while ((1u << dn->cshift) < dn->ncls)
		dn->cshift++;
	/*
	 * Many classes and more states than class rows can cover anyway:
	 * byte-wide rows instead (the byte is the column, the matcher skips
	 * the class map: 5 instructions a byte instead of 6, about 15% of a
	 * scan), for at most 4x the bytes per row of 64 classes or more, on
	 * the states most literals pass through, which is where real paths
	 * stay.  A set whose every state fits in class rows keeps them: it
	 * stays small (a 100-rule set 4x smaller) and never leaves the rows.
	 * Byte 0 is then the NUL column (it is never a label).
	 */
	if (rows == KFX_RS_ROWS_BYTE ||
	    (rows == KFX_RS_ROWS_AUTO && dn->ncls > KFX_RS_RAW_CLASSES &&
	     ((u64)t->count << dn->cshift) * 4 > KFX_RS_DENSE_BYTES)) {
		for (i = 0; i < 256; i++) {
			dn->cmap[i] = (u8)i;
			dn->rep[i] = used[i] ? (int)i : -1;
		}
		if (fold)
			for (i = 'A'; i <= 'Z'; i++)
				dn->rep[i] = dn->rep[i + 'a' - 'A'];
		dn->ncls = 256;
		dn->nulcls = 0;
		dn->cshift = 8;
	}
	dn->nd = t->count;
	if (dn->nd > dense_max)
		dn->nd = dense_max;
	if (dn->nd > (KFX_RS_DENSE_BYTES / 4) >> dn->cshift)
		dn->nd = (KFX_RS_DENSE_BYTES / 4) >> dn->cshift;
}

/* Does a scan have to look at state n (a dense entry's top bit)? */
static int rs_has_out(const struct rs_node *n)
{
	return n->sub != KFX_SET_NONE || n->pre != KFX_SET_NONE ||
	       n->glink != KFX_SET_NONE;
}

/*
 * Where the automaton goes from node x on byte b (b < 0: a byte that labels
 * no transition): goto, else the failure links, as the matcher would.
 */
static u32 rs_delta(const struct rs_trie *t, u32 x, int b)
{
	u32 c;

	for (;;) {
		c = b >= 0 ? rs_child(&t->n[x], (u8)b) : KFX_SET_NONE;
		if (c != KFX_SET_NONE)
			return c;
		if (!x)
			return 0;
		x = t->n[x].fail;
	}
}

/*
 * The rows: for each dense state and class, the state the automaton goes
 * to, failures already followed (from the failure link's row when that one
 * is dense, and so done before: it is shallower).  goto_only (see
 * KFX_SET_ROOT_GOTO): gotos only, every other entry 0 (the root's row).
 */
static void rs_dense_write(const struct rs_trie *t, const u32 *order,
			   const struct rs_dense *dn, u32 *rows, int goto_only)
{
	u32 k, cl, c, e, f, ncol = 1u << dn->cshift;
	const struct rs_node *n;

	for (k = 0; k < dn->nd; k++) {
		n = &t->n[order[k]];
		f = k ? t->n[n->fail].bfs : 0;
		for (cl = 0; cl < ncol; cl++) {
			if (cl == dn->nulcls) {
				/* Stay (the state the string ends in), flagged. */
				rows[(k << dn->cshift) + cl] =
					k << dn->cshift | KFX_SET_DOUT;
				continue;
			}
			c = cl < dn->ncls && dn->rep[cl] >= 0 ?
			    rs_child(n, (u8)dn->rep[cl]) : KFX_SET_NONE;
			if (c == KFX_SET_NONE && goto_only) {
				rows[(k << dn->cshift) + cl] = 0;
				continue;
			}
			if (c == KFX_SET_NONE && k && f < dn->nd) {
				rows[(k << dn->cshift) + cl] =
					rows[(f << dn->cshift) + cl];
				continue;
			}
			if (c == KFX_SET_NONE)
				c = k ? rs_delta(t, n->fail,
						 cl < dn->ncls ? dn->rep[cl] : -1) : 0;
			e = t->n[c].bfs << dn->cshift |
			    (rs_has_out(&t->n[c]) ? KFX_SET_DOUT : 0);
			rows[(k << dn->cshift) + cl] = e;
		}
	}
}

/*
 * Which states get the rows (they are numbered first): those that most
 * rule literals pass through, i.e. with the largest subtrees (ties: BFS
 * order).  A path that resembles the rules (/usr/lib/..., /home/...) walks
 * exactly these shared prefixes, deep as they are, while states under only
 * one literal are left sparse: a one-child chain costs one probe anyway.
 * A parent's subtree is strictly larger than its child's, so the choice is
 * closed under ancestors and includes the root.  Renumbers: order[] gets
 * the dense states in BFS order, then the others in BFS order, and bfs the
 * new numbers.
 */
static int rs_dense_pick(struct rs_trie *t, u32 *order, u32 nd)
{
	u32 k, j, *size, *byw, *out, m = 0;
	struct rs_node *n;
	u8 *pick;

	if (nd >= t->count || nd == 0)
		return 0;	/* BFS order as is */
	size = malloc(t->count * sizeof(u32));
	byw = malloc(t->count * sizeof(u32));
	out = malloc(t->count * sizeof(u32));
	pick = calloc(t->count, 1);
	if (!size || !byw || !out || !pick) {
		free(size);
		free(byw);
		free(out);
		free(pick);
		return -1;
	}
	for (k = t->count; k-- > 0;) {
		n = &t->n[order[k]];
		size[order[k]] = 1;
		for (j = 0; j < n->nkids; j++)
			size[order[k]] += size[n->kids[j] & 0xffffff];
	}
	/* Counting sort by size (descending), stable in BFS order. */
	{
		u32 maxs = size[0], *cnt = calloc((size_t)maxs + 2, sizeof(u32));

		if (!cnt) {
			free(size);
			free(byw);
			free(out);
			free(pick);
			return -1;
		}
		for (k = 0; k < t->count; k++)
			cnt[maxs - size[order[k]] + 1]++;
		for (k = 1; k <= maxs + 1; k++)
			cnt[k] += cnt[k - 1];
		for (k = 0; k < t->count; k++)
			byw[cnt[maxs - size[order[k]]]++] = order[k];
		free(cnt);
	}
	for (k = 0; k < nd; k++)
		pick[byw[k]] = 1;
	for (k = 0; k < t->count; k++)
		if (pick[order[k]])
			out[m++] = order[k];
	for (k = 0; k < t->count; k++)
		if (!pick[order[k]])
			out[m++] = order[k];
	memcpy(order, out, t->count * sizeof(u32));
	for (k = 0; k < t->count; k++)
		t->n[order[k]].bfs = k;
	free(size);
	free(byw);
	free(out);
	free(pick);
	return 0;
}

/* Words an automaton takes in the set, dense rows apart. */
static u64 rs_auto_words(const struct rs_trie *t, u32 *ntrans, u32 *nglobs)
{
	u32 i;

	*ntrans = *nglobs = 0;
	if (t->count == 1 && !t->n[0].nkids)
		return 0;	/* empty: left out */
	for (i = 0; i < t->count; i++) {
		*ntrans += t->n[i].nkids;
		*nglobs += t->n[i].nglob;
	}
	return (u64)t->count * KFX_SET_STATE_WORDS + *ntrans + *nglobs +
	       KFX_SET_CMAP_WORDS + KFX_SET_ROW_PAD;
}

static void rs_auto_write(const struct rs_trie *t, const u32 *order,
			  const struct rs_dense *dn, u32 *w, u32 off,
			  u32 ntrans, u32 nglobs, u32 *hdr, int goto_only)
{
	u32 k, j, s, toff = 0, goff = 0;
	u32 *st, *tr = w + off + t->count * KFX_SET_STATE_WORDS;
	u32 *gl = tr + ntrans;
	const struct rs_node *n;

	hdr[0] = off;
	hdr[1] = t->count;
	hdr[2] = ntrans;
	hdr[3] = nglobs;
	hdr[4] = dn->nd;
	hdr[5] = dn->cshift;
	/* Bytes, not words: the same on either byte order. */
	memcpy(gl + nglobs, dn->cmap, 256);
	rs_dense_write(t, order, dn, gl + nglobs + KFX_SET_CMAP_WORDS,
		       goto_only);
	for (k = 0; k < t->count; k++) {
		n = &t->n[order[k]];
		st = w + off + k * KFX_SET_STATE_WORDS;
		st[KFX_SS_DEPTH] = n->depth;
		st[KFX_SS_FAIL] = t->n[n->fail].bfs;
		st[KFX_SS_TOFF] = toff;
		/* The flag spares the matcher a look at most states. */
		st[KFX_SS_NTRANS] = n->nkids |
				    (rs_has_out(n) ? KFX_SET_DOUT : 0);
		for (j = 0; j < n->nkids; j++)
			tr[toff++] = (n->kids[j] & 0xff000000) |
				     t->n[n->kids[j] & 0xffffff].bfs;
		st[KFX_SS_SUB] = n->sub;
		st[KFX_SS_SUF] = n->suf;
		st[KFX_SS_PRE] = n->pre;
		st[KFX_SS_EXACT] = n->exact;
		st[KFX_SS_GLINK] = n->glink == KFX_SET_NONE ? KFX_SET_NONE :
				   t->n[n->glink].bfs;
		st[KFX_SS_GOFF] = goff;
		st[KFX_SS_NGLOB] = n->nglob;
		for (s = 0; s < n->nglob; s++)
			gl[goff++] = n->globs[s];
	}
}

static int rs_push_glob(struct rs_node *n, u32 id)
{
	if (n->nglob == n->gcap) {
		u32 cap = n->gcap ? n->gcap * 2 : 2;
		void *p = realloc(n->globs, cap * sizeof(u32));

		if (!p)
			return -1;
		n->globs = p;
		n->gcap = cap;
	}
	n->globs[n->nglob++] = id;
	return 0;
}

/*
 * What the matcher may skip in the case-sensitive automaton: with neither
 * substring rules nor glob anchors in it, only its first bytes (prefix,
 * exact) and last bytes (suffix, at most the longest literal) matter.
 */
static u32 rs_root_info(const struct kfx_ruleset *rs, const u32 *anc)
{
	u32 id, depth = 0, info = KFX_SET_ROOT_ANCHORED;
	const struct rs_rule *r;

	for (id = 0; id < rs->nrules; id++) {
		r = &rs->rules[id];
		switch (r->kind) {
		case KFX_RULE_SUBSTR:
			return 0;
		case KFX_RULE_GLOB:
		case KFX_RULE_PATH:
			if (anc[2 * id + 1])
				return 0;	/* an anchor in this automaton */
			break;
		case KFX_RULE_SUFFIX:
			info |= KFX_SET_ROOT_SUFFIX;
			/* fall through */
		case KFX_RULE_PREFIX:
		case KFX_RULE_EXACT:
			if (r->len > depth)
				depth = r->len;
			break;
		}
	}
	return info | depth << 8;
}

int kfx_ruleset_compile(struct kfx_ruleset *rs, void **out, size_t *bytes,
			char *err, size_t errlen)
{
	struct rs_trie ta = { 0 }, tb = { 0 };
	u32 *verify = NULL, nverify = 0, id, node, total = 2, *oa = NULL,
	    *ob = NULL, ntr_a, ngl_a, ntr_b, ngl_b, *w = NULL, off, nest;
	u64 wa, wb, words;
	struct rs_dense da, db;
	u32 *anc = NULL;
	char *store = NULL;
	const struct rs_rule *r;
	const char *pat;
	size_t alen;
	int ret = -1;

	*out = NULL;
	*bytes = 0;
	verify = malloc((rs->nrules + 1) * sizeof(u32));
	anc = malloc((rs->nrules + 1) * 2 * sizeof(u32));
	store = malloc(rs->pool_len + 1);
	if (!verify || !anc || !store || rs_pick_anchors(rs, store, anc) ||
	    rs_new_node(&ta, 0) == KFX_SET_NONE ||
	    rs_new_node(&tb, 0) == KFX_SET_NONE)
		goto nomem;
	for (id = 0; id < rs->nrules; id++) {
		r = &rs->rules[id];
		pat = rs->pool + r->off;
		if (r->kind == KFX_RULE_GLOB || r->kind == KFX_RULE_PATH) {
			alen = anc[2 * id + 1];
			if (!alen) {
				if (nverify == KFX_SET_VERIFY_MAX) {
					rs_err(err, errlen, "rule %u: more than %u glob rules without a literal byte (each is tried on every string)",
					       id, KFX_SET_VERIFY_MAX);
					goto out;
				}
				verify[nverify++] = id;
				continue;
			}
			node = rs_insert(&ta, store + anc[2 * id], alen, 0,
					 &total);
			if (node == KFX_SET_NONE)
				goto full;
			if (rs_push_glob(&ta.n[node], id))
				goto nomem;
			continue;
		}
		node = rs_insert(r->kind == KFX_RULE_ISUBSTR ? &tb : &ta, pat,
				 r->len, r->kind == KFX_RULE_ISUBSTR, &total);
		if (node == KFX_SET_NONE)
			goto full;
		{
			struct rs_node *n = r->kind == KFX_RULE_ISUBSTR ?
					    &tb.n[node] : &ta.n[node];

			switch (r->kind) {
			case KFX_RULE_SUBSTR:
			case KFX_RULE_ISUBSTR:
				n->sub = rs_min(n->sub, id);
				break;
			case KFX_RULE_PREFIX:
				n->pre = rs_min(n->pre, id);
				break;
			case KFX_RULE_SUFFIX:
				n->suf = rs_min(n->suf, id);
				break;
			default:
				n->exact = rs_min(n->exact, id);
			}
		}
	}
	oa = malloc(ta.count * sizeof(u32));
	ob = malloc(tb.count * sizeof(u32));
	if (!oa || !ob)
		goto nomem;
	nest = rs_link(&ta, oa);
	rs_link(&tb, ob);
	if (nest > KFX_SET_GLOB_NEST) {
		rs_err(err, errlen, "glob anchors nest %u deep (at most %u): too many glob rules whose literals end in one another",
		       nest, KFX_SET_GLOB_NEST);
		goto out;
	}
	wa = rs_auto_words(&ta, &ntr_a, &ngl_a);
	wb = rs_auto_words(&tb, &ntr_b, &ngl_b);
	words = KFX_SET_HDR_WORDS + (u64)rs->nrules * 3 + nverify +
		(rs->pool_len + 3) / 4 + wa + wb;
	rs_dense_plan(&ta, 0, wa ? rs->dense_max : 0, rs->dense_rows, &da);
	rs_dense_plan(&tb, 1, wb ? rs->dense_max : 0, rs->dense_rows, &db);
	/* Rows only where they fit under the size limit: fewer, not none. */
	if (words < KFX_SET_MAX_SIZE / 4) {
		u64 room = KFX_SET_MAX_SIZE / 4 - words;

		if (((u64)db.nd << db.cshift) > room / 4)
			db.nd = (u32)((room / 4) >> db.cshift);
		room -= (u64)db.nd << db.cshift;
		if (((u64)da.nd << da.cshift) > room)
			da.nd = (u32)(room >> da.cshift);
	} else {
		da.nd = db.nd = 0;
	}
	if (rs_dense_pick(&ta, oa, da.nd) || rs_dense_pick(&tb, ob, db.nd))
		goto nomem;
	wa += (u64)da.nd << da.cshift;
	wb += (u64)db.nd << db.cshift;
	words += ((u64)da.nd << da.cshift) + ((u64)db.nd << db.cshift);
	if (words * 4 > KFX_SET_MAX_SIZE) {
		rs_err(err, errlen, "compiled set of %llu bytes (at most %u)",
		       (unsigned long long)words * 4, KFX_SET_MAX_SIZE);
		goto out;
	}
	w = calloc(words, 4);
	if (!w)
		goto nomem;
	w[KFX_SH_MAGIC] = KFX_SET_MAGIC;
	w[KFX_SH_VERSION] = KFX_SET_VERSION;
	w[KFX_SH_WORDS] = (u32)words;
	w[KFX_SH_NRULES] = rs->nrules;
	off = KFX_SET_HDR_WORDS;
	w[KFX_SH_RULES] = off;
	for (id = 0; id < rs->nrules; id++) {
		w[off++] = (u32)rs->rules[id].kind;
		w[off++] = rs->rules[id].off;
		w[off++] = rs->rules[id].len;
	}
	w[KFX_SH_NVERIFY] = nverify;
	w[KFX_SH_VERIFY] = off;
	memcpy(w + off, verify, nverify * sizeof(u32));
	off += nverify;
	w[KFX_SH_POOL] = off;
	w[KFX_SH_POOL_BYTES] = (u32)rs->pool_len;
	if (rs->pool_len)
		memcpy(w + off, rs->pool, rs->pool_len);
	off += (u32)((rs->pool_len + 3) / 4);
	if (wa) {
		u32 info = rs_root_info(rs, anc);

		/* Prefix and exact rules only: no failure in the rows. */
		if ((info & (KFX_SET_ROOT_ANCHORED | KFX_SET_ROOT_SUFFIX)) ==
		    KFX_SET_ROOT_ANCHORED)
			info |= KFX_SET_ROOT_GOTO;
		rs_auto_write(&ta, oa, &da, w, off, ntr_a, ngl_a, w + KFX_SH_A,
			      info & KFX_SET_ROOT_GOTO);
		/* The root's failure word: see KFX_SET_ROOT_ANCHORED. */
		w[off + KFX_SS_FAIL] = info;
		off += (u32)wa;
	}
	if (wb) {
		rs_auto_write(&tb, ob, &db, w, off, ntr_b, ngl_b, w + KFX_SH_B,
			      0);
		off += (u32)wb;
	}
	*out = w;
	*bytes = words * 4;
	w = NULL;
	ret = 0;
	goto out;
full:
	rs_err(err, errlen, "more than %u automaton states (total literal bytes too large)",
	       KFX_RS_MAX_STATES);
	goto out;
nomem:
	rs_err(err, errlen, "out of memory");
out:
	free(w);
	free(oa);
	free(ob);
	free(verify);
	free(anc);
	free(store);
	rs_trie_free(&ta);
	rs_trie_free(&tb);
	return ret;
}
