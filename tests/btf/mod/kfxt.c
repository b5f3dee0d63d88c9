// SPDX-License-Identifier: GPL-2.0
/*
 * kfxt - a tiny module for the kfx BTF helper tests.  It exercises every
 * .BTF_ids form kfx-btfids handles: a kfunc set8 declared out of id order,
 * a plain set, and an id list with struct, union, typedef and a vmlinux
 * function.  Written for 6.1's macros (BTF_SET8_START, no __bpf_kfunc).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>

__diag_push();
__diag_ignore_all("-Wmissing-prototypes",
		  "kfuncs are global functions without a header");

noinline u64 kfxt_add(u64 a, u64 b)
{
	return a + b;
}

noinline int kfxt_mul(int a, int b)
{
	return a * b;
}

noinline int kfxt_neg(int a)
{
	return -a;
}

__diag_pop();

/*
 * Neither in definition order nor in its reverse, so the sets come out of
 * the compiler unsorted whichever way pahole numbers the functions.
 */
BTF_SET8_START(kfxt_kfunc_ids)
BTF_ID_FLAGS(func, kfxt_mul, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, kfxt_neg)
BTF_ID_FLAGS(func, kfxt_add)
BTF_SET8_END(kfxt_kfunc_ids)

BTF_SET_START(kfxt_plain_set)
BTF_ID(func, kfxt_add)
BTF_ID(func, kfxt_neg)
BTF_ID(func, kfxt_mul)
BTF_SET_END(kfxt_plain_set)

BTF_ID_LIST(kfxt_type_ids)
BTF_ID(struct, task_struct)
BTF_ID(union, bpf_attr)
BTF_ID(typedef, pid_t)
BTF_ID(func, vfs_read)
BTF_ID(func, kfxt_add)
#ifdef KFXT_BAD
BTF_ID(func, kfxt_missing)	/* no such function: must not resolve */
#endif

static const struct btf_kfunc_id_set kfxt_kfunc_set = {
	.owner = THIS_MODULE,
	.set   = &kfxt_kfunc_ids,
};

static int __init kfxt_init(void)
{
	pr_info("kfxt: %u %u %d\n", kfxt_type_ids[0], kfxt_plain_set.cnt,
		kfxt_neg(0));
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_TRACING,
					 &kfxt_kfunc_set);
}

static void __exit kfxt_exit(void)
{
}

module_init(kfxt_init);
module_exit(kfxt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kfx BTF helper test module");
