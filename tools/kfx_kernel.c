// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel offers kfx: BTF, the module, the unlink hook.
 * Everything is decided here at run time, never at build time: the same
 * binary and BPF object serve 6.1 to 7.x.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "kfx_cli.h"
#include "kfx_diag.h"

#define MODULE_NAME "kfx"

static bool path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

bool kfx_kernel_version_at_least(int major, int minor)
{
	return kfx_diag_kernel_at_least(major, minor);
}

static bool btf_has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* A FUNC defined by the module itself, not inherited from the vmlinux base. */
bool kfx_module_has_func(const char *name)
{
	return kfx_diag_module_has_func(MODULE_NAME, name);
}

void kfx_kernel_probe(struct kfx_kernel *k)
{
	struct utsname u;
	struct btf *vmlinux;

	memset(k, 0, sizeof(*k));
	if (!uname(&u))
		snprintf(k->release, sizeof(k->release), "%s", u.release);
	k->module_loaded = path_exists("/sys/module/" MODULE_NAME);
	k->module_btf = path_exists("/sys/kernel/btf/" MODULE_NAME);

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return;
	k->vmlinux_btf = true;
	/* 7.3 renamed the unlink and rmdir workers; see bpf/kfx.bpf.c */
	if (btf_has_func(vmlinux, "do_unlinkat"))
		k->unlink_func = "do_unlinkat";
	else if (btf_has_func(vmlinux, "filename_unlinkat"))
		k->unlink_func = "filename_unlinkat";
	if (btf_has_func(vmlinux, "do_rmdir"))
		k->rmdir_func = "do_rmdir";
	else if (btf_has_func(vmlinux, "filename_rmdir"))
		k->rmdir_func = "filename_rmdir";
	/* where the resolved parent and victim are seen (CONFIG_SECURITY_PATH) */
	k->path_hooks = btf_has_func(vmlinux, "security_path_unlink") &&
			btf_has_func(vmlinux, "security_path_rmdir");
	k->kernel_bpf_strstr = btf_has_func(vmlinux, "bpf_strstr");
	btf__free(vmlinux);
	if (k->module_btf)
		k->module_alias = kfx_module_has_func("bpf_strstr");
}

/* Kernel BTF, then the module (loaded with modprobe if missing) with BTF. */
int kfx_ensure_module(struct kfx_kernel *k)
{
	if (!k->vmlinux_btf) {
		kfx_err("the kernel has no BTF (/sys/kernel/btf/vmlinux): CONFIG_DEBUG_INFO_BTF is required");
		return -1;
	}
	if (!k->module_loaded) {
		struct kfx_diag d = { .module = MODULE_NAME, .dkms_pkg = "kfx-dkms" };

		kfx_diag_probe(&d);
		if (kfx_diag_modprobe(&d))
			return -1;
		kfx_kernel_probe(k);
	}
	if (!k->module_loaded) {
		kfx_err("module %s is not loaded", MODULE_NAME);
		return -1;
	}
	if (!k->module_btf) {
		kfx_err("kfx.ko has no BTF (no /sys/kernel/btf/kfx), so its kfuncs do not exist: it was built against another kernel's vmlinux; rebuild it with dkms for %s",
			k->release);
		return -1;
	}
	return 0;
}

static char exe_dir[PATH_MAX];

/* A file of that name in the directory of the kfx binary, if any. */
const char *kfx_object_beside(const char *name)
{
	static char buf[PATH_MAX + 64];
	char *slash;
	ssize_t n;

	if (!exe_dir[0]) {
		n = readlink("/proc/self/exe", exe_dir, sizeof(exe_dir) - 1);
		if (n <= 0)
			return NULL;
		exe_dir[n] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash)
			*slash = '\0';
	}
	snprintf(buf, sizeof(buf), "%s/%s", exe_dir, name);
	return path_exists(buf) ? buf : NULL;
}

/* Running from the build tree finds the fresh object beside the binary. */
const char *kfx_default_object(void)
{
	static char path[PATH_MAX + 64];
	const char *p;

	if (object_path)
		return object_path;
	p = kfx_object_beside("kfx.bpf.o");
	snprintf(path, sizeof(path), "%s", p ? p : KFX_DEFAULT_OBJECT);
	return path;
}

/* Open (not load) an object; a missing or corrupt file is bad input. */
struct bpf_object *kfx_open_object(const char *path)
{
	struct bpf_object *obj;
	int err;

	if (access(path, R_OK)) {
		kfx_err("cannot read BPF object %s: %s", path, strerror(errno));
		exit(KFX_EXIT_USAGE);
	}
	obj = bpf_object__open_file(path, NULL);
	err = libbpf_get_error(obj);
	if (err) {
		char msg[128];

		libbpf_strerror(err, msg, sizeof(msg));
		kfx_err("%s is not a usable BPF object: %s", path, msg);
		exit(KFX_EXIT_USAGE);
	}
	return obj;
}

/* Bad input first: a missing or corrupt object fails before anything loads. */
void kfx_check_object(void)
{
	bpf_object__close(kfx_open_object(kfx_default_object()));
}
