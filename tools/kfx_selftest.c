// SPDX-License-Identifier: GPL-2.0
/*
 * kfx selftest: call every kfunc inside the kernel, through a SYSCALL
 * program run with BPF_PROG_TEST_RUN, on vectors whose answers are known.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"
#include "kfx_ruleset.h"

#define E2BIG_RET (-7)
#define ERANGE_RET (-34)	/* past the glob work budget (kfx_string.h) */

#define A16	"aaaaaaaaaaaaaaaa"
#define A64	A16 A16 A16 A16
#define A256	A64 A64 A64 A64
#define D4	"[:digit:][:digit:][:digit:][:digit:]"
/* "*[" + 28 classes + "]x": 256 bytes, ~640 steps at each of 256 offsets */
#define GLOB_OVER_BUDGET	"*[" D4 D4 D4 D4 D4 D4 D4 "]x"

struct vector {
	int op;				/* enum kfx_st_op */
	const char *a, *b;		/* str / pattern */
	int a_len, b_len;		/* -1: strlen */
	long long want;
	__u64 args[4];			/* KFX_ST_CALL_TEST */
};

#define S(op, a, b, want) { op, a, b, -1, -1, want, { 0 } }
#define L(op, a, al, b, bl, want) { op, a, b, al, bl, want, { 0 } }

static const struct vector vectors[] = {
	/* the tutorials */
	S(KFX_ST_STRSTR, "Hello, world!", "wor", 7),
	{ KFX_ST_CALL_TEST, NULL, NULL, 0, 0, 10, { 1, 2, 3, 4 } },
	{ KFX_ST_CALL_TEST, NULL, NULL, 0, 0, 0x300000003ULL,
	  { 0xffffffff, 0x100000000ULL, 5, 0xffffffffULL } },
	/* strstr: bytes, like memmem */
	S(KFX_ST_STRSTR, "Hello, world!", "", 0),
	S(KFX_ST_STRSTR, "", "", 0),
	S(KFX_ST_STRSTR, "", "a", -1),
	S(KFX_ST_STRSTR, "abc", "abcd", -1),
	S(KFX_ST_STRSTR, "abc", "abc", 0),
	S(KFX_ST_STRSTR, "abc", "c", 2),
	S(KFX_ST_STRSTR, "aaab", "aab", 1),
	S(KFX_ST_STRSTR, "abababac", "ababac", 2),
	S(KFX_ST_STRSTR, "/home/user/.cache/x.swp", ".swp", 19),
	S(KFX_ST_STRSTR, "Hello, World!", "wor", -1),
	L(KFX_ST_STRSTR, "ab\0cd", 5, "\0c", 2, 2),
	L(KFX_ST_STRSTR, "ab\0cd", 5, "cd", 2, 3),
	L(KFX_ST_STRSTR, "Hello, world!", 8, "wor", 3, -1),
	L(KFX_ST_STRSTR, "x\xff\xfe", 3, "\xfe", 1, 2),
	/* strcasestr: ASCII only */
	S(KFX_ST_STRCASESTR, "Hello, World!", "wOR", 7),
	S(KFX_ST_STRCASESTR, "/TMP/Foo.TXT", ".txt", 8),
	S(KFX_ST_STRCASESTR, "abc", "", 0),
	S(KFX_ST_STRCASESTR, "abc", "ABCD", -1),
	S(KFX_ST_STRCASESTR, "\xc3\xa9", "\xc3\x89", -1),
	S(KFX_ST_STRCASESTR, "[\\]^_`", "{|}~", -1),
	/* glob: fnmatch(pat, str, 0) */
	S(KFX_ST_GLOB, "/tmp/a.txt", "*.txt", 1),
	S(KFX_ST_GLOB, "/tmp/a.txt", "/tmp/*", 1),
	S(KFX_ST_GLOB, "/tmp/dir/a.txt", "/tmp/*.txt", 1),
	S(KFX_ST_GLOB, "/tmp/a.txt", "*.log", 0),
	S(KFX_ST_GLOB, "abc", "a?c", 1),
	S(KFX_ST_GLOB, "ac", "a?c", 0),
	S(KFX_ST_GLOB, "b.c", "[a-c].c", 1),
	S(KFX_ST_GLOB, "d.c", "[a-c].c", 0),
	S(KFX_ST_GLOB, "d.c", "[!a-c].c", 1),
	S(KFX_ST_GLOB, "]", "[]]", 1),
	S(KFX_ST_GLOB, "a*", "a\\*", 1),
	S(KFX_ST_GLOB, "ab", "a\\*", 0),
	S(KFX_ST_GLOB, "x7", "x[[:digit:]]", 1),
	S(KFX_ST_GLOB, "", "*", 1),
	S(KFX_ST_GLOB, "", "", 1),
	S(KFX_ST_GLOB, "a", "", 0),
	S(KFX_ST_GLOB, ".hidden", "*hidden", 1),
	L(KFX_ST_GLOB, "abc\0def", 7, "abc", 3, 1),
	L(KFX_ST_GLOB, "abc", 3, "a*\0zzz", 6, 1),
	/* the backtracking trap: must answer, and fast */
	S(KFX_ST_GLOB,
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "*a*a*a*a*a*a*a*a*a*a*b", 0),
	/*
	 * Past the glob work budget the answer is -ERANGE, never a guess;
	 * the same inputs with a cheaper pattern are answered.
	 */
	L(KFX_ST_GLOB, A256, 256, GLOB_OVER_BUDGET, 256, ERANGE_RET),
	L(KFX_ST_GLOB, A256, 256, "*[[:alpha:]]", 12, 1),
	L(KFX_ST_GLOB, A256, 256, "*[[:digit:]]x", 13, 0),
	/* path glob: '*', '?', [...] stay in a component, '**' crosses them */
	S(KFX_ST_PATH, "/etc/passwd", "/etc/*", 1),
	S(KFX_ST_PATH, "/etc/ssh/sshd_config", "/etc/*", 0),
	S(KFX_ST_PATH, "/etc/ssh/sshd_config", "/etc/**", 1),
	S(KFX_ST_PATH, "/etc", "/etc/**", 0),
	S(KFX_ST_PATH, "/home/u/.ssh/id_rsa", "/home/*/.ssh/id_*", 1),
	S(KFX_ST_PATH, "/home/u/x/.ssh/id_rsa", "/home/*/.ssh/id_*", 0),
	S(KFX_ST_PATH, "/home/u/x/.ssh/id_rsa", "/home/**/.ssh/id_*", 1),
	S(KFX_ST_PATH, "/a/b", "/a/**/b", 1),
	S(KFX_ST_PATH, "x/y/core", "**/core", 1),
	S(KFX_ST_PATH, "core", "**/core", 1),
	S(KFX_ST_PATH, "a/b", "a?b", 0),
	S(KFX_ST_PATH, "a/b", "a[/]b", 0),
	S(KFX_ST_PATH, "a/b", "a[!x]b", 0),
	S(KFX_ST_PATH, "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/**/*.so*", 1),
	L(KFX_ST_PATH, "a/b\0/c", 7, "a/b", 3, 1),
	/* '**' traps: every component tried, then -ERANGE, never a guess */
	L(KFX_ST_PATH, A256, 256, GLOB_OVER_BUDGET, 256, ERANGE_RET),
	L(KFX_ST_PATH, A256, 256, "**/*a*a*a*a*a*a*a*a*a*a*b", 25, 0),
	S(KFX_ST_STRSTR,
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	  "aaaaaaaaaaaaaaab", 112),
};

