// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Differential fuzzer: kfx_glob_match vs glibc fnmatch(pat, str, 0), C locale. */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>

#include "kfx_string.h"
#include "fuzz_split.h"

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
 * fnmatch backtracks exponentially on star traps, and a slow oracle would
 * read as a libFuzzer timeout.  kfx's own worst cases are covered by the
 * unit tests and the benchmark instead.
 */
static int oracle_affordable(const char *pat, size_t slen)
{
	size_t stars = 0;

	for (; *pat; pat++)
		stars += *pat == '*';
	return stars <= 3 || (stars <= 10 && slen <= 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	char *sz, *pz;
	int got, want;
	u32 steps;

	/* fnmatch is exponential on star traps: keep the oracle affordable. */
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
	/* Longer patterns are refused; the oracle need not be asked. */
	want = strlen(pz) > KFX_GLOB_PAT_MAX ? -KFX_E2BIG :
	       fnmatch(pz, sz, 0) == 0;
	got = kfx_glob_match_steps(p.a, p.an, p.b, p.bn, &steps);
	/* The budget may run out (long brackets at every offset); only then. */
	if (got == -KFX_ERANGE && steps >= KFX_GLOB_BUDGET)
		got = want;
	if (got != want)
		kfx_mismatch("kfx_glob_match", &p, got, want);
	free(sz);
	free(pz);
	kfx_free(&p);
	return 0;
}
