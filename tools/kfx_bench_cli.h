/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of `kfx bench` (kfx_bench.c, kfx_bench_unlink.c). */
#ifndef KFX_BENCH_CLI_H
#define KFX_BENCH_CLI_H

#include <stdbool.h>
#include <stdio.h>

struct kfx_bench_opts {
	bool json;
	bool strings;		/* in-kernel string search */
	bool unlink;		/* cost on the traced path */
	int runs;
	long iters;		/* bpf_loop iterations per run, 0: calibrate */
	long files;		/* create+unlink pairs per measurement */
	const char *dir;	/* where the loop's file lives */
};

/* One row of the traced-path table. */
struct kfx_unlink_row {
	char name[64];		/* "watch --match .swp" */
	const char *attach;	/* "fentry", "kprobe" or NULL (bare) */
	const char *opt;	/* "--match", "--glob" or NULL */
	const char *pattern;
	bool skipped;		/* could not attach: see error */
	bool failed;
	char error[256];
	double ns;		/* median ns per create+unlink */
	double bare_ns;		/* median of the paired bare runs */
	double ratio;		/* median of ns / paired bare ns */
	double overhead_ns;	/* median of ns - paired bare ns */
	unsigned long long seen, matched, lost;	/* from the last run */
};

#define KFX_UNLINK_ROWS_MAX 8

struct kfx_unlink_result {
	char path[256];
	double noise;		/* (max - min) / median of the bare runs */
	int nrows;
	struct kfx_unlink_row rows[KFX_UNLINK_ROWS_MAX];
};

int kfx_bench_unlink(const struct kfx_bench_opts *o,
		     struct kfx_unlink_result *r);
void kfx_bench_unlink_print(const struct kfx_bench_opts *o,
			    const struct kfx_unlink_result *r, FILE *f);
void kfx_bench_unlink_json(const struct kfx_bench_opts *o,
			   const struct kfx_unlink_result *r, FILE *f);

void kfx_bench_json_str(FILE *f, const char *s);
double kfx_bench_median(double *v, int n);

#endif /* KFX_BENCH_CLI_H */
