/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kfx kfunc ABI: every kfunc the kfx module exports, declared once.
 *
 * BPF programs include it after vmlinux.h and bpf_helpers.h and get __ksym
 * externs that libbpf resolves against /sys/kernel/btf/kfx at load time.
 * The module does not include it: its prototypes come from src/kfx.kfuncs,
 * the one declaration of the kfuncs, through sdk/module/kfx-kfuncs, and
 * tests/sdk checks that every extern here is what `kfx-kfuncs bpf` makes of
 * it (optional kfuncs __weak).  Names, argument order and return values are
 * a contract: see DESIGN.md before changing anything here.
 */
#ifndef KFX_KFUNCS_H
#define KFX_KFUNCS_H

#ifndef __weak
#define __weak __attribute__((weak))
#endif

#include "kfx_dentry_path.h"

/*
 * Bounded work (src/kfx_string.h has the numbers): every call returns within
 * a fixed budget whatever the bytes, so any program type may call these,
 * including tracing programs that run with RCU held or in NMI.
 *
 * Index of the first occurrence of substr in the first str__sz bytes of str,
 * -1 if there is none, 0 if substr__sz is 0. Bytes, like memmem(3): NUL is an
 * ordinary byte. -E2BIG if a size exceeds 65536 (KFX_STR_MAX_LEN). Linear:
 * at most 4 * str__sz + 5 * substr__sz + 128 byte comparisons, so there is
 * no budget error.
 */
extern int bpf_kfx_strstr(const char *str, u32 str__sz,
			  const char *substr, u32 substr__sz) __ksym;

/* As bpf_kfx_strstr, ASCII case-insensitive. */
extern int bpf_kfx_strcasestr(const char *str, u32 str__sz,
			      const char *substr, u32 substr__sz) __ksym;

/*
 * 1 if str matches the shell glob pat (fnmatch(pat, str, 0) in the C
 * locale: *, ?, [...], [!...], ranges, classes, \ escapes; * matches /),
 * else 0. A NUL inside either buffer ends that string.
 * -E2BIG if str__sz or pat__sz exceeds 65536, or the pattern (the bytes
 * before pat's first NUL) exceeds 256 bytes (KFX_GLOB_PAT_MAX).
 * -ERANGE (-34) if the match needs more than 131072 steps (KFX_GLOB_BUDGET:
 * one per pattern element tried, one per pattern byte a bracket expression
 * reads; 0.35 ms natively at worst): never a guessed answer. Only a star whose
 * following segment keeps almost matching over a long str gets there (64 KiB
 * of 'a' against "*a...ab*"); a fixed-length tail after the last star is
 * tried once, at the end of str, so "*.log" costs O(pattern).
 */
extern int bpf_kfx_glob_match(const char *str, u32 str__sz,
			      const char *pat, u32 pat__sz) __ksym;

/*
 * 1 if the path str matches the path glob pat, else 0.  Both are split
 * at every '/': '*', '?' and [...] match inside one component (never a
 * '/'), a component that is exactly "**" matches any number of whole
 * components: a middle "/" "**" "/" matches "/" or "/x/.../", a leading
 * "**" "/" matches "" or "x/.../", a trailing "/" "**" matches "/" and
 * anything after it ("/etc/" "**" matches "/etc/" and "/etc/a/b", not
 * "/etc"), "**" alone matches everything; "a**b" is "a*b".  Other
 * components follow bpf_kfx_glob_match (fnmatch), so a '/' inside
 * brackets or after '\' still splits.  A NUL inside either buffer ends
 * that string.  -E2BIG and the 256-byte pattern limit as
 * bpf_kfx_glob_match; -ERANGE (-34) past the same 131072-step budget for
 * the whole call (component globs plus one step per component tried and
 * per byte scanned): never a guessed answer.
 */
extern int bpf_kfx_path_match(const char *str, u32 str__sz,
			      const char *pat, u32 pat__sz) __ksym;

