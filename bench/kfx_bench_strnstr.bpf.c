// SPDX-License-Identifier: GPL-2.0
/*
 * kfx_bench_strnstr.bpf.o: kfx_bench.bpf.o plus the kernel's own
 * bpf_strnstr (Linux 6.17+) as a third contender. A separate object because
 * older kernels refuse any program that calls a kfunc their vmlinux lacks;
 * kfx-bench opens this one only where vmlinux BTF has bpf_strnstr.
 */
#define KFX_BENCH_WITH_STRNSTR 1
#include "kfx_bench.bpf.c"
