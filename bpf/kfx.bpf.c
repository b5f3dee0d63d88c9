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
 *     are stable). The absolute path is built by walking d_parent and
 *     crossing mounts, the filter (kfuncs) runs on it, and a match fills
 *     the event in the slot. Other callers of the hook (cachefiles) find
 *     no entered slot and are ignored. Debian builds CONFIG_SECURITY_PATH=y
 *     (6.1, 6.12, 7.3); without it the hook does not exist and load fails,
 *     named by the loader.
 *  3. exit of the worker: return 0 sends the event, an error counts it as
 *     "failed"; the slot goes back to idle either way.
 * What an unlink costs when nothing matches is what kfx watch --rules
 * costs a busy machine, so that path is kept short: the slot is task
 * storage (allocated on a thread's first removal, then found through the
 * task; no hash insert and delete per call), the fentry walk reads the
 * dentries of the victim's own mount with plain BTF loads (one helper call
 * per component, for the name), the path is matched where it was built,
 * and nothing is copied unless it matched.
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

/* Fields of a struct mount and of a dentry, as read together. */
struct kfx_mnt {
	struct mount *parent;
	struct dentry *mountpoint;
	struct dentry *root;
};

struct kfx_dent {
	struct dentry *parent;
	u32 hash;
	u32 len;
	const unsigned char *name;
};

struct walk_ctx {
	struct dentry *d;	/* next dentry to name, while in the first mount
				 * (fentry: a BTF pointer, read with plain loads) */
	struct dentry *dr;	/* the same after the first mount crossing, or in
				 * a kprobe (read with bpf_probe_read_kernel) */
	struct mount *m;	/* the mount the dentry is in, and its fields: */
	struct kfx_mnt mi;
	struct kfx_scratch_buf *s;
	u32 pos;		/* the path so far is tmp[pos .. KFX_PATH_MAX-1) */
	u32 flags;		/* KFX_EV_PATH_* */
	u32 done;		/* the walk is over (root, truncated, unresolved) */
};

static __always_inline struct mount *real_mount(struct vfsmount *v)
{
	return (void *)v - bpf_core_field_offset(struct mount, mnt);
}

/*
 * Every bpf_probe_read_kernel is a helper call, the walk's main cost, so
 * fields that lie next to each other are read in one: struct mount's
 * mnt_parent, mnt_mountpoint and mnt.mnt_root, and a dentry's d_parent and
 * d_name (hash, len, name). Where a kernel lays them out otherwise (CO-RE
 * offsets, constants after relocation) they are read one by one.
 */
static __always_inline int read_mount(struct mount *m, struct kfx_mnt *mi)
{
	u32 o = bpf_core_field_offset(struct mount, mnt_parent);

	if (bpf_core_field_offset(struct mount, mnt_mountpoint) == o + 8 &&
	    bpf_core_field_offset(struct mount, mnt) == o + 16 &&
	    bpf_core_field_offset(struct vfsmount, mnt_root) == 0)
		return bpf_probe_read_kernel(mi, sizeof(*mi), (void *)m + o);
	mi->parent = BPF_CORE_READ(m, mnt_parent);
	mi->mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
	mi->root = BPF_CORE_READ(m, mnt.mnt_root);
	return 0;
}

static __always_inline int read_dentry(struct dentry *d, struct kfx_dent *de)
{
	u32 o = bpf_core_field_offset(struct dentry, d_parent);

	if (bpf_core_field_offset(struct dentry, d_name) == o + 8 &&
	    bpf_core_field_offset(struct qstr, len) == 4 &&
	    bpf_core_field_offset(struct qstr, name) == 8)
		return bpf_probe_read_kernel(de, sizeof(*de), (void *)d + o);
	de->parent = BPF_CORE_READ(d, d_parent);
	de->len = BPF_CORE_READ(d, d_name.len);
	de->name = BPF_CORE_READ(d, d_name.name);
	return 0;
}

/* Up from the root of c->m to its mountpoint, or the end of the walk. */
static __always_inline long walk_cross(struct walk_ctx *c)
{
	struct mount *m = c->m, *mp = c->mi.parent;

	if (!mp || mp == m) {	/* the namespace's root mount */
		c->done = 1;
		return 1;
	}
	c->dr = c->mi.mountpoint;
	c->m = mp;
	if (read_mount(mp, &c->mi)) {
		c->flags |= KFX_EV_PATH_UNRESOLVED;
		c->done = 1;
		return 1;
	}
	return 0;
}

