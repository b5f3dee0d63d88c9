// SPDX-License-Identifier: GPL-2.0
/*
 * kfx.bpf.o: the programs behind `kfx watch` and `kfx selftest`.
 *
 * One CO-RE object for every supported kernel (6.1+). The kernel
 * differences are resolved by the loader before load:
 *  - the unlink and rmdir workers are do_unlinkat()/do_rmdir() up to 7.2
 *    and filename_unlinkat()/filename_rmdir() from 7.3 on: the loader
 *    retargets the fentry/fexit programs or picks the kprobe function name;
 *  - module kfuncs are callable from kprobe programs only from 6.10 on:
 *    the loader prefers fentry and turns off autoload of the programs it
 *    does not use, so 6.1 never sees the kprobe programs.
 * Nothing here may use a kfunc that 6.1 lacks (no bpf_ksym_exists(): 6.1
 * rejects its ldimm64 of a kfunc BTF id).
 *
 * watch reports removals that happened, with the path the kernel resolved.
 * Three hooks per operation, sharing the thread's slot (task storage):
 *  1. entry of the worker (do_unlinkat, ...): the slot is marked entered.
 *     The worker's struct filename is the name as passed (relative, "..",
 *     "//") and is freed before the worker returns: it is never read.
 *  2. security_path_unlink/rmdir(const struct path *dir, struct dentry *d):
 *     called by the worker after the lookup, with the resolved parent and
 *     the victim, the parent's i_rwsem held (the victim's name and parent
 *     are stable). The absolute path is built by bpf_kfx_dentry_path
 *     (d_parent and mount crossings, in the kernel), the filter
 *     (bpf_kfx_match_set) runs on it, and a match fills
 *     the event in the slot. Other callers of the hook (cachefiles) find
 *     no entered slot and are ignored. Debian builds CONFIG_SECURITY_PATH=y
 *     (6.1, 6.12, 7.3); without it the hook does not exist and load fails,
 *     named by the loader.
 *  3. exit of the worker: return 0 sends the event, an error counts it as
 *     "failed"; the slot goes back to idle either way.
 * What an unlink costs when nothing matches is what kfx watch --rules
 * costs a busy machine, so that path is kept short: the slot is task
 * storage (allocated on a thread's first removal, then found through the
 * task; no hash insert and delete per call), the walk is one kfunc call
 * (a bpf_loop here cost a helper call or two per name), the path is
 * matched where it was built, and nothing is copied unless it matched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "kfx_kfuncs.h"
#include "kfx.h"
#include "kfx_st_io.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* kfx selftest: the compiled rule set for KFX_ST_MATCH_SET vectors. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_st_set);
} kfx_st_set SEC(".maps");

/*
 * watch's filter: a compiled rule set (include/kfx.h). The value size
 * here is a placeholder: the loader resizes the value to the set and sets
 * kfx_set_len, a constant to the verifier (frozen .rodata), so the call
 * below is checked against the exact size on every kernel (6.1 included)
 * with no bounds juggling.
 */
const volatile u32 kfx_set_len = 0;

/*
 * The inode number of kfx watch's own mount namespace (/proc/self/ns/mnt),
 * set by the loader; 0: unknown, not compared.
 */
const volatile u32 kfx_watch_mntns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 8);
} kfx_set SEC(".maps");		/* frozen by the loader once written */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFX_CNT_MAX);
	__type(key, u32);
	__type(value, u64);
} kfx_counters SEC(".maps");

/*
 * The path is built backwards from the victim in tmp (a component of at
 * most 255 bytes is written at an offset below KFX_PATH_MAX, so the second
 * half is slack that lets the verifier see every write in bounds) and is
 * matched where it lies; it does not fit on the 512-byte stack. One buffer per CPU and per operation: fentry programs
 * run with migration, not preemption, disabled, so a task preempted in
 * the unlink program can be followed on its CPU by one in the rmdir
 * program; the recursion guard only keeps a second run of the SAME
 * program off a CPU (it counts that in recursion_misses, reported as
 * "missed"). Kprobes run with preemption off.
 */
struct kfx_scratch_buf {
	char tmp[2 * KFX_PATH_MAX];
	struct kfx_dentry_walk walk;	/* bpf_kfx_dentry_path's block: here,
					 * where the verifier tracks nothing,
					 * as the kfunc writes into it */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFX_OP_MAX);	/* indexed by enum kfx_op */
	__type(key, u32);
	__type(value, struct kfx_scratch_buf);
} kfx_scratch SEC(".maps");

