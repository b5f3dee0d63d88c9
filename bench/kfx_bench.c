// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-bench: what the kfuncs cost inside the kernel (see kfx_bench_main.c).
 *
 * The string part runs kfx_bench.bpf.o's SYSCALL program with
 * BPF_PROG_TEST_RUN; the program times bpf_loop(N) of calls of one contender
 * (bpf_kfx_strstr, the naive BPF loop, the kernel's bpf_strnstr where it
 * exists) and an empty bpf_loop(N) whose cost is subtracted. Every call's
 * answer is checked against memmem(3): a fast wrong answer is a failure.
 * The traced-path part is in kfx_bench_unlink.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>
#include <linux/types.h>

#include "kfx_bench.h"
#include "kfx_bench_cli.h"
#include "kfx_cli.h"

#define BENCH_OBJ		"kfx_bench.bpf.o"
#define BENCH_STRNSTR_OBJ	"kfx_bench_strnstr.bpf.o"
/* A calibrated run of bpf_loop() lasts about this long. */
#define TARGET_NS		10000000.0
#define GOAL_HAY		256

enum { C_KFX, C_LOOP, C_STRNSTR, C_MAX };

static const struct {
	int op;
	const char *title;	/* table */
	const char *key;	/* JSON */
} contender[C_MAX] = {
	[C_KFX] = { KFX_BENCH_KFX, "kfx", "bpf_kfx_strstr" },
	[C_LOOP] = { KFX_BENCH_LOOP, "bpf loop", "bpf_loop_naive" },
	[C_STRNSTR] = { KFX_BENCH_STRNSTR, "bpf_strnstr", "bpf_strnstr" },
};

struct scase {
	unsigned int hay_len, needle_len;
	bool hit;
	char hay[KFX_BENCH_HAY_MAX + 1];
	char needle[KFX_BENCH_NEEDLE_MAX + 1];
	int expect;			/* memmem's answer, -1 if absent */
	double empty_ns;		/* per iteration of the empty loop */
	double ns[C_MAX];		/* per call, loop cost subtracted */
	unsigned int iters[C_MAX];
};

static const unsigned int sizes[] = { 64, 256, 1024 };
/* Absent from every haystack: prefixes of "shadow.bak" (no word has "sha"). */
static const char *const miss_needle[] = { "sha", "shadow.b" };
/* Hits: the end of the "/notes.swp" every haystack ends with. */
static const char *const hit_needle[] = { "swp", "otes.swp" };
#define HAY_TAIL "/notes.swp"

#define NCASES (sizeof(sizes) / sizeof(sizes[0]) * 4)

struct bench {
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *io;
	bool strnstr;			/* the object has the third contender */
	const char *obj_path;
	struct scase cases[NCASES];
	int ncases;
	int failures;
};

