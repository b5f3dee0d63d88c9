// SPDX-License-Identifier: GPL-2.0
/*
 * kfx.bpf.o: the programs behind `kfx watch` and `kfx selftest`.
 *
 * One CO-RE object for every supported kernel (6.1+). The kernel
 * differences are resolved by the loader before load:
 *  - the unlink path is do_unlinkat() up to 7.2 and filename_unlinkat()
 *    from 7.3 on: the loader retargets the fentry program or picks the
 *    kprobe function name;
 *  - module kfuncs are callable from kprobe programs only from 6.10 on:
 *    the loader prefers fentry and turns off autoload of the program it does
 *    not use, so 6.1 never sees the kprobe program.
 * Nothing here may use a kfunc that 6.1 lacks (no bpf_ksym_exists(): 6.1
 * rejects its ldimm64 of a kfunc BTF id).
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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_config);
} kfx_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KFX_CNT_MAX);
	__type(key, u32);
	__type(value, u64);
} kfx_counters SEC(".maps");

/* The path is matched in full; it does not fit on the 512-byte stack. */
struct kfx_scratch_buf {
	char path[KFX_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_scratch_buf);
} kfx_scratch SEC(".maps");

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

static __always_inline int handle_unlink(struct filename *name)
{
	struct kfx_scratch_buf *s;
	struct kfx_config *cfg;
	struct kfx_event *e;
	u64 id = bpf_get_current_pid_tgid();
	u32 zero = 0, plen, n;
	int off = -1;
	long len;

	cfg = bpf_map_lookup_elem(&kfx_config, &zero);
	s = bpf_map_lookup_elem(&kfx_scratch, &zero);
	if (!cfg || !s)
		return 0;
	count(KFX_CNT_SEEN);

	len = bpf_probe_read_kernel_str(s->path, sizeof(s->path),
					BPF_CORE_READ(name, name));
	if (len <= 0)
		return 0;
	plen = len - 1;
	if (plen >= KFX_PATH_MAX)	/* cannot happen; tells the verifier */
		return 0;
	n = cfg->pattern_len;
	if (n > KFX_PATTERN_MAX)
		return 0;

	switch (cfg->mode) {
	case KFX_MODE_MATCH:
		off = bpf_kfx_strstr(s->path, plen, cfg->pattern, n);
		if (off < 0)
			return 0;
		break;
	case KFX_MODE_IMATCH:
		off = bpf_kfx_strcasestr(s->path, plen, cfg->pattern, n);
		if (off < 0)
			return 0;
		break;
	case KFX_MODE_GLOB:
		if (bpf_kfx_glob_match(s->path, plen, cfg->pattern, n) != 1)
			return 0;
		break;
	default:
		break;
	}
	count(KFX_CNT_MATCHED);

	e = bpf_ringbuf_reserve(&kfx_events, sizeof(*e), 0);
	if (!e) {
		count(KFX_CNT_LOST);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = (u32)id;
	e->tgid = id >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	e->match_off = off;
	e->path_len = plen;
	e->flags = 0;
	if (plen >= KFX_EVENT_PATH)
		e->flags |= KFX_EV_TRUNCATED;
	if (len == KFX_PATH_MAX)
		e->flags |= KFX_EV_PATH_TRUNCATED;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel(e->path, sizeof(e->path), s->path);
	e->path[KFX_EVENT_PATH - 1] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* Retargeted to filename_unlinkat by the loader where do_unlinkat is gone. */
SEC("fentry/do_unlinkat")
int BPF_PROG(kfx_watch_fentry, int dfd, struct filename *name)
{
	return handle_unlink(name);
}

/* Attached by the loader to whichever unlink function the kernel has. */
SEC("kprobe")
int BPF_KPROBE(kfx_watch_kprobe, int dfd, struct filename *name)
{
	return handle_unlink(name);
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
