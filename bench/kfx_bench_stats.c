// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-bench --stats: what `kfx watch` (1,000 rules) costs each unlink,
 * by the kernel's own BPF statistics, against the unlink syscall itself.
 *
 * The watch programs' cost: kernel.bpf_stats_enabled on (BPF_ENABLE_STATS,
 * held by an fd for the measurement), `kfx watch --rules FILE` attached (the
 * 1,000-rule mix of bench/workload.c; kfx builds without --rules get one
 * --glob instead, and the JSON says so), N files unlinked; the programs
 * the watcher loaded (new prog ids) report run_time_ns and run_cnt, and
 * the sum of their run_time_ns deltas over the unlink loop divided by N is
 * the cost per unlink (the fentry trampoline's own entry is not in it).
 * The syscall's cost: the same N creates and N unlinks without the watcher,
 * timed apart, so the unlink loop's time per file is the unlink alone.
 * Medians over the runs.  The floor: in each run, the same loop watched
 * by build/bench/kfx_floor.bpf.o, kfx.bpf.o with empty program bodies on
 * the same hooks (what bpf_stats and the hooks alone cost an unlink).
 * The files live in a realistic directory depth,
 * so the rules scan a path of realistic length.
 *
 * KFX_BENCH_STATS_RULES=N (diagnosis) watches with the first N rules of the
 * mix instead of 1,000; 0 watches with no filter at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "kfx_bench_cli.h"
#include "kfx_cli.h"
#include "kfx_set.h"
#include "kfx_ruleset.h"
#include "workload.h"

#define MAX_PROGS 64

struct prog_stat {
	__u32 id;
	char name[BPF_OBJ_NAME_LEN];
	unsigned long long run_ns, run_cnt;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Every loaded program's id (ids only grow: a new one is the watcher's). */
static __u32 max_prog_id(void)
{
	__u32 id = 0, next, max = 0;

	while (!bpf_prog_get_next_id(id, &next)) {
		id = next;
		max = id;
	}
	return max;
}

/* Stats of the programs with ids above `above`; returns how many. */
static int snap(__u32 above, struct prog_stat *s)
{
	struct bpf_prog_info info;
	__u32 id = above, len;
	int n = 0, fd;

	while (n < MAX_PROGS && !bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			s[n].id = id;
			snprintf(s[n].name, sizeof(s[n].name), "%s", info.name);
			s[n].run_ns = info.run_time_ns;
			s[n].run_cnt = info.run_cnt;
			n++;
		}
		close(fd);
	}
	return n;
}

static int files_loop(const char *dir, long n, int create, double *ns)
{
	char p[400];
	double t0 = now_ns();
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/f%07ld.o", dir, i);
		if (create) {
			fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC,
				  0600);
			if (fd < 0)
				return -1;
			close(fd);
		} else if (unlink(p)) {
			return -1;
		}
	}
	*ns = (now_ns() - t0) / n;
	return 0;
}

/* Does this kfx have `watch --rules`? */
static int kfx_has_rules(void)
{
	const char *kfx = kfx_object_beside("kfx");
	char cmd[600], line[256];
	FILE *p;
	int yes = 0;

	snprintf(cmd, sizeof(cmd), "'%s' watch --help 2>&1", kfx ? kfx : "kfx");
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "--rules"))
			yes = 1;
	pclose(p);
	return yes;
}

static int write_rules(const char *file, unsigned int n)
{
	struct kfx_wl_rule w;
	unsigned int i;
	FILE *f = fopen(file, "w");

	if (!f)
		return -1;
	fprintf(f, "# kfx-bench: the %u-rule mix of bench/workload.c\n", n);
	for (i = 0; i < n; i++) {
		kfx_wl_rule(i, 0, &w);
		fprintf(f, "%s %s\n", kfx_rule_kind_name(w.kind), w.pat);
	}
	return fclose(f);
}

/*
 * One watched loop: `kfx watch` (object obj, NULL: kfx's own) started,
 * the files created, then unlinked between two snapshots of the new
 * programs' stats.  prog: their run time per unlink; part/names: each
 * program's share.  Returns 0, or -1 with r->error set.
 */
