// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Differential fuzzer: kfx_path_match vs the path-glob oracle
 * (tests/string/path_oracle.h: recursion over components + fnmatch(3)).
 */
#define _GNU_SOURCE
#include <fnmatch.h>

#include "fuzz_pattern.h"
#include "../string/path_oracle.h"

static int oracle(const char *str, const char *pat)
{
	return oracle_path(str, strlen(str), pat, strlen(pat));
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	return kfx_fuzz_pattern(d, n, "kfx_path_match", kfx_path_match_steps,
				oracle, 4);
}
