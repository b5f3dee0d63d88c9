// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Differential fuzzer: kfx_strstr vs memmem(3). */
#define _GNU_SOURCE
#include <string.h>

#include "kfx_string.h"
#include "fuzz_split.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	const char *r;
	int got, want;

	if (!kfx_split(d, n, &p))
		return 0;
	r = memmem(p.a, p.an, p.b, p.bn);
	want = r ? (int)(r - p.a) : -1;
	got = kfx_strstr(p.a, p.an, p.b, p.bn);
	if (got != want)
		kfx_mismatch("kfx_strstr", &p, got, want);
	kfx_free(&p);
	return 0;
}