double kfx_bench_median(double *v, int n)
{
	int i, j;
	double t;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (!n)
		return 0;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void kfx_bench_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static long parse_num(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		kfx_usage_error("invalid %s: '%s' (a whole number from %ld to %ld)",
				what, s, min, max);
	return v;
}

const char kfx_bench_usage[] =
"Usage: kfx-bench [PARTS] [OPTIONS]\n"
"\n"
"The in-kernel half of `make bench` (not part of the kfx package): needs\n"
"root and kfx.ko loaded (or loadable); finds its BPF objects in bench/\n"
"beside it and the kfx binary beside it (else in $PATH).\n"
"\n"
"Parts (default: --strings --sets --stats):\n"
"  -t, --strings          bpf_kfx_strstr vs a BPF loop and bpf_strnstr\n"
"  -s, --sets             1,000 rules: one bpf_kfx_match_set vs a bpf_loop over\n"
"                         the single-pattern kfuncs; a prefix-only set vs an\n"
"                         LPM trie lookup\n"
"  -S, --stats            kfx watch --rules (1,000 rules) cost per unlink by\n"
"                         kernel.bpf_stats_enabled vs the unlink syscall\n"
"  -u, --unlink           wall-clock create+unlink with and without kfx watch\n"
"  -a, --all              all four\n"
"Options:\n"
"  -j, --json             one JSON object\n"
"  -r, --runs N           runs per figure (default 5)\n"
"  -n, --iterations N     bpf_loop iterations per run (default: ~10 ms)\n"
"  -f, --files N          files per unlink loop (default 20000)\n"
"  -d, --dir DIR          where the unlink loops' files live (default /tmp)\n"
"  -o, --object FILE      kfx.bpf.o for kfx watch\n"
"  -v, --verbose          libbpf's log\n"
"  -h, --help             show this help\n";

static void parse(int argc, char **argv, struct kfx_bench_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "runs", required_argument, NULL, 'r' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "strings", no_argument, NULL, 't' },
		{ "sets", no_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 'S' },
		{ "unlink", no_argument, NULL, 'u' },
		{ "all", no_argument, NULL, 'a' },
		{ "files", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'd' },
		{ "object", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 }
	};
	bool any = false, all = false;
	int c;

	memset(o, 0, sizeof(*o));
	o->runs = 5;
	o->files = 20000;
	o->dir = "/tmp";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jr:n:tsSuaf:d:o:v", opts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->runs = parse_num("runs", optarg, 1, 99);
			break;
		case 'n':
			o->iters = parse_num("iterations", optarg, 1,
					     KFX_BENCH_ITERS_MAX);
			break;
		case 't':
			o->strings = any = true;
			break;
		case 's':
			o->sets = any = true;
			break;
		case 'S':
			o->stats = any = true;
			break;
		case 'u':
			o->unlink = any = true;
			break;
		case 'a':
			all = true;
			break;
		case 'f':
			o->files = parse_num("files", optarg, 1, 1000000);
			break;
		case 'd':
			if (access(optarg, W_OK | X_OK) ||
			    strlen(optarg) > 160)
				kfx_usage_error("invalid directory '%s' (must exist and be writable, at most 160 bytes)",
						optarg);
			o->dir = optarg;
			break;
		case 'o':
			object_path = optarg;
			break;
		case 'v':
			kfx_verbose = true;
			break;
		case ':':
			kfx_usage_error("option '%s' needs a value",
					argv[optind - 1]);
		default:
			kfx_usage_error("unknown option '%s'",
					argv[optind - 1]);
		}
	}
	if (optind < argc)
		kfx_usage_error("unexpected argument '%s'", argv[optind]);
	if (all)
		o->strings = o->sets = o->stats = o->unlink = true;
	else if (!any)
		o->strings = o->sets = o->stats = true;
}

/* Deterministic path-like text: '/'-joined words, ending in HAY_TAIL. */
static void make_hay(char *out, unsigned int len, unsigned int seed)
{
	static const char *const words[] = {
		"usr", "lib", "local", "home", "user", "projects", "kfx", "src",
		"include", "linux", "x86_64-linux-gnu", "python3",
		"site-packages", "node_modules", "build", "debug", "config",
		".cache", "var", "log", "tmp", "docs", "tests", "objects",
		"index", "data", "assets", "modules", "runtime", "main.c",
		"util.h", "string.o", "setup.py", "package.json", "README.md",
	};
	unsigned int o = 0, x = seed * 2654435761u + 1;
	const char *w;
	size_t wl;

	while (o < len) {
		x = x * 1103515245u + 12345u;
		w = words[(x >> 16) % (sizeof(words) / sizeof(words[0]))];
		out[o++] = '/';
		wl = strlen(w);
		if (wl > len - o)
			wl = len - o;
		memcpy(out + o, w, wl);
		o += wl;
	}
	memcpy(out + len - strlen(HAY_TAIL), HAY_TAIL, strlen(HAY_TAIL));
	out[len] = '\0';
}

