/* SPDX-License-Identifier: GPL-2.0 */
/* kfx rules: rule files (tools/kfx_rules.c). */
#ifndef KFX_RULES_H
#define KFX_RULES_H

#include <stddef.h>

struct kfx_ruleset;

/* A rule kind by name or alias (match, imatch, path-glob); 0 if unknown. */
int kfx_rules_kind(const char *name, size_t len);

/*
 * Add FILE's rules to rs, printing one "FILE:LINE: reason" line per bad
 * line; *nrules gets the rules added.  0, or -1 if anything was wrong.
 */
int kfx_rules_load(const char *path, struct kfx_ruleset *rs, int *nrules);

/* `kfx rules SUBCOMMAND ...` (argv[0] is "rules"). */
int kfx_cmd_rules(int argc, char **argv);

#endif /* KFX_RULES_H */
