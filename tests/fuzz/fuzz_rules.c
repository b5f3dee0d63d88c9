// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Differential fuzzer for rule sets: the input is cut at '\n' into rules
 * (first byte: the kind, the rest: the pattern) and, last, the string;
 * the set is compiled (inputs the compiler refuses are skipped) and
 * kfx_match_set's answer must equal the per-rule oracle's
 * (tests/string/set_oracle.h), -ERANGE only where more than
 * KFX_SET_VERIFY_MAX glob rules are candidates.  The number of dense
 * states (none, two, all) and the row form vary with the input's length.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_pattern.h"
#include "kfx_ruleset.h"
#include "../string/set_oracle.h"

#define MAX_RULES 24

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct or_rule r[MAX_RULES];
	const char *s = (const char *)d, *e, *end = s + n;
	struct kfx_ruleset *rs;
	size_t nr = 0, i, stars;
	char err[200], *str;
	void *set;
	size_t sz, slen;
	int got, want;

	if (n > 600)
		return 0;
	/* Rules up to the last '\n'; the string after it. */
	while ((e = memchr(s, '\n', (size_t)(end - s))) && nr < MAX_RULES) {
		if (e - s >= 2) {
			r[nr].kind = 1 + (unsigned char)s[0] % KFX_RULE_KIND_MAX;
			r[nr].pat = s + 1;
			r[nr].len = (size_t)(e - s - 1);
			/* fnmatch and the path oracle are exponential in stars */
			for (i = stars = 0; i < r[nr].len; i++)
				stars += r[nr].pat[i] == '*';
			if (stars > 4)
				return 0;
			nr++;
		}
		s = e + 1;
	}
	if (!nr)
		return 0;
	slen = (size_t)(end - s);
	if (slen > 128)
		return 0;
	rs = kfx_ruleset_new();
	/* All dense, all sparse, or mixed: picked by the input's length. */
	kfx_ruleset_dense_max(rs, n % 3 == 0 ? KFX_SET_NONE : n % 3 == 1 ? 0 : 2);
	/* Dense rows automatic, by class, byte-wide: by the length too. */
	kfx_ruleset_dense_rows(rs, (int)(n / 3 % 3));
	for (i = 0; i < nr; i++)
		if (kfx_ruleset_add(rs, r[i].kind, r[i].pat, r[i].len, err,
				    sizeof(err)) != (int)i)
			break;
	if (i < nr || kfx_ruleset_compile(rs, &set, &sz, err, sizeof(err))) {
		kfx_ruleset_free(rs);
		return 0;
	}
	kfx_ruleset_free(rs);
	str = malloc(slen ? slen : 1);	/* exactly sized: ASan sees over-reads */
	memcpy(str, s, slen);
	got = kfx_match_set(set, (u32)sz, str, (u32)slen);
	want = oracle_set(r, nr, str, slen);
	if (got == -KFX_ERANGE &&
	    oracle_set_candidates(r, nr, str, slen) > KFX_SET_VERIFY_MAX)
		got = want;
	if (got != want) {
		fprintf(stderr, "MISMATCH kfx_match_set: kfx %d, oracle %d\n",
			got, want);
		for (i = 0; i < nr; i++)
			fprintf(stderr, "  rule %zu %s \"%.*s\"\n", i,
				kfx_rule_kind_name(r[i].kind), (int)r[i].len,
				r[i].pat);
		fprintf(stderr, "  str \"%.*s\"\n", (int)slen, str);
		abort();
	}
	free(str);
	free(set);
	return 0;
}
