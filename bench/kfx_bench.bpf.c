// SPDX-License-Identifier: GPL-2.0
/*
 * kfx_bench.bpf.o: kfx-bench, the in-kernel string search benchmark.
 *
 * One SYSCALL program, run with BPF_PROG_TEST_RUN. That program type
 * rejects `repeat`, so the program loops itself with bpf_loop() and times
 * the loop with bpf_ktime_get_ns(); an empty loop is timed the same way so
 * user space can subtract its cost. Contenders, one per callback:
 *  - bpf_kfx_strstr, the module's kfunc;
 *  - the same search as a naive BPF bounded loop (the tutorial's way);
 *  - the kernel's own bpf_strnstr (6.17+): only in kfx_bench_strnstr.bpf.o,
 *    which includes this file with KFX_BENCH_WITH_STRNSTR defined. 6.1
 *    rejects a program that merely mentions a kfunc its vmlinux lacks, so
 *    the loader opens that object only where vmlinux BTF has the function.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "kfx_kfuncs.h"
#include "kfx_bench.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_bench_io);
} kfx_bench_io SEC(".maps");

struct bench_ctx {
	struct kfx_bench_io *io;
	s64 result;
};

/*
 * Every callback reads and checks the lengths the same way, so the empty
 * loop costs what the others cost besides their search.
 */
static long cb_empty(u64 idx, void *c)
{
	struct bench_ctx *b = c;
	u32 n = b->io->hay_len, m = b->io->needle_len;

	if (n > KFX_BENCH_HAY_MAX || m > KFX_BENCH_NEEDLE_MAX)
		return 1;
	b->result = n + m;
	return 0;
}

static long cb_kfx(u64 idx, void *c)
{
	struct bench_ctx *b = c;
	struct kfx_bench_io *io = b->io;
	u32 n = io->hay_len, m = io->needle_len;

	if (n > KFX_BENCH_HAY_MAX || m > KFX_BENCH_NEEDLE_MAX)
		return 1;
	b->result = bpf_kfx_strstr(io->hay, n, io->needle, m);
	return 0;
}

/*
 * The tutorial's double loop: compare the needle at every position.
 *
 * Two concessions to the verifier, which must walk every position of a
 * bounded loop: the positions run in bpf_loop() chunks of LOOP_CHUNK (in
 * one piece, 256 positions already leave more than 8192 branches pending:
 * "The sequence of 8193 jumps is too complex"), and the lengths are read
 * from memory afresh at each position (registers narrowed differently on
 * every path defeat state pruning and hit the 1M-instruction limit). Both
 * cost a little: one callback per LOOP_CHUNK positions and two loads per
 * position.
 */
#define LOOP_CHUNK 32
#define READ(x) (*(volatile typeof(x) *)&(x))

struct loop_ctx {
	struct kfx_bench_io *io;
	s64 result;
};

static long cb_loop_chunk(u64 idx, void *c)
{
	struct loop_ctx *x = c;
	struct kfx_bench_io *io = x->io;
	u32 n, m, i, j, k;

	if (idx >= KFX_BENCH_HAY_MAX / LOOP_CHUNK)
		return 1;
	for (k = 0; k < LOOP_CHUNK; k++) {
		i = idx * LOOP_CHUNK + k;
		n = READ(io->hay_len);
		m = READ(io->needle_len);
		if (n > KFX_BENCH_HAY_MAX || m > KFX_BENCH_NEEDLE_MAX ||
		    i + m > n)
			return 1;
		for (j = 0; j < m && j < KFX_BENCH_NEEDLE_MAX; j++)
			if (io->hay[i + j] != io->needle[j])
				break;
		if (j == m) {
			x->result = i;
			return 1;
		}
	}
	return 0;
}

static long cb_loop(u64 idx, void *c)
{
	struct bench_ctx *b = c;
	struct loop_ctx x = { .io = b->io, .result = -1 };
	u32 n = b->io->hay_len, m = b->io->needle_len;

	if (n > KFX_BENCH_HAY_MAX || m > KFX_BENCH_NEEDLE_MAX)
		return 1;
	if (m <= n)
		bpf_loop((n - m) / LOOP_CHUNK + 1, cb_loop_chunk, &x, 0);
	b->result = x.result;
	return 0;
}

#ifdef KFX_BENCH_WITH_STRNSTR
/* Not in the 6.12 vmlinux.h the tree builds against. */
extern int bpf_strnstr(const char *s1__ign, const char *s2__ign,
		       size_t len) __ksym;

static long cb_strnstr(u64 idx, void *c)
{
	struct bench_ctx *b = c;
	struct kfx_bench_io *io = b->io;
	u32 n = io->hay_len, m = io->needle_len;

	if (n > KFX_BENCH_HAY_MAX || m > KFX_BENCH_NEEDLE_MAX)
		return 1;
	b->result = bpf_strnstr(io->hay, io->needle, n);
	return 0;
}
#endif

SEC("syscall")
int kfx_bench(void *ctx)
{
	struct bench_ctx b = { .result = -1 };
	struct kfx_bench_io *io;
	u32 zero = 0, iters;
	u64 t0, t1;
	long ret;

	io = bpf_map_lookup_elem(&kfx_bench_io, &zero);
	if (!io)
		return 1;
	iters = io->iters;
	if (iters > KFX_BENCH_ITERS_MAX)
		return 1;
	b.io = io;

	switch (io->op) {
	case KFX_BENCH_EMPTY:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_empty, &b, 0);
		t1 = bpf_ktime_get_ns();
		break;
	case KFX_BENCH_KFX:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_kfx, &b, 0);
		t1 = bpf_ktime_get_ns();
		break;
	case KFX_BENCH_LOOP:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_loop, &b, 0);
		t1 = bpf_ktime_get_ns();
		break;
#ifdef KFX_BENCH_WITH_STRNSTR
	case KFX_BENCH_STRNSTR:
		t0 = bpf_ktime_get_ns();
		ret = bpf_loop(iters, cb_strnstr, &b, 0);
		t1 = bpf_ktime_get_ns();
		break;
#endif
	default:
		return 2;
	}
	io->ns = t1 - t0;
	io->loops = ret;
	io->result = b.result;
	return 0;
}
