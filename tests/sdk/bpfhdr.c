// SPDX-License-Identifier: GPL-2.0
/* kfx-kfuncs' BPF header for sample.kfuncs must compile for BPF. */
typedef unsigned int u32;
typedef unsigned long long u64;
struct task_struct;
#include "sample_kfuncs.h"

int use(void)
{
	return sample_add(1, 2);
}
