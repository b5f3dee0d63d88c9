// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * kfx string core, shared by kfx.ko and the user-space tests.
 *
 * Search: a word-at-a-time filter looks for positions whose first and
 * last bytes both match the needle (8 positions per step), and each
 * candidate is verified.  Verification work is budgeted: once it exceeds
 * about one compare per haystack byte (periodic needles on hostile text)
 * the rest of the search is handed to Two-Way (Crochemore-Perrin), which
 * is linear with O(1) state, so the worst case stays O(n + m).
 *
 * Glob: the classic "remember the last star" matcher.  Between stars the
 * pattern consumes exactly one byte per element, so when a segment fails
 * only the last star needs to absorb one more byte: O(n * m) time at
 * worst, O(1) space, no recursion.  Bracket expressions are evaluated the
 * way glibc's fnmatch evaluates them, including its handling of malformed
 * ones, because fnmatch is the specification we promise; an unclosed
 * bracket's scan to the end of the pattern is remembered (a 257-bit map),
 * so bracket work stays linear in the pattern per string offset.  O(n * m)
 * is still far too much for a kfunc at n = 64 KiB, so the matcher counts
 * its steps and gives up with -KFX_ERANGE past KFX_GLOB_BUDGET.
 */
#include "kfx_string.h"

/* Specialise the search per case mode: icase must be a constant there. */
#define kfx_always_inline inline __attribute__((__always_inline__))

/*
 * Test builds count the searches' byte comparisons so that tests can
 * assert KFX_SEARCH_STEPS; other builds compile the counting away.
 */
#ifdef KFX_STRING_STEPS
u64 kfx_search_steps;
#define KFX_STEP(n)	(kfx_search_steps += (n))
#else
#define KFX_STEP(n)	((void)0)
#endif

#define ONES	0x0101010101010101ull
#define HIGHS	0x8080808080808080ull
#define LOWS7	0x7f7f7f7f7f7f7f7full

static inline u64 kfx_load64(const u8 *p)
{
	u64 v;

	/* Unaligned load without asm/unaligned.h (moved in 6.12). */
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* 0x80 in every byte of x that is zero, exactly (no false positives). */
static inline u64 kfx_zero_bytes(u64 x)
{
	return ~(((x & LOWS7) + LOWS7) | x | LOWS7);
}

/* Index of the first flagged byte of a kfx_zero_bytes() mask. */
static inline u32 kfx_first_byte(u64 z)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (u32)__builtin_clzll(z) >> 3;
#else
	return (u32)__builtin_ctzll(z) >> 3;
#endif
}

/* Clear the first flagged byte of a kfx_zero_bytes() mask. */
static inline u64 kfx_next_byte(u64 z)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* Only the first (most significant) flagged byte's 0x80 bit. */
	return z & ~(0x8000000000000000ull >> __builtin_clzll(z));
#else
	return z & (z - 1);
#endif
}

static inline u8 kfx_lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? (u8)(c | 0x20) : c;
}

static inline int kfx_is_alpha(u8 c)
{
	return (u8)((c | 0x20) - 'a') < 26;
}

static inline u8 kfx_fold(u8 c, int icase)
{
	return icase ? kfx_lower(c) : c;
}

/*
 * Compare len bytes, folding case if asked.  Returns how many leading
 * bytes are equal (== len on a full match), so callers can budget work.
 */
static inline u32 kfx_prefix_eq(const u8 *a, const u8 *b, u32 len, int icase)
{
	u32 i = 0;

	if (!icase) {
		for (; i + 8 <= len; i += 8)
			if (kfx_load64(a + i) != kfx_load64(b + i))
				break;
		for (; i < len; i++)
			if (a[i] != b[i])
				break;
		return i;
	}
	for (; i < len; i++)
		if (kfx_lower(a[i]) != kfx_lower(b[i]))
			break;
	return i;
}

/*
 * Maximal suffix of x[0..m) for one of the two orders (rev selects the
 * reversed one); returns its start - 1 and stores its period.
 */
