/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * kfx string core: bounded substring search and shell-glob matching.
 *
 * Kernel-agnostic: the same file is built into kfx.ko (behind the
 * bpf_kfx_* kfuncs) and into the user-space tests, fuzzers and benchmark.
 *
 * Sizes: every length argument is at most KFX_STR_MAX_LEN bytes (the
 * kernel's own string kfuncs stop at XATTR_SIZE_MAX, which is the same
 * number).  Any larger length makes all three functions return
 * -KFX_E2BIG before reading anything, so the work of one call is bounded
 * by the sizes it may accept: O(n + m) for the searches, O(n * m) for
 * glob matching, with no allocation, no recursion and a small stack.
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
/* Returned, negated, when a length exceeds KFX_STR_MAX_LEN (== E2BIG). */
#define KFX_E2BIG	7

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
 * -KFX_E2BIG if str_len or pat_len exceeds KFX_STR_MAX_LEN.
 */
int kfx_glob_match(const char *str, u32 str_len, const char *pat,
		   u32 pat_len);

#endif /* KFX_STRING_H */
