// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * User-space tests of the kfx string core against oracles: memmem(3), a
 * deliberately naive case-folding search, and glibc fnmatch(3) in the C
 * locale.  Every input is copied to the very end of a page followed by an
 * inaccessible page, so a read past a buffer crashes the test instead of
 * passing silently.
 *
 * Usage: test_strings [COUNTFILE] [RANDOM_ITERATIONS]
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kfx_string.h"
#include "oracle.h"
#include "path_oracle.h"
#define KFX_TEST_SEED 0x9e3779b97f4a7c15ull
#include "harness.h"

#define GUARD_MAX (KFX_STR_MAX_LEN + 2)

static unsigned long passed, failed;
/*
 * Random vectors are counted as one test per function (so the project's
 * totals stay readable); each mismatch is still printed, up to a limit.
 */
static int in_random;
static unsigned long rand_bad[4];
static const char *const fns[] = { "kfx_strstr", "kfx_strcasestr",
				    "kfx_glob_match", "kfx_path_match" };

static struct gbuf ga, gb;

static void show(const char *what, const char *s, size_t n)
{
	size_t i, lim = n > 80 ? 80 : n;

	printf("  %s[%zu] = \"", what, n);
	for (i = 0; i < lim; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("%s\"\n", n > lim ? "..." : "");
}

static void check(const char *fn, const char *a, size_t an, const char *b,
		  size_t bn, int got, int want)
{
	if (got == want) {
		if (!in_random)
			passed++;
		return;
	}
	if (in_random) {
		unsigned int i;

		for (i = 0; i < 3 && strcmp(fn, fns[i]); i++)
			;
		rand_bad[i]++;
		if (rand_bad[0] + rand_bad[1] + rand_bad[2] + rand_bad[3] > 30)
			return;
	} else {
		failed++;
	}
	printf("FAIL %s: got %d, want %d\n", fn, got, want);
	show("str", a, an);
	show(fn[4] == 'g' || fn[4] == 'p' ? "pat" : "sub", b, bn);
}

/* Oracles. */
static int oracle_strstr(const char *s, size_t n, const char *x, size_t m)
{
	const char *r;

	if (n > KFX_STR_MAX_LEN || m > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	r = memmem(s, n, x, m);
	return r ? (int)(r - s) : -1;
}

/* Oversized input is refused before the oracle is asked. */
static int oracle_strcasestr(const char *s, size_t n, const char *x,
			     size_t m)
{
	if (n > KFX_STR_MAX_LEN || m > KFX_STR_MAX_LEN)
		return -KFX_E2BIG;
	return oracle_casemem(s, n, x, m);
}

static int oracle_glob(const char *s, size_t n, const char *p, size_t m)
{
	char *sz, *pz;
	int r;

	if (n > KFX_STR_MAX_LEN || m > KFX_STR_MAX_LEN ||
	    strnlen(p, m) > KFX_GLOB_PAT_MAX)
		return -KFX_E2BIG;
	sz = strndup(s, n);	/* a NUL inside ends the string */
	pz = strndup(p, m);
	r = fnmatch(pz, sz, 0) == 0;
	free(sz);
	free(pz);
	return r;
}

static int oracle_path_sz(const char *s, size_t n, const char *p, size_t m)
{
	if (n > KFX_STR_MAX_LEN || m > KFX_STR_MAX_LEN ||
	    strnlen(p, m) > KFX_GLOB_PAT_MAX)
		return -KFX_E2BIG;
	return oracle_path(s, n, p, m);
}

static void t_path(const char *s, size_t n, const char *x, size_t m)
{
	const char *gs = gbuf_put(&ga, s, n), *gx = gbuf_put(&gb, x, m);

	check("kfx_path_match", s, n, x, m, kfx_path_match(gs, n, gx, m),
	      oracle_path_sz(s, n, x, m));
}

static void t_all(const char *s, size_t n, const char *x, size_t m)
{
	const char *gs = gbuf_put(&ga, s, n), *gx = gbuf_put(&gb, x, m);

	check("kfx_strstr", s, n, x, m, kfx_strstr(gs, n, gx, m),
	      oracle_strstr(s, n, x, m));
	check("kfx_strcasestr", s, n, x, m, kfx_strcasestr(gs, n, gx, m),
	      oracle_strcasestr(s, n, x, m));
	check("kfx_glob_match", s, n, x, m, kfx_glob_match(gs, n, gx, m),
	      oracle_glob(s, n, x, m));
	t_path(s, n, x, m);
}

#define T(s, x) t_all(s, sizeof(s) - 1, x, sizeof(x) - 1)

/* A fixed expected value, for facts the oracles cannot state. */
static void expect(const char *fn, int got, int want)
{
	check(fn, "", 0, "", 0, got, want);
}

static void hand_picked(void)
{
	static const char *globs[][2] = {
		{ "", "" }, { "a", "" }, { "", "*" }, { "", "?" },
		{ "abc", "a*c" }, { "abc", "a?c" }, { "a/b", "a*b" },
		{ ".hidden", "*hidden" }, { ".x", "?x" }, { "a/.b", "a/*" },
		{ "abc", "[abc]bc" }, { "abc", "[!a]bc" }, { "abc", "[^a]bc" },
		{ "]", "[]]" }, { "]", "[!]]" }, { "-", "[a-]" }, { "b", "[a-c]" },
		{ "b", "[c-a]" }, { "[", "[" }, { "[a", "[a" }, { "a", "[a" },
		{ "[ab", "[ab" }, { "a", "[a-" }, { "\\", "\\" }, { "a", "\\a" },
		{ "*", "\\*" }, { "x", "\\*" }, { "a", "[\\a]" },
		{ "]", "[\\]]" }, { "b", "[a\\-c]" }, { "-", "[a\\-c]" },
		{ "x", "[[:alpha:]]" }, { "1", "[[:alpha:]]" },
		{ "1", "[[:alnum:][:punct:]]" }, { " ", "[[:space:]]" },
		{ "\t", "[[:blank:]]" }, { "\x7f", "[[:cntrl:]]" },
		{ "F", "[[:xdigit:]]" }, { "g", "[[:xdigit:]]" },
		{ "a", "[[:foo:]]" }, { "a", "[[:alpha:]" }, { "[", "[[:alpha:]" },
		{ ":", "[[:]" }, { "a", "[[.a.]]" }, { "b", "[[.a.]-c]" },
		{ "a", "[[.ab.]]" }, { "a", "[[=a=]]" }, { "b", "[[=a=]b]" },
		{ "=", "[[=]" }, { "0", "[%-[:alpha:]]" }, { "0", "[0%-[:alpha:]]" },
		{ "0]x", "[%-[:ab:]*]x" }, { "0x", "[%-[:ab:]*]x" },
		{ "\xe9", "[\x80-\xff]" }, { "\xe9", "?" }, { "\xe9", "[[:alpha:]]" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b" },
		{ "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/*/lib*.so*" },
		{ "/tmp/kfx-test/file.txt", "/tmp/kfx-*/*.txt" },
		{ "abc", "*[bc]" }, { "a*c", "a[*]c" }, { "ab", "a**b" },
		{ "ab", "*?" }, { "a", "*??" },
	};
	unsigned int i;

	/* The tutorial's example. */
	T("Hello, world!", "wor");
	expect("kfx_strstr tutorial", kfx_strstr("Hello, world!", 13, "wor", 3),
	       7);
	/* Empty strings, needle longer than haystack, overlapping prefixes. */
	T("", "");
	T("abc", "");
	T("", "a");
	T("ab", "abc");
	T("aaab", "aab");
	T("abababac", "ababac");
	T("aabaabaaab", "aabaaab");
	T("abcabcabd", "abcabd");
	/* NUL and 0xff are ordinary bytes for the searches. */
	T("ab\0cd\0ef", "\0ef");
	T("ab\0cd", "d");
	T("x\xff\xfey", "\xff\xfe");
	T("\xe9t\xc9", "\xc9");	/* no folding above 0x7f */
	T("HeLLo", "ll");
	T("[@`{", "`");		/* 0x60 is not a case of '@' */
	T("Z[z", "[");
	T("a\0b", "a*");	/* glob: the NUL ends str */
	T("ab", "a\0zzz");	/* glob: the NUL ends pat */
	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++)
		t_all(globs[i][0], strlen(globs[i][0]), globs[i][1],
		      strlen(globs[i][1]));
}

/* The path-glob language pinned by hand (the oracle shares its reading). */
static void path_picked(void)
{
	static const struct {
		const char *s, *p;
		int want;
	} v[] = {
		{ "a/b", "a/**/b", 1 }, { "a/x/y/b", "a/**/b", 1 },
		{ "a/xb", "a/**/b", 0 }, { "a", "a/**", 0 }, { "a/", "a/**", 1 },
		{ "a/b/c", "a/**", 1 }, { "b", "**/b", 1 }, { "x/y/b", "**/b", 1 },
		{ "/b", "**/b", 1 }, { "xb", "**/b", 0 }, { "", "**", 1 },
		{ "/any/thing", "**", 1 }, { "a/b", "a*b", 0 }, { "a/b", "a?b", 0 },
		{ "a/b", "a[/]b", 0 }, { "a/b", "a[!x]b", 0 }, { "ab", "a**b", 1 },
		{ "a/b", "a**b", 0 }, { "a//b", "a/*/b", 1 }, { "a/b", "a/*/b", 0 },
		{ "/etc/passwd", "/etc/*", 1 }, { "/etc/ssh/sshd_config", "/etc/*", 0 },
		{ "/etc/ssh/sshd_config", "/etc/**", 1 },
		{ "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/**/*.so*", 1 },
		{ "/usr/lib/libc.so.6", "/usr/**/lib/**/*.so*", 1 },
		{ "/home/u/.ssh/id_rsa", "/home/*/.ssh/*", 1 },
		{ "/home/u/x/.ssh/id_rsa", "/home/*/.ssh/*", 0 },
		{ "/home/u/x/.ssh/id_rsa", "/home/**/.ssh/id_*", 1 },
		{ "a/b/c/d", "**/**/d", 1 }, { "d", "**/**/d", 1 },
		{ "a/b", "a\\/b", 0 }, { "a\\/b", "a\\/b", 0 }, { "a/b", "a/\\b", 1 },
		{ "a/b\0/c", "a/b", 1 }, { "a/b", "a/b\0/c", 1 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = strlen(v[i].s), m = strlen(v[i].p);
		const char *gs = gbuf_put(&ga, v[i].s, n),
			   *gx = gbuf_put(&gb, v[i].p, m);

		check("kfx_path_match", v[i].s, n, v[i].p, m,
		      kfx_path_match(gs, n, gx, m), v[i].want);
		t_path(v[i].s, n, v[i].p, m);
	}
}

static void max_sizes(void)
{
	static char big[KFX_STR_MAX_LEN + 1];
	size_t n;
	const char *g;

	memset(big, 'a', sizeof(big));
	big[KFX_STR_MAX_LEN - 1] = 'b';
	for (n = KFX_STR_MAX_LEN; n <= KFX_STR_MAX_LEN + 1; n++) {
		/* Sub of the maximum size, and one byte more. */
		t_all(big, n, big, n);
		t_all(big, n, "ab", 2);
		t_all(big, 8, big, n);
		t_all(big, n, "*b", 2);
		t_all(big, n, "*a*a*a*a*a*c", 12);
	}
	g = gbuf_put(&ga, big, KFX_STR_MAX_LEN + 1);
	expect("kfx_strstr max+1", kfx_strstr(g, KFX_STR_MAX_LEN + 1, "a", 1),
	       -KFX_E2BIG);
	expect("kfx_strcasestr max+1",
	       kfx_strcasestr("a", 1, g, KFX_STR_MAX_LEN + 1), -KFX_E2BIG);
	expect("kfx_path_match max+1",
	       kfx_path_match(g, KFX_STR_MAX_LEN + 1, "**", 2), -KFX_E2BIG);
	expect("kfx_glob_match max+1",
	       kfx_glob_match(g, KFX_STR_MAX_LEN + 1, "*", 1), -KFX_E2BIG);
	g = gbuf_put(&ga, big, KFX_STR_MAX_LEN);
	expect("kfx_strstr max", kfx_strstr(g, KFX_STR_MAX_LEN, "ab", 2),
	       KFX_STR_MAX_LEN - 2);
	expect("kfx_glob_match max",
	       kfx_glob_match(g, KFX_STR_MAX_LEN, "*b", 2), 1);
	/* Adversarial periodic needle: must go through the linear path. */
	memset(big, 'a', KFX_STR_MAX_LEN);
	memset(big + 1000, 'b', 1);
	t_all(big, KFX_STR_MAX_LEN, big + 900, 200);
	big[KFX_STR_MAX_LEN - 1] = 'b';
	t_all(big, KFX_STR_MAX_LEN, big + KFX_STR_MAX_LEN - 300, 300);
}

static void random_vectors(unsigned long iters)
{
	static const char *alpha[] = {
		"ab", "aB", "abc", "aA\0\xff", "abAB",
		"ab*?[]!^-\\:", "a[]:-!^=.lph", "abc*?[]-!\\",
	};
	char s[300], x[40];
	unsigned long it;
	unsigned int n, m, i, a, k;
	const char *al;

	for (it = 0; it < iters; it++) {
		a = rnd(sizeof(alpha) / sizeof(alpha[0]));
		al = alpha[a];
		k = a == 3 ? 4 : strlen(al);
		n = rnd(it & 1 ? 300 : 24);
		m = rnd(it & 2 ? 40 : 10);
		for (i = 0; i < n; i++)
			s[i] = al[rnd(k)];
		for (i = 0; i < m; i++)
			x[i] = al[rnd(k)];
		/* Plant the needle sometimes, so matches are common. */
		if (m && m <= n && rnd(2))
			memcpy(s + rnd(n - m + 1), x, m);
		t_all(s, n, x, m);
	}
}

/* Paths and path globs built from tokens, so "**" and '/' are common. */
static void random_paths(unsigned long iters)
{
	unsigned long path_hits = 0;
	static const char *stok[] = { "a", "b", "/", "/", "ab", "*", "[", "" };
	static const char *ptok[] = { "a", "b", "/", "*", "?", "**", "/**/",
				      "**/", "/**", "[a/]", "[!a]", "\\",
				      "[", "ab", "]" };
	char s[120], x[64];
	unsigned long it;
	unsigned int n, m, k, t;
	size_t l;

	for (it = 0; it < iters; it++) {
		n = m = 0;
		k = rnd(it & 1 ? 24 : 8);
		while (k--) {
			l = strlen(stok[t = rnd(8)]);
			if (n + l >= sizeof(s))
				break;
			memcpy(s + n, stok[t], l);
			n += l;
		}
		k = rnd(8);
		while (k--) {
			l = strlen(ptok[t = rnd(15)]);
			if (m + l >= sizeof(x))
				break;
			memcpy(x + m, ptok[t], l);
			m += l;
		}
		t_path(s, n, x, m);
		path_hits += oracle_path(s, n, x, m) == 1;
	}
	printf("random kfx_path_match: %lu of %lu paths match\n", path_hits,
	       iters);
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 2 ? strtoul(argv[2], NULL, 0) : 300000;

	setlocale(LC_ALL, "C");
	unsetenv("POSIXLY_CORRECT");	/* fnmatch reads it: "[^" */
	gbuf_init(&ga, GUARD_MAX);
	gbuf_init(&gb, GUARD_MAX);

	hand_picked();
	max_sizes();
	in_random = 1;
	random_vectors(iters);
	random_paths(iters);
	in_random = 0;
	path_picked();
	for (int i = 0; i < 4; i++) {
		printf("random %s: %lu vectors, %lu mismatches\n", fns[i],
		       iters, rand_bad[i]);
		if (rand_bad[i])
			failed++;
		else
			passed++;
	}

	return kfx_test_finish(argc > 1 ? argv[1] : NULL, passed, failed);
}
