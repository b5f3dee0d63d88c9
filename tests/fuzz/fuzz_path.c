// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Differential fuzzer: kfx_path_match vs the path-glob oracle
 * (tests/string/path_oracle.h: recursion over components + fnmatch(3)).
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>

#include "kfx_string.h"
#include "fuzz_split.h"
#include "../string/path_oracle.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C");
	unsetenv("POSIXLY_CORRECT");	/* it changes what "[^" means */
	return 0;
}

/*
 * The oracle is exponential in the number of stars (fnmatch) and of "**"
 * components (the recursion): a slow oracle would read as a libFuzzer
 * timeout.  kfx's own worst cases are in tests/string/worst.c.
 */
static int oracle_affordable(const char *pat, size_t slen)
{
	size_t stars = 0;

	for (; *pat; pat++)
		stars += *pat == '*';
	return stars <= 4 || (stars <= 10 && slen <= 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	char *sz, *pz;
	int got, want;
	u32 steps;

	if (n > 512 || !kfx_split(d, n, &p))
		return 0;
	sz = strndup(p.a, p.an);	/* a NUL inside ends the string */
	pz = strndup(p.b, p.bn);
	if (!oracle_affordable(pz, strlen(sz))) {
		free(sz);
		free(pz);
		kfx_free(&p);
		return 0;
	}
	want = strlen(pz) > KFX_GLOB_PAT_MAX ? -KFX_E2BIG :
	       oracle_path(p.a, p.an, p.b, p.bn);
	got = kfx_path_match_steps(p.a, p.an, p.b, p.bn, &steps);
	if (got == -KFX_ERANGE && steps >= KFX_GLOB_BUDGET)
		got = want;
	if (got != want)
		kfx_mismatch("kfx_path_match", &p, got, want);
	free(sz);
	free(pz);
	kfx_free(&p);
	return 0;
}
