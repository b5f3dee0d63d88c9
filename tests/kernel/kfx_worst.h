/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfx-worst: the string kfuncs on their worst inputs at maximal sizes,
 * called from a tracing program (tp_btf/sys_enter) in the VM matrix.
 * Shared by tests/kernel/kfx_worst.bpf.c and its loader kfx_worst.c.
 */
#ifndef KFX_WORST_H
#define KFX_WORST_H

/* One byte more than the largest accepted size, to test -E2BIG too. */
#define KFX_WORST_BUF	(65536 + 8)

enum { KFX_WORST_STRSTR, KFX_WORST_STRCASESTR, KFX_WORST_GLOB, KFX_WORST_PATH,
       KFX_WORST_SET, KFX_WORST_DPATH };

/*
 * KFX_WORST_DPATH: bpf_kfx_dentry_path on hostile blocks the program builds
 * in the set map (b_len is the shape, a_len the buffer's size); status gets
 * walk->status.
 */
enum { KFX_DP_DENTRY_CYCLE, KFX_DP_MOUNT_CYCLE, KFX_DP_NONCANONICAL,
       KFX_DP_USER_ADDR, KFX_DP_PAD, KFX_DP_END_PAST_BUF, KFX_DP_LONG_NAMES,
       KFX_DP_SHAPES };

/*
 * KFX_WORST_SET: the compiled set (b_len bytes) lives in its own map, of
 * the largest value size an array map allows (KMALLOC_MAX_SIZE, 4 MiB on
 * x86-64), which is also the largest set__sz bpf_kfx_match_set accepts.
 */
#define KFX_WORST_SET_BUF	(4u << 20)

struct kfx_worst_ctl {
	__u32 tgid;	/* only this process's syscalls run a case */
	__u32 armed;	/* set by the loader, cleared by the program */
	__u32 fn;	/* KFX_WORST_* */
	__u32 a_len;
	__u32 b_len;
	__s32 result;
	__u64 ns;	/* bpf_ktime_get_ns() around the kfunc call */
	__u32 ran;	/* cases run, to tell "never triggered" apart */
	__u32 status;	/* KFX_WORST_DPATH: walk->status */
};

#endif /* KFX_WORST_H */
