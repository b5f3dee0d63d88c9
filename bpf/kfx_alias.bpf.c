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
#include "kfx_st_io.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("syscall")
int kfx_selftest_alias(void *ctx)
{
	u32 a_len, b_len;
	struct kfx_st_io *io = kfx_st_vector(&a_len, &b_len);

	if (!io || io->op != KFX_ST_TUTORIAL_STRSTR)
		return 1;
	io->result = bpf_strstr(io->a, a_len, io->b, b_len);
	io->done = 1;
	return 0;
}
