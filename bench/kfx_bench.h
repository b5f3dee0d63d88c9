/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What kfx_bench.bpf.c and kfx-bench share. Included by BPF code (after
 * vmlinux.h) and by user space (after <linux/types.h>).
 *
 * User space writes one case into the one-entry "kfx_bench_io" map, runs
 * the SYSCALL program with BPF_PROG_TEST_RUN (which refuses `repeat` for
 * that program type), and reads back how long bpf_loop(iters) of calls took.
 */
#ifndef KFX_BENCH_H
#define KFX_BENCH_H

#define KFX_BENCH_HAY_MAX	1024
#define KFX_BENCH_NEEDLE_MAX	16
/* bpf_loop() refuses more iterations than this (BPF_MAX_LOOPS). */
#define KFX_BENCH_ITERS_MAX	(1u << 23)

enum kfx_bench_op {
	KFX_BENCH_EMPTY = 1,	/* the loop alone: its cost is subtracted */
	KFX_BENCH_KFX,		/* bpf_kfx_strstr (the module) */
	KFX_BENCH_LOOP,		/* naive search as a BPF bounded loop */
	KFX_BENCH_STRNSTR,	/* the kernel's bpf_strnstr (6.17+ only) */
};

struct kfx_bench_io {
	__u32 op;
	__u32 hay_len;
	__u32 needle_len;
	__u32 iters;
	__s64 result;		/* what the last call returned */
	__u64 ns;		/* bpf_ktime_get_ns() around bpf_loop() */
	__s64 loops;		/* what bpf_loop() returned */
	/*
	 * Both NUL-terminated after their length (bpf_strnstr reads C
	 * strings). The slack after hay lets the naive loop read hay[i + j]
	 * with bounds the verifier can check without relating i to hay_len.
	 */
	char hay[KFX_BENCH_HAY_MAX + KFX_BENCH_NEEDLE_MAX + 8];
	char needle[KFX_BENCH_NEEDLE_MAX + 8];
};

#endif /* KFX_BENCH_H */
