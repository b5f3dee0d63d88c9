/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The case-insensitive search oracle, shared by the unit tests and the
 * strcasestr fuzzer: obviously correct, try every position and compare
 * ASCII-folded bytes (libc's strcasestr stops at NUL, so it cannot serve).
 */
#ifndef KFX_TEST_ORACLE_H
#define KFX_TEST_ORACLE_H

#include <stddef.h>

static inline unsigned char oracle_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int oracle_casemem(const char *s, size_t n, const char *x,
				 size_t m)
{
	size_t i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (oracle_lower((unsigned char)s[i + j]) !=
			    oracle_lower((unsigned char)x[j]))
				break;
		if (j == m)
			return (int)i;
	}
	return -1;
}

#endif /* KFX_TEST_ORACLE_H */
