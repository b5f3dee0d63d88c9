/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What kfx_bench_set.bpf.c and kfx-bench's set part share (BPF after
 * vmlinux.h, user space after <linux/types.h>).
 *
 * User space loads a compiled set into "kfx_bset_set", the same rules one
 * per entry into "kfx_bset_rules", the prefix rules into the LPM trie
 * "kfx_bset_lpm", one path into "kfx_bset_io", then runs the SYSCALL
 * program: bpf_loop(iters) of one contender, timed with bpf_ktime_get_ns().
 */
#ifndef KFX_BENCH_SET_H
#define KFX_BENCH_SET_H

#define KFX_BSET_HAY_MAX	256	/* the LPM trie's key limit too */
#define KFX_BSET_PAT_MAX	128	/* bench/workload.h KFX_WL_PAT_MAX */
#define KFX_BSET_RULES_MAX	1024
/* the largest array map value (KMALLOC_MAX_SIZE, 4 MiB) less the length */
#define KFX_BSET_SET_MAX	((4u << 20) - 8)

enum kfx_bset_op {
	KFX_BSET_EMPTY = 1,	/* the loop alone: subtracted */
	KFX_BSET_SET,		/* one bpf_kfx_match_set */
	KFX_BSET_ONE,		/* bpf_loop over the rules, one kfunc each */
	KFX_BSET_LPM,		/* one LPM trie lookup of the path */
};

struct kfx_bset_io {
	__u32 op;
	__u32 iters;
	__u32 hay_len;
	__u32 nrules;
	__s64 result;		/* last call's answer: rule id or -1 */
	__u64 ns;
	__s64 loops;
	/* the LPM key: prefixlen in bits, then the path's bytes */
	__u32 prefixlen;
	/*
	 * The path; the slack after it lets a suffix test read
	 * hay[hay_len - len .. hay_len) with bounds the verifier can check
	 * without relating the two lengths.
	 */
	char hay[KFX_BSET_HAY_MAX + KFX_BSET_PAT_MAX];
};

struct kfx_bset_rule {
	__u32 kind;		/* KFX_RULE_* (src/kfx_set.h) */
	__u32 len;
	__u32 value;		/* the LPM trie's value for this prefix */
	char pat[KFX_BSET_PAT_MAX];
};

struct kfx_bset_set {
	__u32 len;
	__u8 b[KFX_BSET_SET_MAX];
};

struct kfx_bset_lpm_key {
	__u32 prefixlen;
	__u8 data[KFX_BSET_HAY_MAX];
};

#endif /* KFX_BENCH_SET_H */
