/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fallbacks for the kfunc macros that older kernels lack, by feature test
 * (#ifndef), never by version number: distro kernels backport freely.
 *
 *   __bpf_kfunc                   6.3
 *   __bpf_kfunc_start_defs/_end   6.7
 *   BTF_KFUNCS_START/_END         6.9
 *
 * kfx supports 6.1 and later; older kernels have no module kfuncs at all.
 */
#ifndef KFX_COMPAT_H
#define KFX_COMPAT_H

#include <linux/version.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>

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

#endif /* KFX_COMPAT_H */
