/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the differential fuzzers: cut one libFuzzer input into two
 * exactly-sized heap buffers (so ASan flags any read outside them).
 * Byte 0 chooses where the cut falls; the rest is split there.
 */
#ifndef KFX_FUZZ_SPLIT_H
#define KFX_FUZZ_SPLIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kfx_pair {
	char *a, *b;
	size_t an, bn;
};

static inline int kfx_split(const uint8_t *d, size_t n, struct kfx_pair *p)
{
	size_t cut;

	if (n < 1)
		return 0;
	n--;
	cut = n ? d[0] % (n + 1) : 0;
	p->bn = cut;		/* needle / pattern first: it is the short one */
	p->an = n - cut;
	p->b = malloc(p->bn ? p->bn : 1);
	p->a = malloc(p->an ? p->an : 1);
	memcpy(p->b, d + 1, p->bn);
	memcpy(p->a, d + 1 + p->bn, p->an);
	return 1;
}

static inline void kfx_dump(const char *what, const char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "%s[%zu] = \"", what, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "\\x%02x", (unsigned char)s[i]);
	fprintf(stderr, "\"\n");
}

static inline void kfx_mismatch(const char *fn, struct kfx_pair *p, int got,
				int want)
{
	fprintf(stderr, "MISMATCH %s: kfx %d, oracle %d\n", fn, got, want);
	kfx_dump("str", p->a, p->an);
	kfx_dump("arg2", p->b, p->bn);
	abort();
}

static inline void kfx_free(struct kfx_pair *p)
{
	free(p->a);
	free(p->b);
}

#endif