enum { KFX_SLOT_IDLE = 0, KFX_SLOT_ENTERED, KFX_SLOT_MATCHED };

struct kfx_slot {
	u32 state;		/* KFX_SLOT_* */
	u32 op;			/* enum kfx_op of the worker entered */
	struct kfx_event ev;
};

/*
 * One slot per thread: a thread has at most one unlink/rmdir in flight.
 * A slot left entered or matched (an exit never seen: kretprobe overflow)
 * is reset by the thread's next entry. A slot that cannot be had (out of
 * memory, or the storage busy with another BPF program on this CPU)
 * counts the call as lost: it is neither tracked nor reported.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct kfx_slot);
} kfx_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} kfx_events SEC(".maps");

/*
 * KFX_WATCH_FLOOR (make bench only: build/bench/kfx_floor.bpf.o, never
 * installed): the same programs on the same hooks with empty bodies, what
 * any watcher on these hooks costs an unlink before it does any work.
 */
#ifdef KFX_WATCH_FLOOR
#define KFX_FLOOR_RETURN return 0
#else
#define KFX_FLOOR_RETURN do { } while (0)
#endif

static __always_inline void count(u32 idx)
{
	u64 *c = bpf_map_lookup_elem(&kfx_counters, &idx);

	if (c)
		(*c)++;
}

static __always_inline struct kfx_slot *slot_of_current(u64 flags)
{
	return bpf_task_storage_get(&kfx_slots, bpf_get_current_task_btf(), 0,
				    flags);
}

/* 1. The worker was entered: the thread's slot (created once) is armed. */
static __always_inline int on_enter(u32 op)
{
	struct kfx_slot *slot;

	KFX_FLOOR_RETURN;
	count(KFX_CNT_SEEN);
	slot = slot_of_current(BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!slot) {
		count(KFX_CNT_LOST);
		return 0;
	}
	/* a match whose exit was never seen (kretprobe overflow) */
	if (slot->state == KFX_SLOT_MATCHED)
		count(KFX_CNT_LOST);
	slot->state = KFX_SLOT_ENTERED;
	slot->op = op;
	return 0;
}

/*
 * Is the path not relative to kfx watch's root?  The caller's namespace is
 * another, or (top: where a whole walk ended; 0: the walk stopped early,
 * not compared) the walk ended at another tree's root than its namespace's.
 */
static __always_inline bool other_root(u64 top)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct mnt_namespace *ns = t->nsproxy->mnt_ns;

	if (!ns || (top && (u64)ns->root != top))
		return true;
	if (bpf_core_field_exists(struct ns_common, inum) && kfx_watch_mntns &&
	    ns->ns.inum != kfx_watch_mntns)
		return true;
	return false;
}

/*
 * 2. The resolved parent and victim: build the absolute path, filter it,
 * keep the event in the thread's slot if it matched.
 */
static __always_inline int on_resolved(const struct path *dir,
				       struct dentry *victim, u32 op)
{
	struct kfx_dentry_walk *w;
	struct kfx_scratch_buf *s;
	struct kfx_slot *slot;
	struct kfx_event *e;
	const char *path;
	u32 zero = 0, plen, n, i, start, flags = 0;
	void *set;
	u64 id;
	int ret;

	KFX_FLOOR_RETURN;
	slot = slot_of_current(0);
	if (!slot || slot->state == KFX_SLOT_IDLE || slot->op != op)
		return 0;
	/* A retried lookup (ESTALE) calls the hook again: start over. */
	slot->state = KFX_SLOT_ENTERED;
	s = bpf_map_lookup_elem(&kfx_scratch, &op);
	if (!s)
		return 0;

