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
 * ones, because fnmatch is the specification we promise.
 */
#include "kfx_string.h"

/* Specialise the search per case mode: icase must be a constant there. */
#define kfx_always_inline inline __attribute__((__always_inline__))

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
	return z & ~(HIGHS >> (__builtin_clzll(z) & ~7u));
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

	if (kfx_prefix_eq(x, x + p, (u32)(ms + 1), icase) == (u32)(ms + 1)) {
		/* Periodic needle: remember the prefix already matched. */
		memory = -1;
		for (j = 0; j <= n - m; ) {
			i = ms > memory ? ms + 1 : memory + 1;
			while (i < m && kfx_fold(x[i], icase) ==
					kfx_fold(y[i + j], icase))
				i++;
			if (i < m) {
				j += i - ms;
				memory = -1;
				continue;
			}
			i = ms;
			while (i > memory && kfx_fold(x[i], icase) ==
					     kfx_fold(y[i + j], icase))
				i--;
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
					kfx_fold(y[i + j], icase))
				i++;
			if (i < m) {
				j += i - ms;
				continue;
			}
			i = ms;
			while (i >= 0 && kfx_fold(x[i], icase) ==
					 kfx_fold(y[i + j], icase))
				i--;
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

enum { KFX_BR_FAIL, KFX_BR_MATCH, KFX_BR_LITERAL };

/* Pattern byte at i, or 0 past the end (fnmatch sees a terminating NUL). */
static inline u8 kfx_pat(const u8 *pat, u32 plen, u32 i)
{
	return i < plen ? pat[i] : 0;
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

/*
 * Skip the rest of a bracket expression after an element matched, the way
 * fnmatch does (its skipping rules differ slightly from its matching
 * rules, and malformed patterns expose that).  *pp is just past the
 * matched element; on KFX_BR_MATCH it is set past the closing ']'.  glibc
 * 2.36 treats the '[' as an ordinary character when this skip runs off
 * the end of the pattern (KFX_BR_LITERAL), but fails the match on the
 * other malformed cases.
 */
static int kfx_bracket_skip(const u8 *pat, u32 plen, u32 *pp)
{
	u32 p = *pp, start, n;
	u8 c;

	while ((c = kfx_pat(pat, plen, p++)) != ']') {
		if (!c)
			return KFX_BR_LITERAL;
		if (c == '\\') {
			if (!kfx_pat(pat, plen, p))
				return KFX_BR_FAIL;
			p++;
		} else if (c == '[' && kfx_pat(pat, plen, p) == ':') {
			start = p;
			for (n = 0; ; ) {
				c = kfx_pat(pat, plen, ++p);
				if (++n == KFX_CLASS_MAX)
					return KFX_BR_FAIL;
				if (kfx_pat(pat, plen, p) == ':' &&
				    kfx_pat(pat, plen, p + 1) == ']')
					break;
				if (c < 'a' || c >= 'z') {
					p = start - 2;
					break;
				}
			}
			p += 2;
		} else if (c == '[' && kfx_pat(pat, plen, p) == '=') {
			if (!kfx_pat(pat, plen, ++p))
				return KFX_BR_FAIL;
			c = kfx_pat(pat, plen, ++p);
			if (c != '=' || kfx_pat(pat, plen, p + 1) != ']')
				return KFX_BR_FAIL;
			p += 2;
		} else if (c == '[' && kfx_pat(pat, plen, p) == '.') {
			for (;;) {
				c = kfx_pat(pat, plen, ++p);
				if (!c)
					return KFX_BR_FAIL;
				if (c == '.' && kfx_pat(pat, plen, p + 1) == ']')
					break;
			}
			p += 2;
		}
	}
	*pp = p;
	return KFX_BR_MATCH;
}

/*
 * Parse "[.x.]" whose '[' is at p - 1 (p is at the '.'); *sym gets x.
 * Returns the index past ".]", or 0 when fnmatch fails the whole bracket
 * (unterminated, or not a one-character name: C has no collating names).
 */
static u32 kfx_collsym(const u8 *pat, u32 plen, u32 p, u8 *sym)
{
	u32 start = p, n = 0;
	u8 c;

	for (;;) {
		c = kfx_pat(pat, plen, ++p);
		if (c == '.' && kfx_pat(pat, plen, p + 1) == ']')
			break;
		if (!c)
			return 0;
		n++;
	}
	if (n != 1)
		return 0;
	*sym = pat[start + 1];
	return p + 2;
}

/*
 * Match byte fn against the bracket expression whose '[' is at *pp - 1.
 * KFX_BR_MATCH: matched, *pp is past the ']'.  KFX_BR_FAIL: no match.
 * KFX_BR_LITERAL: unterminated, the '[' is an ordinary character.
 */
static int kfx_bracket(const u8 *pat, u32 plen, u32 *pp, u8 fn)
{
	u32 p = *pp, start, n;
	u8 c, cold, cend;
	int neg, range, in;

	neg = kfx_pat(pat, plen, p) == '!' || kfx_pat(pat, plen, p) == '^';
	if (neg)
		p++;
	c = kfx_pat(pat, plen, p++);
	for (;;) {
		if (c == '\\') {
			if (!kfx_pat(pat, plen, p))
				return KFX_BR_FAIL;
			c = pat[p++];
			goto normal;
		} else if (c == '[' && kfx_pat(pat, plen, p) == ':') {
			start = p;
			for (n = 0; ; n++) {
				if (n == KFX_CLASS_MAX)
					return KFX_BR_FAIL;
				c = kfx_pat(pat, plen, ++p);
				if (c == ':' && kfx_pat(pat, plen, p + 1) == ']')
					break;
				if (c < 'a' || c >= 'z') {
					/* Not a class name: '[' is a member. */
					p = start;
					c = '[';
					goto normal;
				}
			}
			in = kfx_in_class(pat + start + 1, n, fn);
			p += 2;
			if (in < 0)
				return KFX_BR_FAIL;
			if (in)
				goto matched;
			c = kfx_pat(pat, plen, p++);
		} else if (c == '[' && kfx_pat(pat, plen, p) == '=') {
			/* "[=x=]": in the C locale x is its own class. */
			start = p;
			cend = kfx_pat(pat, plen, p + 1);
			if (!cend || kfx_pat(pat, plen, p + 2) != '=' ||
			    kfx_pat(pat, plen, p + 3) != ']') {
				p = start;
				c = '[';
				goto normal;
			}
			p += 4;
			if (fn == cend)
				goto matched;
			c = kfx_pat(pat, plen, p++);
		} else if (!c) {
			return KFX_BR_LITERAL;
		} else {
			if (c == '[' && kfx_pat(pat, plen, p) == '.') {
				p = kfx_collsym(pat, plen, p, &cold);
				if (!p)
					return KFX_BR_FAIL;
				range = kfx_pat(pat, plen, p) == '-' &&
					kfx_pat(pat, plen, p + 1);
				if (!range && fn == cold)
					goto matched;
				c = kfx_pat(pat, plen, p++);
			} else {
normal:
				range = kfx_pat(pat, plen, p) == '-' &&
					kfx_pat(pat, plen, p + 1) &&
					kfx_pat(pat, plen, p + 1) != ']';
				if (!range && c == fn)
					goto matched;
				cold = c;
				c = kfx_pat(pat, plen, p++);
			}
			if (c == '-' && kfx_pat(pat, plen, p) != ']') {
				cend = kfx_pat(pat, plen, p++);
				if (cend == '[' && kfx_pat(pat, plen, p) == '.') {
					p = kfx_collsym(pat, plen, p, &cend);
					if (!p)
						return KFX_BR_FAIL;
				} else {
					if (cend == '\\')
						cend = kfx_pat(pat, plen, p++);
					if (!cend)
						return KFX_BR_FAIL;
				}
				/* C locale: collation order is byte order. */
				if (cold <= fn && fn <= cend)
					goto matched;
				c = kfx_pat(pat, plen, p++);
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
	in = kfx_bracket_skip(pat, plen, &p);
	if (in != KFX_BR_MATCH)
		return in;
	if (neg)
		return KFX_BR_FAIL;
	*pp = p;
	return KFX_BR_MATCH;
}

static u32 kfx_strnlen(const u8 *s, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!s[i])
			break;
	return i;
}

int kfx_glob_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len)
{
	const u8 *s = (const u8 *)str, *pt = (const u8 *)pat;
	u32 slen, plen, si = 0, pi = 0, star_p = 0, star_s = 0, q;
	int have_star = 0;
	u8 c;

	if (str_len > KFX_STR_MAX_LEN || pat_len > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	slen = kfx_strnlen(s, str_len);
	plen = kfx_strnlen(pt, pat_len);

	for (;;) {
		if (pi < plen) {
			c = pt[pi];
			if (c == '*') {
				while (pi < plen && pt[pi] == '*')
					pi++;
				if (pi == plen)
					return 1;
				have_star = 1;
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
				switch (kfx_bracket(pt, plen, &q, s[si])) {
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
		if (si == slen)
			return 1;
fail:
		/* Let the last star absorb one more byte, if it can. */
		if (!have_star || star_s >= slen)
			return 0;
		star_s++;
		si = star_s;
		pi = star_p;
	}
}