static int kfx_max_suffix(const u8 *x, int m, int rev, int icase, int *per)
{
	int ms = -1, j = 0, k = 1, p = 1;
	u8 a, b;

	while (j + k < m) {
		KFX_STEP(1);
		a = kfx_fold(x[j + k], icase);
		b = kfx_fold(x[ms + k], icase);
		if (rev ? a > b : a < b) {
			j += k;
			k = 1;
			p = j - ms;
		} else if (a == b) {
			if (k != p) {
				k++;
			} else {
				j += p;
				k = 1;
			}
		} else {
			ms = j;
			j = ms + 1;
			k = p = 1;
		}
	}
	*per = p;
	return ms;
}

/* Two-Way search of x[0..m) in y[0..n), 2 <= m <= n.  Linear, O(1) space. */
static int kfx_two_way(const u8 *y, int n, const u8 *x, int m, int icase)
{
	int ms, ms2, p, p2, i, j, memory;

	ms = kfx_max_suffix(x, m, 0, icase, &p);
	ms2 = kfx_max_suffix(x, m, 1, icase, &p2);
	if (ms2 > ms) {
		ms = ms2;
		p = p2;
	}

	KFX_STEP(ms + 1);
	if (kfx_prefix_eq(x, x + p, (u32)(ms + 1), icase) == (u32)(ms + 1)) {
		/* Periodic needle: remember the prefix already matched. */
		memory = -1;
		for (j = 0; j <= n - m; ) {
			i = ms > memory ? ms + 1 : memory + 1;
			while (i < m && kfx_fold(x[i], icase) ==
					kfx_fold(y[i + j], icase)) {
				KFX_STEP(1);
				i++;
			}
			KFX_STEP(1);
			if (i < m) {
				j += i - ms;
				memory = -1;
				continue;
			}
			i = ms;
			while (i > memory && kfx_fold(x[i], icase) ==
					     kfx_fold(y[i + j], icase)) {
				KFX_STEP(1);
				i--;
			}
			if (i <= memory)
				return j;
			j += p;
			memory = m - p - 1;
		}
	} else {
		p = (ms + 1 > m - ms - 1 ? ms + 1 : m - ms - 1) + 1;
		for (j = 0; j <= n - m; ) {
			i = ms + 1;
			while (i < m && kfx_fold(x[i], icase) ==
					kfx_fold(y[i + j], icase)) {
				KFX_STEP(1);
				i++;
			}
			KFX_STEP(1);
			if (i < m) {
				j += i - ms;
				continue;
			}
			i = ms;
			while (i >= 0 && kfx_fold(x[i], icase) ==
					 kfx_fold(y[i + j], icase)) {
				KFX_STEP(1);
				i--;
			}
			if (i < 0)
				return j;
			j += p;
		}
	}
	return -1;
}

/* Single-byte needle: memchr, 8 bytes per step. */
static kfx_always_inline int kfx_find_byte(const u8 *s, u32 n, u8 c, int icase)
{
	u64 or = (icase && kfx_is_alpha(c)) ? 0x20 * ONES : 0;
	u64 want = (icase ? kfx_lower(c) : c) * ONES;
	u64 z;
	u32 i = 0;

	for (; i + 8 <= n; i += 8) {
		KFX_STEP(1);
		z = kfx_zero_bytes((kfx_load64(s + i) | or) ^ want);
		if (z)
			return (int)(i + kfx_first_byte(z));
	}
	for (; i < n; i++)
		if ((u8)(s[i] | or) == (u8)want)
			return (int)i;
	return -1;
}

/*
 * Verify the candidates flagged in z (positions base + byte index).
 * Returns the match position, -1 if none matched, or -2 when the
 * verification budget ran out (*k is then the last position settled).
 */
static kfx_always_inline int kfx_verify(const u8 *s, const u8 *x, u32 m, int icase,
			     u64 z, u32 base, u32 *budget, u32 *k)
{
	u32 eq;

	while (z) {
		*k = base + kfx_first_byte(z);
		eq = kfx_prefix_eq(s + *k + 1, x + 1, m - 2, icase);
		KFX_STEP(eq + 1);
		if (eq == m - 2)
			return (int)*k;
		if (eq + 1 > *budget)
			return -2;
		*budget -= eq + 1;
		z = kfx_next_byte(z);
	}
	return -1;
}

