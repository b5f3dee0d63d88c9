// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF-target object with hand-written .BTF_ids, so kfx-btfids can be
 * tested on both byte orders without a kernel: clang emits .BTF for
 * bpfel/bpfeb.  The set8 is unsorted and each id carries distinct flags, so
 * a sort that lost the flags or a byte-order slip shows.
 */
struct kfxs_a { int x; };
union kfxs_u { int a; long b; };
typedef unsigned int kfxs_t;

int kfxs_one(struct kfxs_a *a, union kfxs_u *u, kfxs_t t)
{
	return a->x + u->a + t;
}

int kfxs_two(int a)
{
	return a * 2;
}

int kfxs_three(int a)
{
	return a * 3;
}

#ifdef KFXS_BAD
#define KFXS_EXTRA "__BTF_ID__func__kfxs_nope__10:\n.zero 4\n"
#else
#define KFXS_EXTRA ""
#endif

asm(".pushsection .BTF_ids,\"a\"\n"
    "__BTF_ID__set8__kfxs_s8:\n.zero 8\n"
    "__BTF_ID__func__kfxs_three__1:\n.zero 4\n.long 0x11223344\n"
    "__BTF_ID__func__kfxs_one__2:\n.zero 4\n.long 0x55667788\n"
    "__BTF_ID__func__kfxs_two__3:\n.zero 4\n.long 0x99aabbcc\n"
    ".size __BTF_ID__set8__kfxs_s8, .-__BTF_ID__set8__kfxs_s8\n"
    "__BTF_ID__set__kfxs_s:\n.zero 4\n"
    "__BTF_ID__func__kfxs_two__4:\n.zero 4\n"
    "__BTF_ID__func__kfxs_three__5:\n.zero 4\n"
    "__BTF_ID__func__kfxs_one__6:\n.zero 4\n"
    ".size __BTF_ID__set__kfxs_s, .-__BTF_ID__set__kfxs_s\n"
    "__BTF_ID__struct__kfxs_a__7:\n.zero 4\n"
    "__BTF_ID__union__kfxs_u__8:\n.zero 4\n"
    "__BTF_ID__typedef__kfxs_t__9:\n.zero 4\n"
    KFXS_EXTRA
    ".popsection\n");
