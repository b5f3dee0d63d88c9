/* SPDX-License-Identifier: GPL-2.0 */
/* What the selftest program and the @NAME@ loader share. */
#ifndef @NAME_UPPER@_H
#define @NAME_UPPER@_H

#define @NAME_UPPER@_MAX_CHECKS 64

/* One CHECK() of bpf/@NAME@_selftest.bpf.c: the kfunc's answer, the
 * expected one, and the source line, which the loader prints. */
struct @NAME@_check {
	long long got;
	long long want;
	unsigned int line;
	unsigned int pad;
};

/* The program's only .bss variable: the loader reads it whole. */
struct @NAME@_results {
	unsigned int n;
	unsigned int pad;
	struct @NAME@_check checks[@NAME_UPPER@_MAX_CHECKS];
};

#endif /* @NAME_UPPER@_H */
