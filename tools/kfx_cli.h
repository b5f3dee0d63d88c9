/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the kfx command. */
#ifndef KFX_CLI_H
#define KFX_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef KFX_VERSION
#define KFX_VERSION "0.0.0"
#endif
#ifndef KFX_LIBDIR
#define KFX_LIBDIR "/usr/lib/kfx"
#endif
#define KFX_DEFAULT_OBJECT KFX_LIBDIR "/kfx.bpf.o"
#ifndef KFX_DEV_DIR
#define KFX_DEV_DIR "/usr/share/kfx-dev"	/* kfx new's files (kfx-dev) */
#endif
#define KFX_ALIAS_OBJECT_NAME "kfx_alias.bpf.o"

#define KFX_EXIT_OK	0
#define KFX_EXIT_FAIL	1
#define KFX_EXIT_USAGE	2

struct bpf_object;
struct kfx_rule_list;

extern const char *const kfx_prog;	/* names the program in messages */
extern const char *object_path;
extern bool kfx_verbose;

void kfx_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void kfx_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kfx_no_args(int argc, char **argv, const char *cmd);
void kfx_cmd_usage(const char *cmd) __attribute__((noreturn));

/* watch options, validated by kfx_parse_watch() */
enum kfx_attach { KFX_ATTACH_AUTO, KFX_ATTACH_FENTRY, KFX_ATTACH_KPROBE };

/*
 * The filter: every rule of --rules FILE (in file order), then every
 * --match/--imatch/--glob/--path-glob/--prefix/--suffix/--exact (in
 * command-line order), compiled into one set; rule ids in that order.
 */
struct kfx_watch_opts {
	const char *rules_file;		/* --rules, or NULL */
	struct kfx_rule_list *rules;	/* rule id -> kind, pattern, origin */
	int nrules;			/* 0: no filter, report everything */
	void *set;			/* the compiled set (malloc'd) */
	size_t set_len;			/* its size in bytes */
	double compile_ms;		/* parse + compile time */
	bool json;
	long count;			/* 0: unlimited */
	long duration;			/* seconds, 0: unlimited */
	enum kfx_attach attach;
};

void kfx_parse_watch(int argc, char **argv, struct kfx_watch_opts *w);

/*
 * Output escaping (kfx_escape.c): no byte of a file name reaches a terminal
 * raw. Each reads at most n bytes of s and stops at a NUL.
 */
void kfx_escape_text(FILE *f, const char *s, size_t n);
bool kfx_escape_json(FILE *f, const char *s, size_t n);
void kfx_hex(FILE *f, const char *s, size_t n);
size_t kfx_utf8_len(const unsigned char *s, size_t n, unsigned int *cp);
const char *kfx_glob_error(const char *pat);

/* The kernel side, as kfx sees it (kfx_kernel.c). */
struct kfx_kernel {
	char release[65];
	bool vmlinux_btf;
	bool module_loaded;
	bool module_btf;
	const char *unlink_func;	/* do_unlinkat, filename_unlinkat or NULL */
	const char *rmdir_func;		/* do_rmdir, filename_rmdir or NULL */
	bool path_hooks;		/* security_path_unlink/rmdir in BTF */
	bool kernel_bpf_strstr;		/* vmlinux has its own bpf_strstr (6.17+) */
	bool module_alias;		/* module BTF has the bpf_strstr alias */
};

void kfx_kernel_probe(struct kfx_kernel *k);
int kfx_ensure_module(struct kfx_kernel *k);
const char *kfx_default_object(void);
const char *kfx_object_beside(const char *name);
struct bpf_object *kfx_open_object(const char *path);
void kfx_check_object(void);
bool kfx_module_has_func(const char *name);
bool kfx_kernel_version_at_least(int major, int minor);

/* watch loading: shared by status (dry run) and watch */
#define KFX_WATCH_PROGS 6		/* enter, resolved, exit; unlink and rmdir */

struct kfx_watch_load {
	struct bpf_object *obj;
	struct bpf_link *links[KFX_WATCH_PROGS];
	struct bpf_program *progs[KFX_WATCH_PROGS];
	int nprogs;			/* loaded programs, in progs[] */
	const char *prog_type;		/* "fentry" or "kprobe" */
	const char *func;		/* the unlink worker */
	char error[512];
};

int kfx_watch_load(struct kfx_kernel *k, enum kfx_attach how, bool attach,
		   const struct kfx_watch_opts *w, struct kfx_watch_load *out);
void kfx_watch_unload(struct kfx_watch_load *l);

int kfx_cmd_status(void);
int kfx_cmd_selftest(void);
int kfx_cmd_watch(const struct kfx_watch_opts *w);

#endif /* KFX_CLI_H */
