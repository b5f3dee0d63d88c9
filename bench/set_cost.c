// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Cost of the rule-set matcher (issue 9's matcher goals), in callgrind
 * instruction counts (repeatable on a loaded box, unlike wall time), plus
 * the compile wall time.
 *
 *   set_cost report [OUT.md]
 *	runs itself under callgrind for every measurement below and prints
 *	(and writes to OUT.md) one markdown table with the goal ratios;
 *	exit 1 if a goal is missed, 2 on a setup error.
 *   set_cost run OP NRULES HAYLEN CALLS
 *	one measurement: OP is set, strstr, onebyone or compile; the work is
 *	done in a noinline function bench_OP, which `report` passes to
 *	callgrind's --toggle-collect, so loops and setup are not counted.
 *	Prints "result OP NRULES HAYLEN CALLS checksum bytes wall_ms".
 *
 * Workload: the shared one (bench/workload.[ch], kfx_wl_rule and
 * kfx_wl_path: 40% substring, 20% prefix, 20% suffix, 20% glob/path glob
 * of realistic shapes; realistic absolute paths of exactly the given
 * length, 64 of them per measurement).  The strstr baseline is one
 * kfx_strstr with the 8-byte needle ".ssh/aut" on the same paths.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kfx_set.h"
#include "kfx_ruleset.h"
#include "workload.h"

#define NPATHS	64
#define MAXH	4096

struct rule {
	int kind;
	char pat[KFX_WL_PAT_MAX + 1];
};

static struct rule *rules;
static char paths[NPATHS][MAXH + 1];

/* The shared workload (bench/workload.h): rules 0..nr-1 of the mix. */
static void make_rules(unsigned int nr)
{
	struct kfx_wl_rule r;
	unsigned int i;

	rules = calloc(nr, sizeof(*rules));
	for (i = 0; i < nr; i++) {
		kfx_wl_rule(i, 0, &r);
		rules[i].kind = r.kind;
		memcpy(rules[i].pat, r.pat, r.len + 1);
	}
}

static void make_paths(unsigned int n)
{
	unsigned int p;

	for (p = 0; p < NPATHS; p++)
		kfx_wl_path(paths[p], n, p + 1);
}

static void *compile(unsigned int nr, size_t *bytes)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	char err[200];
	unsigned int i;
	void *set;

	for (i = 0; i < nr; i++)
		if (kfx_ruleset_add(rs, rules[i].kind, rules[i].pat,
				    strlen(rules[i].pat), err, sizeof(err)) < 0) {
			fprintf(stderr, "set_cost: rule %u \"%s\": %s\n", i,
				rules[i].pat, err);
			exit(2);
		}
	if (kfx_ruleset_compile(rs, &set, bytes, err, sizeof(err))) {
		fprintf(stderr, "set_cost: compile %u rules: %s\n", nr, err);
		exit(2);
	}
	kfx_ruleset_free(rs);
	return set;
}

/* The measured operations (callgrind --toggle-collect=bench_*). */
__attribute__((noinline)) int bench_set(const void *set, u32 sz,
					const char *s, u32 n);
__attribute__((noinline)) int bench_set(const void *set, u32 sz,
					const char *s, u32 n)
{
	return kfx_match_set(set, sz, s, n);
}

__attribute__((noinline)) int bench_strstr(const char *s, u32 n);
__attribute__((noinline)) int bench_strstr(const char *s, u32 n)
{
	return kfx_strstr(s, n, ".ssh/aut", 8);
}

/* The 1,000 rules one by one with kfx's single-pattern functions. */
__attribute__((noinline)) int bench_onebyone(unsigned int nr, const char *s,
					     u32 n);
