// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Differential fuzzer: kfx_strcasestr vs a naive ASCII-folding search. */
#include "kfx_string.h"
#include "fuzz_split.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int oracle(const char *s, size_t n, const char *x, size_t m)
{
	size_t i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (lower((unsigned char)s[i + j]) !=
			    lower((unsigned char)x[j]))
				break;
		if (j == m)
			return (int)i;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	int got, want;

	if (!kfx_split(d, n, &p))
		return 0;
	want = oracle(p.a, p.an, p.b, p.bn);
	got = kfx_strcasestr(p.a, p.an, p.b, p.bn);
	if (got != want)
		kfx_mismatch("kfx_strcasestr", &p, got, want);
	kfx_free(&p);
	return 0;
}
