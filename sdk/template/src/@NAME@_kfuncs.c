// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@'s kfuncs: the bodies. Each one is declared once, in @NAME@.kfuncs
 * (prototype, flags); the SDK generates the registration table and the BPF
 * header from there. To add a kfunc: one line in @NAME@.kfuncs, its body
 * here, and a vector in bpf/@NAME@_selftest.bpf.c.
 *
 * A kfunc runs in whatever context its caller's program runs: RCU held,
 * preemption off, maybe NMI. Keep the work bounded, never sleep (unless the
 * kfunc is flagged KF_SLEEPABLE), never trust a size you did not check.
 */
#include <linux/sched.h>

#include "kfx_register.h"	/* compat.h: the kfunc macros on 6.1 to 7.x */
#include "@NAME@.kfuncs.h"	/* generated: the prototypes */

__bpf_kfunc_start_defs();

/* Scalars: the verifier passes any value; the arithmetic wraps. */
__bpf_kfunc u64 @NAME@_add(u32 a, u64 b)
{
	return a + b;
}

/*
 * A buffer and its size: the "__sz" suffix tells the verifier that buf__sz
 * bytes at buf are readable, so the body may read exactly that much and no
 * more. The program may pass a stack buffer, a map value or a ring buffer
 * record; a constant one goes through KFX_STR/KFX_BUF (kfx_kfuncs.h).
 */
__bpf_kfunc int @NAME@_count_byte(const char *buf, u32 buf__sz, u32 c)
{
	u32 i;
	int n = 0;

	if (c > 255)
		return -EINVAL;
	/* a map value can be megabytes: bound the work, say so */
	if (buf__sz > 65536)
		return -E2BIG;
	for (i = 0; i < buf__sz; i++)
		n += (u8)buf[i] == c;
	return n;
}

/*
 * A kernel object: a task the verifier knows is valid (from
 * bpf_get_current_task_btf() or a tp_btf argument): KF_TRUSTED_ARGS in
 * @NAME@.kfuncs (the default on 7.0+). 6.1 cannot express "trusted" (see
 * @NAME@_main.c), so there a pointer walked from another one could reach
 * us, NULL included.
 */
__bpf_kfunc int @NAME@_task_tgid(struct task_struct *task)
{
	if (!task)
		return -EINVAL;
	return task->tgid;
}

__bpf_kfunc_end_defs();
