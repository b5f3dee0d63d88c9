// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@'s selftest: a SYSCALL program that calls every kfunc on known
 * vectors inside the kernel. `@NAME@ selftest` runs it once with
 * BPF_PROG_TEST_RUN and prints each CHECK's line. SYSCALL programs may call
 * module kfuncs on every kernel from 6.1, and bpf_get_current_task_btf()
 * gives them the (trusted) task of the process that runs the test.
 *
 * Add a vector: one CHECK(call, expected answer) line below.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "@NAME@.h"
#include "@NAME@_kfuncs.h"	/* generated from src/@NAME@.kfuncs */

char LICENSE[] SEC("license") = "GPL";	/* module kfuncs are GPL-only */

struct @NAME@_results results;

/*
 * Buffers a kfunc reads must be writable memory: the stack, a map value or
 * .data, as here. A constant in .rodata is refused by every kernel's
 * verifier for a kfunc buffer argument (kfx_kfuncs.h's KFX_STR/KFX_BUF do
 * this for you).
 */
char hello[] = "hello, world";

#define CHECK(call, want) record(__LINE__, (long long)(call), (long long)(want))

static __always_inline void record(unsigned int line, long long got,
				   long long want)
{
	unsigned int i = results.n;

	if (i >= @NAME_UPPER@_MAX_CHECKS)
		return;
	results.checks[i].line = line;
	results.checks[i].got = got;
	results.checks[i].want = want;
	results.n = i + 1;
}

SEC("syscall")
int @NAME@_selftest(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	/* scalars */
	CHECK(@NAME@_add(1, 2), 3);
	CHECK(@NAME@_add(0xffffffff, 1), 0x100000000LL);
	CHECK(@NAME@_add(1, ~0ULL), 0);
	/* a buffer and its size */
	CHECK(@NAME@_count_byte(hello, sizeof(hello) - 1, 'l'), 3);
	CHECK(@NAME@_count_byte(hello, 5, 'o'), 1);
	CHECK(@NAME@_count_byte(hello, sizeof(hello) - 1, 'z'), 0);
	CHECK(@NAME@_count_byte(hello, sizeof(hello), 0), 1);
	CHECK(@NAME@_count_byte(hello, 1, 256), -22 /* -EINVAL */);
	/* a kernel object: the task running this test */
	CHECK(@NAME@_task_tgid(task), bpf_get_current_pid_tgid() >> 32);
	return 0;
}