static kfx_always_inline int kfx_search(const u8 *s, u32 n, const u8 *x, u32 m,
			     int icase)
{
	u8 f = icase ? kfx_lower(x[0]) : x[0];
	u8 l = icase ? kfx_lower(x[m - 1]) : x[m - 1];
	/*
	 * For a letter, (b | 0x20) == lower(letter) holds exactly for its
	 * two cases, so one OR folds a whole word without a range check.
	 */
	u8 fo = (icase && kfx_is_alpha(f)) ? 0x20 : 0;
	u8 lo = (icase && kfx_is_alpha(l)) ? 0x20 : 0;
	u64 fw = f * ONES, lw = l * ONES, fow = fo * ONES, low = lo * ONES;
	const u8 *e = s + m - 1;	/* last-byte window */
	u32 last = n - m;	/* last candidate position */
	u32 budget = n + 64;	/* verification bytes before Two-Way */
	u32 i = 0, k = 0;
	u64 x0, x1;
	int r;

	/* 16 positions per step: first and last bytes of each, 4 loads. */
	if (last >= 15) {
		const u8 *p = s, *stop = s + last - 15;
		const u64 ones = ONES, highs = HIGHS;

		for (; p <= stop; p += 16) {
			KFX_STEP(1);
			x0 = ((kfx_load64(p) | fow) ^ fw) |
			     ((kfx_load64(p + m - 1) | low) ^ lw);
			x1 = ((kfx_load64(p + 8) | fow) ^ fw) |
			     ((kfx_load64(p + m + 7) | low) ^ lw);
			/*
			 * A zero byte in x0 or x1 always sets that byte's top
			 * bit here; other bytes rarely do (only bytes >= 0x80),
			 * and such false alarms just cost an exact look below.
			 */
			if (!(((x0 - ones) | (x1 - ones)) & ~(x0 & x1) & highs))
				continue;
			i = (u32)(p - s);
			r = kfx_verify(s, x, m, icase, kfx_zero_bytes(x0), i,
				       &budget, &k);
			if (r == -1)
				r = kfx_verify(s, x, m, icase,
					       kfx_zero_bytes(x1), i + 8,
					       &budget, &k);
			if (r >= 0)
				return r;
			if (r == -2)
				goto two_way;
		}
		i = (u32)(p - s);
	}
	for (; i + 7 <= last; i += 8) {
		KFX_STEP(1);
		x0 = ((kfx_load64(s + i) | fow) ^ fw) |
		     ((kfx_load64(e + i) | low) ^ lw);
		r = kfx_verify(s, x, m, icase, kfx_zero_bytes(x0), i,
			       &budget, &k);
		if (r >= 0)
			return r;
		if (r == -2)
			goto two_way;
	}
	if (i <= last && last >= 7) {
		/*
		 * One last window ending at the last position; it overlaps
		 * positions already known not to match, which cost nothing
		 * but a failed verification.
		 */
		i = last - 7;
		x0 = ((kfx_load64(s + i) | fow) ^ fw) |
		     ((kfx_load64(e + i) | low) ^ lw);
		r = kfx_verify(s, x, m, icase, kfx_zero_bytes(x0), i,
			       &budget, &k);
		if (r == -2)
			goto two_way;
		return r;
	}
	for (; i <= last; i++) {
		KFX_STEP(1);
		if ((u8)(s[i] | fo) != f || (u8)(e[i] | lo) != l)
			continue;
		if (kfx_prefix_eq(s + i + 1, x + 1, m - 2, icase) == m - 2)
			return (int)i;
	}
	return -1;

two_way:
	/* Positions up to k are settled; search what follows. */
	k++;
	r = kfx_two_way(s + k, (int)(n - k), x, (int)m, icase);
	return r < 0 ? -1 : (int)k + r;
}