static const char *op_name(int op)
{
	switch (op) {
	case KFX_ST_STRSTR:		return "bpf_kfx_strstr";
	case KFX_ST_STRCASESTR:		return "bpf_kfx_strcasestr";
	case KFX_ST_GLOB:		return "bpf_kfx_glob_match";
	case KFX_ST_PATH:		return "bpf_kfx_path_match";
	case KFX_ST_MATCH_SET:		return "bpf_kfx_match_set";
	case KFX_ST_CALL_TEST:		return "bpf_kfunc_call_test";
	case KFX_ST_TUTORIAL_STRSTR:	return "bpf_strstr";
	}
	return "?";
}

/* Printable form of a buffer for the report, C-escaped, shortened. */
static const char *show(const char *s, int len)
{
	static char bufs[2][96];
	static int which;
	char *out = bufs[which ^= 1];
	size_t o = 0;
	int i;

	for (i = 0; i < len && o < sizeof(bufs[0]) - 8; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			o += sprintf(out + o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += sprintf(out + o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	if (i < len)
		o += sprintf(out + o, "...");
	out[o] = '\0';
	return out;
}

static int run_one(struct bpf_object *obj, const char *prog_name,
		   const struct vector *v, long long *got)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, prog_name);
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "kfx_st_io");
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct kfx_st_io io = { 0 };
	__u32 zero = 0;
	int err;

	if (!prog || !map)
		return -ENOENT;
	io.op = v->op;
	io.a_len = v->a ? (v->a_len < 0 ? strlen(v->a) : (size_t)v->a_len) : 0;
	io.b_len = v->b ? (v->b_len < 0 ? strlen(v->b) : (size_t)v->b_len) : 0;
	if (v->a)
		memcpy(io.a, v->a, io.a_len);
	if (v->b)
		memcpy(io.b, v->b, io.b_len);
	memcpy(io.args, v->args, sizeof(io.args));
	err = bpf_map__update_elem(map, &zero, sizeof(zero), &io, sizeof(io), 0);
	if (err)
		return err;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	if (err)
		return -errno;
	if (topts.retval)
		return -EPROTO;
	err = bpf_map__lookup_elem(map, &zero, sizeof(zero), &io, sizeof(io), 0);
	if (err)
		return err;
	if (!io.done)
		return -EPROTO;
	*got = io.result;
	return 0;
}

