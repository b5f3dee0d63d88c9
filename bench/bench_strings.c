// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * User-space benchmark of the kfx string core against its baselines.
 *
 *   bench_strings time        median ns/call of every (impl, input) pair
 *   bench_strings count K     under callgrind: K calls per pair between
 *                             CALLGRIND_ZERO_STATS and a labelled dump, so
 *                             each dump's total / K = instructions per call
 *
 * Output lines: "<mode> <impl> <input> <hay_len> <needle_len> <value>".
 * Every implementation's answer is checked against kfx's first; a
 * disagreement is printed and makes the run fail.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "kfx_string.h"
#include "baselines.h"

static const unsigned int hay_lens[] = { 16, 64, 256, 1024, 4096 };
static const unsigned int needle_lens[] = { 1, 3, 8, 32 };
static const char *kinds[] = { "random", "path", "adversarial" };

#define MAXH 4096

struct input {
	char hay[MAXH + 1];	/* NUL-terminated for the kernel port */
	char needle[64];
	char pat[64];		/* glob pattern */
	unsigned int n, m, plen;
};

enum impl {
	I_KFX, I_NAIVE, I_BPF, I_MEMMEM, I_KFX_CASE, I_BPF_CASE,
	I_KFX_GLOB, I_FNMATCH, I_COUNT
};

static const char *impl_names[] = {
	"kfx_strstr", "naive", "bpf_strnstr", "memmem",
	"kfx_strcasestr", "bpf_strncasestr", "kfx_glob_match", "fnmatch",
};

static unsigned long long rng_state;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

static const char *components[] = {
	"usr", "lib", "x86_64-linux-gnu", "share", "doc", "home", "alice",
	".cache", "mozilla", "firefox", "profile.default", "node_modules",
	"var", "log", "journal", "etc", "systemd", "system", "proc", "self",
	"fd", "tmp", "build", "src", "kernel", "include", "linux", "python3",
	"site-packages", "libc.so.6", "README.md", "config.json", "index.html",
};

static void make_path(char *out, unsigned int n)
{
	unsigned int len = 0, k;
	const char *c;

	while (len < n) {
		out[len++] = '/';
		c = components[rnd(sizeof(components) / sizeof(components[0]))];
		for (k = 0; c[k] && len < n; k++)
			out[len++] = c[k];
	}
}

/* Builds the input; returns 0 when the combination is not meaningful. */
static int make_input(struct input *in, int kind, unsigned int n,
		      unsigned int m)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789_-./";
	static const char secret[] = "passwd.bak/ssh/id_ed25519.pub.old+xyzq";
	unsigned int i, tries;

	if (m > n)
		return 0;
	memset(in, 0, sizeof(*in));
	in->n = n;
	in->m = m;
	rng_state = 0x243f6a8885a308d3ull ^ (n * 131 + m * 7 + kind);
	switch (kind) {
	case 0:	/* random text, needle absent: the whole haystack is read */
		for (tries = 0; ; tries++) {
			for (i = 0; i < n; i++)
				in->hay[i] = alnum[rnd(sizeof(alnum) - 1)];
			for (i = 0; i < m; i++)
				in->needle[i] = alnum[rnd(sizeof(alnum) - 1)];
			if (m == 1)	/* any one text byte would occur */
				in->needle[0] = '#';
			if (!memmem(in->hay, n, in->needle, m) || tries > 100)
				break;
		}
		snprintf(in->pat, sizeof(in->pat), "*%.8s*", in->needle);
		break;
	case 1:	/* file paths, a plausible needle that does not occur */
		if (m == 1)
			in->needle[0] = '~';
		else
			memcpy(in->needle, secret, m);
		for (tries = 0; ; tries++) {
			make_path(in->hay, n);
			if (!memmem(in->hay, n, in->needle, m) || tries > 100)
				break;
		}
		snprintf(in->pat, sizeof(in->pat), "/usr/*/lib*.so.9*");
		break;
	default: /* "aaaa...ab" for both, star traps for glob */
		memset(in->hay, 'a', n - 1);
		in->hay[n - 1] = 'b';
		memset(in->needle, 'a', m - 1);
		in->needle[m - 1] = 'b';
		snprintf(in->pat, sizeof(in->pat), "*a*a*a*c");
		break;
	}
	in->plen = strlen(in->pat);
	return 1;
}