static kfx_always_inline int kfx_find(const char *str, u32 str_len, const char *sub,
			   u32 sub_len, int icase)
{
	if (str_len > KFX_STR_MAX_LEN || sub_len > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	if (!sub_len)
		return 0;
	if (sub_len > str_len)
		return -1;
	if (sub_len == 1)
		return kfx_find_byte((const u8 *)str, str_len, (u8)sub[0],
				     icase);
	return kfx_search((const u8 *)str, str_len, (const u8 *)sub, sub_len,
			  icase);
}

int kfx_strstr(const char *str, u32 str_len, const char *sub, u32 sub_len)
{
	return kfx_find(str, str_len, sub, sub_len, 0);
}

int kfx_strcasestr(const char *str, u32 str_len, const char *sub,
		   u32 sub_len)
{
	return kfx_find(str, str_len, sub, sub_len, 1);
}

/* ---- glob ---- */

/* glibc's CHAR_CLASS_MAX_LENGTH: longer "[:name" runs are ill-formed. */
#define KFX_CLASS_MAX	256u

/*
 * Outcome of one bracket expression for one byte.  KFX_BR_BAD is what
 * fnmatch does with a malformed expression (the whole match fails); the
 * matcher treats it as KFX_BR_FAIL, kfx_glob_check() reports it.
 */
enum { KFX_BR_FAIL, KFX_BR_MATCH, KFX_BR_LITERAL, KFX_BR_BAD };

#define KFX_LIT_WORDS	((KFX_GLOB_PAT_MAX + 1 + 63) / 64)

struct kfx_glob {
	const u8 *pat;
	u32 plen;
	/* Work done so far: one step per pattern byte read, see kfx_pat(). */
	u32 steps;
	/*
	 * Bit p set: fnmatch's skip of a bracket's tail, started at p, runs
	 * off the end of the pattern (the '[' is then a literal).  That walk
	 * does not depend on the string, so it is done once per position;
	 * without this, each of k unclosed '[' rescans the rest of the
	 * pattern for every string byte (O(n * m^2)).
	 */
	u64 lit[KFX_LIT_WORDS];
};

/*
 * Pattern byte at i, or 0 past the end (fnmatch sees a terminating NUL).
 * Every read is a step: bracket work is charged by what it reads.
 */
static inline u8 kfx_pat(struct kfx_glob *g, u32 i)
{
	g->steps++;
	return i < g->plen ? g->pat[i] : 0;
}

static int kfx_name_is(const u8 *name, u32 len, const char *want)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!want[i] || name[i] != (u8)want[i])
			return 0;
	return !want[len];
}

/*
 * C-locale character class test.  Returns -1 for an unknown class name,
 * which fnmatch treats as a pattern that matches nothing.
 */
static int kfx_in_class(const u8 *name, u32 len, u8 c)
{
	int alpha = kfx_is_alpha(c);
	int digit = c >= '0' && c <= '9';
	int graph = c > 0x20 && c < 0x7f;

	if (kfx_name_is(name, len, "alpha"))
		return alpha;
	if (kfx_name_is(name, len, "digit"))
		return digit;
	if (kfx_name_is(name, len, "alnum"))
		return alpha || digit;
	if (kfx_name_is(name, len, "upper"))
		return c >= 'A' && c <= 'Z';
	if (kfx_name_is(name, len, "lower"))
		return c >= 'a' && c <= 'z';
	if (kfx_name_is(name, len, "space"))
		return c == ' ' || (c >= '\t' && c <= '\r');
	if (kfx_name_is(name, len, "blank"))
		return c == ' ' || c == '\t';
	if (kfx_name_is(name, len, "punct"))
		return graph && !alpha && !digit;
	if (kfx_name_is(name, len, "print"))
		return graph || c == ' ';
	if (kfx_name_is(name, len, "graph"))
		return graph;
	if (kfx_name_is(name, len, "cntrl"))
		return c < 0x20 || c == 0x7f;
	if (kfx_name_is(name, len, "xdigit"))
		return digit || (u8)((c | 0x20) - 'a') < 6;
	return -1;
}

static inline int kfx_lit_test(const struct kfx_glob *g, u32 p)
{
	return (int)(g->lit[p / 64] >> (p % 64)) & 1;
}

/*
 * One walk of fnmatch's skip over the rest of a bracket expression (its
 * skipping rules differ slightly from its matching rules, and malformed
 * patterns expose that).  Starts at *pp, a token boundary; on
 * KFX_BR_MATCH *pp is set past the closing ']'.  glibc 2.36 treats the
 * '[' as an ordinary character when this skip runs off the end of the
 * pattern (KFX_BR_LITERAL), but fails the match on the other malformed
 * cases.  With mark set, every token boundary passed is recorded as
 * leading to KFX_BR_LITERAL (the caller knows it does).
 */