/*
 * Rule sets: the id of the lowest-numbered rule of the compiled set that
 * matches str, -1 if none.  set is what kfx's compiler
 * (src/kfx_ruleset.c, `kfx rules`) wrote into a map value; set__sz is at
 * most 4 MiB (KFX_SET_MAX_SIZE), in practice the map value's size.  str
 * ends at its first NUL or after str__sz bytes (a path in a buffer).
 * Rule kinds: substring, ASCII case-insensitive substring, prefix, suffix,
 * exact, glob (as bpf_kfx_glob_match), path glob (as bpf_kfx_path_match).
 * The set is untrusted: a malformed part the call reads returns -EINVAL
 * (-22) (a corrupted set may also answer some rule id or -1), never a
 * read outside the two buffers.  -E2BIG if str__sz exceeds 65536 or
 * set__sz 4 MiB.  -ERANGE (-34) if more than 8 glob rules
 * (KFX_SET_VERIFY_MAX) whose fixed prefix and suffix fit this str would
 * need a full match, or the pre-checks or the verifications ran out of
 * their budget: never a guessed answer.  Work: linear
 * in str__sz, independent of the number of rules (KFX_SET_WORK in
 * src/kfx_set.h), plus at most 8 glob budgets; a set of prefix and exact
 * rules only stops at the first byte no rule continues with (about one
 * LPM trie lookup).  Set format version 2
 * (dense transition rows for the hot states, up to 1 MiB per automaton):
 * about 2 KB per rule for 10 rules, 1.3 KB for 1,000, 360 B for 10,000;
 * the compiler and this kfunc must come from the same kfx (-EINVAL on a
 * version mismatch).
 */
extern int bpf_kfx_match_set(const void *set, u32 set__sz, const char *str,
			     u32 str__sz) __ksym;

/*
 * The absolute path of a dentry, walked in the kernel: the names from
 * walk->dentry up through every mount to the root of its mount tree,
 * written backwards into buf so that the path is buf[walk->start ..
 * walk->end), and walk->status (KFX_DPATH_*) says whether it is whole.
 * Returns 0, or -EINVAL for a malformed block (end past buf__sz, pad not
 * zero).  The block and its fields: include/kfx_dentry_path.h.
 *
 * Tracing and kprobe programs only: every read it makes through the
 * pointers and offsets it is given is fault-checked, as a probe read is.
 * Takes no lock (safe inside d_move or under mount_lock); a walk a rename
 * overlaps is retried once, then flagged KFX_DPATH_RACED.  Work: at most
 * 4096 names and 256 mount crossings per attempt, two attempts.
 */
extern int bpf_kfx_dentry_path(void *walk, u32 walk__sz, char *buf,
			       u32 buf__sz) __ksym;

/*
 * a + b + c + d: the kfunc of the second seed tutorial, same name.  Optional
 * (__weak): kfx.ko leaves it out on a kernel whose vmlinux has a function of
 * that name (none known).
 */
extern u64 bpf_kfunc_call_test(u32 a, u64 b, u32 c, u64 d) __ksym __weak;

/*
 * The first tutorial's name for bpf_kfx_strstr.  Optional (__weak): from
 * 6.17 on vmlinux has a bpf_strstr of its own (two arguments), which libbpf
 * finds first and 7.3 refuses to register a second of, so kfx.ko's build
 * leaves it out on kernels whose vmlinux BTF has the name (a one-line
 * warning in the build log).  Call it only from an object of its own
 * (bpf/kfx_alias.bpf.c): 6.1 refuses bpf_ksym_exists() on a kfunc.
 */
extern int bpf_strstr(const char *str, u32 str__sz,
		      const char *substr, u32 substr__sz) __ksym __weak;

/*
 * Constant strings and buffers for the kfuncs' (buffer, size) arguments.
 *
 * A kfunc buffer argument must be memory the program could also write: the
 * verifier checks both a read and a write of the whole range. A string
 * literal, or any const global, lives in .rodata, a map the program may only
 * read, and every kernel from 6.1 to 7.3 refuses it ("write into map
 * forbidden ... memory, len pair leads to invalid memory access"). These
 * macros put the constant in a writable global section of its own,
 * .data.kfx, which libbpf turns into an ordinary array map.
 *
 *   KFX_STR(needle, "secret");                    at file scope
 *   bpf_kfx_strstr(s, n, KFX_STR_ARG(needle));    -> needle, 6
 *
 *   KFX_BUF(magic, 0x7f, 'E', 'L', 'F');          bytes, no NUL added
 *   bpf_kfx_strstr(s, n, KFX_BUF_ARG(magic));     -> magic, 4
 *
 * KFX_STR keeps the NUL (so bpf_printk("%s", needle) works) but does not
 * count it. An explicit section rather than plain non-const data: the
 * compiler may turn a static array nothing writes into a constant and move
 * it to .rodata, which would bring the refusal back. The program may change
 * the bytes (a map value), so treat them as read-only by convention.
 */
#define KFX_STR(name, lit) \
	static char name[sizeof(lit)] __attribute__((section(".data.kfx"), used)) = lit
#define KFX_STR_ARG(name) (name), (u32)(sizeof(name) - 1)
#define KFX_BUF(name, ...) \
	static char name[] __attribute__((section(".data.kfx"), used)) = { __VA_ARGS__ }
#define KFX_BUF_ARG(name) (name), (u32)sizeof(name)

#endif /* KFX_KFUNCS_H */
