/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fallbacks for the kfunc macros that older kernels lack, by feature test
 * (#ifndef), never by version number: distro kernels backport freely.
 *
 *   __bpf_kfunc                   6.3
 *   __bpf_kfunc_start_defs/_end   6.7
 *   BTF_KFUNCS_START/_END         6.9
 *   KF_RCU                        6.2   (0 where missing, see below)
 *   KF_FASTCALL                   6.13  (0 where missing)
 *   KF_SPINLOCK_SAFE              7.x   (0 where missing)
 *   KF_TRUSTED_ARGS               removed in 7.0 (0 there: the default)
 *   KFX_NULLABLE(arg)             the __nullable argument suffix
 *
 * The kfunc flags every supported kernel has need nothing: KF_ACQUIRE,
 * KF_RELEASE, KF_RET_NULL, KF_SLEEPABLE, KF_DESTRUCTIVE (6.1 to 7.3, seen
 * in Debian's headers). No fallback, on purpose, for flags whose absence
 * would change what the verifier lets a program do: KF_ITER_* and
 * KF_RCU_PROTECTED (6.4, 6.7), KF_ARENA_*, KF_IMPLICIT_ARGS (7.0),
 * KF_PERFMON, and KF_KPTR_GET (gone after 6.3). A module using one of those
 * fails to build where the kernel lacks it, naming the flag; test for it
 * with #ifdef to make the kfunc optional.
 *
 * kfx supports 6.1 and later; older kernels have no module kfuncs at all.
 */
#ifndef KFX_COMPAT_H
#define KFX_COMPAT_H

#include <linux/version.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/build_bug.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "kfx needs Linux 6.1 or later (module kfuncs with BTF_SET8 and btf_kfunc_id_set.owner)"
#endif

/*
 * Keep the function out of line and its symbol in BTF even if nothing in the
 * module calls it; that is all 6.3's __bpf_kfunc adds for our purposes.
 */
#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

/* Only silence -Wmissing-prototypes; kfx declares its kfuncs anyway. */
#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()
#define __bpf_kfunc_end_defs()
#endif

/*
 * 6.9 requires kfunc sets to carry BTF_SET8_KFUNCS and registration of a set
 * without it fails with -EINVAL. Before 6.9 the flag does not exist and a
 * plain set8 is what register_btf_kfunc_id_set() expects. Never fall back to
 * an empty set: it would register nothing and report success.
 */
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif

/*
 * 7.0 removed KF_TRUSTED_ARGS: every kfunc's pointer arguments must be
 * trusted there, as the flag asked for before. Defining it to 0 where it is
 * missing keeps one flags table for all kernels, with the same meaning.
 */
#ifndef KF_TRUSTED_ARGS
#define KF_TRUSTED_ARGS 0
#endif

/*
 * KF_RCU (6.2) lets a kfunc take RCU-protected pointers as well as trusted
 * ones. 6.1 has no RCU pointer type at all and, without KF_TRUSTED_ARGS,
 * accepts any BTF pointer, so 0 asks nothing the kernel cannot give.
 */
#ifndef KF_RCU
#define KF_RCU 0
#endif

/* Hints and permissions whose absence only makes the verifier stricter. */
#ifndef KF_FASTCALL
#define KF_FASTCALL 0
#endif
#ifndef KF_SPINLOCK_SAFE
#define KF_SPINLOCK_SAFE 0
#endif

/*
 * A pointer argument that may be NULL: the verifier reads the parameter's
 * name suffix "__nullable" (there is no macro to test for it, 6.12 and 7.3
 * know it). Write "struct task_struct *KFX_NULLABLE(task)" and test the
 * parameter as task__nullable. Kernels that predate the suffix ignore it:
 * there a program cannot pass NULL (the load fails, nothing unsafe runs),
 * so the kfunc body must still check for NULL on every kernel.
 */
#define KFX_NULLABLE(name) name##__nullable

/*
 * Every flag named above resolves on the kernel being built for: kfx.ko's
 * build (per kernel in the VM matrix) fails here if one does not.
 */
static_assert((KF_ACQUIRE | KF_RELEASE | KF_RET_NULL | KF_SLEEPABLE |
	       KF_DESTRUCTIVE | KF_TRUSTED_ARGS | KF_RCU | KF_FASTCALL |
	       KF_SPINLOCK_SAFE) != 0, "kfunc flags");

#endif /* KFX_COMPAT_H */