static struct bpf_object *load(const char *path, const char *prog)
{
	struct bpf_object *obj = kfx_open_object(path);
	struct bpf_program *p;
	int err;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), prog));
	err = bpf_object__load(obj);
	if (err) {
		kfx_err("loading %s from %s failed: %s%s", prog, path,
			strerror(-err),
			kfx_verbose ? "" : " (run with -v for libbpf's log)");
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int check(struct bpf_object *obj, const char *prog,
		 const struct vector *v, int *passed, int *failed)
{
	long long got = 0;
	int err = run_one(obj, prog, v, &got);
	int al = v->a ? (v->a_len < 0 ? (int)strlen(v->a) : v->a_len) : 0;
	int bl = v->b ? (v->b_len < 0 ? (int)strlen(v->b) : v->b_len) : 0;
	char desc[256];

	if (v->op == KFX_ST_CALL_TEST)
		snprintf(desc, sizeof(desc), "%s(%llu, %llu, %llu, %llu)",
			 op_name(v->op), (unsigned long long)v->args[0],
			 (unsigned long long)v->args[1],
			 (unsigned long long)v->args[2],
			 (unsigned long long)v->args[3]);
	else
		snprintf(desc, sizeof(desc), "%s(\"%s\", %d, \"%s\", %d)",
			 op_name(v->op), show(v->a, al), al, show(v->b, bl), bl);
	if (err) {
		printf("FAIL %s: the program did not run: %s\n", desc,
		       strerror(-err));
		(*failed)++;
	} else if (got != v->want) {
		printf("FAIL %s = %lld, expected %lld\n", desc, got, v->want);
		(*failed)++;
	} else {
		printf("PASS %s = %lld\n", desc, got);
		(*passed)++;
	}
	return 0;
}

/*
 * Rule sets: one set of every kind compiled here, written into the
 * kfx_st_set map, then strings whose lowest matching rule is known; then
 * the same set damaged (the kernel must answer -EINVAL, not crash).
 */
#define SR(k, p) { KFX_RULE_##k, p }
static const struct {
	int kind;
	const char *pat;
} set_rules[] = {
	SR(EXACT, "/etc/shadow"), SR(PREFIX, "/etc/ssh/"), SR(SUFFIX, ".swp"),
	SR(PATH, "/home/*/.ssh/id_*"), SR(ISUBSTR, "passwd"),
	SR(SUBSTR, "/.git/"), SR(GLOB, "/tmp/*.sh"), SR(PATH, "/var/log/**"),
	SR(PREFIX, "/etc/"),
};

static const struct vector set_vectors[] = {
	S(KFX_ST_MATCH_SET, "/etc/shadow", NULL, 0),
	S(KFX_ST_MATCH_SET, "/etc/shadow-", NULL, 8),
	S(KFX_ST_MATCH_SET, "/etc/ssh/sshd_config", NULL, 1),
	S(KFX_ST_MATCH_SET, "/home/u/x.swp", NULL, 2),
	S(KFX_ST_MATCH_SET, "/home/u/.ssh/id_rsa", NULL, 3),
	S(KFX_ST_MATCH_SET, "/home/u/x/.ssh/id_rsa", NULL, -1),
	S(KFX_ST_MATCH_SET, "/usr/share/PassWD.txt", NULL, 4),
	S(KFX_ST_MATCH_SET, "/src/.git/config", NULL, 5),
	S(KFX_ST_MATCH_SET, "/tmp/a/b.sh", NULL, 6),
	S(KFX_ST_MATCH_SET, "/var/log/syslog", NULL, 7),
	S(KFX_ST_MATCH_SET, "/var/log", NULL, -1),
	L(KFX_ST_MATCH_SET, "/a.swp\0/etc/shadow", 18, NULL, 0, 2),
};

static int put_set(struct bpf_object *obj, const void *set, size_t len)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "kfx_st_set");
	struct kfx_st_set *v;
	__u32 zero = 0;
	int err;

	if (!map || len > KFX_ST_SET_BUF)
		return -ENOENT;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->len = (__u32)len;
	memcpy(v->b, set, len);
	err = bpf_map__update_elem(map, &zero, sizeof(zero), v, sizeof(*v), 0);
	free(v);
	return err;
}

