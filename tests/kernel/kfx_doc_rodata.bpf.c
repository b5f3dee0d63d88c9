// SPDX-License-Identifier: GPL-2.0
/*
 * README's unlink example as it was written before KFX_STR: the needle a
 * string literal, i.e. in .rodata. The VM matrix (check doc-rodata-refused)
 * loads it to keep README's claim true that every supported kernel's
 * verifier refuses read-only data as a kfunc buffer; if a kernel ever
 * accepts it, that paragraph needs rewriting.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "kfx_kfuncs.h"

char LICENSE[] SEC("license") = "GPL";

int hits;

SEC("fentry/vfs_unlink")
int BPF_PROG(on_unlink, void *idmap, struct inode *dir, struct dentry *dentry)
{
	char name[64];
	long n = bpf_probe_read_kernel_str(name, sizeof(name), dentry->d_name.name);

	if (n > 1 && bpf_kfx_strstr(name, n - 1, "secret", 6) >= 0)
		__sync_fetch_and_add(&hits, 1);
	return 0;
}