static int kfx_skip_walk(struct kfx_glob *g, u32 *pp, int mark)
{
	u32 p = *pp, start, n;
	u8 c;

	for (;;) {
		if (kfx_lit_test(g, p))
			return KFX_BR_LITERAL;
		if (mark)
			g->lit[p / 64] |= 1ull << (p % 64);
		c = kfx_pat(g, p++);
		if (c == ']')
			break;
		if (!c)
			return KFX_BR_LITERAL;
		if (c == '\\') {
			if (!kfx_pat(g, p))
				return KFX_BR_BAD;
			p++;
		} else if (c == '[' && kfx_pat(g, p) == ':') {
			start = p;
			for (n = 0; ; ) {
				c = kfx_pat(g, ++p);
				if (++n == KFX_CLASS_MAX)
					return KFX_BR_BAD;
				if (kfx_pat(g, p) == ':' &&
				    kfx_pat(g, p + 1) == ']')
					break;
				if (c < 'a' || c >= 'z') {
					p = start - 2;
					break;
				}
			}
			p += 2;
		} else if (c == '[' && kfx_pat(g, p) == '=') {
			if (!kfx_pat(g, ++p))
				return KFX_BR_BAD;
			c = kfx_pat(g, ++p);
			if (c != '=' || kfx_pat(g, p + 1) != ']')
				return KFX_BR_BAD;
			p += 2;
		} else if (c == '[' && kfx_pat(g, p) == '.') {
			for (;;) {
				c = kfx_pat(g, ++p);
				if (!c)
					return KFX_BR_BAD;
				if (c == '.' && kfx_pat(g, p + 1) == ']')
					break;
			}
			p += 2;
		}
	}
	*pp = p;
	return KFX_BR_MATCH;
}

static int kfx_bracket_skip(struct kfx_glob *g, u32 *pp)
{
	u32 p = *pp;
	int r = kfx_skip_walk(g, pp, 0);

	/* Twice the work once, so that no later walk repeats it. */
	if (r == KFX_BR_LITERAL)
		kfx_skip_walk(g, &p, 1);
	return r;
}

/*
 * Parse "[.x.]" whose '[' is at p - 1 (p is at the '.'); *sym gets x.
 * Returns the index past ".]", or 0 when fnmatch fails the whole bracket
 * (unterminated, or not a one-character name: C has no collating names).
 */
static u32 kfx_collsym(struct kfx_glob *g, u32 p, u8 *sym)
{
	u32 start = p, n = 0;
	u8 c;

	for (;;) {
		c = kfx_pat(g, ++p);
		if (c == '.' && kfx_pat(g, p + 1) == ']')
			break;
		if (!c)
			return 0;
		n++;
	}
	if (n != 1)
		return 0;
	*sym = g->pat[start + 1];
	return p + 2;
}

/*
 * Match byte fn against the bracket expression whose '[' is at *pp - 1.
 * KFX_BR_MATCH: matched, *pp is past the ']'.  KFX_BR_FAIL: no match.
 * KFX_BR_LITERAL: unterminated, the '[' is an ordinary character.
 * KFX_BR_BAD: malformed, fnmatch fails the whole match.
 */
