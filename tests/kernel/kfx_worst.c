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
#include "kfx_ruleset.h"
#include "kfx_dentry_path.h"
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

/*
 * Rule sets: realistic ones at the largest sizes, and the shapes that
 * make the matcher work hardest (glob verification traps, nested glob
 * anchors, literal rules that keep failing).  Each set is compiled here,
 * the kernel's answer must equal kfx_match_set's in user space.
 */
struct scase {
	const char *name;
	const char *str_unit;
	u32 str_len;
	int shape;
	int want;	/* NATIVE, or a fixed answer */
	int nrules;	/* 0: 1000 */
	int full;	/* pass set__sz = the whole 4 MiB map value */
};

enum { SET_REALISTIC, SET_VERIFY_TRAP, SET_NESTED, SET_LITERAL_TRAP };

static const struct scase scases[] = {
	{ "set 1000 realistic rules vs 64 KiB path", "/usr/lib/x86_64/", N,
	  SET_REALISTIC, NATIVE, 0, 0 },
	{ "set 1000 realistic rules vs 4 KiB path", "/home/user/doc/", 4096,
	  SET_REALISTIC, NATIVE, 0, 0 },
	{ "set 8 anchorless glob traps vs a^n", "a", N, SET_VERIFY_TRAP,
	  NATIVE, 0, 0 },
	{ "set glob anchors nested 8 deep vs a^n", "a", N, SET_NESTED,
	  NATIVE, 0, 0 },
	{ "set 1000 near-miss literals vs a^n", "a", N, SET_LITERAL_TRAP, -1, 0, 0 },
	{ "set 10000 realistic rules vs 4 KiB path", "/home/user/doc/", 4096,
	  SET_REALISTIC, NATIVE, 10000, 0 },
	{ "set 10000 rules, set__sz 4 MiB (largest)", "/x/secret3/y", 12,
	  SET_REALISTIC, 3, 10000, 1 },
};

static char *set_buf;

static int build_set(int shape, int nrules, size_t *len)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	char p[300], err[200];
	void *set;
	int i, k;

	for (i = 0; i < (nrules ? nrules : 1000); i++) {
		switch (shape) {
		case SET_REALISTIC:
			k = i % 10;
			if (k < 4)
				snprintf(p, sizeof(p), "/secret%d/", i);
			else if (k < 6)
				snprintf(p, sizeof(p), "/etc/app%d/", i);
			else if (k < 8)
				snprintf(p, sizeof(p), ".ext%d", i);
			else if (k == 8)
				snprintf(p, sizeof(p), "/var/*/log%d/*.log", i);
			else
				snprintf(p, sizeof(p), "/home/**/.cfg%d/*", i);
			k = k < 4 ? KFX_RULE_SUBSTR : k < 6 ? KFX_RULE_PREFIX :
			    k < 8 ? KFX_RULE_SUFFIX : k == 8 ? KFX_RULE_GLOB :
			    KFX_RULE_PATH;
			break;
		case SET_VERIFY_TRAP:
			if (i == 8)
				goto done;
			/* No literal: verified on every string; a star trap. */
			memset(p, 0, sizeof(p));
			for (k = 0; k < 60; k++)
				memcpy(p + 4 * k, "*[a]", 4);
			memcpy(p + 240, "[b]*", 5);
			k = KFX_RULE_GLOB;
			break;
		case SET_NESTED:
			if (i == 8)
				goto done;
			p[0] = '*';
			memset(p + 1, 'a', i + 1);
			memcpy(p + i + 2, "*[b]", 5);
			k = KFX_RULE_GLOB;
			break;
		default:
			/* a^200 b, with a different last byte per rule */
			memset(p, 'a', 200);
			p[200] = 'b' + i % 20;
			snprintf(p + 201, sizeof(p) - 201, "%d", i);
			k = KFX_RULE_SUBSTR;
		}
		if (kfx_ruleset_add(rs, k, p, strlen(p), err, sizeof(err)) < 0) {
			fprintf(stderr, "kfx-worst: rule %d: %s\n", i, err);
			kfx_ruleset_free(rs);
			return -1;
		}
	}
