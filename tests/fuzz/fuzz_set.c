// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Hostile sets: arbitrary bytes as a compiled set (and a string) for
 * kfx_match_set.  Both live in exactly-sized heap buffers, so ASan reports
 * any read outside them; the answer must be a rule id, -1 or an error, and
 * the work within KFX_SET_WORK(n).  Seeds are real compiled sets
 * (tests/fuzz/corpus/set, written by test_set).
 */
#include <stdlib.h>

#include "kfx_set.h"
#include "fuzz_split.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kfx_pair p;
	u64 steps;
	u32 nrules = 0;
	int r;

	if (!kfx_split(d, n, &p))
		return 0;
	/* Seeds put the set first: byte 0 == 0 means "all set, no str". */
	if (!d[0] && n > 1) {
		kfx_free(&p);
		p.bn = n - 1;
		p.b = malloc(p.bn);
		memcpy(p.b, d + 1, p.bn);
		/* The string: the set's last 7 bytes are not a set's. */
		p.an = 7;
		p.a = malloc(7);
		memcpy(p.a, "/ab/a.c", 7);
	}
	if (p.bn >= 4 * (KFX_SH_NRULES + 1))
		memcpy(&nrules, p.b + 4 * KFX_SH_NRULES, 4);
	r = kfx_match_set_steps(p.b, (u32)p.bn, p.a, (u32)p.an, &steps);
	if (!(r == -KFX_EINVAL || r == -KFX_ERANGE || r == -1 ||
	      (r >= 0 && (u32)r < nrules))) {
		fprintf(stderr, "MISMATCH kfx_match_set: bad result %d\n", r);
		abort();
	}
	if (steps > KFX_SET_WORK(p.an)) {
		fprintf(stderr, "MISMATCH kfx_match_set: %llu steps > %llu\n",
			(unsigned long long)steps,
			(unsigned long long)KFX_SET_WORK(p.an));
		abort();
	}
	kfx_free(&p);
	return 0;
}
