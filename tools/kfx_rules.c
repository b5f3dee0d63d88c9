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

int kfx_rules_load(const char *path, struct kfx_ruleset *rs, int *nrules)
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
		if (kfx_ruleset_add(rs, kind, line + i, (size_t)n - i, err,
				    sizeof(err)) < 0) {
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
	struct kfx_ruleset *rs;
	char err[256];
	void *set;
	size_t len;
	int nrules;

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
	if (kfx_rules_load(argv[2], rs, &nrules)) {
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	if (!nrules) {
		kfx_err("%s: no rules", argv[2]);
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	if (kfx_ruleset_compile(rs, &set, &len, err, sizeof(err))) {
		kfx_err("%s: %s", argv[2], err);
		kfx_ruleset_free(rs);
		return KFX_EXIT_USAGE;
	}
	printf("%s: %d rules, compiled set of %zu bytes (%.0f per rule)\n",
	       argv[2], nrules, len, (double)len / nrules);
	free(set);
	kfx_ruleset_free(rs);
	return KFX_EXIT_OK;
}