done:
	if (kfx_ruleset_compile(rs, &set, len, err, sizeof(err)) ||
	    *len > KFX_WORST_SET_BUF) {
		fprintf(stderr, "kfx-worst: compile: %s\n", err);
		kfx_ruleset_free(rs);
		return -1;
	}
	memset(set_buf, 0, KFX_WORST_SET_BUF);
	memcpy(set_buf, set, *len);
	free(set);
	kfx_ruleset_free(rs);
	return 0;
}

static int run_sets(int ctl_fd, int buf_fd, int set_fd,
		    unsigned long long max_us, unsigned long long *worst)
{
	__u32 zero = 0, i;
	int bad = 0;

	set_buf = malloc(KFX_WORST_SET_BUF);
	if (!set_buf)
		return -1;
	for (i = 0; i < sizeof(scases) / sizeof(scases[0]); i++) {
		const struct scase *c = &scases[i];
		struct kfx_worst_ctl ctl = { 0 };
		size_t len;
		int want, ok;

		if (build_set(c->shape, c->nrules, &len))
			return -1;
		if (c->full)
			len = KFX_WORST_SET_BUF;	/* zeros after the set */
		memset(a, 0, sizeof(a));
		fill(a, c->str_len, c->str_unit);
		want = kfx_match_set(set_buf, (u32)len, a, c->str_len);
		if (bpf_map_update_elem(buf_fd, &zero, a, 0) ||
		    bpf_map_update_elem(set_fd, &zero, set_buf, 0)) {
			perror("kfx-worst: map update");
			return -1;
		}
		ctl.tgid = getpid();
		ctl.armed = 1;
		ctl.fn = KFX_WORST_SET;
		ctl.a_len = c->str_len;
		ctl.b_len = (u32)len;
		if (bpf_map_update_elem(ctl_fd, &zero, &ctl, 0))
			return -1;
		syscall(SYS_getppid);
		if (bpf_map_lookup_elem(ctl_fd, &zero, &ctl))
			return -1;
		ok = ctl.ran == 1 && ctl.result == want &&
		     (c->want == NATIVE || ctl.result == c->want) &&
		     ctl.ns / 1000 <= max_us;
		printf("%s %-42s n=%-5u set=%-7zu result=%-4d want=%-4d %8.1f us%s\n",
		       ok ? "ok  " : "FAIL", c->name, c->str_len, len, ctl.result,
		       c->want == NATIVE ? want : c->want, ctl.ns / 1e3,
		       ctl.ran != 1 ? " (program did not run)" :
		       ctl.ns / 1000 > max_us ? " (too slow)" : "");
		bad += !ok;
		if (ctl.ns > *worst)
			*worst = ctl.ns;
	}
	free(set_buf);
	return bad;
}

/* bpf_kfx_dentry_path on hostile blocks: bounded, never a fault. */
static const struct dcase {
	const char *name;
	u32 shape, buf_len;
	int want;		/* return value */
	u32 status;		/* walk->status when want is 0 */
} dcases[] = {
	{ "dpath: dentry cycle, 64 KiB buffer (name cap)", KFX_DP_DENTRY_CYCLE,
	  65536, 0, KFX_DPATH_UNRESOLVED },
	{ "dpath: dentry cycle, 4 KiB buffer (truncated)", KFX_DP_DENTRY_CYCLE,
	  4096, 0, KFX_DPATH_TRUNCATED },
	{ "dpath: dentry cycle, 255-byte names, 64 KiB", KFX_DP_LONG_NAMES,
	  65536, 0, KFX_DPATH_TRUNCATED },
	{ "dpath: mount cycle (crossing cap)", KFX_DP_MOUNT_CYCLE, 4096, 0,
	  KFX_DPATH_UNRESOLVED },
	{ "dpath: non-canonical pointers", KFX_DP_NONCANONICAL, 4096, 0,
	  KFX_DPATH_UNRESOLVED },
	{ "dpath: user-space addresses", KFX_DP_USER_ADDR, 4096, 0,
	  KFX_DPATH_UNRESOLVED },
	{ "dpath: pad not zero", KFX_DP_PAD, 4096, -22, 0 },
	{ "dpath: end past the buffer", KFX_DP_END_PAST_BUF, 4096, -22, 0 },
};

