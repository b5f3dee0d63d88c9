// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-worst (test only, not shipped): load kfx_worst.bpf.o, then for each
 * worst case of the string kfuncs at maximal size: fill the map buffers,
 * arm the tracing program, make one syscall, and check what the kfunc
 * returned in the kernel against the same string core run here (and
 * against the contract: -ERANGE where the budget must run out, -E2BIG for
 * oversized input), and that the call returned within --max-us.
 *
 * Usage: kfx-worst [--max-us N] OBJECT    (root, kfx module loaded)
 * Exit 0 if every case passed, 1 otherwise, 2 on a setup error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx_string.h"
#include "kfx_worst.h"

#define N	KFX_STR_MAX_LEN
#define M	KFX_GLOB_PAT_MAX
#define NATIVE	1000	/* want: whatever the user-space core answers */

struct wcase {
	const char *name;
	int fn;
	const char *a_unit;	/* str: a_unit repeated to a_len */
	u32 a_len;
	const char *b_pre, *b_unit, *b_tail;	/* needle or pattern */
	u32 b_len;
	int want;
};

static const struct wcase cases[] = {
	/* glob: issue 8's families, pattern of KFX_GLOB_PAT_MAX bytes */
	{ "glob *[^k x vs [^n", KFX_WORST_GLOB, "[", N, "*", "[", "x", M, NATIVE },
	{ "glob [^m vs [^n", KFX_WORST_GLOB, "[", N, "", "[", "", M, 0 },
	{ "glob *a..ab vs a^n", KFX_WORST_GLOB, "a", N, "*", "a", "b", M, 0 },
	{ "glob *a..ab* vs a^n", KFX_WORST_GLOB, "a", N, "*", "a", "b*", M,
	  -KFX_ERANGE },
	{ "glob *[b..b] vs a^n", KFX_WORST_GLOB, "a", N, "*[", "b", "]", M,
	  -KFX_ERANGE },
	{ "glob *[[: unterminated vs [^n", KFX_WORST_GLOB, "[", N, "*", "[[:", "", M,
	  NATIVE },
	{ "glob *[[.[.] vs [^n", KFX_WORST_GLOB, "[", N, "*", "[[.[.]", "", M, NATIVE },
	{ "glob *[\\] vs \\^n", KFX_WORST_GLOB, "\\", N, "*", "[\\\\]", "x", M,
	  -KFX_ERANGE },
	{ "glob *a*a..*a vs a^n", KFX_WORST_GLOB, "a", N, "", "*a", "", M, 1 },
	{ "glob /tmp/*/*.[ch] vs 64 KiB path", KFX_WORST_GLOB, "abcdefghij/", N,
	  "*/", "", "*.[ch]", 8, 0 },
	{ "glob pattern of 257 bytes", KFX_WORST_GLOB, "a", N, "*", "a", "", M + 1,
	  -KFX_E2BIG },
	{ "glob str of 65537 bytes", KFX_WORST_GLOB, "a", N + 1, "*", "", "", 1,
	  -KFX_E2BIG },
	/* path glob: '**' retried at every component, component globs */
	{ "path **/a/**/a/.../b vs (a/)^n", KFX_WORST_PATH, "a/", N, "**/",
	  "a/**/", "b", M, -KFX_ERANGE },
	{ "path **/x vs (a/)^n", KFX_WORST_PATH, "a/", N, "**/", "", "x", 4,
	  NATIVE },
	{ "path **/x vs (a/)^2048 (PATH_MAX)", KFX_WORST_PATH, "a/", 4096, "**/",
	  "", "x", 4, 0 },
	{ "path **/*a*a..*a/b vs a^n", KFX_WORST_PATH, "a", N, "**/", "*a", "/b",
	  M, NATIVE },
	{ "path /**/*.[ch] vs 64 KiB path", KFX_WORST_PATH, "/abcdefghij", N,
	  "/**/", "", "*.[ch]", 10, NATIVE },
	{ "path pattern of 257 bytes", KFX_WORST_PATH, "a", N, "**/", "a", "", M + 1,
	  -KFX_E2BIG },
	/* searches: periodic needles, up to the full 64 KiB */
	{ "strstr a^(m-1)b vs a^n, m=100", KFX_WORST_STRSTR, "a", N, "", "a", "b", 100,
	  -1 },
	{ "strstr (aaab)^k c vs (aaab)^n, m=4096", KFX_WORST_STRSTR, "aaab", N, "",
	  "aaab", "c", 4096, -1 },
	{ "strstr ax^62a vs a^n", KFX_WORST_STRSTR, "a", N, "a", "x", "a", 64, -1 },
	{ "strstr a^299b found at the end", KFX_WORST_STRSTR, "a", N, "", "a",
	  "b", 300, NATIVE },
	{ "strstr needle of 65536 bytes", KFX_WORST_STRSTR, "a", N, "", "a", "", N, 0 },
	{ "strstr str of 65537 bytes", KFX_WORST_STRSTR, "a", N + 1, "", "a", "", 1,
	  -KFX_E2BIG },
	{ "strcasestr a^(m-1)b vs A^n, m=100", KFX_WORST_STRCASESTR, "A", N, "", "a",
	  "b", 100, -1 },
	{ "strcasestr (aaab)^k c vs (AaaB)^n, m=4096", KFX_WORST_STRCASESTR, "AaaB",
	  N, "", "aaab", "c", 4096, -1 },
	{ "strcasestr ax^62a vs A^n", KFX_WORST_STRCASESTR, "A", N, "a", "x", "a", 64,
	  -1 },
};

