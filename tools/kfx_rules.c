// SPDX-License-Identifier: GPL-2.0
/*
 * kfx rules: rule files for bpf_kfx_match_set.
 *
 *   kfx rules check FILE   parse and compile FILE, load nothing
 *
 * A rule file has one rule per line, "KIND PATTERN": KIND, then spaces or
 * tabs, then the pattern, which is the rest of the line byte for byte
 * (trailing spaces included; a CR before the newline is dropped).  Blank
 * lines and lines whose first non-blank byte is '#' are comments.  The
 * n-th rule (counting rule lines only, from 0) gets id n: the lowest
 * matching id wins, so order rules by priority.
 *
 * Kinds: substr (alias match), isubstr (imatch), prefix, suffix, exact,
 * glob, path (path-glob).  Every bad line gets one "FILE:LINE: reason"
 * line on stderr; any bad line, or a set the compiler refuses, exits 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfx_cli.h"
#include "kfx_rules.h"
#include "kfx_ruleset.h"

/* Longest line read: a pattern is at most KFX_SET_PAT_MAX bytes anyway. */
#define KFX_RULES_LINE_MAX	4096
/* Bad lines reported before giving up on a file. */
#define KFX_RULES_MAX_ERRORS	20

static const struct {
	const char *name;
	int kind;
} aliases[] = {
	{ "match", KFX_RULE_SUBSTR }, { "imatch", KFX_RULE_ISUBSTR },
	{ "path-glob", KFX_RULE_PATH },
};

int kfx_rules_kind(const char *name, size_t len)
{
	size_t i;
	int k = kfx_rule_kind_parse(name, len);

	if (k)
		return k;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].name) == len &&
		    !memcmp(aliases[i].name, name, len))
			return aliases[i].kind;
	return 0;
}