static int watched_pass(struct kfx_unlink_row *row, const char *obj,
			const char *dir, long files, struct kfx_stats_result *r,
			double *prog, double *wall, double part[8],
			char names[8][16], int *nprogs, double *per_run)
{
	struct prog_stat s0[MAX_PROGS], s1[MAX_PROGS];
	const char *saved = object_path;
	unsigned long long dns = 0, dcnt = 0;
	struct watcher w;
	__u32 before;
	int n0, n1, i, j;
	double t;

	before = max_prog_id();
	object_path = obj ? obj : saved;
	i = watch_start(row, &w, r->error, sizeof(r->error));
	object_path = saved;
	if (i) {
		kfx_err("kfx watch: %s", r->error);
		return -1;
	}
	if (files_loop(dir, files, 1, &t))
		goto io_fail;
	n0 = snap(before, s0);
	if (files_loop(dir, files, 0, wall))
		goto io_fail;
	n1 = snap(before, s1);
	if (watch_stop(&w, row)) {
		snprintf(r->error, sizeof(r->error),
			 "kfx watch did not exit cleanly");
		return -1;
	}
	*nprogs = 0;
	for (i = 0; i < n1; i++)
		for (j = 0; j < n0; j++) {
			if (s0[j].id != s1[i].id ||
			    s1[i].run_cnt <= s0[j].run_cnt)
				continue;
			dns += s1[i].run_ns - s0[j].run_ns;
			dcnt += s1[i].run_cnt - s0[j].run_cnt;
			if (*nprogs < 8) {
				part[*nprogs] = (double)(s1[i].run_ns -
							 s0[j].run_ns) / files;
				snprintf(names[(*nprogs)++], 16, "%s",
					 s1[i].name);
			}
		}
	if (dcnt < (unsigned long long)files) {
		snprintf(r->error, sizeof(r->error),
			 "the watch programs ran %llu times for %ld unlinks",
			 dcnt, files);
		return -1;
	}
	*per_run = (double)dcnt / files;
	*prog = (double)dns / files;
	return 0;
io_fail:
	snprintf(r->error, sizeof(r->error), "create/unlink in %s: %s", dir,
		 strerror(errno));
	watch_stop(&w, row);
	return -1;
}

