// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-bench --unlink: what `kfx watch` costs the code path it traces.
 *
 * A loop of open(O_CREAT) + close + unlink is timed bare and with the real
 * `kfx watch` attached (a child process running this very binary, its
 * output to /dev/null): without a pattern, with a substring and with a glob
 * pattern, as fentry and as kprobe. Each watched run is paired with a bare
 * run just before it and the ratio of the two is what counts, so slow drift
 * of the machine cancels out. The watcher's own counters prove that its
 * program saw the loop's unlinks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kfx_bench_cli.h"
#include "kfx_cli.h"

/* Neither pattern matches the loop's file: the filter rejects every event. */
#define MATCH_PATTERN	".swp"
#define GLOB_PATTERN	"*/.cache/*.swp"

static const char unlink_method[] =
	"a loop of N x (open(O_CREAT) + close + unlink) of one file, timed "
	"with CLOCK_MONOTONIC; every watched run is paired with a bare run "
	"just before it; ns/iter, the difference and the ratio of each pair are "
	"medians over the runs; kfx "
	"watch runs as a separate process, its output to /dev/null; the "
	"patterns do not match the file, so the in-kernel filter rejects "
	"every event";

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per create+unlink, or -1 with errno set. */
static double loop(const char *path, long n)
{
	double t0 = now_ns();
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		close(fd);
		if (unlink(path))
			return -1;
	}
	return (now_ns() - t0) / n;
}

/*
 * Start `kfx watch` and wait until it says it is watching. On failure
 * `error` holds its last line of complaint.
 */
int watch_start(const struct kfx_unlink_row *row, struct watcher *w,
		       char *error, size_t len)
{
	const char *argv[12];
	char line[512];
	const char *kfx;
	int p[2], null, n = 0, st;

	argv[n++] = "kfx";
	if (object_path) {
		argv[n++] = "--object";
		argv[n++] = object_path;
	}
	argv[n++] = "watch";
	argv[n++] = "--attach";
	argv[n++] = row->attach;
	if (row->opt) {
		argv[n++] = row->opt;
		argv[n++] = row->pattern;
	}
	argv[n] = NULL;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0) {
		snprintf(error, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (w->pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(p[1], 2) < 0)
			_exit(127);
		/* the kfx beside kfx-bench (the build tree), else $PATH's */
		kfx = kfx_object_beside("kfx");
		if (kfx)
			execv(kfx, (char **)argv);
		execvp("kfx", (char **)argv);
		_exit(127);
	}
	close(p[1]);
	w->err = fdopen(p[0], "r");
	error[0] = '\0';
	while (w->err && fgets(line, sizeof(line), w->err)) {
		if (strstr(line, "watching unlinks"))
			return 0;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "hint:", 5))
			snprintf(error, len, "%.250s", line);
	}
	if (w->err)
		fclose(w->err);
	else
		close(p[0]);
	waitpid(w->pid, &st, 0);
	if (!error[0])
		snprintf(error, len, "kfx watch exited (status %d) before attaching",
			 st);
	return -1;
}