static void make_cases(struct bench *b)
{
	unsigned int s, k;
	struct scase *c;
	const char *n, *at;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (k = 0; k < 4; k++) {
			c = &b->cases[b->ncases++];
			memset(c, 0, sizeof(*c));
			c->hay_len = sizes[s];
			c->hit = k >= 2;
			n = c->hit ? hit_needle[k % 2] : miss_needle[k % 2];
			c->needle_len = strlen(n);
			memcpy(c->needle, n, c->needle_len);
			make_hay(c->hay, c->hay_len, sizes[s]);
			at = memmem(c->hay, c->hay_len, c->needle,
				    c->needle_len);
			c->expect = at ? (int)(at - c->hay) : -1;
			if (c->hit != (at != NULL)) {
				/* the generator broke its promise */
				kfx_err("bench input %u/%s: needle %s", c->hay_len,
					n, at ? "found" : "missing");
				exit(KFX_EXIT_FAIL);
			}
		}
}

static bool vmlinux_has(const char *func)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool found;

	if (!btf)
		return false;
	found = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) > 0;
	btf__free(btf);
	return found;
}

static const char *object_file(const char *name)
{
	static char buf[PATH_MAX];
	char rel[PATH_MAX];
	const char *p;

	/*
	 * build/kfx-bench finds its objects in build/bench/; copied out of
	 * kfx_object_beside's buffer, which its next caller overwrites
	 */
	snprintf(rel, sizeof(rel), "bench/%s", name);
	p = kfx_object_beside(rel);
	snprintf(buf, sizeof(buf), "%s", p ? p : name);
	return buf;
}

static int bench_load(struct bench *b)
{
	int err;

	b->strnstr = vmlinux_has("bpf_strnstr");
	b->obj_path = object_file(b->strnstr ? BENCH_STRNSTR_OBJ : BENCH_OBJ);
	b->obj = kfx_open_object(b->obj_path);
	b->prog = bpf_object__find_program_by_name(b->obj, "kfx_bench");
	b->io = bpf_object__find_map_by_name(b->obj, "kfx_bench_io");
	if (!b->prog || !b->io) {
		kfx_err("%s has no kfx_bench program or kfx_bench_io map (wrong or old object file?)",
			b->obj_path);
		return -1;
	}
	err = bpf_object__load(b->obj);
	if (err) {
		kfx_err("loading kfx_bench from %s failed: %s", b->obj_path,
			strerror(-err));
		if (!kfx_verbose)
			fputs("hint: run with -v for libbpf's log\n", stderr);
		return -1;
	}
	return 0;
}

/* One BPF_PROG_TEST_RUN: bpf_loop(iters) of op on case c. */
static int run_once(struct bench *b, const struct scase *c, int op,
		    unsigned int iters, double *ns_per_iter, long long *result)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct kfx_bench_io io;
	__u32 zero = 0;
	int err;

	memset(&io, 0, sizeof(io));
	io.op = op;
	io.iters = iters;
	io.hay_len = c->hay_len;
	io.needle_len = c->needle_len;
	memcpy(io.hay, c->hay, c->hay_len);
	memcpy(io.needle, c->needle, c->needle_len);
	err = bpf_map__update_elem(b->io, &zero, sizeof(zero), &io,
				   sizeof(io), 0);
	if (err)
		return err;
	err = bpf_prog_test_run_opts(bpf_program__fd(b->prog), &topts);
	if (err)
		return -errno;
	if (topts.retval)
		return -EPROTO;
	err = bpf_map__lookup_elem(b->io, &zero, sizeof(zero), &io,
				   sizeof(io), 0);
	if (err)
		return err;
	if (io.loops != (long long)iters)
		return -EPROTO;
	*ns_per_iter = (double)io.ns / iters;
	*result = io.result;
	return 0;
}

/* bpf_strnstr says -ENOENT where the others say -1. */
static long long normalize(int op, long long r)
{
	return op == KFX_BENCH_STRNSTR && r == -ENOENT ? -1 : r;
}

static unsigned int calibrate(const struct kfx_bench_opts *o, double per)
{
	double n;

	if (o->iters)
		return o->iters;
	n = per > 0 ? TARGET_NS / per : KFX_BENCH_ITERS_MAX;
	if (n < 16)
		n = 16;
	if (n > KFX_BENCH_ITERS_MAX)
		n = KFX_BENCH_ITERS_MAX;
	return (unsigned int)n;
}

