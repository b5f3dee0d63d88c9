// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Differential fuzzer: kfx_strcasestr vs a naive ASCII-folding search. */
#include "kfx_string.h"
#include "fuzz_split.h"
#include "../string/oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	int got, want;

	if (!kfx_split(d, n, &p))
		return 0;
	want = oracle_casemem(p.a, p.an, p.b, p.bn);
	got = kfx_strcasestr(p.a, p.an, p.b, p.bn);
	if (got != want)
		kfx_mismatch("kfx_strcasestr", &p, got, want);
	kfx_free(&p);
	return 0;
}