int kfx_rule_add(struct kfx_ruleset *rs, struct kfx_rule_list *list,
		 int kind, const char *pat, size_t len, const char *file,
		 unsigned long line, const char *opt, char *err, size_t errlen)
{
	struct kfx_rule_src *r, *v;

	if (list && list->n == list->cap) {
		v = realloc(list->v, (list->cap ? 2 * list->cap : 64) * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		list->v = v;
		list->cap = list->cap ? 2 * list->cap : 64;
	}
	if (!list)
		return kfx_ruleset_add(rs, kind, pat, len, err, errlen) < 0 ?
		       -1 : 0;
	/* the copy first: rs and list must never disagree on ids */
	r = &list->v[list->n];
	r->pat = malloc(len + 1);
	if (!r->pat) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (kfx_ruleset_add(rs, kind, pat, len, err, errlen) < 0) {
		free(r->pat);
		return -1;
	}
	memcpy(r->pat, pat, len);
	r->pat[len] = '\0';
	r->kind = kind;
	r->len = len;
	r->file = file;
	r->line = line;
	r->opt = opt;
	list->n++;
	return 0;
}

void kfx_rule_list_free(struct kfx_rule_list *list)
{
	int i;

	for (i = 0; i < list->n; i++)
		free(list->v[i].pat);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

int kfx_rules_compile(struct kfx_ruleset *rs, const struct kfx_rule_list *list,
		      void **set, size_t *bytes, char *err, size_t errlen)
{
	const struct kfx_rule_src *r;
	char msg[256];
	unsigned int id;
	int at = 0;

	if (!kfx_ruleset_compile(rs, set, bytes, err, errlen))
		return 0;
	if (!list || sscanf(err, "rule %u: %n", &id, &at) != 1 || !at ||
	    id >= (unsigned int)list->n)
		return -1;
	r = &list->v[id];
	snprintf(msg, sizeof(msg), "%s", err + at);
	if (r->file)
		snprintf(err, errlen, "%s:%lu: %s", r->file, r->line, msg);
	else
		snprintf(err, errlen, "%s '%.60s': %s", r->opt, r->pat, msg);
	return -2;
}

int kfx_rules_load(const char *path, struct kfx_ruleset *rs,
		   struct kfx_rule_list *list, int *nrules)
{
	char *line = NULL, err[256];
	size_t cap = 0, i, k;
	unsigned long lineno = 0;
	int bad = 0, kind;
	ssize_t n;
	FILE *f;

	*nrules = 0;
	f = fopen(path, "r");
	if (!f) {
		kfx_err("cannot open rule file %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n && line[n - 1] == '\n')
			n--;
		if (n && line[n - 1] == '\r')
			n--;
		if (n > KFX_RULES_LINE_MAX) {
			kfx_err("%s:%lu: line of %zd bytes (at most %d)", path,
				lineno, n, KFX_RULES_LINE_MAX);
			goto bad_line;
		}
		for (i = 0; i < (size_t)n && (line[i] == ' ' || line[i] == '\t');
		     i++)
			;
		if (i == (size_t)n || line[i] == '#')
			continue;
		for (k = i; k < (size_t)n && line[k] != ' ' && line[k] != '\t';
		     k++)
			;
		kind = kfx_rules_kind(line + i, k - i);
		if (!kind) {
			kfx_err("%s:%lu: unknown rule kind '%.*s' (substr, isubstr, prefix, suffix, exact, glob or path)",
				path, lineno, (int)(k - i > 40 ? 40 : k - i),
				line + i);
			goto bad_line;
		}
		for (i = k; i < (size_t)n && (line[i] == ' ' || line[i] == '\t');
		     i++)
			;
		if (i == (size_t)n) {
			kfx_err("%s:%lu: %s rule without a pattern", path,
				lineno, kfx_rule_kind_name(kind));
			goto bad_line;
		}
		if (kfx_rule_add(rs, list, kind, line + i, (size_t)n - i, path,
				 lineno, NULL, err, sizeof(err)) < 0) {
			kfx_err("%s:%lu: %s rule: %s", path, lineno,
				kfx_rule_kind_name(kind), err);
			goto bad_line;
		}
		(*nrules)++;
		continue;
bad_line:
		if (++bad == KFX_RULES_MAX_ERRORS) {
			kfx_err("%s: too many errors, giving up", path);
			break;
		}
	}
	if (ferror(f)) {
		kfx_err("cannot read rule file %s: %s", path, strerror(errno));
		bad++;
	}
	free(line);
	fclose(f);
	return bad ? -1 : 0;
}

static void rules_usage(FILE *f)
{
	fprintf(f,
"Usage: kfx rules check FILE\n"
"\n"
"Parse and compile the rule file FILE (one \"KIND PATTERN\" per line, '#'\n"
"comments) without loading anything; print the compiled set's size.\n"
"Kinds: substr (match), isubstr (imatch), prefix, suffix, exact, glob,\n"
"path (path-glob).  Exit 0 if valid, 2 with one line per error if not.\n");
}

int kfx_cmd_rules(int argc, char **argv)
{
	struct kfx_rule_list list = { 0 };
	struct kfx_ruleset *rs;
	char err[256];
	void *set;
	size_t len;
	int nrules, ret;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		rules_usage(stdout);
		return KFX_EXIT_OK;
	}
	if (argc < 2)
		kfx_usage_error("missing rules subcommand (check)");
	if (strcmp(argv[1], "check"))
		kfx_usage_error("unknown rules subcommand '%s' (check)", argv[1]);
	if (argc != 3)
		kfx_usage_error(argc < 3 ? "rules check: missing FILE" :
			       "rules check: one FILE only");
	rs = kfx_ruleset_new();
	if (!rs) {
		kfx_err("out of memory");
		return KFX_EXIT_FAIL;
	}
	if (kfx_rules_load(argv[2], rs, &list, &nrules)) {
		kfx_rule_list_free(&list);
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	if (!nrules) {
		kfx_err("%s: no rules", argv[2]);
		kfx_rule_list_free(&list);
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	ret = kfx_rules_compile(rs, &list, &set, &len, err, sizeof(err));
	if (ret) {
		if (ret == -2)	/* names the rule's line */
			kfx_err("%s", err);
		else
			kfx_err("%s: %s", argv[2], err);
		kfx_rule_list_free(&list);
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	printf("%s: %d rules, compiled set of %zu bytes (%.0f per rule)\n",
	       argv[2], nrules, len, (double)len / nrules);
	free(set);
	kfx_rule_list_free(&list);
	kfx_ruleset_free(rs);
	return KFX_EXIT_OK;
}
