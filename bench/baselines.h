/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* What kfx is measured against (user space, plain loads). */
#ifndef KFX_BENCH_BASELINES_H
#define KFX_BENCH_BASELINES_H

#include <stddef.h>

/* The tutorial's double loop: at each i, compare the needle byte by byte. */
int naive_strstr(const char *s, unsigned int n, const char *x, unsigned int m);

/*
 * The algorithm of the kernel's __bpf_strnstr (6.17+, kernel/bpf/helpers.c)
 * with its __get_kernel_nofault byte reads turned into plain loads: both
 * strings NUL-terminated, s1 bounded by len, restart at the next byte on
 * every mismatch, stop at XATTR_SIZE_MAX.  Returns -ENOENT (-2) on a miss.
 */
int bpf_strnstr_port(const char *s1, const char *s2, size_t len,
		     int ignore_case);

#endif
