/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The argument block of bpf_kfx_dentry_path (include/kfx_kfuncs.h): shared
 * by kfx.ko (kernel types), BPF programs (after vmlinux.h) and user space
 * (after <linux/types.h>), so it uses only __u32-style types.
 *
 * The caller fills dentry, mnt, end and the three offsets of struct mount,
 * which is private to fs/ and has no header a module can include: a BPF
 * program takes them from CO-RE (bpf_core_field_offset), so they are the
 * running kernel's.  The kfunc fills start and status.  Every read the
 * kfunc makes through these values is a fault-checked read
 * (copy_from_kernel_nofault), so wrong values give a wrong or unresolved
 * path, never a crash; that is also why the kfunc is offered to tracing
 * and kprobe programs only, which may read kernel memory anyway.
 *
 * Keep the block in memory the verifier does not track (a map value): the
 * kfunc writes start and status behind the verifier's back.
 */
#ifndef KFX_DENTRY_PATH_H
#define KFX_DENTRY_PATH_H

struct kfx_dentry_walk {
	__u64 dentry;		/* in: the struct dentry * to name */
	__u64 mnt;		/* in: the struct vfsmount * it is seen in */
	__u32 end;		/* in: the path ends before buf[end] (the
				 * caller writes the NUL there) */
	__u32 start;		/* out: the path is buf[start .. end) */
	__u32 status;		/* out: KFX_DPATH_* */
	__u16 mount_mnt;	/* in: offsetof(struct mount, mnt) */
	__u16 mount_parent;	/* in: offsetof(struct mount, mnt_parent) */
	__u16 mount_mountpoint;	/* in: offsetof(struct mount, mnt_mountpoint) */
	__u16 pad[3];		/* in: zero */
	__u64 top;		/* out, KFX_DPATH_ROOT: the struct mount *
				 * the walk ended at, the root of the mount
				 * tree (a namespace's root mount, or a
				 * detached tree's); 0 otherwise */
};

enum kfx_dpath_status {
	KFX_DPATH_ROOT = 0,	/* complete: the walk reached the root of
				 * the mount tree the dentry is in */
	KFX_DPATH_TRUNCATED,	/* the next name did not fit: buf[start ..
				 * end) is the path's last part */
	KFX_DPATH_UNRESOLVED,	/* stopped early: a dentry that is its own
				 * parent but not its mount's root (deleted
				 * or detached), an unreadable or malformed
				 * name, more than KFX_DPATH_MOUNTS mounts or
				 * 4096 names */
	KFX_DPATH_RACED,	/* a rename ran during the walk, twice: the
				 * names may mix two trees */
};

/* Mount crossings one attempt follows (stacked mounts count each); a call
 * makes two attempts when a rename overlaps the first. */
#define KFX_DPATH_MOUNTS	256

#endif /* KFX_DENTRY_PATH_H */
