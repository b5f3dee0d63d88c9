// SPDX-License-Identifier: GPL-2.0
/*
 * Compiles kfx-kfuncs' module header for sample.kfuncs in user space, with
 * the kernel's types and flags stubbed, and prints what the module would
 * register: one "name flags" line per KFX_KFUNCS entry, "tracing-only"
 * and one per KFX_KFUNCS_TRACING entry, then KFX_HAVE_*.
 * The prototypes are checked by the compiler against definitions below.
 */
#include <stdio.h>

typedef unsigned int u32;
typedef unsigned long long u64;
struct task_struct;
#define KF_ACQUIRE	(1 << 0)
#define KF_RET_NULL	(1 << 2)
#define KF_TRUSTED_ARGS	(1 << 4)

#include "sample.kfuncs.h"

/* conflicting types here would be a compile error */
int sample_add(u32 a, u64 b) { return a + b; }
u64 sample_void(void) { return 0; }

#define SHOW(name, flags) printf("%s %d\n", #name, (int)(flags));

int main(void)
{
	KFX_KFUNCS(SHOW)
	printf("tracing-only\n");
	KFX_KFUNCS_TRACING(SHOW)
	printf("have add=%d clash=%d guarded=%d void=%d\n", KFX_HAVE_sample_add,
	       KFX_HAVE_sample_clash, KFX_HAVE_sample_guarded,
	       KFX_HAVE_sample_void);
	return 0;
}
