// SPDX-License-Identifier: GPL-2.0
/*
 * kfx_alias.bpf.o: selftest of the tutorial name bpf_strstr, in an object
 * of its own. On 6.17+ vmlinux has a two-argument bpf_strstr that libbpf
 * finds before the module's, and a mismatching extern fails the whole
 * object; the loader only opens this one where the module exports the alias.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "kfx_kfuncs.h"
#include "kfx.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_st_io);
} kfx_st_io SEC(".maps");

SEC("syscall")
int kfx_selftest_alias(void *ctx)
{
	struct kfx_st_io *io;
	u32 zero = 0, a_len, b_len;

	io = bpf_map_lookup_elem(&kfx_st_io, &zero);
	if (!io || io->op != KFX_ST_TUTORIAL_STRSTR)
		return 1;
	a_len = io->a_len;
	b_len = io->b_len;
	if (a_len > KFX_ST_BUF || b_len > KFX_ST_BUF)
		return 1;
	io->result = bpf_strstr(io->a, a_len, io->b, b_len);
	io->done = 1;
	return 0;
}
