// SPDX-License-Identifier: GPL-2.0
/*
 * kfx_worst.bpf.o (test only, not shipped): run one kfunc call, armed by
 * the loader, from a TRACING program on the loader's next syscall, with
 * the buffers in 64 KiB map values, and time it.  tp_btf runs with RCU
 * held and migration off, the context the budget is meant for; 6.1 allows
 * module kfuncs there.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "kfx_kfuncs.h"
#include "kfx_worst.h"

char LICENSE[] SEC("license") = "GPL";

struct kfx_worst_buf {
	char b[KFX_WORST_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_worst_ctl);
} kfx_worst_ctl SEC(".maps");

struct kfx_worst_set {
	char b[KFX_WORST_SET_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_worst_set);
} kfx_worst_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);		/* 0: str, 1: substr or pattern */
	__type(key, u32);
	__type(value, struct kfx_worst_buf);
} kfx_worst_bufs SEC(".maps");

/*
 * Hostile blocks for bpf_kfx_dentry_path, built at m (the set map's value,
 * whose address the program knows): fake dentries that are each other's
 * parent, fake mounts that are each other's parent, pointers no kernel
 * reads can follow, malformed blocks.  The kfunc must stop within its
 * budget (KFX_DPATH_NAMES names, KFX_DPATH_MOUNTS crossings) every time.
 */
static __always_inline int dpath(struct kfx_worst_ctl *c, char *m, char *buf,
				 u32 buf_sz)
{
	struct kfx_dentry_walk *w = (void *)m;
	u32 dp = bpf_core_field_offset(struct dentry, d_parent);
	u32 dn = bpf_core_field_offset(struct dentry, d_name);
	u32 mr = bpf_core_field_offset(struct vfsmount, mnt_root);
	char *d1 = m + 4096, *d2 = m + 8192, *m1 = m + 16384, *m2 = m + 32768;
	u32 i, len = c->b_len == KFX_DP_LONG_NAMES ? 255 : 1;
	int r;

	if (dp > 1024 || dn > 1024 || mr > 1024)
		return -1000;
	/* the names: 1 byte, or 255 (NAME_MAX) for KFX_DP_LONG_NAMES */
	for (i = 0; i < 32; i++)
		*(u64 *)(m + 104 + 8 * i) = 0x6161616161616161ull;
	/* d1 <-> d2, each named "a" (qstr: hash, len, name) */
	*(u64 *)(d1 + dp) = (u64)d2;
	*(u64 *)(d2 + dp) = (u64)d1;
	*(u32 *)(d1 + dn + 4) = len;
	*(u32 *)(d2 + dn + 4) = len;
	*(u64 *)(d1 + dn + 8) = (u64)(m + 104);
	*(u64 *)(d2 + dn + 8) = (u64)(m + 104);
	/* m1 <-> m2 (parent at 0, mountpoint at 8, vfsmount at 4096) */
	*(u64 *)m1 = (u64)m2;
	*(u64 *)m2 = (u64)m1;
	*(u64 *)(m1 + 8) = (u64)d1;
	*(u64 *)(m2 + 8) = (u64)d1;
	w->dentry = (u64)d1;
	w->mnt = (u64)(m1 + 4096);
	w->end = buf_sz;
	w->start = w->status = 0;
	w->mount_mnt = 4096;
	w->mount_parent = 0;
	w->mount_mountpoint = 8;
	w->pad[0] = w->pad[1] = w->pad[2] = 0;
	switch (c->b_len) {
	case KFX_DP_DENTRY_CYCLE:	/* the mount's root is never reached */
	case KFX_DP_LONG_NAMES:
		*(u64 *)(m1 + 4096 + mr) = (u64)(m + 65536);
		break;
	case KFX_DP_MOUNT_CYCLE:	/* every dentry is its mount's root */
		*(u64 *)(m1 + 4096 + mr) = (u64)d1;
		*(u64 *)(m2 + 4096 + mr) = (u64)d1;
		break;
	case KFX_DP_NONCANONICAL:
		w->dentry = 0xdead000000000000ull;
		w->mnt = 0xdead000000001000ull;
		break;
	case KFX_DP_USER_ADDR:
		w->dentry = 4096;
		w->mnt = 8192;
		break;
	case KFX_DP_PAD:
		w->pad[1] = 1;
		break;
	default:
		w->end = buf_sz + 1;
	}
	r = bpf_kfx_dentry_path(w, sizeof(*w), buf, buf_sz);
	c->status = w->status;
	return r;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(kfx_worst, struct pt_regs *regs, long id)
{
	u32 zero = 0, one = 1, a_len, b_len;
	struct kfx_worst_set *set;
	struct kfx_worst_buf *a, *b;
	struct kfx_worst_ctl *c;
	u64 t0;
	int r;

	c = bpf_map_lookup_elem(&kfx_worst_ctl, &zero);
	if (!c || !c->armed || c->tgid != bpf_get_current_pid_tgid() >> 32)
		return 0;
	c->armed = 0;
	a = bpf_map_lookup_elem(&kfx_worst_bufs, &zero);
	b = bpf_map_lookup_elem(&kfx_worst_bufs, &one);
	set = bpf_map_lookup_elem(&kfx_worst_sets, &zero);
	if (!a || !b || !set)
		return 0;
	t0 = bpf_ktime_get_ns();
	/*
	 * The lengths are read and bounded after the helper call, just
	 * before the kfunc: 6.1's verifier forgets the bounds of a length
	 * the compiler spilled to the stack before checking it.
	 */
	a_len = c->a_len;
	b_len = c->b_len;
	if (a_len > KFX_WORST_BUF)
		return 0;
	if (c->fn == KFX_WORST_DPATH) {
		r = dpath(c, set->b, a->b, a_len);
	} else if (c->fn == KFX_WORST_SET) {
		if (b_len > KFX_WORST_SET_BUF)
			return 0;
		r = bpf_kfx_match_set(set->b, b_len, a->b, a_len);
	} else {
		if (b_len > KFX_WORST_BUF)
			return 0;
		switch (c->fn) {
		case KFX_WORST_STRSTR:
			r = bpf_kfx_strstr(a->b, a_len, b->b, b_len);
			break;
		case KFX_WORST_STRCASESTR:
			r = bpf_kfx_strcasestr(a->b, a_len, b->b, b_len);
			break;
		case KFX_WORST_PATH:
			r = bpf_kfx_path_match(a->b, a_len, b->b, b_len);
			break;
		default:
			r = bpf_kfx_glob_match(a->b, a_len, b->b, b_len);
		}
	}
	c->ns = bpf_ktime_get_ns() - t0;
	c->result = r;
	c->ran++;
	return 0;
}
