// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-bench: the in-kernel benchmark, outside the product.  It loads its
 * own BPF objects (build/bench/kfx_bench*.bpf.o beside it), uses the
 * loader's kernel probing (tools/kfx_kernel.c) and runs the real `kfx
 * watch` (the kfx binary beside it, else kfx from $PATH) for the traced-path
 * figures.  Nothing here is installed by the deb or rpm.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kfx_bench_cli.h"
#include "kfx_cli.h"

const char *object_path;	/* --object: kfx.bpf.o for kfx watch */
const char *const kfx_prog = "kfx-bench";
bool kfx_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	if (!kfx_verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	int i;

	/* -v / --object before or among the bench options */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(kfx_bench_usage, stdout);
			return 0;
		}
	}
	libbpf_set_print(libbpf_print);
	return kfx_cmd_bench(argc, argv);
}
