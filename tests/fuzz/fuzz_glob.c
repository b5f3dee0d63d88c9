// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Differential fuzzer: kfx_glob_match vs glibc fnmatch(pat, str, 0), C locale. */
#define _GNU_SOURCE
#include <fnmatch.h>

#include "fuzz_pattern.h"

static int oracle_glob(const char *str, const char *pat)
{
	return fnmatch(pat, str, 0) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	return kfx_fuzz_pattern(d, n, "kfx_glob_match", kfx_glob_match_steps,
				oracle_glob, 3);
}