/* Stop the watcher; read the counters it prints on the way out. */
int watch_stop(struct watcher *w, struct kfx_unlink_row *row)
{
	char line[512];
	int st = 0;

	kill(w->pid, SIGINT);
	while (fgets(line, sizeof(line), w->err))
		sscanf(line, "kfx: seen %llu, matched %llu, lost %llu",
		       &row->seen, &row->matched, &row->lost);
	fclose(w->err);
	if (waitpid(w->pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

static void add_row(struct kfx_unlink_result *r, const char *attach,
		    const char *opt, const char *pattern)
{
	struct kfx_unlink_row *row = &r->rows[r->nrows++];

	memset(row, 0, sizeof(*row));
	row->attach = attach;
	row->opt = opt;
	row->pattern = pattern;
	if (!attach)
		snprintf(row->name, sizeof(row->name), "bare loop");
	else if (!opt)
		snprintf(row->name, sizeof(row->name), "watch (no pattern)");
	else
		snprintf(row->name, sizeof(row->name), "watch %s '%s'", opt,
			 pattern);
}

int kfx_bench_unlink(const struct kfx_bench_opts *o,
		     struct kfx_unlink_result *r)
{
	static const char *const attach[] = { "fentry", "kprobe" };
	double ns[KFX_UNLINK_ROWS_MAX][99], bare[KFX_UNLINK_ROWS_MAX][99];
	double q[99], d[99], b, t;
	char dir[200];
	struct watcher w;
	struct kfx_unlink_row *row;
	int runs[KFX_UNLINK_ROWS_MAX] = { 0 };
	int i, j, rnd, failed = 0;

	memset(r, 0, sizeof(*r));
	add_row(r, NULL, NULL, NULL);
	for (i = 0; i < 2; i++) {
		add_row(r, attach[i], NULL, NULL);
		add_row(r, attach[i], "--match", MATCH_PATTERN);
		add_row(r, attach[i], "--glob", GLOB_PATTERN);
	}

	snprintf(dir, sizeof(dir), "%s/kfx-bench.XXXXXX", o->dir);
	if (!mkdtemp(dir)) {
		kfx_err("mkdtemp %s: %s", dir, strerror(errno));
		return -1;
	}
	/* a path of a realistic length for the filter to scan */
	snprintf(r->path, sizeof(r->path), "%s/src", dir);
	if (mkdir(r->path, 0700) || !strcat(r->path, "/obj") ||
	    mkdir(r->path, 0700)) {
		kfx_err("mkdir %s: %s", r->path, strerror(errno));
		return -1;
	}
	strcat(r->path, "/unit-test-file.o");
	fprintf(stderr, "kfx-bench: %ld x create+unlink of %s, %d runs per row\n",
		o->files, r->path, o->runs);

	/* warm the caches and the page allocator */
	if (loop(r->path, o->files / 4 + 1) < 0) {
		kfx_err("create/unlink %s: %s", r->path, strerror(errno));
		goto out;
	}
	for (rnd = 0; rnd < o->runs; rnd++) {
		for (i = 1; i < r->nrows; i++) {
			row = &r->rows[i];
			if (row->skipped || row->failed)
				continue;
			b = loop(r->path, o->files);
			if (watch_start(row, &w, row->error,
					sizeof(row->error))) {
				/* Not attaching at all is a skip, later a fault. */
				if (rnd)
					row->failed = true;
				else
					row->skipped = true;
				continue;
			}
			t = loop(r->path, o->files);
			if (watch_stop(&w, row)) {
				snprintf(row->error, sizeof(row->error),
					 "kfx watch did not exit cleanly");
				row->failed = true;
			}
			if (b < 0 || t < 0) {
				snprintf(row->error, sizeof(row->error),
					 "create/unlink %s: %s", r->path,
					 strerror(errno));
				row->failed = true;
				continue;
			}
			if (row->seen < (unsigned long long)o->files) {
				snprintf(row->error, sizeof(row->error),
					 "the program saw %llu unlinks of %ld",
					 row->seen, o->files);
				row->failed = true;
			}
			bare[i][runs[i]] = b;
			ns[i][runs[i]] = t;
			runs[i]++;
			/* the bare row: every paired bare run */
			bare[0][runs[0]] = b;
			ns[0][runs[0]] = b;
			if (runs[0] < 98)
				runs[0]++;
		}
	}
	if (runs[0] > 1) {
		kfx_bench_median(bare[0], runs[0]);	/* sorts */
		r->noise = (bare[0][runs[0] - 1] - bare[0][0]) /
			   kfx_bench_median(bare[0], runs[0]);
	}
	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		if (!runs[i])
			continue;
		for (j = 0; j < runs[i]; j++)
			q[j] = ns[i][j] / bare[i][j];
		row->ratio = kfx_bench_median(q, runs[i]);
		for (j = 0; j < runs[i]; j++)
			d[j] = ns[i][j] - bare[i][j];
		row->overhead_ns = kfx_bench_median(d, runs[i]);
		row->ns = kfx_bench_median(ns[i], runs[i]);
		row->bare_ns = kfx_bench_median(bare[i], runs[i]);
	}
	/* Kprobe programs may call module kfuncs from 6.10 on only. */
	for (i = 1; i < r->nrows; i++) {
		row = &r->rows[i];
		if (row->skipped && (strcmp(row->attach, "kprobe") ||
				     kfx_kernel_version_at_least(6, 10)))
			row->failed = true;
		if (row->failed) {
			kfx_err("%s (%s): %s", row->name, row->attach,
				row->error);
			failed++;
		}
	}
out:
	unlink(r->path);
	*strrchr(r->path, '/') = '\0';
	rmdir(r->path);
	*strrchr(r->path, '/') = '\0';
	rmdir(r->path);
	rmdir(dir);
	snprintf(r->path, sizeof(r->path), "%s/src/obj/unit-test-file.o", dir);
	return failed ? -1 : 0;
}

/*
 * The goal: a pattern adds < 5 % to the bare loop. When the bare runs
 * alone differ by more than that, the answer is noise, and said so.
 */
#define GOAL 0.05

static const char *goal_verdict(const struct kfx_unlink_result *r,
				const struct kfx_unlink_row *row)
{
	if (r->noise > GOAL)
		return "inconclusive";
	return row->ratio > 0 && row->ratio < 1 + GOAL ? "met" : "not met";
}

void kfx_bench_unlink_print(const struct kfx_bench_opts *o,
			    const struct kfx_unlink_result *r, FILE *f)
{
	const struct kfx_unlink_row *row;
	int i;

	fprintf(f, "kfx-bench --unlink: cost of kfx watch on the traced path\n");
	fprintf(f, "method: %s; N = %ld, %d runs\nfile: %s\n\n",
		unlink_method, o->files, o->runs, r->path);
	fprintf(f, "%-30s %-7s %10s %10s %10s %9s %8s %8s %6s\n", "config",
		"attach", "ns/iter", "bare ns", "+ns/iter", "overhead", "seen",
		"matched", "lost");
	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		fprintf(f, "%-30s %-7s ", row->name,
			row->attach ? row->attach : "-");
		if (row->skipped || row->failed) {
			fprintf(f, "%s: %s\n", row->failed ? "FAILED" :
				"skipped", row->error);
			continue;
		}
		if (!row->attach) {
			fprintf(f, "%10.0f\n", row->ns);
			continue;
		}
		fprintf(f, "%10.0f %10.0f %+10.0f %+8.1f%% %8llu %8llu %6llu\n",
			row->ns, row->bare_ns, row->overhead_ns,
			(row->ratio - 1) * 100, row->seen, row->matched,
			row->lost);
	}
	fprintf(f, "\nseen/matched/lost: the watcher's counters for its last run (all unlinks in the system).\n");
	fprintf(f, "noise: the bare runs alone differ by %.1f%% (max - min over median)\n",
		r->noise * 100);
	fprintf(f, "goal (reported, not asserted): watch with a pattern adds < 5%% to the bare loop%s\n",
		r->noise > GOAL ? "; inconclusive where the noise exceeds 5%" : "");
	for (i = 1; i < r->nrows; i++) {
		row = &r->rows[i];
		if (!row->opt || row->skipped || row->failed)
			continue;
		fprintf(f, "  %-30s %-7s %+6.1f%%  %s\n", row->name,
			row->attach, (row->ratio - 1) * 100,
			goal_verdict(r, row));
	}
}

void kfx_bench_unlink_json(const struct kfx_bench_opts *o,
			   const struct kfx_unlink_result *r, FILE *f)
{
	const struct kfx_unlink_row *row;
	bool first;
	int i;

	fprintf(f, "\"unlink\":{\"method\":");
	kfx_bench_json_str(f, unlink_method);
	fprintf(f, ",\"files\":%ld,\"runs\":%d,\"bare_noise_pct\":%.1f,\"path\":",
		o->files, o->runs, r->noise * 100);
	kfx_bench_json_str(f, r->path);
	fprintf(f, ",\"rows\":[");
	for (i = 0; i < r->nrows; i++) {
		row = &r->rows[i];
		fprintf(f, "%s{\"config\":", i ? ",\n" : "\n");
		kfx_bench_json_str(f, row->name);
		fprintf(f, ",\"attach\":");
		if (row->attach)
			kfx_bench_json_str(f, row->attach);
		else
			fputs("null", f);
		fprintf(f, ",\"mode\":%s%s%s,\"pattern\":",
			row->opt ? "\"" : "", row->opt ? row->opt + 2 : "null",
			row->opt ? "\"" : "");
		if (row->pattern)
			kfx_bench_json_str(f, row->pattern);
		else
			fputs("null", f);
		fprintf(f, ",\"status\":\"%s\"", row->failed ? "failed" :
			row->skipped ? "skipped" : "ok");
		if (row->skipped || row->failed) {
			fprintf(f, ",\"error\":");
			kfx_bench_json_str(f, row->error);
			fputc('}', f);
			continue;
		}
		fprintf(f, ",\"ns_per_iter\":%.1f", row->ns);
		if (row->attach)
			fprintf(f, ",\"bare_ns_per_iter\":%.1f,\"overhead_ns\":%.1f,\"ratio\":%.4f,\"seen\":%llu,\"matched\":%llu,\"lost\":%llu",
				row->bare_ns, row->overhead_ns,
				row->ratio, row->seen, row->matched,
				row->lost);
		fputc('}', f);
	}
	fprintf(f, "],\"goal\":{\"goal\":\"watch with a pattern adds < 5%% to the bare loop\",\"rows\":[");
	for (i = 1, first = true; i < r->nrows; i++) {
		row = &r->rows[i];
		if (!row->opt || row->skipped || row->failed)
			continue;
		fprintf(f, "%s{\"config\":", first ? "" : ",");
		kfx_bench_json_str(f, row->name);
		fprintf(f, ",\"attach\":\"%s\",\"overhead_pct\":%.2f,\"verdict\":\"%s\"}",
			row->attach, (row->ratio - 1) * 100,
			goal_verdict(r, row));
		first = false;
	}
	fprintf(f, "]}}");
}