	/*
	 * The walk up the dentries and mounts is one kfunc call: a loop in
	 * the program cost a helper call or two per name.  struct mount is
	 * private to fs/: its layout comes from CO-RE, the running kernel's.
	 */
	w = &s->walk;
	w->dentry = (u64)victim;
	w->mnt = (u64)BPF_CORE_READ(dir, mnt);
	w->end = KFX_PATH_MAX - 1;
	w->mount_mnt = bpf_core_field_offset(struct mount, mnt);
	w->mount_parent = bpf_core_field_offset(struct mount, mnt_parent);
	w->mount_mountpoint = bpf_core_field_offset(struct mount,
						    mnt_mountpoint);
	s->tmp[KFX_PATH_MAX - 1] = '\0';
	if (bpf_kfx_dentry_path(w, sizeof(*w), s->tmp, KFX_PATH_MAX)) {
		flags = KFX_EV_PATH_UNRESOLVED;	/* not reached: a valid block */
		start = KFX_PATH_MAX - 1;
	} else {
		if (w->status == KFX_DPATH_TRUNCATED)
			flags = KFX_EV_PATH_TRUNCATED;
		else if (w->status != KFX_DPATH_ROOT)
			flags = KFX_EV_PATH_UNRESOLVED;	/* or raced, twice */
		start = w->start;
	}
	/*
	 * Nothing named (the victim itself unreadable): reported as "/",
	 * flagged, rather than dropped; a removal must not hide.
	 */
	if (start > KFX_PATH_MAX - 2) {
		start = KFX_PATH_MAX - 2;
		s->tmp[KFX_PATH_MAX - 2] = '/';
		flags |= KFX_EV_PATH_UNRESOLVED;
	}
	plen = KFX_PATH_MAX - 1 - start;	/* 4095 bytes: whole */
	/* the path, NUL-terminated, where the walk left it */
	path = &s->tmp[start & (KFX_PATH_MAX - 1)];

	/*
	 * One call, whatever the number of rules: the lowest matching rule's
	 * id, or -1. Any other negative result is the matcher giving up
	 * (-ERANGE: glob verifications past their budget) or refusing the
	 * set: whether the path matches is unknown, so the removal is
	 * reported, flagged, rather than dropped. A crafted path must not
	 * hide from the filter.
	 */
	if (kfx_set_len) {
		set = bpf_map_lookup_elem(&kfx_set, &zero);
		if (!set)
			return 0;
		ret = bpf_kfx_match_set(set, kfx_set_len, path, plen);
		/*
		 * A path known only in part (its last 4095 bytes, or up to
		 * where the walk stopped) that matches nothing could still
		 * be one a rule is for (a prefix rule never sees the start
		 * of a truncated path): reported, flagged, like a filter
		 * error, so that a deep directory cannot hide a removal.
		 */
		if (ret == -1 && !(flags & (KFX_EV_PATH_TRUNCATED |
					    KFX_EV_PATH_UNRESOLVED)))
			return 0;
		if (ret < -1) {
			flags |= KFX_EV_FILTER_ERROR;
			ret = -1;
		}
	} else {
		ret = -1;		/* no filter: every removal */
	}

	/*
	 * Reported: is the path relative to kfx watch's root?  Not when the
	 * walk ended at another tree's root than the caller's namespace's
	 * (a detached tree: open_tree), or the caller's namespace is not
	 * kfx watch's (unshare -m, containers).  Only for what is reported:
	 * the unmatched path pays nothing.
	 */
	if (other_root(flags & (KFX_EV_PATH_TRUNCATED | KFX_EV_PATH_UNRESOLVED) ?
		       0 : w->top))
		flags |= KFX_EV_PATH_OTHER_ROOT;

	id = bpf_get_current_pid_tgid();
	e = &slot->ev;
	e->pid = (u32)id;
	e->tgid = id >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->match_off = -1;
	e->rule_id = ret;
	e->path_len = plen;
	e->flags = flags;
	if (plen >= KFX_EVENT_PATH)
		e->flags |= KFX_EV_TRUNCATED;
	e->op = op;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* zeroed first: the event holds no bytes of the thread's last path */
	for (i = 0; i < KFX_EVENT_PATH / 8; i++)
		((u64 *)e->path)[i] = 0;
	n = plen;
	if (n > KFX_EVENT_PATH - 1)
		n = KFX_EVENT_PATH - 1;
	barrier_var(n);		/* keep the mask: the verifier's bound */
	bpf_probe_read_kernel(e->path, n & (KFX_EVENT_PATH - 1), path);
	slot->state = KFX_SLOT_MATCHED;
	return 0;
}

/* 3. The worker returned: report a match that succeeded; the slot idles. */
static __always_inline int on_exit(long ret)
{
	struct kfx_slot *slot;

	KFX_FLOOR_RETURN;
	slot = slot_of_current(0);
	if (!slot || slot->state == KFX_SLOT_IDLE)
		return 0;
	if (slot->state == KFX_SLOT_MATCHED) {
		count(KFX_CNT_MATCHED);
		if (ret) {
			count(KFX_CNT_FAILED);
		} else {
			slot->ev.ts_ns = bpf_ktime_get_ns();
			if (bpf_ringbuf_output(&kfx_events, &slot->ev,
					       sizeof(slot->ev), 0))
				count(KFX_CNT_LOST);
		}
	}
	slot->state = KFX_SLOT_IDLE;
	return 0;
}