static int kfx_bracket(struct kfx_glob *g, u32 *pp, u8 fn)
{
	u32 p = *pp, start, n;
	u8 c, cold, cend;
	int neg, range, in;

	neg = kfx_pat(g, p) == '!' || kfx_pat(g, p) == '^';
	if (neg)
		p++;
	c = kfx_pat(g, p++);
	for (;;) {
		if (c == '\\') {
			if (!kfx_pat(g, p))
				return KFX_BR_BAD;
			c = g->pat[p++];
			goto normal;
		} else if (c == '[' && kfx_pat(g, p) == ':') {
			start = p;
			for (n = 0; ; n++) {
				if (n == KFX_CLASS_MAX)
					return KFX_BR_BAD;
				c = kfx_pat(g, ++p);
				if (c == ':' && kfx_pat(g, p + 1) == ']')
					break;
				if (c < 'a' || c >= 'z') {
					/* Not a class name: '[' is a member. */
					p = start;
					c = '[';
					goto normal;
				}
			}
			/* Up to a dozen name comparisons: charge them. */
			g->steps += 12;
			in = kfx_in_class(g->pat + start + 1, n, fn);
			p += 2;
			if (in < 0)
				return KFX_BR_BAD;
			if (in)
				goto matched;
			c = kfx_pat(g, p++);
		} else if (c == '[' && kfx_pat(g, p) == '=') {
			/* "[=x=]": in the C locale x is its own class. */
			start = p;
			cend = kfx_pat(g, p + 1);
			if (!cend || kfx_pat(g, p + 2) != '=' ||
			    kfx_pat(g, p + 3) != ']') {
				p = start;
				c = '[';
				goto normal;
			}
			p += 4;
			if (fn == cend)
				goto matched;
			c = kfx_pat(g, p++);
		} else if (!c) {
			return KFX_BR_LITERAL;
		} else {
			if (c == '[' && kfx_pat(g, p) == '.') {
				p = kfx_collsym(g, p, &cold);
				if (!p)
					return KFX_BR_BAD;
				range = kfx_pat(g, p) == '-' &&
					kfx_pat(g, p + 1);
				if (!range && fn == cold)
					goto matched;
				c = kfx_pat(g, p++);
			} else {
normal:
				range = kfx_pat(g, p) == '-' &&
					kfx_pat(g, p + 1) &&
					kfx_pat(g, p + 1) != ']';
				if (!range && c == fn)
					goto matched;
				cold = c;
				c = kfx_pat(g, p++);
			}
			if (c == '-' && kfx_pat(g, p) != ']') {
				cend = kfx_pat(g, p++);
				if (cend == '[' && kfx_pat(g, p) == '.') {
					p = kfx_collsym(g, p, &cend);
					if (!p)
						return KFX_BR_BAD;
				} else {
					if (cend == '\\')
						cend = kfx_pat(g, p++);
					if (!cend)
						return KFX_BR_BAD;
				}
				/* C locale: collation order is byte order. */
				if (cold <= fn && fn <= cend)
					goto matched;
				c = kfx_pat(g, p++);
			}
		}
		if (c == ']')
			break;
	}
	if (!neg)
		return KFX_BR_FAIL;
	*pp = p;
	return KFX_BR_MATCH;

matched:
	in = kfx_bracket_skip(g, &p);
	if (in != KFX_BR_MATCH)
		return in;
	if (neg)
		return KFX_BR_FAIL;
	*pp = p;
	return KFX_BR_MATCH;
}

/* Length of the string in s[0..len), stopping at max + 1. */
static u32 kfx_strnlen(const u8 *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!s[i])
			break;
	return i;
}

/*
 * Validate sizes and set up g.  Returns 0, or -KFX_E2BIG for a pattern
 * longer than KFX_GLOB_PAT_MAX (read no further than one byte past it).
 */
