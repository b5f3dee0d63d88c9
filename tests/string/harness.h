/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the string-core tests (test_strings.c, test_set.c, worst.c):
 * buffers whose last byte touches a PROT_NONE page, so a read past the end
 * faults, and a repeatable xorshift generator (KFX_TEST_SEED before the
 * include picks the sequence).
 */
#ifndef KFX_TEST_HARNESS_H
#define KFX_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct gbuf {
	char *base;
	size_t cap;
};

static inline void gbuf_init(struct gbuf *g, size_t cap)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t len = (cap + pg - 1) / pg * pg;

	g->base = mmap(NULL, len + pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->base == MAP_FAILED || mprotect(g->base + len, pg, PROT_NONE)) {
		perror("mmap");
		exit(2);
	}
	g->cap = len;
}

/* Copy n bytes so that they end at the guard page; returns the copy. */
static inline void *gbuf_put(struct gbuf *g, const void *s, size_t n)
{
	char *p = g->base + g->cap - n;

	memcpy(p, s, n);
	return p;
}

#ifndef KFX_TEST_SEED
#define KFX_TEST_SEED 0x2545f4914f6cdd1dull
#endif
static unsigned long long rng = KFX_TEST_SEED;

static inline unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

/*
 * The closing line, and COUNTFILE ("passed failed skipped", as tests/lib.sh
 * writes it) if given; returns the exit status.
 */
static inline int kfx_test_finish(const char *countfile, unsigned long passed,
				  unsigned long failed)
{
	FILE *f;

	printf("%lu passed, %lu failed\n", passed, failed);
	if (countfile) {
		f = fopen(countfile, "w");
		if (!f) {
			perror(countfile);
			return 2;
		}
		fprintf(f, "%lu %lu 0\n", passed, failed);
		fclose(f);
	}
	return failed ? 1 : 0;
}

#endif
