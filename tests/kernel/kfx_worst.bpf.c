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
	if (c->fn == KFX_WORST_SET) {
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
