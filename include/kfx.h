/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What kfx.bpf.c and the kfx command share: event and map layouts.
 * Included by BPF code (after vmlinux.h) and by user space (after
 * <linux/types.h>), so it uses only __u32-style types.
 */
#ifndef KFX_H
#define KFX_H

#define KFX_COMM_LEN	16
#define KFX_PATH_MAX	4096	/* what the kernel matches against */
#define KFX_EVENT_PATH	512	/* what an event carries */
#define KFX_PATTERN_MAX	256	/* longest pattern of a watch rule
					 * (KFX_SET_PAT_MAX) */

/*
 * kfx watch's filter is one compiled rule set (src/kfx_set.h) in the
 * one-entry array map "kfx_set". The loader sizes the map's value to the
 * set (bpf_map__set_value_size) and tells the program the set's size in
 * the read-only global kfx_set_len, so the verifier knows the exact
 * length it passes to bpf_kfx_match_set and no map is larger than its set.
 * kfx_set_len 0: no filter, every removal is reported. The largest set is
 * KFX_SET_MAX_SIZE (4 MiB), which is also the largest array map value
 * (KMALLOC_MAX_SIZE on x86-64).
 */

enum kfx_counter {
	KFX_CNT_SEEN = 0,	/* unlink/rmdir calls entered */
	KFX_CNT_MATCHED,	/* of those, whose resolved path matched */
	KFX_CNT_LOST,		/* not reported: matched and succeeded with
				 * the ring buffer full, a match whose exit
				 * was never seen, or not tracked at all (no
				 * slot: out of memory, task storage busy) */
	KFX_CNT_FAILED,		/* matched, but the call failed: not reported */
	KFX_CNT_MAX,
};

/* What was removed (struct kfx_event.op). rename over a file is not seen. */
enum kfx_op {
	KFX_OP_UNLINK = 0,
	KFX_OP_RMDIR,
	KFX_OP_MAX,
};

#define KFX_EV_TRUNCATED	(1u << 0)	/* path longer than the event holds */
#define KFX_EV_PATH_TRUNCATED	(1u << 1)	/* resolved path did not fit in
						 * KFX_PATH_MAX - 1 bytes: the
						 * event holds its last part */
#define KFX_EV_PATH_UNRESOLVED	(1u << 2)	/* the walk to the root stopped
						 * early (detached dentry, walk
						 * budget, unreadable name) or
						 * raced with renames twice */
#define KFX_EV_PATH_OTHER_ROOT	(1u << 4)	/* the path is relative to the
						 * root of another mount tree
						 * than kfx watch's: a private
						 * mount namespace's, or a
						 * detached tree's (open_tree) */
#define KFX_EV_FILTER_ERROR	(1u << 3)	/* bpf_kfx_match_set gave up
						 * (-ERANGE: globs past their
						 * work budget) or refused the
						 * set (-EINVAL...): reported
						 * unfiltered, rule_id -1 */

/*
 * One removal that succeeded. path is the absolute path, resolved in the
 * kernel from the parent directory the call looked up (relative names,
 * dir fds, "..", "//" and symlinked directories all resolved), relative to
 * the root of the caller's mount namespace. Bytes after the path's NUL are
 * zero.
 */
struct kfx_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() at return */
	__u32 pid;		/* thread id */
	__u32 tgid;		/* process id */
	__u32 uid;
	__s32 match_off;	/* always -1: a set reports which rule
				 * matched, not where (kept for layout and
				 * JSON compatibility) */
	__u32 path_len;		/* length of the resolved path, without NUL */
	__u32 flags;		/* KFX_EV_* */
	__u32 op;		/* enum kfx_op */
	__s32 rule_id;		/* lowest matching rule, -1: no filter or
				 * filter error */
	char comm[KFX_COMM_LEN];
	char path[KFX_EVENT_PATH];
};

/*
 * kfx selftest: user space writes one vector into the one-entry "st_io"
 * map, runs the syscall program with BPF_PROG_TEST_RUN, reads the result.
 */
enum kfx_st_op {
	KFX_ST_STRSTR = 1,
	KFX_ST_STRCASESTR,
	KFX_ST_GLOB,
	KFX_ST_CALL_TEST,
	KFX_ST_TUTORIAL_STRSTR,	/* bpf_strstr alias: kfx_alias.bpf.o only */
	KFX_ST_PATH,
	KFX_ST_MATCH_SET,	/* set in the kfx_st_set map, str in a */
};

#define KFX_ST_BUF	256

/*
 * The selftest's rule set (a compiled set is larger than the 256-byte
 * vector buffers): one map value, so the largest set a program can pass
 * from it is KFX_ST_SET_BUF bytes (bpf_kfx_match_set itself takes up to
 * KFX_SET_MAX_SIZE, 4 MiB, the map value limit the kernel allows).
 */
#define KFX_ST_SET_BUF	65536

struct kfx_st_set {
	__u32 len;
	__u32 pad;
	char b[KFX_ST_SET_BUF];
};

struct kfx_st_io {
	__u32 op;
	__u32 a_len;
	__u32 b_len;
	__u32 pad;
	__u64 args[4];		/* KFX_ST_CALL_TEST */
	__s64 result;
	__s64 done;		/* set by the program: it ran the op */
	char a[KFX_ST_BUF];
	char b[KFX_ST_BUF];
};

#endif /* KFX_H */
