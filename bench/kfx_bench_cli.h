/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of kfx-bench (bench/kfx_bench*.c). */
#ifndef KFX_BENCH_CLI_H
#define KFX_BENCH_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct kfx_bench_opts {
	bool json;
	bool strings;		/* in-kernel string search */
	bool unlink;		/* cost on the traced path, wall clock */
	bool sets;		/* rule sets: set vs one by one, vs LPM trie */
	bool stats;		/* watch cost per unlink by bpf_stats */
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

/* --sets (kfx_bench_set.c) */
struct kfx_sets_result {
	unsigned int nrules, nprefix, hay_len, npaths;
	int runs, failures;
	double set_ns, one_ns;		/* per path, empty loop subtracted */
	double prefix_set_ns, lpm_ns;
};

int kfx_bench_sets(const struct kfx_bench_opts *o, struct kfx_sets_result *r);
void kfx_bench_sets_json(const struct kfx_sets_result *r, FILE *f);
void kfx_bench_sets_print(const struct kfx_sets_result *r, FILE *f);

/* --stats (kfx_bench_stats.c) */
struct kfx_stats_result {
	bool ok;
	char how[96];
	char path[256];
	char error[256];
	unsigned int nrules;
	long files;
	double prog_ns;			/* watch programs' run time per unlink */
	double unlink_ns;		/* the unlink syscall, no watcher */
	double watched_unlink_ns;	/* wall, with the watcher */
	double ratio;			/* prog_ns / unlink_ns (medians) */
	double ratio_min, ratio_max;	/* over the runs, each its own */
	int runs;
	double runs_per_unlink;
	int nprogs;
	char progs[8][16];
	double prog_part_ns[8];		/* each program's share per unlink */
	double floor_ns;		/* empty programs, same hooks */
	double floor_ratio;		/* floor_ns / unlink_ns (median) */
};

int kfx_bench_stats(const struct kfx_bench_opts *o, struct kfx_stats_result *r);
void kfx_bench_stats_json(const struct kfx_stats_result *r, FILE *f);
void kfx_bench_stats_print(const struct kfx_stats_result *r, FILE *f);

/* `kfx watch` as a child process (kfx_bench_unlink.c) */
struct watcher {
	pid_t pid;
	FILE *err;
};

int watch_start(const struct kfx_unlink_row *row, struct watcher *w,
		char *error, size_t len);
int watch_stop(struct watcher *w, struct kfx_unlink_row *row);

extern const char kfx_bench_usage[];
int kfx_cmd_bench(int argc, char **argv);

int kfx_bench_unlink(const struct kfx_bench_opts *o,
		     struct kfx_unlink_result *r);
void kfx_bench_unlink_print(const struct kfx_bench_opts *o,
			    const struct kfx_unlink_result *r, FILE *f);
void kfx_bench_unlink_json(const struct kfx_bench_opts *o,
			   const struct kfx_unlink_result *r, FILE *f);

void kfx_bench_json_str(FILE *f, const char *s);
double kfx_bench_median(double *v, int n);

#endif /* KFX_BENCH_CLI_H */