/*
 * Time one case: calibrate each contender, then runs rounds in which every
 * contender (and the empty loop) runs once, so drift hits all alike.
 */
static int bench_case(struct bench *b, const struct kfx_bench_opts *o,
		      struct scase *c)
{
	double samples[C_MAX + 1][99], per;
	unsigned int iters[C_MAX + 1];
	int ops[C_MAX + 1], n = 0, i, r, err;
	long long got;

	ops[n++] = KFX_BENCH_EMPTY;
	for (i = 0; i < C_MAX; i++)
		if (i != C_STRNSTR || b->strnstr)
			ops[n++] = contender[i].op;
	for (i = 0; i < n; i++) {
		err = run_once(b, c, ops[i], 16, &per, &got);
		if (err)
			goto fail;
		iters[i] = calibrate(o, per);
	}
	for (r = 0; r < o->runs; r++)
		for (i = 0; i < n; i++) {
			err = run_once(b, c, ops[i], iters[i],
				       &samples[i][r], &got);
			if (err)
				goto fail;
			if (ops[i] != KFX_BENCH_EMPTY &&
			    normalize(ops[i], got) != c->expect) {
				kfx_err("wrong answer: op %d on %u-byte input, needle \"%s\": %lld, expected %d",
					ops[i], c->hay_len, c->needle, got,
					c->expect);
				b->failures++;
			}
		}
	c->empty_ns = kfx_bench_median(samples[0], o->runs);
	for (i = 1; i < n; i++) {
		int k = ops[i] == KFX_BENCH_KFX ? C_KFX :
			ops[i] == KFX_BENCH_LOOP ? C_LOOP : C_STRNSTR;

		c->ns[k] = kfx_bench_median(samples[i], o->runs) - c->empty_ns;
		c->iters[k] = iters[i];
	}
	return 0;
fail:
	kfx_err("running kfx_bench (op %d, %u-byte input) failed: %s", ops[i],
		c->hay_len, strerror(-err));
	return -1;
}

/* Under a hypervisor, and above all under TCG, ns are not this CPU's. */
static const char *virt_note(void)
{
	char line[4096], cs[64] = "";
	bool hv = false;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor")) {
			hv = true;
			break;
		}
	if (f)
		fclose(f);
	if (!hv)
		return "none detected";
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  "r");
	if (f) {
		if (fgets(cs, sizeof(cs), f))
			cs[strcspn(cs, "\n")] = '\0';
		fclose(f);
	}
	if (!strcmp(cs, "kvm-clock"))
		return "KVM guest";
	return "VM without kvm-clock (QEMU TCG emulation?)";
}

static const char *release(void)
{
	static struct utsname u;

	return uname(&u) ? "?" : u.release;
}

static const char method[] =
	"SYSCALL program run by BPF_PROG_TEST_RUN; it times bpf_loop(N) of "
	"calls with bpf_ktime_get_ns(), N calibrated to ~10 ms; ns/call = "
	"(median over runs of loop ns/N) - (same for an empty bpf_loop); "
	"contenders interleaved within each run; every answer checked "
	"against memmem(3)";
static const char tcg_note[] =
	"absolute ns depend on the machine; in a VM under TCG (QEMU's "
	"software CPU) they are not the CPU's: only the ratios mean anything";

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* The smallest ratio over the GOAL_HAY cases: the goal must hold for all. */
static double goal_min(const struct bench *b, int k)
{
	double m = 0;
	int i;

	for (i = 0; i < b->ncases; i++) {
		const struct scase *c = &b->cases[i];
		double q = ratio(c->ns[k], c->ns[C_KFX]);

		if (c->hay_len == GOAL_HAY && (m == 0 || q < m))
			m = q;
	}
	return m;
}

