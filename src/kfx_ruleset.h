/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * kfx rule-set compiler (user space): rules in, the flat set that
 * kfx_match_set() / bpf_kfx_match_set() reads out.  Used by kfx, the tests
 * and the benchmark.
 *
 * Limits (each one refused with a one-line message, never a huge
 * allocation): KFX_SET_MAX_RULES rules, patterns of 1..KFX_SET_PAT_MAX
 * bytes without NUL, globs that kfx_glob_check() accepts (per component
 * for path globs), at most KFX_RS_MAX_STATES automaton states, at most
 * KFX_SET_VERIFY_MAX glob rules without a literal byte, glob anchors
 * nested at most KFX_SET_GLOB_NEST deep, and a result of at most
 * KFX_SET_MAX_SIZE bytes.  Compile time and memory are linear in the total
 * pattern bytes (times at most 256 for the sparse transition lists).
 */
#ifndef KFX_RULESET_H
#define KFX_RULESET_H

#include <stddef.h>

#include "kfx_set.h"

/* States of both automata together (one per distinct literal prefix). */
#define KFX_RS_MAX_STATES	(1u << 20)

/*
 * Dense rows (full transition tables for the shallowest states, see
 * kfx_ruleset.c) take at most this many bytes per automaton.
 */
#define KFX_RS_DENSE_BYTES	(1u << 20)
/*
 * More byte classes than this, and more states than class rows can cover:
 * byte-wide dense rows (see kfx_ruleset.c).
 */
#define KFX_RS_RAW_CLASSES	32u

struct kfx_ruleset;

struct kfx_ruleset *kfx_ruleset_new(void);
void kfx_ruleset_free(struct kfx_ruleset *rs);

/*
 * At most states dense rows per automaton (default: as many as
 * KFX_RS_DENSE_BYTES allows).  For tests: 0 is the all-sparse automaton.
 */
void kfx_ruleset_dense_max(struct kfx_ruleset *rs, unsigned int states);

/*
 * Dense row form (tests): automatic (default), always class-indexed, always
 * byte-wide.
 */
enum { KFX_RS_ROWS_AUTO, KFX_RS_ROWS_CLASS, KFX_RS_ROWS_BYTE };
void kfx_ruleset_dense_rows(struct kfx_ruleset *rs, int rows);

/*
 * Add a rule; it gets the next id (0, 1, ...), which is returned.  On a
 * refused rule: -1 and a one-line reason in err (no id is used up).
 */
int kfx_ruleset_add(struct kfx_ruleset *rs, int kind, const char *pat,
		    size_t len, char *err, size_t errlen);

/*
 * Compile: *out (malloc'd, free() it) gets the set, *bytes its size.
 * 0, or -1 with a one-line reason in err.
 */
int kfx_ruleset_compile(struct kfx_ruleset *rs, void **out, size_t *bytes,
			char *err, size_t errlen);

/* "substr", "isubstr", "prefix", "suffix", "exact", "glob", "path". */
int kfx_rule_kind_parse(const char *name, size_t len);
const char *kfx_rule_kind_name(int kind);

#endif /* KFX_RULESET_H */
