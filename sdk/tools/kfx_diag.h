/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a module's kfuncs are not there: the diagnosis `kfx status` makes,
 * for any kfunc module. Shared by kfx and every project `kfx new` writes
 * (copied into its tools/ from /usr/share/kfx-dev/tools/); needs libbpf.
 */
#ifndef KFX_DIAG_H
#define KFX_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct kfx_diag {
	const char *module;		/* "kfx": NAME.ko, /sys/module/NAME */
	const char *dkms_pkg;		/* "kfx-dkms": the package to install */
	const char *loaded_hint;	/* appended to "run 'modprobe NAME'" */
	char release[65];		/* uname -r */
	bool vmlinux_btf;		/* /sys/kernel/btf/vmlinux */
	bool module_loaded;		/* /sys/module/NAME */
	bool module_btf;		/* /sys/kernel/btf/NAME: kfuncs can exist */
};

/* Fill in what the running kernel shows (module and dkms_pkg set first). */
void kfx_diag_probe(struct kfx_diag *d);
bool kfx_diag_kernel_at_least(int major, int minor);
/* A FUNC defined by the module's own BTF (not inherited from vmlinux). */
bool kfx_diag_module_has_func(const char *module, const char *func);
/* modprobe MODULE, reporting a failure in one line; 0 if it loaded. */
int kfx_diag_modprobe(struct kfx_diag *d);

/*
 * One call of problem() per reason the module's kfuncs are missing (too old
 * a kernel, no vmlinux BTF, module not installed or not loadable, DKMS
 * skipped the kernel, signatures enforced, module without BTF), each with
 * the fix. Returns the number of problems.
 */
int kfx_diag_problems(const struct kfx_diag *d,
		      void (*problem)(const char *fmt, ...));

#endif /* KFX_DIAG_H */