/*
 * fentry/fexit: retargeted by the loader to filename_unlinkat and
 * filename_rmdir where the do_ names are gone (7.3).
 */
SEC("fentry/do_unlinkat")
int BPF_PROG(kfx_unlink_enter, int dfd, struct filename *name)
{
	return on_enter(KFX_OP_UNLINK);
}

SEC("fentry/security_path_unlink")
int BPF_PROG(kfx_unlink_resolved, const struct path *dir, struct dentry *d)
{
	return on_resolved(dir, d, KFX_OP_UNLINK);
}

SEC("fexit/do_unlinkat")
int BPF_PROG(kfx_unlink_exit, int dfd, struct filename *name, int ret)
{
	return on_exit(ret);
}

SEC("fentry/do_rmdir")
int BPF_PROG(kfx_rmdir_enter, int dfd, struct filename *name)
{
	return on_enter(KFX_OP_RMDIR);
}

SEC("fentry/security_path_rmdir")
int BPF_PROG(kfx_rmdir_resolved, const struct path *dir, struct dentry *d)
{
	return on_resolved(dir, d, KFX_OP_RMDIR);
}

SEC("fexit/do_rmdir")
int BPF_PROG(kfx_rmdir_exit, int dfd, struct filename *name, int ret)
{
	return on_exit(ret);
}

/*
 * kprobe/kretprobe: the fallback where fentry cannot attach (no BPF
 * trampolines); usable only from 6.10, where kprobe programs may call
 * module kfuncs. Attached by the loader to whichever functions exist.
 */
SEC("kprobe")
int BPF_KPROBE(kfx_kp_unlink_enter)
{
	return on_enter(KFX_OP_UNLINK);
}

SEC("kprobe")
int BPF_KPROBE(kfx_kp_unlink_resolved, const struct path *dir, struct dentry *d)
{
	return on_resolved(dir, d, KFX_OP_UNLINK);
}

SEC("kretprobe")
int BPF_KRETPROBE(kfx_kp_unlink_exit, int ret)
{
	return on_exit(ret);
}

SEC("kprobe")
int BPF_KPROBE(kfx_kp_rmdir_enter)
{
	return on_enter(KFX_OP_RMDIR);
}

SEC("kprobe")
int BPF_KPROBE(kfx_kp_rmdir_resolved, const struct path *dir, struct dentry *d)
{
	return on_resolved(dir, d, KFX_OP_RMDIR);
}

SEC("kretprobe")
int BPF_KRETPROBE(kfx_kp_rmdir_exit, int ret)
{
	return on_exit(ret);
}

SEC("syscall")
int kfx_selftest(void *ctx)
{
	u32 a_len, b_len;
	struct kfx_st_io *io = kfx_st_vector(&a_len, &b_len);

	if (!io)
		return 1;

	switch (io->op) {
	case KFX_ST_STRSTR:
		io->result = bpf_kfx_strstr(io->a, a_len, io->b, b_len);
		break;
	case KFX_ST_STRCASESTR:
		io->result = bpf_kfx_strcasestr(io->a, a_len, io->b, b_len);
		break;
	case KFX_ST_GLOB:
		io->result = bpf_kfx_glob_match(io->a, a_len, io->b, b_len);
		break;
	case KFX_ST_PATH:
		io->result = bpf_kfx_path_match(io->a, a_len, io->b, b_len);
		break;
	case KFX_ST_MATCH_SET: {
		struct kfx_st_set *set;
		u32 zero = 0, len;

		set = bpf_map_lookup_elem(&kfx_st_set, &zero);
		if (!set)
			return 1;
		len = set->len;
		if (len > KFX_ST_SET_BUF)
			return 1;
		io->result = bpf_kfx_match_set(set->b, len, io->a, a_len);
		break;
	}
	case KFX_ST_CALL_TEST:
		io->result = bpf_kfunc_call_test((u32)io->args[0], io->args[1],
						 (u32)io->args[2], io->args[3]);
		break;
	default:
		return 1;
	}
	io->done = 1;
	return 0;
}