int kfx_bench_stats(const struct kfx_bench_opts *o, struct kfx_stats_result *r)
{
	double bare[99], watched[99], prog[99], ratio[99], part[8][99], t;
	double floor[99], floor_ratio[99], tmp_part[8];
	struct kfx_unlink_row row;
	char root[200], dir[300], rules[300];
	char *floor_obj = NULL;
	const char *beside;
	int stats_fd, run, i, ok = 0;

	memset(r, 0, sizeof(*r));
	r->nrules = 1000;
	if (getenv("KFX_BENCH_STATS_RULES"))
		r->nrules = strtoul(getenv("KFX_BENCH_STATS_RULES"), NULL, 10);
	r->files = o->files;
	r->runs = o->runs;
	snprintf(root, sizeof(root), "%s/kfx-stats.XXXXXX", o->dir);
	if (!mkdtemp(root)) {
		kfx_err("mkdtemp %s: %s", root, strerror(errno));
		return -1;
	}
	/* a realistic depth: the rules scan the whole path */
	snprintf(dir, sizeof(dir), "%s/home", root);
	mkdir(dir, 0700);
	strcat(dir, "/alice");
	mkdir(dir, 0700);
	strcat(dir, "/src");
	mkdir(dir, 0700);
	strcat(dir, "/linux-7.3");
	mkdir(dir, 0700);
	strcat(dir, "/drivers");
	if (mkdir(dir, 0700) && errno != EEXIST) {
		kfx_err("mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(r->path, sizeof(r->path), "%s/f0000000.o", dir);
	snprintf(rules, sizeof(rules), "%s/bench.rules", root);

	memset(&row, 0, sizeof(row));
	row.attach = "auto";
	if (!r->nrules) {
		snprintf(r->how, sizeof(r->how), "kfx watch (no filter)");
	} else if (kfx_has_rules()) {
		if (write_rules(rules, r->nrules)) {
			kfx_err("writing %s: %s", rules, strerror(errno));
			return -1;
		}
		row.opt = "--rules";
		row.pattern = rules;
		snprintf(r->how, sizeof(r->how), "kfx watch --rules (%u rules)",
			 r->nrules);
	} else {
		row.opt = "--glob";
		row.pattern = "*/.cache/*.swp";
		r->nrules = 1;
		snprintf(r->how, sizeof(r->how),
			 "kfx watch --glob (this kfx has no --rules: 1 rule)");
	}

	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		kfx_err("BPF_ENABLE_STATS: %s", strerror(errno));
		return -1;
	}
	/* warm up */
	if (files_loop(dir, o->files / 4 + 1, 1, &t) ||
	    files_loop(dir, o->files / 4 + 1, 0, &t))
		goto io_fail;
	/* kfx_object_beside answers in a buffer of its own: copied */
	beside = kfx_object_beside("bench/kfx_floor.bpf.o");
	floor_obj = beside ? strdup(beside) : NULL;
	if (!floor_obj) {
		snprintf(r->error, sizeof(r->error),
			 "no bench/kfx_floor.bpf.o beside kfx-bench (make bench-build)");
		goto out;
	}
	for (run = 0; run < o->runs; run++) {
		double fpart[8], wall;
		char fnames[8][16];
		int fn;

		if (files_loop(dir, o->files, 1, &t) ||
		    files_loop(dir, o->files, 0, &bare[run]))
			goto io_fail;
		if (watched_pass(&row, NULL, dir, o->files, r, &prog[run],
				 &watched[run], tmp_part, r->progs, &r->nprogs,
				 &r->runs_per_unlink))
			goto out;
		for (i = 0; i < r->nprogs; i++)
			part[i][run] = tmp_part[i];
		/* the same hooks, empty programs: the floor, same run */
		if (watched_pass(&row, floor_obj, dir, o->files, r,
				 &floor[run], &wall, fpart, fnames, &fn, &t))
			goto out;
		ratio[run] = bare[run] > 0 ? prog[run] / bare[run] : 0;
		floor_ratio[run] = bare[run] > 0 ? floor[run] / bare[run] : 0;
	}
	r->floor_ns = kfx_bench_median(floor, o->runs);
	r->floor_ratio = kfx_bench_median(floor_ratio, o->runs);
	r->unlink_ns = kfx_bench_median(bare, o->runs);
	r->watched_unlink_ns = kfx_bench_median(watched, o->runs);
	r->prog_ns = kfx_bench_median(prog, o->runs);
	for (i = 0; i < r->nprogs; i++)
		r->prog_part_ns[i] = kfx_bench_median(part[i], o->runs);
	r->ratio = r->unlink_ns > 0 ? r->prog_ns / r->unlink_ns : 0;
	/* each run's own ratio: how much the loaded host moves it */
	kfx_bench_median(ratio, o->runs);	/* sorts */
	r->ratio_min = ratio[0];
	r->ratio_max = ratio[o->runs - 1];
	ok = 1;
	goto out;
io_fail:
	snprintf(r->error, sizeof(r->error), "create/unlink in %s: %s", dir,
		 strerror(errno));
out:
	free(floor_obj);
	close(stats_fd);
	/* leave nothing behind */
	for (i = 0; i < o->files + o->files / 4 + 1; i++) {
		char p[400];

		snprintf(p, sizeof(p), "%s/f%07d.o", dir, i);
		unlink(p);
	}
	unlink(rules);
	for (i = 0; i < 5; i++) {
		rmdir(dir);
		*strrchr(dir, '/') = '\0';
	}
	rmdir(root);
	if (!ok)
		kfx_err("stats: %s", r->error);
	r->ok = ok;
	return ok ? 0 : -1;
}

void kfx_bench_stats_json(const struct kfx_stats_result *r, FILE *f)
{
	int i;

	fprintf(f, "\"stats\":{\"ok\":%s,\"how\":", r->ok ? "true" : "false");
	kfx_bench_json_str(f, r->how);
	fprintf(f, ",\"nrules\":%u,\"files\":%ld,\"path\":", r->nrules,
		r->files);
	kfx_bench_json_str(f, r->path);
	fprintf(f, ",\"prog_ns_per_unlink\":%.1f,\"unlink_ns\":%.1f,"
		"\"watched_unlink_ns\":%.1f,\"ratio\":%.4f,"
		"\"ratio_min\":%.4f,\"ratio_max\":%.4f,\"runs\":%d,"
		"\"runs_per_unlink\":%.2f,\"progs\":[",
		r->prog_ns, r->unlink_ns, r->watched_unlink_ns, r->ratio,
		r->ratio_min, r->ratio_max, r->runs, r->runs_per_unlink);
	for (i = 0; i < r->nprogs; i++) {
		if (i)
			fputc(',', f);
		kfx_bench_json_str(f, r->progs[i]);
	}
	fprintf(f, "],\"prog_part_ns\":[");
	for (i = 0; i < r->nprogs; i++)
		fprintf(f, "%s%.1f", i ? "," : "", r->prog_part_ns[i]);
	fprintf(f, "],\"floor_ns_per_unlink\":%.1f,\"floor_ratio\":%.4f,\"error\":",
		r->floor_ns, r->floor_ratio);
	kfx_bench_json_str(f, r->error);
	fputc('}', f);
}

void kfx_bench_stats_print(const struct kfx_stats_result *r, FILE *f)
{
	int i;

	fprintf(f, "watch cost per unlink by bpf_stats (%s, %ld files, path %s)\n",
		r->how, r->files, r->path);
	if (!r->ok) {
		fprintf(f, "  failed: %s\n", r->error);
		return;
	}
	fprintf(f, "  watch programs: %.0f ns per unlink (%.2f runs each)\n",
		r->prog_ns, r->runs_per_unlink);
	for (i = 0; i < r->nprogs; i++)
		fprintf(f, "    %-16s %.0f ns per unlink\n", r->progs[i],
			r->prog_part_ns[i]);
	fprintf(f, "  unlink syscall alone: %.0f ns (with watch: %.0f ns wall)\n",
		r->unlink_ns, r->watched_unlink_ns);
	fprintf(f, "  programs / syscall: %.2f%% (runs: %.2f%% .. %.2f%%; goal < 5%%)\n",
		100 * r->ratio, 100 * r->ratio_min, 100 * r->ratio_max);
	fprintf(f, "  floor, the same hooks with empty programs: %.0f ns per unlink, %.2f%%\n",
		r->floor_ns, 100 * r->floor_ratio);
}
