/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The benchmark workload, in ONE place: rule sets of realistic shape and
 * realistic absolute paths.  Used by bench/bench_set.c (the goals table),
 * by kfx-bench (the sets and paths it loads into the kernel) and by any
 * other set measurement, so every number is about the same rules.
 *
 * Rule mix (issue 9): 40% substring, 20% prefix, 20% suffix, 20% glob
 * (half shell globs, half path globs).  The patterns look like what an
 * audit rule file holds (secrets, dot-directories, config trees,
 * extensions) and are made distinct by a number, so a rule set of any
 * size is well defined.  Deterministic: the same seed gives the same
 * rules and paths on every machine and in the guest.
 */
#ifndef KFX_BENCH_WORKLOAD_H
#define KFX_BENCH_WORKLOAD_H

#include <stddef.h>

#define KFX_WL_PAT_MAX		128	/* longest pattern generated */
#define KFX_WL_PATH_MIN		64
#define KFX_WL_PATH_MAX		4096

/* Rule kinds as in src/kfx_set.h (KFX_RULE_SUBSTR ...). */
struct kfx_wl_rule {
	int kind;
	unsigned int len;
	char pat[KFX_WL_PAT_MAX + 1];
};

/* xorshift64 state; never 0. */
struct kfx_wl_rng {
	unsigned long long s;
};

void kfx_wl_seed(struct kfx_wl_rng *r, unsigned long long seed);
unsigned int kfx_wl_rand(struct kfx_wl_rng *r, unsigned int n);

/*
 * Rule i of the standard mix (i = 0, 1, ...): the kind follows i mod 10
 * (4 substring, 2 prefix, 2 suffix, 1 glob, 1 path glob) and the pattern is
 * unique to i, so rules 0..n-1 are the n-rule set and sets grow by
 * appending.  only_kind != 0 makes every rule that kind (the prefix-only
 * set the LPM trie comparison needs).
 */
void kfx_wl_rule(unsigned int i, int only_kind, struct kfx_wl_rule *out);

/* Literal kinds: substring, prefix, suffix (what Hyperscan gets). */
int kfx_wl_is_literal(int kind);

/*
 * A realistic absolute path of exactly len bytes (KFX_WL_PATH_MIN ..
 * KFX_WL_PATH_MAX), NUL-terminated (out has len + 1 bytes): '/'-joined
 * directory and file names of a Linux system, the seed picks which.  Such
 * paths match few rules, so a matcher reads the whole path: the cost that
 * counts on a path that is not flagged.
 */
void kfx_wl_path(char *out, unsigned int len, unsigned long long seed);

#endif /* KFX_BENCH_WORKLOAD_H */
