/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The selftest I/O map shared by kfx.bpf.c and kfx_alias.bpf.c: user space
 * writes one vector (struct kfx_st_io) and runs a SYSCALL program on it.
 */
#ifndef KFX_ST_IO_BPF_H
#define KFX_ST_IO_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kfx_st_io);
} kfx_st_io SEC(".maps");

/*
 * The current vector and its buffer lengths, bounded for the verifier;
 * NULL if the lengths are out of bounds.
 */
static __always_inline struct kfx_st_io *kfx_st_vector(u32 *a_len, u32 *b_len)
{
	struct kfx_st_io *io;
	u32 zero = 0;

	io = bpf_map_lookup_elem(&kfx_st_io, &zero);
	if (!io)
		return NULL;
	*a_len = io->a_len;
	*b_len = io->b_len;
	if (*a_len > KFX_ST_BUF || *b_len > KFX_ST_BUF)
		return NULL;
	return io;
}

#endif /* KFX_ST_IO_BPF_H */