static char a[KFX_WORST_BUF], b[KFX_WORST_BUF];

static void fill(char *buf, u32 len, const char *unit)
{
	size_t k = strlen(unit), i;

	for (i = 0; i < len; i++)
		buf[i] = unit[i % k];
}

static void build(const struct wcase *c)
{
	size_t pre = strlen(c->b_pre), tail = strlen(c->b_tail);

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	fill(a, c->a_len, c->a_unit);
	/* "found at the end": str is a^(n-1) then b. */
	if (strstr(c->name, "found at the end"))
		a[c->a_len - 1] = 'b';
	memcpy(b, c->b_pre, pre);
	if (*c->b_unit)
		fill(b + pre, c->b_len - pre - tail, c->b_unit);
	memcpy(b + c->b_len - tail, c->b_tail, tail);
}

static int native(const struct wcase *c, u32 a_len)
{
	switch (c->fn) {
	case KFX_WORST_STRSTR:
		return kfx_strstr(a, a_len, b, c->b_len);
	case KFX_WORST_STRCASESTR:
		return kfx_strcasestr(a, a_len, b, c->b_len);
	case KFX_WORST_PATH:
		return kfx_path_match(a, a_len, b, c->b_len);
	default:
		return kfx_glob_match(a, a_len, b, c->b_len);
	}
}

int main(int argc, char **argv)
{
	static const char *fnames[] = { "strstr", "strcasestr", "glob", "path" };
	unsigned long long max_us = 50000, worst[4] = { 0 };
	struct bpf_object *obj;
	struct bpf_link *link;
	struct bpf_program *prog;
	int ctl_fd, buf_fd, bad = 0, err;
	__u32 zero = 0, one = 1, i;

	if (argc > 2 && !strcmp(argv[1], "--max-us")) {
		max_us = strtoull(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc != 2) {
		fprintf(stderr, "Usage: kfx-worst [--max-us N] OBJECT\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "kfx-worst: cannot open %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "kfx-worst: cannot load %s: %s (is kfx loaded?)\n",
			argv[1], strerror(-err));
		return 2;
	}
	prog = bpf_object__find_program_by_name(obj, "kfx_worst");
	ctl_fd = bpf_object__find_map_fd_by_name(obj, "kfx_worst_ctl");
	buf_fd = bpf_object__find_map_fd_by_name(obj, "kfx_worst_bufs");
	if (!prog || ctl_fd < 0 || buf_fd < 0) {
		fprintf(stderr, "kfx-worst: %s lacks the program or maps\n", argv[1]);
		return 2;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		fprintf(stderr, "kfx-worst: cannot attach tp_btf/sys_enter: %s\n",
			strerror(errno));
		return 2;
	}

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wcase *c = &cases[i];
		struct kfx_worst_ctl ctl = { 0 };
		int want_native, ok;
		u32 a_len;

		build(c);
		a_len = c->a_len;
		want_native = native(c, a_len);
		if (bpf_map_update_elem(buf_fd, &zero, a, 0) ||
		    bpf_map_update_elem(buf_fd, &one, b, 0)) {
			perror("kfx-worst: map update");
			return 2;
		}
		ctl.tgid = getpid();
		ctl.armed = 1;
		ctl.fn = c->fn;
		ctl.a_len = a_len;
		ctl.b_len = c->b_len;
		if (bpf_map_update_elem(ctl_fd, &zero, &ctl, 0)) {
			perror("kfx-worst: map update");
			return 2;
		}
		syscall(SYS_getppid);	/* the program runs on its entry */
		if (bpf_map_lookup_elem(ctl_fd, &zero, &ctl)) {
			perror("kfx-worst: map lookup");
			return 2;
		}
		ok = ctl.ran == 1 && ctl.result == want_native &&
		     (c->want == NATIVE || ctl.result == c->want) &&
		     ctl.ns / 1000 <= max_us;
		printf("%s %-42s n=%-5u m=%-5u result=%-4d want=%-4d %8.1f us%s\n",
		       ok ? "ok  " : "FAIL", c->name, a_len, c->b_len, ctl.result,
		       c->want == NATIVE ? want_native : c->want, ctl.ns / 1e3,
		       ctl.ran != 1 ? " (program did not run)" :
		       ctl.ns / 1000 > max_us ? " (too slow)" : "");
		if (!ok)
			bad++;
		if (ctl.ns > worst[c->fn])
			worst[c->fn] = ctl.ns;
	}
	for (i = 0; i < 4; i++)
		printf("worst %-10s %8.1f us (limit %llu us)\n", fnames[i],
		       worst[i] / 1e3, max_us);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	printf("%s: %d of %zu cases failed\n", bad ? "FAIL" : "PASS", bad,
	       sizeof(cases) / sizeof(cases[0]));
	return bad ? 1 : 0;
}
