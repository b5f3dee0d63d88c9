/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the differential fuzzers of the pattern matchers (glob, path
 * glob) and the rule-set fuzzer: the C locale their oracles assume, and one
 * pattern check (a matcher against an oracle, both given the same input).
 */
#ifndef KFX_FUZZ_PATTERN_H
#define KFX_FUZZ_PATTERN_H

#include <locale.h>

#include "kfx_string.h"
#include "fuzz_split.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The oracles are fnmatch(3) in the C locale, POSIXLY_CORRECT unset. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C");
	unsetenv("POSIXLY_CORRECT");	/* it changes what "[^" means */
	return 0;
}

/* A matcher under test: kfx_glob_match_steps and its kind. */
typedef int (*kfx_fuzz_matcher)(const char *str, u32 str_len, const char *pat,
				u32 pat_len, u32 *steps);
/* Its oracle: str and pat up to their first NUL, as C strings. */
typedef int (*kfx_fuzz_oracle)(const char *str, const char *pat);

/*
 * fnmatch backtracks exponentially on star traps (and a recursive path
 * oracle on "**"), and a slow oracle would read as a libFuzzer timeout:
 * inputs with more than max_stars stars and a string over 16 bytes are not
 * asked.  kfx's own worst cases are in tests/string/worst.c.
 */
static inline int kfx_fuzz_pattern(const uint8_t *d, size_t n, const char *name,
				   kfx_fuzz_matcher fn, kfx_fuzz_oracle oracle,
				   size_t max_stars)
{
	struct kfx_pair p;
	size_t stars = 0;
	char *sz, *pz, *c;
	int got, want;
	u32 steps;

	if (n > 512 || !kfx_split(d, n, &p))
		return 0;
	sz = strndup(p.a, p.an);	/* a NUL inside ends the string */
	pz = strndup(p.b, p.bn);
	for (c = pz; *c; c++)
		stars += *c == '*';
	if (stars <= max_stars || (stars <= 10 && strlen(sz) <= 16)) {
		/* Longer patterns are refused; the oracle need not be asked. */
		want = strlen(pz) > KFX_GLOB_PAT_MAX ? -KFX_E2BIG :
		       oracle(sz, pz);
		got = fn(p.a, p.an, p.b, p.bn, &steps);
		/* The budget may run out (a hostile pattern); only then. */
		if (got == -KFX_ERANGE && steps >= KFX_GLOB_BUDGET)
			got = want;
		if (got != want)
			kfx_mismatch(name, &p, got, want);
	}
	free(sz);
	free(pz);
	kfx_free(&p);
	return 0;
}

#endif