static int run_dpath(int ctl_fd, unsigned long long max_us,
		     unsigned long long *worst)
{
	__u32 zero = 0, i;
	int bad = 0, ok;

	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		const struct dcase *c = &dcases[i];
		struct kfx_worst_ctl ctl = { 0 };

		ctl.tgid = getpid();
		ctl.armed = 1;
		ctl.fn = KFX_WORST_DPATH;
		ctl.a_len = c->buf_len;
		ctl.b_len = c->shape;
		if (bpf_map_update_elem(ctl_fd, &zero, &ctl, 0))
			return -1;
		syscall(SYS_getppid);
		if (bpf_map_lookup_elem(ctl_fd, &zero, &ctl))
			return -1;
		ok = ctl.ran == 1 && ctl.result == c->want &&
		     (c->want || ctl.status == c->status) &&
		     ctl.ns / 1000 <= max_us;
		printf("%s %-42s n=%-5u result=%-4d want=%-4d status=%u want=%u %8.1f us%s\n",
		       ok ? "ok  " : "FAIL", c->name, c->buf_len, ctl.result,
		       c->want, ctl.status, c->status, ctl.ns / 1e3,
		       ctl.ran != 1 ? " (program did not run)" :
		       ctl.ns / 1000 > max_us ? " (too slow)" : "");
		bad += !ok;
		if (ctl.ns > *worst)
			*worst = ctl.ns;
	}
	return bad;
}

int main(int argc, char **argv)
{
	static const char *fnames[] = { "strstr", "strcasestr", "glob", "path",
					"match_set", "dentry_path" };
	unsigned long long max_us = 50000, worst[6] = { 0 };
	struct bpf_object *obj;
	struct bpf_link *link;
	struct bpf_program *prog;
	int ctl_fd, buf_fd, set_fd, bad = 0, err, nsets;
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
	set_fd = bpf_object__find_map_fd_by_name(obj, "kfx_worst_sets");
	if (!prog || ctl_fd < 0 || buf_fd < 0 || set_fd < 0) {
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
		unsigned long long best;
		int want_native, ok, run;
		u32 a_len;

		build(c);
		a_len = c->a_len;
		want_native = native(c, a_len);
		if (bpf_map_update_elem(buf_fd, &zero, a, 0) ||
		    bpf_map_update_elem(buf_fd, &one, b, 0)) {
			perror("kfx-worst: map update");
			return 2;
		}
		/*
		 * Time is the best of up to 5 runs: under TCG on a shared host
		 * one run can stall for tens of ms with the guest descheduled
		 * (seen: 91 ms once, 3-12 ms otherwise); the answer must be
		 * right every run.
		 */
		for (run = 0, best = ~0ull; run < 5; run++) {
			memset(&ctl, 0, sizeof(ctl));
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
			if (ctl.ran != 1 || ctl.result != want_native)
				break;
			if (ctl.ns < best)
				best = ctl.ns;
			if (best / 1000 <= max_us)
				break;
		}
		if (best != ~0ull)
			ctl.ns = best;
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
	nsets = run_sets(ctl_fd, buf_fd, set_fd, max_us, &worst[KFX_WORST_SET]);
	if (nsets < 0) {
		fprintf(stderr, "kfx-worst: rule-set cases could not run\n");
		return 2;
	}
	bad += nsets;
	nsets = run_dpath(ctl_fd, max_us, &worst[KFX_WORST_DPATH]);
	if (nsets < 0) {
		fprintf(stderr, "kfx-worst: dentry-path cases could not run\n");
		return 2;
	}
	bad += nsets;
	for (i = 0; i < 6; i++)
		printf("worst %-10s %8.1f us (limit %llu us)\n", fnames[i],
		       worst[i] / 1e3, max_us);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	printf("%s: %d of %zu cases failed\n", bad ? "FAIL" : "PASS", bad,
	       sizeof(cases) / sizeof(cases[0]) + sizeof(scases) / sizeof(scases[0]) +
	       sizeof(dcases) / sizeof(dcases[0]));
	return bad ? 1 : 0;
}