static int kfx_glob_init(struct kfx_glob *g, const char *pat, u32 pat_len)
{
	u32 i;

	if (pat_len > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	g->pat = (const u8 *)pat;
	g->plen = kfx_strnlen(g->pat, pat_len < KFX_GLOB_PAT_MAX + 1 ?
					pat_len : KFX_GLOB_PAT_MAX + 1);
	if (g->plen > KFX_GLOB_PAT_MAX)
		return -KFX_E2BIG;
	g->steps = 0;
	for (i = 0; i < KFX_LIT_WORDS; i++)
		g->lit[i] = 0;
	return 0;
}

/*
 * Number of string bytes the pattern from pi consumes, if that is fixed:
 * no star and no bracket follows (every other element takes one byte).
 * Else -1.
 */
static int kfx_tail_len(struct kfx_glob *g, u32 pi)
{
	int len = 0;
	u8 c;

	while (pi < g->plen) {
		c = kfx_pat(g, pi);
		if (c == '*' || c == '[')
			return -1;
		pi += c == '\\' ? 2 : 1;
		len++;
	}
	return len;
}

/*
 * The matcher proper: str s[0..slen) holds no NUL, g is set up for the
 * pattern.  Gives up with -KFX_ERANGE once g->steps reaches budget (the
 * path matcher runs it per component with what is left of its own).
 */
static int kfx_glob_run(const u8 *s, u32 slen, struct kfx_glob *g,
			u32 budget)
{
	const u8 *pt = g->pat;
	u32 plen = g->plen, si = 0, pi = 0, star_p = 0, star_s = 0, q, tail;
	int have_star = 0, anchored = 0, r, len;
	u8 c;

	/* Where the text after the pattern's last '*' byte starts. */
	for (tail = plen; tail && pt[tail - 1] != '*'; tail--)
		g->steps++;

	for (;; g->steps++) {
		/* Checked once per element: a bracket adds < 4 * plen + 16. */
		if (g->steps >= budget) {
			r = -KFX_ERANGE;
			goto out;
		}
		if (pi < plen) {
			c = pt[pi];
			if (c == '*') {
				while (pi < plen && pt[pi] == '*')
					pi++;
				if (pi == plen) {
					r = 1;
					goto out;
				}
				have_star = 1;
				/*
				 * After the last star, a tail that takes a
				 * fixed number of bytes can only match the
				 * end of str: try there, once, instead of at
				 * every offset (keeps "*.log" linear).
				 */
				if (pi == tail && !anchored &&
				    (len = kfx_tail_len(g, pi)) >= 0) {
					anchored = 1;
					if (slen - si < (u32)len) {
						r = 0;
						goto out;
					}
					si = slen - (u32)len;
				}
				star_p = pi;
				star_s = si;
				continue;
			}
			if (si == slen)
				goto fail;
			switch (c) {
			case '?':
				pi++;
				break;
			case '\\':
				/* A trailing backslash matches nothing. */
				if (pi + 1 == plen || pt[pi + 1] != s[si])
					goto fail;
				pi += 2;
				break;
			case '[':
				q = pi + 1;
				switch (kfx_bracket(g, &q, s[si])) {
				case KFX_BR_MATCH:
					pi = q;
					break;
				case KFX_BR_LITERAL:
					if (s[si] != '[')
						goto fail;
					pi++;
					break;
				default:
					goto fail;
				}
				break;
			default:
				if (c != s[si])
					goto fail;
				pi++;
			}
			si++;
			continue;
		}
		if (si == slen) {
			r = 1;
			goto out;
		}
fail:
		/* Let the last star absorb one more byte, if it can. */
		if (!have_star || anchored || star_s >= slen) {
			r = 0;
			goto out;
		}
		star_s++;
		si = star_s;
		pi = star_p;
	}
out:
	return r;
}

int kfx_glob_match_budget(const char *str, u32 str_len, const char *pat,
			  u32 pat_len, u32 budget, u32 *steps)
{
	struct kfx_glob g;
	int r;

	*steps = 0;
	if (str_len > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	r = kfx_glob_init(&g, pat, pat_len);
	if (r)
		return r;
	if (budget > KFX_GLOB_BUDGET)
		budget = KFX_GLOB_BUDGET;
	r = kfx_glob_run((const u8 *)str, kfx_strnlen((const u8 *)str, str_len),
			 &g, budget);
	*steps = g.steps;
	return r;
}

int kfx_glob_match_steps(const char *str, u32 str_len, const char *pat,
			 u32 pat_len, u32 *steps)
{
	return kfx_glob_match_budget(str, str_len, pat, pat_len,
				     KFX_GLOB_BUDGET, steps);
}

int kfx_glob_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len)
{
	u32 steps;

	return kfx_glob_match_steps(str, str_len, pat, pat_len, &steps);
}

/* ---- path glob ---- */

/* End of the '/'-separated component starting at i (a '/' or len). */
static u32 kfx_comp_end(struct kfx_glob *g, const u8 *b, u32 i, u32 len)
{
	u32 e = i;

	while (e < len && b[e] != '/')
		e++;
	/* Charged: the retry loop below may rescan a component. */
	g->steps += e - i + 1;
	return e;
}

/*
 * Path glob, see kfx_string.h for the language.  Both str and pat are
 * split at every '/': the matcher walks components, not bytes.  Each
 * ordinary pattern component is matched against one string component by
 * kfx_glob_run (which can then never see a '/', so '*', '?' and brackets
 * never match one), and a "**" component is the star of this component
 * level.  That is the classic last-star matcher again, one level up: a
 * stretch of pattern between two "**" is a fixed number of components,
 * and taking the leftmost place for each stretch never loses a match, so
 * when a component fails only the last "**" absorbs one more component.
 * No recursion and O(1) state; the work is counted in the same steps as
 * glob (each component attempt, each byte scanned) against the same
 * KFX_GLOB_BUDGET, so hostile input ends in -KFX_ERANGE, never in a
 * guessed answer.
 *
 * Positions: si/pi index the first byte of the current component; len + 1
 * means "no component left" (a string "a/" has two: "a" and "").
 */
int kfx_path_match_budget(const char *str, u32 str_len, const char *pat,
			  u32 pat_len, u32 budget, u32 *steps)
{
	const u8 *s = (const u8 *)str, *pt = (const u8 *)pat;
	u32 slen, plen, si = 0, pi = 0, se, pe, star_p = 0, star_s = 0, w;
	int have_star = 0, r;
	struct kfx_glob g;

	*steps = 0;
	if (str_len > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	r = kfx_glob_init(&g, pat, pat_len);
	if (r)
		return r;
	plen = g.plen;
	slen = kfx_strnlen(s, str_len);
	if (budget > KFX_GLOB_BUDGET)
		budget = KFX_GLOB_BUDGET;

	for (;; g.steps++) {
		if (g.steps >= budget) {
			r = -KFX_ERANGE;
			goto out;
		}
		if (pi > plen) {
			/* Pattern used up: a match if the string is too. */
			if (si > slen) {
				r = 1;
				goto out;
			}
			goto fail;
		}
		pe = kfx_comp_end(&g, pt, pi, plen);
		if (pe - pi == 2 && pt[pi] == '*' && pt[pi + 1] == '*') {
			/*
			 * A last "**" takes every remaining component, and
			 * needs one: pattern a/ then ** matches "a/" and
			 * "a/b/c", but not "a".
			 */
			if (pe == plen) {
				if (si <= slen) {
					r = 1;
					goto out;
				}
				goto fail;
			}
			have_star = 1;
			star_p = pe + 1;
			star_s = si;
			pi = pe + 1;
			continue;
		}
		if (si > slen)
			goto fail;
		se = kfx_comp_end(&g, s, si, slen);
		/* One component against one component: no '/' in either. */
		g.pat = pt + pi;
		g.plen = pe - pi;
		for (w = 0; w < KFX_LIT_WORDS; w++)
			g.lit[w] = 0;
		r = kfx_glob_run(s + si, se - si, &g, budget);
		if (r < 0)
			goto out;
		if (r) {
			pi = pe + 1;
			si = se + 1;
			continue;
		}
fail:
		/* Let the last "**" absorb one more component, if it can. */
		if (!have_star || star_s > slen) {
			r = 0;
			goto out;
		}
		star_s = kfx_comp_end(&g, s, star_s, slen) + 1;
		si = star_s;
		pi = star_p;
	}
out:
	*steps = g.steps;
	return r;
}

int kfx_path_match_steps(const char *str, u32 str_len, const char *pat,
			 u32 pat_len, u32 *steps)
{
	return kfx_path_match_budget(str, str_len, pat, pat_len,
				     KFX_GLOB_BUDGET, steps);
}

int kfx_path_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len)
{
	u32 steps;

	return kfx_path_match_steps(str, str_len, pat, pat_len, &steps);
}

#ifndef __KERNEL__
/* User space only (the kfx command): 255 bracket evaluations per '['. */
int kfx_glob_check(const char *pat, u32 pat_len, u32 *where)
{
	u32 pi = 0, q, end;
	struct kfx_glob g;
	int r, fn, seen;

	*where = 0;
	r = kfx_glob_init(&g, pat, pat_len);
	if (r)
		return r;
	while (pi < g.plen) {
		*where = pi;
		switch (g.pat[pi]) {
		case '\\':
			if (pi + 1 == g.plen)
				return KFX_GLOB_TRAILING_BACKSLASH;
			pi += 2;
			continue;
		case '[':
			break;
		default:
			pi++;
			continue;
		}
		/*
		 * Ask the matcher's own parser about every byte a string
		 * can hold: the expression must be closed and well formed
		 * for all of them, and end in the same place.
		 */
		end = 0;
		seen = 0;
		for (fn = 1; fn < 256; fn++) {
			q = pi + 1;
			r = kfx_bracket(&g, &q, (u8)fn);
			if (r == KFX_BR_LITERAL)
				return KFX_GLOB_UNCLOSED;
			if (r == KFX_BR_BAD)
				return KFX_GLOB_MALFORMED;
			if (r != KFX_BR_MATCH)
				continue;
			if (seen && q != end)
				return KFX_GLOB_MALFORMED;
			end = q;
			seen = 1;
		}
		/* A set no byte is in: nothing after it can be reached. */
		if (!seen)
			return KFX_GLOB_OK;
		pi = end;
	}
	return KFX_GLOB_OK;
}
#endif /* !__KERNEL__ */