static void print_table(const struct bench *b, const struct kfx_bench_opts *o)
{
	double g;
	int i;

	printf("kfx-bench: in-kernel string search on %s\n", release());
	printf("method: %s; %d runs\n", method, o->runs);
	printf("object: %s\n", b->obj_path);
	printf("virtualization: %s\nnote: %s\n\n", virt_note(), tcg_note);
	printf("%-5s %4s %-9s %6s %10s %10s %12s %9s %12s\n", "input", "hay",
	       "needle", "empty", "kfx ns", "loop ns", "strnstr ns",
	       "loop/kfx", "strnstr/kfx");
	for (i = 0; i < b->ncases; i++) {
		const struct scase *c = &b->cases[i];
		char nd[24];

		snprintf(nd, sizeof(nd), "%s", c->needle);
		printf("%-5s %4u %-9s %6.1f %10.1f %10.1f ", c->hit ? "hit" :
		       "miss", c->hay_len, nd, c->empty_ns, c->ns[C_KFX],
		       c->ns[C_LOOP]);
		if (b->strnstr)
			printf("%12.1f %8.2fx %11.2fx\n", c->ns[C_STRNSTR],
			       ratio(c->ns[C_LOOP], c->ns[C_KFX]),
			       ratio(c->ns[C_STRNSTR], c->ns[C_KFX]));
		else
			printf("%12s %8.2fx %12s\n", "-",
			       ratio(c->ns[C_LOOP], c->ns[C_KFX]), "-");
	}
	printf("\n'empty' is the per-iteration cost of the bare bpf_loop, already subtracted.\n");
	if (!b->strnstr)
		printf("bpf_strnstr: skipped, this kernel's vmlinux has no bpf_strnstr (Linux 6.17+)\n");
	printf("goals on %d-byte inputs (reported, not asserted):\n", GOAL_HAY);
	g = goal_min(b, C_LOOP);
	printf("  kfx >= 4x faster than the BPF loop:    min %.2fx  %s\n", g,
	       g >= 4 ? "met" : "NOT met");
	if (b->strnstr) {
		g = goal_min(b, C_STRNSTR);
		printf("  kfx >= 8x faster than bpf_strnstr:     min %.2fx  %s\n",
		       g, g >= 8 ? "met" : "NOT met");
	} else {
		printf("  kfx >= 8x faster than bpf_strnstr:     n/a (no bpf_strnstr)\n");
	}
}

static void print_json_strings(const struct bench *b,
			       const struct kfx_bench_opts *o)
{
	int i, k;

	printf("\"strings\":{\"method\":");
	kfx_bench_json_str(stdout, method);
	printf(",\"runs\":%d,\"object\":", o->runs);
	kfx_bench_json_str(stdout, b->obj_path);
	printf(",\"bpf_strnstr\":%s,\"cases\":[",
	       b->strnstr ? "true" : "false");
	for (i = 0; i < b->ncases; i++) {
		const struct scase *c = &b->cases[i];

		printf("%s{\"input\":\"path\",\"hay\":%u,\"needle\":", i ? ",\n" : "\n",
		       c->hay_len);
		kfx_bench_json_str(stdout, c->needle);
		printf(",\"needle_len\":%u,\"hit\":%s,\"index\":%d,\"empty_loop_ns\":%.2f,\"ns_per_call\":{",
		       c->needle_len, c->hit ? "true" : "false", c->expect,
		       c->empty_ns);
		for (k = 0; k < C_MAX; k++) {
			if (k == C_STRNSTR && !b->strnstr)
				continue;
			printf("%s\"%s\":%.2f", k ? "," : "", contender[k].key,
			       c->ns[k]);
		}
		printf("},\"iterations\":{");
		for (k = 0; k < C_MAX; k++) {
			if (k == C_STRNSTR && !b->strnstr)
				continue;
			printf("%s\"%s\":%u", k ? "," : "", contender[k].key,
			       c->iters[k]);
		}
		printf("},\"ratio_vs_kfx\":{\"bpf_loop_naive\":%.3f",
		       ratio(c->ns[C_LOOP], c->ns[C_KFX]));
		if (b->strnstr)
			printf(",\"bpf_strnstr\":%.3f",
			       ratio(c->ns[C_STRNSTR], c->ns[C_KFX]));
		printf("}}");
	}
	printf("],\"goals\":[{\"goal\":\"kfx >= 4x bpf_loop_naive, %d B\",\"min_ratio\":%.3f,\"met\":%s}",
	       GOAL_HAY, goal_min(b, C_LOOP),
	       goal_min(b, C_LOOP) >= 4 ? "true" : "false");
	if (b->strnstr)
		printf(",{\"goal\":\"kfx >= 8x bpf_strnstr, %d B\",\"min_ratio\":%.3f,\"met\":%s}",
		       GOAL_HAY, goal_min(b, C_STRNSTR),
		       goal_min(b, C_STRNSTR) >= 8 ? "true" : "false");
	printf("]}");
}

