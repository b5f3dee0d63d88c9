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
 * Three hooks per operation, keyed by thread (pid_tgid) in kfx_inflight:
 *  1. entry of the worker (do_unlinkat, ...): a zeroed slot for this thread.
 *     The worker's struct filename is the name as passed (relative, "..",
 *     "//") and is freed before the worker returns: it is never read.
 *  2. security_path_unlink/rmdir(const struct path *dir, struct dentry *d):
 *     called by the worker after the lookup, with the resolved parent and
 *     the victim, the parent's i_rwsem held (the victim's name and parent
 *     are stable). The absolute path is built by walking d_parent and
 *     crossing mounts, the filter (kfuncs) runs on it, and a match fills
 *     the event in the slot. Other callers of the hook (cachefiles) have no
 *     slot and are ignored. Debian builds CONFIG_SECURITY_PATH=y (6.1, 6.12,
 *     7.3); without it the hook does not exist and load fails, named by the
 *     loader.
 *  3. exit of the worker: return 0 sends the event, an error counts it as
 *     "failed"; the slot is deleted either way.
 * A failing unlink (EACCES, ENOENT) therefore costs a hash insert and
 * delete, never a ring buffer entry.
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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 8);
} kfx_set SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFX_CNT_MAX);
	__type(key, u32);
	__type(value, u64);
} kfx_counters SEC(".maps");

/*
 * The path is built backwards from the victim in tmp (a component of at
 * most 255 bytes is written at an offset below KFX_PATH_MAX, so the second
 * half is slack that lets the verifier see every write in bounds), then
 * copied to path, where it is matched in full. Neither fits on the
 * 512-byte stack. One buffer per CPU and per operation: fentry programs
 * run with migration, not preemption, disabled, so a task preempted in
 * the unlink program can be followed on its CPU by one in the rmdir
 * program; the recursion guard only keeps a second run of the SAME
 * program off a CPU (it counts that in recursion_misses, reported as
 * "missed"). Kprobes run with preemption off.
 */
struct kfx_scratch_buf {
	char tmp[2 * KFX_PATH_MAX];
	char path[KFX_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFX_OP_MAX);	/* indexed by enum kfx_op */
	__type(key, u32);
	__type(value, struct kfx_scratch_buf);
} kfx_scratch SEC(".maps");

enum { KFX_SLOT_ENTERED = 0, KFX_SLOT_MATCHED };

struct kfx_slot {
	u32 state;		/* KFX_SLOT_* */
	u32 op;			/* enum kfx_op of the worker entered */
	struct kfx_event ev;
};

/*
 * One slot per thread inside an unlink/rmdir. Inserted with BPF_ANY: a
 * thread has at most one such call in flight, so an existing entry can only
 * be a leftover whose exit was never seen (kretprobe overflow) and is
 * overwritten. A full table (KFX_INFLIGHT_MAX threads at once) counts the
 * call as lost: it is neither tracked nor reported.
 */
#define KFX_INFLIGHT_MAX 8192

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KFX_INFLIGHT_MAX);
	__type(key, u64);
	__type(value, struct kfx_slot);
} kfx_inflight SEC(".maps");

/* Never written: the zeroed value a new slot starts from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_slot);
} kfx_zero_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} kfx_events SEC(".maps");

static __always_inline void count(u32 idx)
{
	u64 *c = bpf_map_lookup_elem(&kfx_counters, &idx);

	if (c)
		(*c)++;
}

/* 1. The worker was entered: a fresh slot for this thread. */
static __always_inline int on_enter(u32 op)
{
	u64 id = bpf_get_current_pid_tgid();
	struct kfx_slot *z, *slot;
	u32 zero = 0;

	count(KFX_CNT_SEEN);
	z = bpf_map_lookup_elem(&kfx_zero_slot, &zero);
	if (!z)
		return 0;
	if (bpf_map_update_elem(&kfx_inflight, &id, z, BPF_ANY)) {
		count(KFX_CNT_LOST);
		return 0;
	}
	slot = bpf_map_lookup_elem(&kfx_inflight, &id);
	if (slot)
		slot->op = op;
	return 0;
}

struct walk_ctx {
	struct dentry *d;	/* next dentry to name */
	struct mount *m;	/* the mount d is in */
	u32 pos;		/* the path so far is tmp[pos .. KFX_PATH_MAX-1) */
	u32 flags;		/* KFX_EV_PATH_* */
	u32 op;			/* enum kfx_op: which scratch buffer */
	u32 done;
};

static __always_inline struct mount *real_mount(struct vfsmount *v)
{
	return (void *)v - bpf_core_field_offset(struct mount, mnt);
}

