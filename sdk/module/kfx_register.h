/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfx_register.h: register a module's kfuncs the same way on every kernel
 * from 6.1 on.  Header-only, to vendor next to compat.h; kfx.ko uses it too.
 *
 * The author writes the kfunc bodies and declares each kfunc once, in
 * NAME.kfuncs; kfx-kfuncs turns that into NAME.kfuncs.h (prototypes,
 * KFX_HAVE_<kfunc> 1 or 0, and the list KFX_KFUNCS(X)).  The module's C file:
 *
 *	#include "kfx_register.h"	(first: it sets pr_fmt)
 *	#include "NAME.kfuncs.h"
 *
 *	__bpf_kfunc_start_defs();
 *	__bpf_kfunc int name_add(u32 a, u64 b) { return a + b; }
 *	#if KFX_HAVE_name_optional	(optional kfuncs may be compiled out)
 *	__bpf_kfunc int name_optional(...) { ... }
 *	#endif
 *	__bpf_kfunc_end_defs();
 *
 *	KFX_KFUNC_SET(name_kfunc_ids);
 *	KFX_MODULE_INIT(name_kfunc_ids, KFX_HOOKS_DEFAULT);
 *
 * KFX_MODULE_INIT defines module_init/module_exit: at load it checks that the
 * module's BTF reached the kernel, then registers the set for each program
 * type (hook) of the list, optional hooks first.  A module with more to do at
 * init calls kfx_register_kfuncs() from its own init instead.
 */
#ifndef KFX_REGISTER_H
#define KFX_REGISTER_H

#ifndef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#endif

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/utsname.h>

#include "compat.h"

/* A program type the kfuncs are offered to. */
struct kfx_hook {
	enum bpf_prog_type type;
	const char *name;	/* for messages */
	bool required;		/* false: a kernel without this hook is fine */
};

#define KFX_HOOK(TYPE, name, required) { BPF_PROG_TYPE_##TYPE, name, required }

/*
 * kprobe programs may call module kfuncs from 6.10 on (before, registering
 * answers -EINVAL); tracing (fentry/fexit/tp_btf/lsm) and syscall from 6.1.
 * Tracing and kprobe need CAP_PERFMON and may read kernel memory anyway
 * (bpf_probe_read_kernel): a tracing-only kfunc, one that reads through
 * pointers it is given as numbers, is offered to KFX_HOOKS_TRACING only,
 * not to a syscall program, which CAP_BPF alone may load.
 */
#define KFX_HOOKS_TRACING						\
	KFX_HOOK(KPROBE, "kprobe", false),				\
	KFX_HOOK(TRACING, "tracing (fentry/fexit/tp_btf/lsm)", true)
#define KFX_HOOKS_SYSCALL KFX_HOOK(SYSCALL, "syscall", true)
#define KFX_HOOKS_DEFAULT KFX_HOOKS_TRACING, KFX_HOOKS_SYSCALL

/*
 * The BTF id set of every kfunc NAME.kfuncs.h compiled in, with its flags.
 * BTF_KFUNCS_START carries the BTF_SET8_KFUNCS flag 6.9+ requires; compat.h
 * falls back to a plain set8 on older kernels.
 */
#define KFX_BTF_ID_FLAGS_(name, flags) BTF_ID_FLAGS(func, name, flags)
#define KFX_KFUNC_SET(ids)						\
	BTF_KFUNCS_START(ids)						\
	KFX_KFUNCS(KFX_BTF_ID_FLAGS_)					\
	BTF_KFUNCS_END(ids)						\
	extern struct btf_id_set8 ids

/*
 * Every kfunc, tracing-only ones included (KFX_KFUNCS_TRACING).  A kernel
 * takes one set per program type from a module (6.1 warns and answers
 * -EINVAL to a second), so a module with tracing-only kfuncs offers this
 * set to tracing and kprobe, and the KFX_KFUNC_SET one to syscall.
 */
#define KFX_KFUNC_SET_ALL(ids)						\
	BTF_KFUNCS_START(ids)						\
	KFX_KFUNCS(KFX_BTF_ID_FLAGS_)					\
	KFX_KFUNCS_TRACING(KFX_BTF_ID_FLAGS_)				\
	BTF_KFUNCS_END(ids)						\
	extern struct btf_id_set8 ids

/*
 * register_btf_kfunc_id_set() returns 0 without registering anything when
 * the module has no usable BTF ("missing module BTF" in the log), so the
 * kfuncs would silently not exist.  Catch both ways that happens: no .BTF
 * section at all (built without the target kernel's vmlinux), and BTF the
 * kernel rejected at load (made against another kernel's vmlinux; Debian's
 * CONFIG_MODULE_ALLOW_BTF_MISMATCH loads such a module anyway).  The kernel
 * publishes accepted module BTF in /sys/kernel/btf before our init runs.
 *
 * Both refusals return -ENODATA ("No data available": the BTF data the
 * kfuncs need is not there), not -ENOKEY, whose text "Required key not
 * available" is what a Secure Boot signature refusal prints and sends users
 * after keys instead of a rebuild.  The log line above it names the cause.
 */
static inline int kfx_check_btf(struct module *mod)
{
	struct path path;

#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	if (!mod->btf_data_size) {
		pr_err("module has no BTF: it was built without the vmlinux BTF of kernel %s; rebuild it for this kernel (dkms install %s)\n",
		       init_utsname()->release, mod->name);
		return -ENODATA;
	}
#else
	pr_err("kernel built without CONFIG_DEBUG_INFO_BTF_MODULES: module kfuncs are impossible\n");
	return -EOPNOTSUPP;
