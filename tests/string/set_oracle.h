/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Rule-set oracle, shared by the unit tests and the fuzzers: every rule on
 * its own, in id order, with the obvious tool for its kind (memmem, the
 * case-folding oracle, prefix/suffix/exact compares, fnmatch(3), the
 * path-glob oracle).  The string ends at its first NUL, as in the matcher.
 */
#ifndef KFX_TEST_SET_ORACLE_H
#define KFX_TEST_SET_ORACLE_H

#define _GNU_SOURCE
#include <fnmatch.h>
#include <string.h>

#include "kfx_ruleset.h"
#include "oracle.h"
#include "path_oracle.h"

struct or_rule {
	int kind;
	const char *pat;
	size_t len;
};

static inline int or_rule_matches(const struct or_rule *r, const char *s,
				  size_t n)
{
	char *pz, *sz;
	int m;

	switch (r->kind) {
	case KFX_RULE_SUBSTR:
		return memmem(s, n, r->pat, r->len) != NULL;
	case KFX_RULE_ISUBSTR:
		return oracle_casemem(s, n, r->pat, r->len) >= 0;
	case KFX_RULE_PREFIX:
		return n >= r->len && !memcmp(s, r->pat, r->len);
	case KFX_RULE_SUFFIX:
		return n >= r->len && !memcmp(s + n - r->len, r->pat, r->len);
	case KFX_RULE_EXACT:
		return n == r->len && !memcmp(s, r->pat, n);
	case KFX_RULE_GLOB:
		pz = strndup(r->pat, r->len);
		sz = strndup(s, n);
		m = fnmatch(pz, sz, 0) == 0;
		free(pz);
		free(sz);
		return m;
	default:
		return oracle_path(s, n, r->pat, r->len);
	}
}

/* Lowest matching id, or -1. */
static inline int oracle_set(const struct or_rule *r, size_t nr,
			     const char *s, size_t n)
{
	size_t i;

	n = strnlen(s, n);
	for (i = 0; i < nr; i++)
		if (or_rule_matches(&r[i], s, n))
			return (int)i;
	return -1;
}

/*
 * Does s pass glob r's pre-checks (its bytes before the first special byte
 * start s, those after the last one end s, not overlapping; no special
 * byte: s is the pattern)?  Written from the definition in kfx_set.h, not
 * from the matcher.
 */
static inline int oracle_glob_fixed(const struct or_rule *r, const char *s,
				    size_t n)
{
	const char *lead = "*?[\\", *trail = r->kind == KFX_RULE_PATH ?
					      "*?[]\\/" : "*?[]\\";
	size_t p = 0, q = 0;

	while (p < r->len && !strchr(lead, r->pat[p]))
		p++;
	if (p == r->len)
		return n == r->len && !memcmp(s, r->pat, n);
	while (q < r->len - p && !strchr(trail, r->pat[r->len - 1 - q]))
		q++;
	return p + q <= n && !memcmp(s, r->pat, p) &&
	       !memcmp(s + n - q, r->pat + r->len - q, q);
}

/*
 * Glob rules the matcher may have to verify for s: those that pass the
 * pre-checks (whatever their anchor: the compiler picks it).  More than
 * KFX_SET_VERIFY_MAX of them make -ERANGE a legitimate answer; fewer do
 * not.
 */
static inline size_t oracle_set_candidates(const struct or_rule *r,
					   size_t nr, const char *s, size_t n)
{
	size_t i, c = 0;

	n = strnlen(s, n);
	for (i = 0; i < nr; i++)
		if ((r[i].kind == KFX_RULE_GLOB || r[i].kind == KFX_RULE_PATH) &&
		    oracle_glob_fixed(&r[i], s, n))
			c++;
	return c;
}

#endif /* KFX_TEST_SET_ORACLE_H */
