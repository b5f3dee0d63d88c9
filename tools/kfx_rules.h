/* SPDX-License-Identifier: GPL-2.0 */
/* kfx rules: rule files (tools/kfx_rules.c). */
#ifndef KFX_RULES_H
#define KFX_RULES_H

#include <stddef.h>

struct kfx_ruleset;

/* A rule kind by name or alias (match, imatch, path-glob); 0 if unknown. */
int kfx_rules_kind(const char *name, size_t len);

/*
 * Where each rule of a set came from, by rule id: what kfx watch prints
 * with an event, and where a compile error that names a rule points.
 */
struct kfx_rule_src {
	int kind;
	char *pat;		/* malloc'd copy, pat[len] == '\0' */
	size_t len;
	const char *file;	/* rule file, or NULL: a command-line option */
	unsigned long line;	/* its line in file */
	const char *opt;	/* the option (--prefix, ...) when file is NULL */
};

struct kfx_rule_list {
	struct kfx_rule_src *v;
	int n, cap;
};

/*
 * Add one rule to rs and, if list is not NULL, to list (same id).  0, or
 * -1 with the compiler's one-line reason in err.
 */
int kfx_rule_add(struct kfx_ruleset *rs, struct kfx_rule_list *list,
		 int kind, const char *pat, size_t len, const char *file,
		 unsigned long line, const char *opt, char *err, size_t errlen);
void kfx_rule_list_free(struct kfx_rule_list *list);

/*
 * Compile rs like kfx_ruleset_compile(); an error that names a rule
 * ("rule N: ...") is rewritten to say where rule N came from
 * ("FILE:LINE: ..." or "--glob 'PAT': ...") and -2 is returned; other
 * errors (set-wide limits) return -1.
 */
int kfx_rules_compile(struct kfx_ruleset *rs, const struct kfx_rule_list *list,
		      void **set, size_t *bytes, char *err, size_t errlen);

/*
 * Add FILE's rules to rs (and list, if not NULL), printing one
 * "FILE:LINE: reason" line per bad line; *nrules gets the rules added.
 * 0, or -1 if anything was wrong.
 */
int kfx_rules_load(const char *path, struct kfx_ruleset *rs,
		   struct kfx_rule_list *list, int *nrules);

/* `kfx rules SUBCOMMAND ...` (argv[0] is "rules"). */
int kfx_cmd_rules(int argc, char **argv);

#endif /* KFX_RULES_H */
