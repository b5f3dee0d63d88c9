// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_kfx_dentry_path: the absolute path of a dentry, walked natively.
 *
 * kfx watch used to walk the dentry chain in its BPF program, a bpf_loop
 * step per name with a helper call or two per step; under TCG that was
 * most of what the watcher cost an unlink.  Here the same walk is a plain
 * loop: one fault-checked read of a dentry's parent and name, one of the
 * name's bytes.
 *
 * Why fault-checked reads (copy_from_kernel_nofault) rather than trusted
 * pointers: after the first mount crossing the next dentry comes from a
 * struct mount, which has no public layout and reaches a BPF program only
 * as a number (6.1 has no bpf_rdonly_cast), so the kfunc takes numbers and
 * treats them as a BPF probe read would: a wrong pointer or offset gives a
 * wrong or unresolved path, never a fault.  The kfunc is therefore offered
 * only to program types that may read kernel memory (tracing, kprobe), not
 * to syscall programs (src/kfx.kfuncs: tracing-only).
 *
 * No lock is taken: a tracing program may run inside d_move with
 * rename_lock held, or under mount_lock.  rename_lock's sequence count is
 * read without waiting; a walk a rename overlapped is tried once more, and
 * flagged KFX_DPATH_RACED if the second one is overlapped too.  mount_lock
 * is not exported: a concurrent mount or umount can give a path through a
 * mount being torn down, as bpf_d_path's lockless pass could.
 *
 * Work: at most KFX_DPATH_NAMES names and KFX_DPATH_MOUNTS mount crossings
 * per attempt, two attempts, each step a constant number of reads of at
 * most NAME_MAX bytes: bounded whatever the arguments.
 */
#include <linux/dcache.h>
#include <linux/limits.h>
#include <linux/mount.h>
#include <linux/seqlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include "kfx_dentry_path.h"
#include "kfx_dpath.h"

/* Names one attempt reads: a 4095-byte path has at most 2047. */
#define KFX_DPATH_NAMES 4096

static bool rd(unsigned long addr, void *v, size_t n)
{
	return !copy_from_kernel_nofault(v, (const void *)addr, n);
}

/* A dentry's parent and name, in one read where they are adjacent. */
struct kfx_dent {
	unsigned long parent;
	struct qstr name;
};

static bool read_dent(unsigned long d, struct kfx_dent *de)
{
	if (offsetof(struct dentry, d_name) ==
	    offsetof(struct dentry, d_parent) + sizeof(void *))
		return rd(d + offsetof(struct dentry, d_parent), de,
			  sizeof(*de));
	return rd(d + offsetof(struct dentry, d_parent), &de->parent,
		  sizeof(de->parent)) &&
	       rd(d + offsetof(struct dentry, d_name), &de->name,
		  sizeof(de->name));
}

static u32 walk_once(const struct kfx_dentry_walk *w, char *buf, u32 *startp,
		     unsigned long *topp)
{
	unsigned long d = w->dentry, mnt = w->mnt, root, m, mp;
	u32 pos = w->end, names = 0, mounts = 0, len;
	struct kfx_dent de;

	*startp = pos;
	*topp = 0;
	if (!rd(mnt + offsetof(struct vfsmount, mnt_root), &root, sizeof(root)))
		return KFX_DPATH_UNRESOLVED;
	m = mnt - w->mount_mnt;
	for (;;) {
		if (d == root) {
			/* the root of a mount: go on from its mountpoint */
			if (!rd(m + w->mount_parent, &mp, sizeof(mp)))
				return KFX_DPATH_UNRESOLVED;
			if (!mp || mp == m) {	/* the mount tree's root */
				*topp = m;
				break;
			}
			if (++mounts > KFX_DPATH_MOUNTS ||
			    !rd(m + w->mount_mountpoint, &d, sizeof(d)) ||
			    !rd(mp + w->mount_mnt +
				offsetof(struct vfsmount, mnt_root),
				&root, sizeof(root)))
				return KFX_DPATH_UNRESOLVED;
			m = mp;
			continue;
		}
		if (++names > KFX_DPATH_NAMES || !read_dent(d, &de))
			return KFX_DPATH_UNRESOLVED;
		len = de.name.len;
		/* its own parent but not its mount's root: deleted, detached */
		if (!de.parent || de.parent == d || !de.name.name || !len ||
		    len > NAME_MAX)
			return KFX_DPATH_UNRESOLVED;
		if (len + 1 > pos)
			return KFX_DPATH_TRUNCATED;
		if (!rd((unsigned long)de.name.name, buf + pos - len, len))
			return KFX_DPATH_UNRESOLVED;
		/* a name freed and reused under us; a real one has no NUL */
		if (memchr(buf + pos - len, '\0', len))
			return KFX_DPATH_UNRESOLVED;
		pos -= len + 1;
		buf[pos] = '/';
		*startp = pos;
		d = de.parent;
	}
	if (pos == w->end) {		/* nothing named: the root itself */
		if (!pos)
			return KFX_DPATH_TRUNCATED;
		buf[--pos] = '/';
		*startp = pos;
	}
	return KFX_DPATH_ROOT;
}

int kfx_dentry_path(struct kfx_dentry_walk *w, u32 w_sz, char *buf, u32 sz)
{
	struct kfx_dentry_walk in;
	unsigned long top;
	unsigned int seq;
	u32 status, start, try;

	if (!w || w_sz < sizeof(*w) || !buf)
		return -EINVAL;
	/*
	 * The block is a map value: user space (or another program) can
	 * rewrite it during the call.  It is read once, and only the copy
	 * is checked and used: end, once checked, bounds every write.
	 */
	memcpy(&in, w, sizeof(in));
	barrier();
	if (in.end > sz || in.pad[0] | in.pad[1] | in.pad[2])
		return -EINVAL;
	for (try = 0; try < 2; try++) {
		/*
		 * Never waits, never locks: the rename may be this CPU's,
		 * under us.  The bare seqcount_t inside the seqlock: on
		 * PREEMPT_RT, reading the seqcount_spinlock_t itself takes
		 * its (sleeping) lock while a write is in progress.
		 */
		seq = raw_read_seqcount(&rename_lock.seqcount.seqcount);
		status = walk_once(&in, buf, &start, &top);
		if (!(seq & 1) &&
		    !read_seqcount_retry(&rename_lock.seqcount.seqcount, seq))
			break;
		status = KFX_DPATH_RACED;
	}
	w->start = start;
	w->status = status;
	w->top = status == KFX_DPATH_ROOT ? top : 0;
	return 0;
}
