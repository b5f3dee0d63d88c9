// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Baselines for the benchmark, in their own translation unit so the
 * compiler cannot specialise them for the benchmark's inputs.
 */
#include "baselines.h"

#define PORT_MAX	65536	/* XATTR_SIZE_MAX */
#define PORT_ENOENT	2
#define PORT_E2BIG	7

int naive_strstr(const char *s, unsigned int n, const char *x, unsigned int m)
{
	unsigned int i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (s[i + j] != x[j])
				break;
		if (j == m)
			return (int)i;
	}
	return -1;
}

static char port_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

int bpf_strnstr_port(const char *s1, const char *s2, size_t len,
		     int ignore_case)
{
	size_t i, j;
	char a, b;

	for (i = 0; i < PORT_MAX; i++, s1++) {
		/* One extra needle byte may be read to see its end. */
		for (j = 0; i + j <= len && j < PORT_MAX; j++) {
			b = s2[j];
			if (!b)
				return (int)i;
			if (i + j == len)
				break;
			a = s1[j];
			if (ignore_case) {
				a = port_lower(a);
				b = port_lower(b);
			}
			if (!a)
				return -PORT_ENOENT;
			if (a != b)
				break;
		}
		if (j == PORT_MAX)
			return -PORT_E2BIG;
		if (i + j == len)
			return -PORT_ENOENT;
	}
	return -PORT_E2BIG;
}
