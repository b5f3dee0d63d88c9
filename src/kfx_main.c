// SPDX-License-Identifier: GPL-2.0
/*
 * kfx: BPF kfuncs the stock kernel lacks (string search, glob matching).
 *
 * The kfuncs are thin wrappers around the kernel-agnostic string core in
 * kfx_string.c, which the user-space tests and fuzzers exercise directly.
 * Registration is per program type because the set of kfunc hooks differs
 * between kernels (KPROBE appeared in 6.10); see kfx_register().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
#include "kfx_string.h"
#include "kfx_set.h"
#include "kfx_kfuncs.h"

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

__bpf_kfunc u64 bpf_kfunc_call_test(u32 a, u64 b, u32 c, u64 d)
{
	return a + b + c + d;
}

#ifdef KFX_HAVE_TUTORIAL_ALIAS
__bpf_kfunc int bpf_strstr(const char *str, u32 str__sz,
			   const char *substr, u32 substr__sz)
{
	return kfx_strstr(str, str__sz, substr, substr__sz);
}
#endif

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(kfx_kfunc_ids)
BTF_ID_FLAGS(func, bpf_kfx_strstr)
BTF_ID_FLAGS(func, bpf_kfx_strcasestr)
BTF_ID_FLAGS(func, bpf_kfx_glob_match)
BTF_ID_FLAGS(func, bpf_kfx_path_match)
BTF_ID_FLAGS(func, bpf_kfx_match_set)
BTF_ID_FLAGS(func, bpf_kfunc_call_test)
#ifdef KFX_HAVE_TUTORIAL_ALIAS
BTF_ID_FLAGS(func, bpf_strstr)
#endif
BTF_KFUNCS_END(kfx_kfunc_ids)

static const struct btf_kfunc_id_set kfx_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &kfx_kfunc_ids,
};

/*
 * register_btf_kfunc_id_set() returns 0 without registering anything when
 * the module has no usable BTF ("missing module BTF" in the log), so the
 * kfuncs would silently not exist. Catch both ways that happens: no .BTF
 * section at all (built without the target kernel's vmlinux), and BTF the
 * kernel rejected at load (made against another kernel's vmlinux; Debian's
 * CONFIG_MODULE_ALLOW_BTF_MISMATCH loads such a module anyway). The kernel
 * publishes accepted module BTF in /sys/kernel/btf before our init runs.
 *
 * Both refusals return -ENODATA ("No data available": the BTF data the
 * kfuncs need is not there), not -ENOKEY, whose text "Required key not
 * available" is what a Secure Boot signature refusal prints and sends users
 * after keys instead of a rebuild. The log line above it names the cause.
 */
static int kfx_check_btf(void)
{
	struct path path;

#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	if (!THIS_MODULE->btf_data_size) {
		pr_err("module has no BTF: it was built without the vmlinux BTF of kernel %s; rebuild it for this kernel (dkms install kfx)\n",
		       init_utsname()->release);
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

/*
 * Optional hooks come first. On 6.1 a failed registration (kprobe, which
 * that kernel has no hook for) frees the module's whole kfunc table, so a
 * kprobe attempt made after tracing and syscall silently unregisters them:
 * the verifier then says "calling kernel function ... is not allowed".
 */
static const struct {
	enum bpf_prog_type type;
	const char *name;
	bool required;
} kfx_hooks[] = {
	{ BPF_PROG_TYPE_KPROBE, "kprobe", false },
	{ BPF_PROG_TYPE_TRACING, "tracing (fentry/fexit/tp_btf/lsm)", true },
	{ BPF_PROG_TYPE_SYSCALL, "syscall", true },
};

static int kfx_register(void)
{
	int i, err, registered = 0;

	for (i = 0; i < ARRAY_SIZE(kfx_hooks); i++) {
		err = register_btf_kfunc_id_set(kfx_hooks[i].type,
						&kfx_kfunc_set);
		if (!err) {
			registered++;
			continue;
		}
		/*
		 * A kernel without a kfunc hook for this program type answers
		 * -EINVAL (kprobe before 6.10). Optional hooks are skipped.
		 */
		if (err == -EINVAL && !kfx_hooks[i].required) {
			pr_info("kfuncs not available to %s programs on this kernel\n",
				kfx_hooks[i].name);
			continue;
		}
		pr_err("registering kfuncs for %s programs failed: %d\n",
		       kfx_hooks[i].name, err);
		return err;
	}
	if (!registered) {
		pr_err("no program type accepted the kfuncs\n");
		return -EINVAL;
	}
	return 0;
}

static int __init kfx_init(void)
{
	int err;

	err = kfx_check_btf();
	if (err)
		return err;
	/* There is no unregister: the sets go away with our module BTF. */
	err = kfx_register();
	if (err)
		return err;
	pr_info("kfuncs registered\n");
	return 0;
}

static void __exit kfx_exit(void)
{
}

module_init(kfx_init);
module_exit(kfx_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kfx developers");
MODULE_DESCRIPTION("BPF kfuncs for string search and glob matching");
MODULE_VERSION(KFX_VERSION);