__attribute__((noinline)) int bench_onebyone(unsigned int nr, const char *s,
					     u32 n)
{
	unsigned int i;
	u32 m;
	int hit;

	for (i = 0; i < nr; i++) {
		const char *p = rules[i].pat;

		m = (u32)strlen(p);
		switch (rules[i].kind) {
		case KFX_RULE_SUBSTR:
			hit = kfx_strstr(s, n, p, m) >= 0;
			break;
		case KFX_RULE_PREFIX:
			hit = m <= n && !memcmp(s, p, m);
			break;
		case KFX_RULE_SUFFIX:
			hit = m <= n && !memcmp(s + n - m, p, m);
			break;
		case KFX_RULE_GLOB:
			hit = kfx_glob_match(s, n, p, m) == 1;
			break;
		default:
			hit = kfx_path_match(s, n, p, m) == 1;
		}
		if (hit)
			return (int)i;
	}
	return -1;
}

__attribute__((noinline)) void *bench_compile(unsigned int nr, size_t *b);
__attribute__((noinline)) void *bench_compile(unsigned int nr, size_t *b)
{
	return compile(nr, b);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int run(const char *op, unsigned int nr, unsigned int n,
	       unsigned int calls)
{
	size_t bytes = 0;
	double t0, best = 1e30;
	long long sum = 0;
	unsigned int i;
	void *set;

	make_rules(nr);
	if (!strcmp(op, "compile")) {
		for (i = 0; i < calls; i++) {
			t0 = now_ms();
			set = bench_compile(nr, &bytes);
			t0 = now_ms() - t0;
			if (t0 < best)
				best = t0;
			free(set);
		}
		printf("result %s %u %u %u %lld %zu %.2f\n", op, nr, n, calls,
		       0LL, bytes, best);
		return 0;
	}
	make_paths(n);
	set = compile(nr, &bytes);
	for (i = 0; i < calls; i++) {
		const char *s = paths[i % NPATHS];

		if (!strcmp(op, "set"))
			sum += bench_set(set, (u32)bytes, s, n);
		else if (!strcmp(op, "strstr"))
			sum += bench_strstr(s, n);
		else if (!strcmp(op, "onebyone"))
			sum += bench_onebyone(nr, s, n);
		else
			return 2;
		/* The matcher must agree with the rules one by one. */
		if (i < NPATHS && !strcmp(op, "set") &&
		    kfx_match_set(set, (u32)bytes, s, n) != bench_onebyone(nr, s, n)) {
			fprintf(stderr, "set_cost: set and one-by-one disagree on path %u\n",
				i);
			return 2;
		}
	}
	printf("result %s %u %u %u %lld %zu 0\n", op, nr, n, calls, sum, bytes);
	free(set);
	return 0;
}

/* Instructions per call of OP, measured by callgrind; < 0 on error. */
static double measure(const char *self, const char *op, unsigned int nr,
		      unsigned int n, unsigned int calls, size_t *bytes,
		      double *ms)
{
	char cmd[1024], line[512], out[] = "/tmp/set_cost.XXXXXX";
	unsigned long long ir = 0;
	int fd = mkstemp(out);
	FILE *f;

	if (fd < 0)
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=callgrind --callgrind-out-file=%s --collect-atstart=no --toggle-collect=bench_%s %s run %s %u %u %u 2>/dev/null",
		 out, op, self, op, nr, n, calls);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "result ", 7))
			sscanf(line, "result %*s %*u %*u %*u %*d %zu %lf", bytes,
			       ms);
	if (pclose(f))
		return -1;
	f = fopen(out, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "totals: ", 8) || !strncmp(line, "summary: ", 9))
			ir = strtoull(strchr(line, ' ') + 1, NULL, 10);
	if (f)
		fclose(f);
	unlink(out);
	return ir ? (double)ir / calls : -1;
}

/* Compile wall time natively (not under valgrind): best of 5. */
static double compile_ms(const char *self, unsigned int nr, size_t *bytes)
{
	char cmd[512], line[256];
	double ms = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s run compile %u 0 5", self, nr);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "result %*s %*u %*u %*u %*d %zu %lf", bytes, &ms);
	pclose(f);
	return ms;
}