#endif
	/* Without sysfs at /sys (odd containers) the check cannot be made. */
	if (kern_path("/sys/kernel/btf/vmlinux", 0, &path))
		return 0;
	path_put(&path);
	if (kern_path("/sys/kernel/btf/" KBUILD_MODNAME, 0, &path)) {
		pr_err("the kernel rejected the module's BTF (see 'BTF' messages above): it was generated against another kernel's vmlinux; rebuild it for %s\n",
		       init_utsname()->release);
		return -ENODATA;
	}
	path_put(&path);
	return 0;
}

/* One BTF id set and the program types it is offered to. */
struct kfx_kset_hooks {
	const struct btf_kfunc_id_set *kset;
	const struct kfx_hook *hooks;
	size_t n;
};

/*
 * Optional hooks first, of every set, whatever the lists' order.  On 6.1 a
 * failed registration (kprobe, which that kernel has no hook for) frees the
 * module's whole kfunc table, so a kprobe attempt made after tracing and
 * syscall silently unregisters them: the verifier then says "calling kernel
 * function ... is not allowed".  There is no unregister: the sets go away
 * with the module's BTF when it unloads.
 */
static inline int kfx_register_sets(const struct kfx_kset_hooks *sets,
				    size_t nsets)
{
	int pass, err, registered = 0;
	const struct kfx_hook *h;
	size_t i, s;

	for (pass = 0; pass < 2; pass++) {
		for (s = 0; s < nsets; s++) {
			for (i = 0; i < sets[s].n; i++) {
				h = &sets[s].hooks[i];
				if (h->required != (pass == 1))
					continue;
				err = register_btf_kfunc_id_set(h->type,
								sets[s].kset);
				if (!err) {
					registered++;
					continue;
				}
				/*
				 * A kernel without a kfunc hook for this
				 * program type answers -EINVAL (kprobe
				 * before 6.10).
				 */
				if (err == -EINVAL && !h->required) {
					if (!s)
						pr_info("kfuncs not available to %s programs on this kernel\n",
							h->name);
					continue;
				}
				pr_err("registering kfuncs for %s programs failed: %d\n",
				       h->name, err);
				return err;
			}
		}
	}
	if (!registered) {
		pr_err("no program type accepted the kfuncs\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * The module-BTF check, then the registration of every set, as one call
 * for an init (sets[0]'s module is the one checked).
 */
static inline int kfx_register_kfunc_sets(const struct kfx_kset_hooks *sets,
					  size_t nsets)
{
	int err;

	err = kfx_check_btf(sets[0].kset->owner);
	if (err)
		return err;
	err = kfx_register_sets(sets, nsets);
	if (err)
		return err;
	pr_info("kfuncs registered\n");
	return 0;
}

/* The same for one set. */
static inline int kfx_register_kfuncs(const struct btf_kfunc_id_set *kset,
				      const struct kfx_hook *hooks, size_t n)
{
	const struct kfx_kset_hooks one = { kset, hooks, n };

	return kfx_register_kfunc_sets(&one, 1);
}

/*
 * The whole init and exit of a module that only offers kfuncs:
 * KFX_MODULE_INIT(ids, KFX_HOOKS_DEFAULT), or a list of KFX_HOOK()s; ids is
 * the set KFX_KFUNC_SET() defined.
 */
#define KFX_KSET_(ids)							\
	static const struct btf_kfunc_id_set ids##_kset = {		\
		.owner = THIS_MODULE,					\
		.set = &ids,						\
	}
#define KFX_MODULE_INIT_EXIT_(ids, body)				\
	static int __init ids##_init(void)				\
	{								\
		body							\
	}								\
	static void __exit ids##_exit(void)				\
	{								\
	}								\
	module_init(ids##_init);					\
	module_exit(ids##_exit)

/*
 * A tracing-only kfunc is in no set KFX_MODULE_INIT registers: refused at
 * build time (KFX_MODULE_INIT_TRACING is the init for such a module).
 */
#define KFX_NO_TRACING_ONLY_(name, flags)				\
	_Static_assert(0, "tracing-only kfunc " #name			\
		       " needs KFX_MODULE_INIT_TRACING");
#define KFX_CHECK_NO_TRACING_ONLY_ KFX_KFUNCS_TRACING(KFX_NO_TRACING_ONLY_)

#define KFX_MODULE_INIT(ids, ...)					\
	KFX_CHECK_NO_TRACING_ONLY_					\
	KFX_KSET_(ids);							\
	static const struct kfx_hook ids##_hooks[] = { __VA_ARGS__ };	\
	KFX_MODULE_INIT_EXIT_(ids,					\
		return kfx_register_kfuncs(&ids##_kset, ids##_hooks,	\
					   ARRAY_SIZE(ids##_hooks));)

/*
 * The same for a module with tracing-only kfuncs too: tids
 * (KFX_KFUNC_SET_ALL: every kfunc) offered to KFX_HOOKS_TRACING, ids
 * (KFX_KFUNC_SET: all but the tracing-only ones) to KFX_HOOKS_SYSCALL.
 */
#define KFX_MODULE_INIT_TRACING(ids, tids)				\
	KFX_KSET_(ids);							\
	KFX_KSET_(tids);						\
	static const struct kfx_hook ids##_hooks[] = { KFX_HOOKS_SYSCALL }; \
	static const struct kfx_hook tids##_hooks[] = { KFX_HOOKS_TRACING }; \
	static const struct kfx_kset_hooks ids##_sets[] = {		\
		{ &tids##_kset, tids##_hooks, ARRAY_SIZE(tids##_hooks) }, \
		{ &ids##_kset, ids##_hooks, ARRAY_SIZE(ids##_hooks) },	\
	};								\
	KFX_MODULE_INIT_EXIT_(ids,					\
		return kfx_register_kfunc_sets(ids##_sets,		\
					       ARRAY_SIZE(ids##_sets));)

#endif /* KFX_REGISTER_H */