static int run_impl(int impl, const struct input *in)
{
	int r;

	switch (impl) {
	case I_KFX:
		return kfx_strstr(in->hay, in->n, in->needle, in->m);
	case I_NAIVE:
		return naive_strstr(in->hay, in->n, in->needle, in->m);
	case I_BPF:
		r = bpf_strnstr_port(in->hay, in->needle, in->n, 0);
		return r < 0 ? -1 : r;
	case I_MEMMEM: {
		const char *p = memmem(in->hay, in->n, in->needle, in->m);

		return p ? (int)(p - in->hay) : -1;
	}
	case I_KFX_CASE:
		return kfx_strcasestr(in->hay, in->n, in->needle, in->m);
	case I_BPF_CASE:
		r = bpf_strnstr_port(in->hay, in->needle, in->n, 1);
		return r < 0 ? -1 : r;
	case I_KFX_GLOB:
		return kfx_glob_match(in->hay, in->n, in->pat, in->plen);
	default:
		return fnmatch(in->pat, in->hay, 0) == 0;
	}
}

/* glibc's fnmatch is polynomial of degree #stars on traps: cap it. */
static int impl_applies(int impl, int kind, const struct input *in)
{
	int glob = impl == I_KFX_GLOB || impl == I_FNMATCH;

	if (glob && in->m != needle_lens[0])
		return 0;	/* glob has no needle: run once per size */
	if (impl == I_FNMATCH && kind == 2 && in->n > 256)
		return 0;
	return 1;
}

static volatile int sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define REPS 9

static double time_impl(int impl, const struct input *in)
{
	double t[REPS], t0, el;
	unsigned long iters = 1, i;
	int r;

	/* Calibrate to about 0.5 ms per repetition. */
	for (;;) {
		t0 = now_ns();
		for (i = 0; i < iters; i++)
			sink = run_impl(impl, in);
		el = now_ns() - t0;
		if (el > 5e5 || iters >= (1ul << 24))
			break;
		iters *= 2;
	}
	for (r = 0; r < REPS; r++) {
		t0 = now_ns();
		for (i = 0; i < iters; i++)
			sink = run_impl(impl, in);
		t[r] = (now_ns() - t0) / iters;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	return t[REPS / 2];
}

static void count_impl(int impl, const struct input *in, const char *label,
		       unsigned long k)
{
	unsigned long i;

	CALLGRIND_ZERO_STATS;
	for (i = 0; i < k; i++)
		sink = run_impl(impl, in);
	CALLGRIND_DUMP_STATS_AT(label);
}

int main(int argc, char **argv)
{
	static struct input in;
	int counting, kind, impl, bad = 0, want, got;
	unsigned long k = 1;
	unsigned int a, b;
	char label[128];

	if (argc < 2 || (strcmp(argv[1], "time") && strcmp(argv[1], "count"))) {
		fprintf(stderr, "usage: %s time | count K\n", argv[0]);
		return 2;
	}
	counting = !strcmp(argv[1], "count");
	if (counting)
		k = argc > 2 ? strtoul(argv[2], NULL, 0) : 20;
	setlocale(LC_ALL, "C");

	for (kind = 0; kind < 3; kind++)
	for (a = 0; a < sizeof(hay_lens) / sizeof(hay_lens[0]); a++)
	for (b = 0; b < sizeof(needle_lens) / sizeof(needle_lens[0]); b++) {
		if (!make_input(&in, kind, hay_lens[a], needle_lens[b]))
			continue;
		for (impl = 0; impl < I_COUNT; impl++) {
			if (!impl_applies(impl, kind, &in))
				continue;
			want = run_impl(impl < I_KFX_CASE ? I_KFX :
					impl < I_KFX_GLOB ? I_KFX_CASE :
					I_KFX_GLOB, &in);
			got = run_impl(impl, &in);
			if (got != want) {
				printf("MISMATCH %s %s %u %u: %d, kfx %d\n",
				       impl_names[impl], kinds[kind], in.n,
				       in.m, got, want);
				bad = 1;
			}
			snprintf(label, sizeof(label), "%s %s %u %u",
				 impl_names[impl], kinds[kind], in.n, in.m);
			if (counting) {
				count_impl(impl, &in, label, k);
				printf("count %s %lu\n", label, k);
			} else {
				printf("time %s %.2f\n", label,
				       time_impl(impl, &in));
			}
			fflush(stdout);
		}
	}
	return bad;
}
