/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * kfx string core: bounded substring search and shell-glob matching.
 *
 * Kernel-agnostic: the same file is built into kfx.ko (behind the
 * bpf_kfx_* kfuncs) and into the user-space tests, fuzzers and benchmark.
 *
 * Every call's work is bounded, whatever the bytes, so the functions are
 * safe in any context a BPF tracing program runs in (RCU held, preemption
 * off, NMI): no allocation, no recursion, under 500 bytes of stack (gcc -O2
 * -fstack-usage, x86-64: glob 80 + 120 + 96 + 40 bytes on the deepest
 * path, path glob 160 + 120 + 96 + 40).
 *
 * Sizes: str_len and sub_len are at most KFX_STR_MAX_LEN bytes (the
 * kernel's own string kfuncs stop at XATTR_SIZE_MAX, the same number);
 * a glob pattern (the bytes of pat before its first NUL, pat_len itself
 * may be up to KFX_STR_MAX_LEN) is at most KFX_GLOB_PAT_MAX bytes.  Larger
 * input returns -KFX_E2BIG before any of str is read.
 *
 * Work: the searches are linear (a word-at-a-time filter, then Two-Way),
 * at most KFX_SEARCH_STEPS(n, m) byte comparisons for every input, so they
 * need no run-time budget.  Glob matching is O(n * m) in the worst case
 * (a star that must retry at every offset), so it counts its steps (one
 * per pattern element tried, one per pattern byte a bracket expression
 * reads) and returns -KFX_ERANGE once KFX_GLOB_BUDGET is spent: never a
 * wrong answer, and only for inputs that defeat a single star.
 */
#ifndef KFX_STRING_H
#define KFX_STRING_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#include <stddef.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

/* Largest accepted str_len / sub_len / pat_len (XATTR_SIZE_MAX). */
#define KFX_STR_MAX_LEN	65536u
/* Longest glob pattern (bytes before the first NUL of pat). */
#define KFX_GLOB_PAT_MAX	256u
/* Returned, negated, when a size exceeds its limit (== E2BIG). */
#define KFX_E2BIG	7
/*
 * Returned, negated, when a glob match would need more than
 * KFX_GLOB_BUDGET steps (== ERANGE, "result out of range": the answer
 * lies beyond the work a kfunc may do.  Not E2BIG, which says the input
 * was refused before any work, and not EBUSY/EAGAIN: retrying the same
 * input gives the same error).
 */
#define KFX_ERANGE	34
/*
 * Glob work budget in steps.  Spending it all costs 100-350 us natively
 * (gcc -O2, best of 5, the 2-core build box of 2026-11-30; up to ~650 us
 * seen under load): tests/string/worst.c asserts the step counts of every
 * known worst case and at most 2 ms of CPU per call.
 */
#define KFX_GLOB_BUDGET	(1u << 17)
/*
 * Upper bound on the byte comparisons of one kfx_strstr/kfx_strcasestr
 * call, haystack n, needle m: filter n/8, verification before Two-Way
 * n + 64, Two-Way set-up 5 * m, Two-Way search 2 * n.
 */
#define KFX_SEARCH_STEPS(n, m)	(4ull * (n) + 5ull * (m) + 128)

/*
 * Index of the first occurrence of sub[0..sub_len) in str[0..str_len),
 * -1 if there is none, 0 if sub_len is 0.  Bytes are compared like
 * memmem(3): a NUL is an ordinary byte.  -KFX_E2BIG for oversized input.
 */
int kfx_strstr(const char *str, u32 str_len, const char *sub, u32 sub_len);

/* As kfx_strstr, folding only ASCII A-Z/a-z; bytes >= 0x80 match exactly. */
int kfx_strcasestr(const char *str, u32 str_len, const char *sub,
		   u32 sub_len);

/*
 * 1 if str matches the shell pattern pat, else 0: glibc's
 * fnmatch(pat, str, 0) in the C locale (POSIXLY_CORRECT unset, so "[^"
 * negates like "[!").  A NUL inside either buffer ends that string.
 * -KFX_E2BIG if str_len exceeds KFX_STR_MAX_LEN or the pattern exceeds
 * KFX_GLOB_PAT_MAX; -KFX_ERANGE past KFX_GLOB_BUDGET steps.
 */
int kfx_glob_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len);

/* As kfx_glob_match; *steps gets the work done (for tests and benches). */
int kfx_glob_match_steps(const char *str, u32 str_len, const char *pat,
			 u32 pat_len, u32 *steps);

/*
 * Path glob: 1 if the path str matches pat, else 0.  Both are split into
 * components at every '/' byte (a '/' inside brackets or after a
 * backslash splits too, so no pattern element can ever match a '/').
 * A pattern component "**" (written D below, since C comments cannot
 * hold the bytes) matches any number of whole components:
 *   "/D/" in the middle matches "/" or "/x/.../" (zero or more
 *   directories), a leading "D/" matches "" or "x/.../", a trailing "/D"
 *   matches "/" followed by anything (one or more components: "a/D"
 *   matches "a/" and "a/b/c", not "a"), and "D" alone matches everything.
 * Every other component is matched against exactly one string component
 * with kfx_glob_match's rules (so '*' and '?' stay inside one component,
 * and "a**b" is "a*b").  "a//b" has an empty middle component, which "*"
 * matches.  A NUL inside either buffer ends that string.  Sizes and
 * errors as kfx_glob_match: the same KFX_GLOB_PAT_MAX, and one
 * KFX_GLOB_BUDGET of steps for the whole call (component glob steps plus
 * one per component attempt and per byte scanned), -KFX_ERANGE past it.
 */
int kfx_path_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len);

/* As kfx_path_match; *steps gets the work done (for tests and benches). */
int kfx_path_match_steps(const char *str, u32 str_len, const char *pat,
			 u32 pat_len, u32 *steps);

/*
 * As the _steps variants, with a smaller budget (at most KFX_GLOB_BUDGET):
 * the rule-set matcher shares one budget among the globs of one call.
 */
int kfx_glob_match_budget(const char *str, u32 str_len, const char *pat,
			  u32 pat_len, u32 budget, u32 *steps);
int kfx_path_match_budget(const char *str, u32 str_len, const char *pat,
			  u32 pat_len, u32 budget, u32 *steps);

/* kfx_glob_check() results: how kfx_glob_match will read a pattern. */
enum {
	KFX_GLOB_OK,
	KFX_GLOB_TRAILING_BACKSLASH,	/* matches nothing */
	KFX_GLOB_UNCLOSED,	/* a '[' kfx_glob_match takes literally */
	KFX_GLOB_MALFORMED,	/* a bracket that fails every match */
};

/*
 * Check a pattern with the matcher's own bracket parser, so that a tool
 * validating patterns can never disagree with the matcher.  Returns a
 * KFX_GLOB_* value (*where: offset of the offending '[' or '\'), or
 * -KFX_E2BIG.  Not for the kernel: it costs 255 bracket evaluations.
 */
#ifndef __KERNEL__
int kfx_glob_check(const char *pat, u32 pat_len, u32 *where);
#endif

#ifdef KFX_STRING_STEPS
/* Test builds only: byte comparisons done by the searches, cumulative. */
extern u64 kfx_search_steps;
#endif

#endif /* KFX_STRING_H */