static __always_inline long walk_step(struct walk_ctx *c, const bool btf)
{
	struct kfx_scratch_buf *s = c->s;
	struct dentry *d, *parent;
	const unsigned char *name;
	struct kfx_dent de;
	u32 len, pos;

	/*
	 * Each variant reads its own field of c, so the verifier never sees a
	 * probe-read pointer dereferenced. The BTF walk stops at the first
	 * mount crossing and the caller goes on with the other: one variant
	 * per loop, as a verifier that checks a callback once (6.1) would
	 * otherwise prune the branch the first iteration did not take.
	 */
	if (btf) {
		d = c->d;
		if (d == c->mi.root) {
			walk_cross(c);
			return 1;
		}
		parent = d->d_parent;
		len = d->d_name.len;
		name = d->d_name.name;
		c->d = parent;
	} else {
		d = c->dr;
		if (d == c->mi.root)
			return walk_cross(c);
		if (read_dentry(d, &de))
			goto unresolved;
		parent = de.parent;
		len = de.len;
		name = de.name;
		c->dr = parent;
	}
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
	pos -= len;
	barrier_var(len);	/* keep the mask: the verifier's bound */
	if (bpf_probe_read_kernel(&s->tmp[pos & (KFX_PATH_MAX - 1)], len & 255,
				  name))
		goto unresolved;
	pos--;
	s->tmp[pos & (KFX_PATH_MAX - 1)] = '/';
	c->pos = pos;
	return 0;
unresolved:
	c->flags |= KFX_EV_PATH_UNRESOLVED;
	c->done = 1;
	return 1;
}

static long walk_step_btf(u32 i, struct walk_ctx *c)
{
	return walk_step(c, true);
}

static long walk_step_probe(u32 i, struct walk_ctx *c)
{
	return walk_step(c, false);
}

/*
 * 2. The resolved parent and victim: build the absolute path, filter it,
 * keep the event in the thread's slot if it matched.
 */
static __always_inline int on_resolved(const struct path *dir,
				       struct dentry *victim, u32 op,
				       const bool btf)
{
	struct walk_ctx c = { .pos = KFX_PATH_MAX - 1 };
	struct kfx_scratch_buf *s;
	struct kfx_slot *slot;
	struct kfx_event *e;
	struct mount *m;
	const char *path;
	u32 zero = 0, plen, n, i;
	long steps;
	void *set;
	u64 id;
	int ret;

	slot = slot_of_current(0);
	if (!slot || slot->state == KFX_SLOT_IDLE || slot->op != op)
		return 0;
	/* A retried lookup (ESTALE) calls the hook again: start over. */
	slot->state = KFX_SLOT_ENTERED;
	s = bpf_map_lookup_elem(&kfx_scratch, &op);
	if (!s)
		return 0;

	c.s = s;
	m = real_mount(BPF_CORE_READ(dir, mnt));
	c.m = m;
	if (read_mount(m, &c.mi))
		return 0;
	s->tmp[KFX_PATH_MAX - 1] = '\0';
	steps = 0;
	c.d = victim;
	c.dr = victim;
	if (btf)
		steps = bpf_loop(KFX_WALK_MAX, walk_step_btf, &c, 0);
	if (!c.done && steps < KFX_WALK_MAX)
		bpf_loop(KFX_WALK_MAX - steps, walk_step_probe, &c, 0);
	if (!c.done)
		c.flags |= KFX_EV_PATH_UNRESOLVED;
	if (c.pos > KFX_PATH_MAX - 1)
		return 0;
	if (c.pos == KFX_PATH_MAX - 1) {	/* nothing named: the root */
		c.pos--;
		s->tmp[KFX_PATH_MAX - 2] = '/';
	}
	plen = KFX_PATH_MAX - 1 - c.pos;
	if (plen < 1 || plen > KFX_PATH_MAX - 1)	/* 4095 bytes: whole */
		return 0;
	/* the path, NUL-terminated, where the walk left it */
	path = &s->tmp[c.pos & (KFX_PATH_MAX - 1)];

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
		if (ret == -1 && !(c.flags & (KFX_EV_PATH_TRUNCATED |
					      KFX_EV_PATH_UNRESOLVED)))
			return 0;
		if (ret < -1) {
			c.flags |= KFX_EV_FILTER_ERROR;
			ret = -1;
		}
	} else {
		ret = -1;		/* no filter: every removal */
	}

	id = bpf_get_current_pid_tgid();
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
	struct kfx_slot *slot = slot_of_current(0);

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
	return on_resolved(dir, d, KFX_OP_UNLINK, true);
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
	return on_resolved(dir, d, KFX_OP_RMDIR, true);
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
	return on_resolved(dir, d, KFX_OP_UNLINK, false);
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
	return on_resolved(dir, d, KFX_OP_RMDIR, false);
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
