// SPDX-License-Identifier: GPL-2.0
/*
 * kfx: BPF kfuncs the stock kernel lacks (string search, glob matching,
 * rule sets, the path of a dentry).
 *
 * The kfuncs are thin wrappers around the kernel-agnostic string core in
 * kfx_string.c, which the user-space tests and fuzzers exercise directly.
 * They are declared once, in kfx.kfuncs; kfx-kfuncs (sdk/module) makes
 * kfx.kfuncs.h from it for the kernel being built for, and kfx_register.h
 * registers them, as it does for every module made with the kfx SDK.
 */
#include "kfx_register.h"
#include "kfx.kfuncs.h"
#include "kfx_string.h"
#include "kfx_set.h"
#include "kfx_dpath.h"

__bpf_kfunc_start_defs();

__bpf_kfunc int bpf_kfx_strstr(const char *str, u32 str__sz,
			       const char *substr, u32 substr__sz)
{
	return kfx_strstr(str, str__sz, substr, substr__sz);
}

__bpf_kfunc int bpf_kfx_strcasestr(const char *str, u32 str__sz,
				   const char *substr, u32 substr__sz)
{
	return kfx_strcasestr(str, str__sz, substr, substr__sz);
}

__bpf_kfunc int bpf_kfx_glob_match(const char *str, u32 str__sz,
				   const char *pat, u32 pat__sz)
{
	return kfx_glob_match(str, str__sz, pat, pat__sz);
}

__bpf_kfunc int bpf_kfx_path_match(const char *str, u32 str__sz,
				   const char *pat, u32 pat__sz)
{
	return kfx_path_match(str, str__sz, pat, pat__sz);
}

__bpf_kfunc int bpf_kfx_match_set(const void *set, u32 set__sz,
				  const char *str, u32 str__sz)
{
	return kfx_match_set(set, set__sz, str, str__sz);
}

/* Tracing-only (kfx.kfuncs): it reads through the numbers it is given. */
__bpf_kfunc int bpf_kfx_dentry_path(void *walk, u32 walk__sz, char *buf,
				    u32 buf__sz)
{
	return kfx_dentry_path(walk, walk__sz, buf, buf__sz);
}

/* Optional (kfx.kfuncs): compiled out where vmlinux has the name. */
#if KFX_HAVE_bpf_kfunc_call_test
__bpf_kfunc u64 bpf_kfunc_call_test(u32 a, u64 b, u32 c, u64 d)
{
	return a + b + c + d;
}
#endif

/* The first tutorial's name; 6.17+ vmlinux has its own bpf_strstr. */
#if KFX_HAVE_bpf_strstr
__bpf_kfunc int bpf_strstr(const char *str, u32 str__sz,
			   const char *substr, u32 substr__sz)
{
	return kfx_strstr(str, str__sz, substr, substr__sz);
}
#endif

__bpf_kfunc_end_defs();

KFX_KFUNC_SET(kfx_kfunc_ids);
KFX_KFUNC_SET_ALL(kfx_kfunc_all_ids);
KFX_MODULE_INIT_TRACING(kfx_kfunc_ids, kfx_kfunc_all_ids);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kfx developers");
MODULE_DESCRIPTION("BPF kfuncs for string search, glob matching, rule sets and dentry paths");
MODULE_VERSION(KFX_VERSION);