static void check_sets(struct bpf_object *obj, int *passed, int *failed)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	struct vector bad = S(KFX_ST_MATCH_SET, "/a.b", NULL,
			      -KFX_EINVAL);
	char err[200];
	size_t i, len;
	void *set = NULL;
	__u32 *w;

	for (i = 0; rs && i < sizeof(set_rules) / sizeof(set_rules[0]); i++)
		if (kfx_ruleset_add(rs, set_rules[i].kind, set_rules[i].pat,
				    strlen(set_rules[i].pat), err,
				    sizeof(err)) < 0)
			break;
	if (!rs || i < sizeof(set_rules) / sizeof(set_rules[0]) ||
	    kfx_ruleset_compile(rs, &set, &len, err, sizeof(err)) ||
	    put_set(obj, set, len)) {
		printf("FAIL bpf_kfx_match_set: cannot compile or store the test set\n");
		(*failed)++;
		kfx_ruleset_free(rs);
		free(set);
		return;
	}
	kfx_ruleset_free(rs);
	printf("rule set: %zu rules, %zu bytes\n",
	       sizeof(set_rules) / sizeof(set_rules[0]), len);
	for (i = 0; i < sizeof(set_vectors) / sizeof(set_vectors[0]); i++)
		check(obj, "kfx_selftest", &set_vectors[i], passed, failed);
	/* Damaged: more dense rows than states, then a cut set. */
	w = set;
	w[KFX_SH_A_DENSE] = w[KFX_SH_A_STATES] + 1;
	printf("damaged set (more dense rows than states):\n");
	if (!put_set(obj, set, len))
		check(obj, "kfx_selftest", &bad, passed, failed);
	printf("truncated set (%zu of %zu bytes):\n", len / 2, len);
	w[KFX_SH_A_DENSE] = 0;
	if (!put_set(obj, set, len / 2))
		check(obj, "kfx_selftest", &bad, passed, failed);
	free(set);
}

int kfx_cmd_selftest(void)
{
	static const struct vector alias = S(KFX_ST_TUTORIAL_STRSTR,
					     "Hello, world!", "wor", 7);
	struct bpf_object *obj;
	struct kfx_kernel k;
	char alias_obj[4200], *slash;
	int passed = 0, failed = 0;
	size_t i;

	kfx_kernel_probe(&k);
	if (kfx_ensure_module(&k))
		return KFX_EXIT_FAIL;
	obj = load(kfx_default_object(), "kfx_selftest");
	if (!obj)
		return KFX_EXIT_FAIL;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		check(obj, "kfx_selftest", &vectors[i], &passed, &failed);
	check_sets(obj, &passed, &failed);
	bpf_object__close(obj);

	/*
	 * kfx.ko's build compiles the alias out exactly when the target
	 * kernel's vmlinux BTF has a bpf_strstr (kfx-kfuncs, optional kfunc):
	 * a skip only then, and a module that has both is a broken build.
	 */
	if (k.kernel_bpf_strstr && k.module_alias) {
		printf("FAIL bpf_strstr: the module exports the tutorial alias although the kernel has a bpf_strstr of its own (its build skipped the kfunc-name check)\n");
		failed++;
	} else if (k.kernel_bpf_strstr) {
		printf("SKIP bpf_strstr: kernel: this kernel has its own bpf_strstr (6.17+), so kfx.ko's build compiled the tutorial alias out; use bpf_kfx_strstr\n");
	} else if (!k.module_alias) {
		printf("FAIL bpf_strstr: the module does not export the tutorial alias although the kernel has no bpf_strstr of its own\n");
		failed++;
	} else {
		/* the alias object lives beside the main one */
		snprintf(alias_obj, sizeof(alias_obj), "%s",
			 kfx_default_object());
		slash = strrchr(alias_obj, '/');
		snprintf(slash ? slash + 1 : alias_obj,
			 sizeof(alias_obj) - (slash ? slash + 1 - alias_obj : 0),
			 "%s", KFX_ALIAS_OBJECT_NAME);
		obj = load(alias_obj, "kfx_selftest_alias");
		if (obj) {
			check(obj, "kfx_selftest_alias", &alias, &passed,
			      &failed);
			bpf_object__close(obj);
		} else {
			failed++;
		}
	}
	printf("selftest: %d passed, %d failed\n", passed, failed);
	return failed ? KFX_EXIT_FAIL : KFX_EXIT_OK;
}
