// SPDX-License-Identifier: GPL-2.0
/*
 * mkbtf OUT [NAME...]: write raw BTF (as /sys/kernel/btf/vmlinux is) with
 * one FUNC per NAME, plus an int, a struct and a VAR that are not FUNCs, so
 * the kfunc-name check is tested against a vmlinux BTF of our choosing
 * without any kernel image.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int fail(const char *what)
{
	fprintf(stderr, "mkbtf: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct btf *btf;
	const void *raw;
	__u32 size;
	FILE *f;
	int i, int_id, proto, st;

	if (argc < 2) {
		fprintf(stderr, "usage: mkbtf OUT [NAME...]\n");
		return 2;
	}
	btf = btf__new_empty();
	if (!btf)
		return fail("btf__new_empty");
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	/* a non-FUNC type whose name a kfunc could have: must not clash */
	st = btf__add_struct(btf, "kfxt_not_a_func", 4);
	if (int_id < 0 || st < 0 || btf__add_field(btf, "x", int_id, 0, 0))
		return fail("btf__add_int/struct");
	if (btf__add_var(btf, "kfxt_var", BTF_VAR_GLOBAL_ALLOCATED, int_id) < 0)
		return fail("btf__add_var");
	proto = btf__add_func_proto(btf, int_id);
	if (proto < 0 || btf__add_func_param(btf, "a", int_id))
		return fail("btf__add_func_proto");
	for (i = 2; i < argc; i++)
		if (btf__add_func(btf, argv[i], BTF_FUNC_GLOBAL, proto) < 0)
			return fail(argv[i]);
	raw = btf__raw_data(btf, &size);
	if (!raw)
		return fail("btf__raw_data");
	f = fopen(argv[1], "wb");
	if (!f || fwrite(raw, 1, size, f) != size || fclose(f))
		return fail(argv[1]);
	btf__free(btf);
	return 0;
}
