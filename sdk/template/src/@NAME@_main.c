// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@.ko: registers the kfuncs of @NAME@_kfuncs.c with the BPF verifier.
 *
 * Nothing to edit here to add a kfunc: @NAME@.kfuncs.h, generated from
 * @NAME@.kfuncs for the kernel being built for, lists them with their
 * flags, and kfx_register.h (vendored from kfx-dev) registers them for each
 * program type the running kernel allows (optional hooks first: on 6.1 a
 * failed registration drops the earlier ones), after checking that the
 * module's BTF reached the kernel (without it the kfuncs would silently not
 * exist: init fails with -ENODATA and one line in dmesg saying why).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/btf.h>

/*
 * 6.1's KF_TRUSTED_ARGS means "referenced", and no program there can hold a
 * reference to a task (bpf_task_acquire() is 6.2), so a kfunc flagged so
 * could never be called: there the flag is dropped. Trusted pointers came
 * in 6.2 together with KF_RCU, hence the test (before compat.h, which
 * defines KF_RCU where it is missing). 7.0 made trusted the default.
 */
#ifndef KF_RCU
#define @NAME_UPPER@_NO_TRUSTED_PTRS
#endif

#include "kfx_register.h"
#include "@NAME@.kfuncs.h"

#ifdef @NAME_UPPER@_NO_TRUSTED_PTRS
#undef KF_TRUSTED_ARGS
#define KF_TRUSTED_ARGS 0
#endif

KFX_KFUNC_SET(@NAME@_kfunc_ids);
KFX_MODULE_INIT(@NAME@_kfunc_ids, KFX_HOOKS_DEFAULT);

MODULE_LICENSE("GPL");	/* module kfuncs are for GPL programs only */
MODULE_DESCRIPTION("@NAME@: BPF kfuncs");
MODULE_VERSION(@NAME_UPPER@_VERSION);