/* One step up: a mount crossing or one component prepended. */
static long walk_step(u32 i, struct walk_ctx *c)
{
	struct dentry *d = c->d, *parent;
	struct mount *m = c->m, *mp;
	struct kfx_scratch_buf *s;
	const unsigned char *name;
	u32 len, pos;

	if (d == BPF_CORE_READ(m, mnt.mnt_root)) {
		mp = BPF_CORE_READ(m, mnt_parent);
		if (!mp || mp == m) {	/* the namespace's root mount */
			c->done = 1;
			return 1;
		}
		c->d = BPF_CORE_READ(m, mnt_mountpoint);
		c->m = mp;
		return 0;
	}
	parent = BPF_CORE_READ(d, d_parent);
	len = BPF_CORE_READ(d, d_name.len);
	name = BPF_CORE_READ(d, d_name.name);
	/* A root that is not its mount's root: unlinked or detached tree. */
	if (!parent || parent == d || !name || !len || len > 255)
		goto unresolved;
	pos = c->pos;
	if (pos > KFX_PATH_MAX - 1)
		goto unresolved;
	if (len + 1 > pos) {
		c->flags |= KFX_EV_PATH_TRUNCATED;
		c->done = 1;
		return 1;
	}
	s = bpf_map_lookup_elem(&kfx_scratch, &c->op);
	if (!s)
		goto unresolved;
	pos -= len;
	if (bpf_probe_read_kernel(&s->tmp[pos & (KFX_PATH_MAX - 1)], len & 255,
				  name))
		goto unresolved;
	pos--;
	s->tmp[pos & (KFX_PATH_MAX - 1)] = '/';
	c->pos = pos;
	c->d = parent;
	return 0;
unresolved:
	c->flags |= KFX_EV_PATH_UNRESOLVED;
	c->done = 1;
	return 1;
}

/*
 * 2. The resolved parent and victim: build the absolute path, filter it,
 * keep the event in the thread's slot if it matched.
 */
static __always_inline int on_resolved(const struct path *dir,
				       struct dentry *victim, u32 op)
{
	u64 id = bpf_get_current_pid_tgid();
	struct walk_ctx c = { .d = victim, .pos = KFX_PATH_MAX - 1, .op = op };
	struct kfx_scratch_buf *s;
	struct kfx_slot *slot;
	void *set;
	struct kfx_event *e;
	u32 zero = 0, plen, n, i;
	int ret;

	slot = bpf_map_lookup_elem(&kfx_inflight, &id);
	if (!slot || slot->op != op)
		return 0;
	/* A retried lookup (ESTALE) calls the hook again: start over. */
	slot->state = KFX_SLOT_ENTERED;
	s = bpf_map_lookup_elem(&kfx_scratch, &c.op);
	if (!s)
		return 0;

	c.m = real_mount(BPF_CORE_READ(dir, mnt));
	s->tmp[KFX_PATH_MAX - 1] = '\0';
	bpf_loop(KFX_WALK_MAX, walk_step, &c, 0);
	if (!c.done)
		c.flags |= KFX_EV_PATH_UNRESOLVED;
	if (c.pos > KFX_PATH_MAX - 1)
		return 0;
	if (c.pos == KFX_PATH_MAX - 1) {	/* nothing named: the root */
		c.pos--;
		s->tmp[KFX_PATH_MAX - 2] = '/';
	}
	plen = KFX_PATH_MAX - 1 - c.pos;

	/*
	 * Copy with its NUL into path, whose first KFX_EVENT_PATH bytes were
	 * zeroed: what the event copies holds no bytes of an earlier path.
	 */
	for (i = 0; i < KFX_EVENT_PATH / 8; i++)
		((u64 *)s->path)[i] = 0;
	n = plen + 1;
	if (n > KFX_PATH_MAX || n < 2)
		return 0;
	if (bpf_probe_read_kernel(s->path, n,
				  &s->tmp[c.pos & (KFX_PATH_MAX - 1)]))
		return 0;

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
		ret = bpf_kfx_match_set(set, kfx_set_len, s->path, plen);
		if (ret == -1)
			return 0;
		if (ret < 0) {
			c.flags |= KFX_EV_FILTER_ERROR;
			ret = -1;
		}
	} else {
		ret = -1;		/* no filter: every removal */
	}

	e = &slot->ev;
	e->pid = (u32)id;
	e->tgid = id >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->match_off = -1;
	e->rule_id = ret;
	e->path_len = plen;
	e->flags = c.flags;
	if (plen >= KFX_EVENT_PATH)
		e->flags |= KFX_EV_TRUNCATED;
	e->op = op;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel(e->path, sizeof(e->path), s->path);
	e->path[KFX_EVENT_PATH - 1] = '\0';
	slot->state = KFX_SLOT_MATCHED;
	return 0;
}

/* 3. The worker returned: report a match that succeeded, drop the slot. */
static __always_inline int on_exit(long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	struct kfx_slot *slot;

	slot = bpf_map_lookup_elem(&kfx_inflight, &id);
	if (!slot)
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
	bpf_map_delete_elem(&kfx_inflight, &id);
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