static FILE *md;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (md) {
		va_start(ap, fmt);
		vfprintf(md, fmt, ap);
		va_end(ap);
	}
}

static int report(const char *self, const char *path)
{
	static const unsigned int nrs[] = { 10, 100, 1000, 10000 };
	static const unsigned int lens[] = { 64, 256, 1024, 4096 };
	double set_ir[4], ir, str256 = 0, set256 = 0, one = 0, ms, dummy;
	size_t bytes = 0;
	unsigned int i, bad = 0;

	if (path) {
		md = fopen(path, "w");
		if (!md) {
			perror(path);
			return 2;
		}
	}
	out("| measurement | rules | path bytes | instructions/call | set bytes | bytes/rule |\n");
	out("|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < 4; i++) {
		set_ir[i] = measure(self, "set", nrs[i], 256, 2000, &bytes, &dummy);
		if (set_ir[i] < 0)
			return 2;
		out("| kfx_match_set | %u | 256 | %.0f | %zu | %.0f |\n", nrs[i],
		    set_ir[i], bytes, (double)bytes / nrs[i]);
	}
	set256 = set_ir[2];
	for (i = 0; i < 4; i++) {
		if (lens[i] == 256)
			continue;
		ir = measure(self, "set", 1000, lens[i], 1000, &bytes, &dummy);
		if (ir < 0)
			return 2;
		out("| kfx_match_set | 1000 | %u | %.0f (%.2f/byte) | %zu | |\n",
		    lens[i], ir, ir / lens[i], bytes);
	}
	str256 = measure(self, "strstr", 1000, 256, 2000, &bytes, &dummy);
	one = measure(self, "onebyone", 1000, 256, 200, &bytes, &dummy);
	if (str256 < 0 || one < 0)
		return 2;
	out("| kfx_strstr \".ssh/aut\" | 1 | 256 | %.0f | | |\n", str256);
	out("| 1,000 rules one by one (kfx single-pattern calls) | 1000 | 256 | %.0f | | |\n",
	    one);
	ms = compile_ms(self, 10000, &bytes);
	ir = measure(self, "compile", 10000, 0, 1, &bytes, &dummy);
	out("| compile (wall %.1f ms, best of 5) | 10000 | | %.0f | %zu | %.0f |\n",
	    ms, ir, bytes, (double)bytes / 10000);
	out("\n| goal | reached | verdict |\n|---|---:|---|\n");
#define GOAL(what, ok, fmt, ...) do { \
		out("| " what " | " fmt " | %s |\n", __VA_ARGS__, \
		    (ok) ? "met" : "MISSED"); bad += !(ok); } while (0)
	GOAL("match_set(1,000 rules, 256 B) / strstr(8-byte needle) <= 3",
	     set256 <= 3 * str256, "%.2f", set256 / str256);
	GOAL("one by one / match_set (1,000 rules, 256 B) >= 100",
	     one >= 100 * set256, "%.0f", one / set256);
	GOAL("match_set 10,000 rules / 10 rules (256 B) <= 2",
	     set_ir[3] <= 2 * set_ir[0], "%.2f", set_ir[3] / set_ir[0]);
	GOAL("compile 10,000 rules < 100 ms", ms >= 0 && ms < 100, "%.1f ms",
	     ms);
	if (md)
		fclose(md);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "run"))
		return run(argv[2], (unsigned int)atoi(argv[3]),
			   (unsigned int)atoi(argv[4]),
			   (unsigned int)atoi(argv[5]));
	if (argc >= 2 && !strcmp(argv[1], "report"))
		return report(argv[0], argc > 2 ? argv[2] : NULL);
	fprintf(stderr, "usage: %s report [OUT.md] | run set|strstr|onebyone|compile NRULES HAYLEN CALLS\n",
		argv[0]);
	return 2;
}
