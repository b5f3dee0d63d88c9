/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The path-glob oracle, shared by the unit tests and the path fuzzer:
 * a straightforward recursion over '/'-separated components that tries
 * every way a "**" component can split the string, and asks glibc
 * fnmatch(3) about each ordinary component.  Exponential on "**" traps,
 * so callers keep inputs small.  Semantics: src/kfx_string.h.
 */
#ifndef KFX_TEST_PATH_ORACLE_H
#define KFX_TEST_PATH_ORACLE_H

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static inline int po_fnmatch(const char *p, size_t pn, const char *s,
			     size_t sn)
{
	char *pz = strndup(p, pn), *sz = strndup(s, sn);
	int r = fnmatch(pz, sz, 0) == 0;

	free(pz);
	free(sz);
	return r;
}

/* Length of the component at p (up to '/' or n); *last: no '/' follows. */
static inline size_t po_comp(const char *p, size_t n, int *last)
{
	const char *e = memchr(p, '/', n);

	*last = !e;
	return e ? (size_t)(e - p) : n;
}

/* pleft/sleft: whether any component remains ("a/" has "a" and ""). */
static inline int po_match(const char *p, size_t pn, int pleft,
			   const char *s, size_t sn, int sleft)
{
	size_t pc, sc;
	int plast, slast;

	if (!pleft)
		return !sleft;
	pc = po_comp(p, pn, &plast);
	if (pc == 2 && p[0] == '*' && p[1] == '*') {
		if (plast)	/* trailing: one or more components */
			return sleft;
		for (;;) {	/* zero, one, two, ... components */
			if (po_match(p + 3, pn - 3, 1, s, sn, sleft))
				return 1;
			if (!sleft)
				return 0;
			sc = po_comp(s, sn, &slast);
			if (slast) {
				sleft = 0;
			} else {
				s += sc + 1;
				sn -= sc + 1;
			}
		}
	}
	if (!sleft)
		return 0;
	sc = po_comp(s, sn, &slast);
	if (!po_fnmatch(p, pc, s, sc))
		return 0;
	return po_match(plast ? p : p + pc + 1, plast ? 0 : pn - pc - 1,
			!plast, slast ? s : s + sc + 1,
			slast ? 0 : sn - sc - 1, !slast);
}

/* A NUL ends either string, as in the matcher. */
static inline int oracle_path(const char *s, size_t n, const char *p,
			      size_t m)
{
	return po_match(p, strnlen(p, m), 1, s, strnlen(s, n), 1);
}

#endif /* KFX_TEST_PATH_ORACLE_H */