static int run_strings(struct bench *b, const struct kfx_bench_opts *o)
{
	int i;

	make_cases(b);
	if (bench_load(b))
		return -1;
	fprintf(stderr, "kfx-bench: %d inputs, %s%s\n", b->ncases,
		"bpf_kfx_strstr, BPF loop",
		b->strnstr ? ", bpf_strnstr" : " (no bpf_strnstr in this kernel)");
	for (i = 0; i < b->ncases; i++)
		if (bench_case(b, o, &b->cases[i]))
			return -1;
	return 0;
}

int kfx_cmd_bench(int argc, char **argv)
{
	static struct bench b;
	static struct kfx_unlink_result u;
	static struct kfx_sets_result sr;
	static struct kfx_stats_result st;
	struct kfx_bench_opts o;
	struct kfx_kernel k;
	int ret = KFX_EXIT_OK;

	parse(argc, argv, &o);
	if (geteuid() != 0) {
		kfx_err("must be run as root (loading BPF programs needs CAP_BPF and CAP_PERFMON)");
		return KFX_EXIT_USAGE;
	}
	if (o.unlink || o.stats)
		kfx_check_object();	/* kfx watch will load it */
	kfx_kernel_probe(&k);
	if (kfx_ensure_module(&k))
		return KFX_EXIT_FAIL;

	if (o.strings && run_strings(&b, &o))
		ret = KFX_EXIT_FAIL;
	bpf_object__close(b.obj);
	b.obj = NULL;
	if (o.sets && kfx_bench_sets(&o, &sr))
		ret = KFX_EXIT_FAIL;
	if (o.stats && kfx_bench_stats(&o, &st))
		ret = KFX_EXIT_FAIL;
	if (o.unlink && kfx_bench_unlink(&o, &u))
		ret = KFX_EXIT_FAIL;
	if (b.failures)
		ret = KFX_EXIT_FAIL;

	if (o.json) {
		printf("{\"kernel\":");
		kfx_bench_json_str(stdout, release());
		printf(",\"virtualization\":");
		kfx_bench_json_str(stdout, virt_note());
		printf(",\"note\":");
		kfx_bench_json_str(stdout, tcg_note);
		if (o.strings) {
			putchar(',');
			print_json_strings(&b, &o);
		}
		if (o.sets) {
			putchar(',');
			kfx_bench_sets_json(&sr, stdout);
		}
		if (o.stats) {
			putchar(',');
			kfx_bench_stats_json(&st, stdout);
		}
		if (o.unlink) {
			putchar(',');
			kfx_bench_unlink_json(&o, &u, stdout);
		}
		printf(",\"ok\":%s}\n", ret == KFX_EXIT_OK ? "true" : "false");
	} else {
		if (o.strings && b.ncases && b.obj_path)
			print_table(&b, &o);
		if (o.sets) {
			putchar('\n');
			kfx_bench_sets_print(&sr, stdout);
		}
		if (o.stats) {
			putchar('\n');
			kfx_bench_stats_print(&st, stdout);
		}
		if (o.unlink) {
			putchar('\n');
			kfx_bench_unlink_print(&o, &u, stdout);
		}
	}
	return ret;
}
