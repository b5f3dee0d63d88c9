// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis of a kfunc module that `kfx status` makes, for any module
 * (kfx_diag.h). Decided at run time from what the running kernel shows.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include "kfx_diag.h"

static bool path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

bool kfx_diag_kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

void kfx_diag_probe(struct kfx_diag *d)
{
	char p[PATH_MAX];
	struct utsname u;

	d->release[0] = '\0';
	if (!uname(&u))
		snprintf(d->release, sizeof(d->release), "%s", u.release);
	d->vmlinux_btf = path_exists("/sys/kernel/btf/vmlinux");
	snprintf(p, sizeof(p), "/sys/module/%s", d->module);
	d->module_loaded = path_exists(p);
	snprintf(p, sizeof(p), "/sys/kernel/btf/%s", d->module);
	d->module_btf = path_exists(p);
}

/*
 * The module's BTF is split BTF on top of vmlinux: a FUNC of its own has an
 * id past the base's. Both are parsed once per process (megabytes).
 */
bool kfx_diag_module_has_func(const char *module, const char *func)
{
	static struct btf *vmlinux, *mod;
	static char loaded[64];
	int id;

	if (!mod || strcmp(loaded, module)) {
		btf__free(mod);
		mod = NULL;
		if (!vmlinux)
			vmlinux = btf__load_vmlinux_btf();
		if (!vmlinux)
			return false;
		mod = btf__load_module_btf(module, vmlinux);
		if (!mod)
			return false;
		snprintf(loaded, sizeof(loaded), "%s", module);
	}
	id = btf__find_by_name_kind(mod, func, BTF_KIND_FUNC);
	return id > 0 && (unsigned int)id >= btf__type_cnt(vmlinux);
}

static int run_quiet(const char *const argv[], bool quiet)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = quiet ? open("/dev/null", O_WRONLY) : -1;

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int kfx_diag_modprobe(struct kfx_diag *d)
{
	const char *argv[] = { "modprobe", d->module, NULL };

	fprintf(stderr, "%s: module not loaded, running 'modprobe %s'\n",
		d->module, d->module);
	fflush(stderr);
	if (run_quiet(argv, false)) {
		fprintf(stderr, "%s: modprobe %s failed; is %s installed and built for %s? (see 'dkms status' and dmesg)\n",
			d->module, d->module, d->dkms_pkg, d->release);
		return -1;
	}
	kfx_diag_probe(d);
	return 0;
}

/* Is MODULE.ko installed for the running kernel (modprobe could load it)? */
static bool module_installed(const char *module)
{
	const char *argv[] = { "modinfo", "-F", "filename", module, NULL };

	return run_quiet(argv, true) == 0;
}

/*
 * Can DKMS make the module's BTF for kernel REL? It needs REL's vmlinux
 * BTF: a vmlinux in the headers (Debian 13) or the kernel image. Without
 * either a kfx-btf module's dkms.conf skips REL; the fix is the image.
 */
static bool vmlinux_btf_source(const char *rel)
{
	static const char *const fmt[] = {
		"/boot/vmlinuz-%s", "/lib/modules/%s/vmlinuz",
		"/lib/modules/%s/build/vmlinux",
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		snprintf(path, sizeof(path), fmt[i], rel);
		if (!access(path, F_OK))
			return true;
	}
	return false;
}

/* Unsigned modules refused: a DKMS build loads once its key is enrolled. */
static bool signatures_enforced(char *why, size_t len)
{
	char buf[128];

	read_line("/sys/module/module/parameters/sig_enforce", buf, sizeof(buf));
	if (buf[0] == 'Y') {
		snprintf(why, len, "module.sig_enforce");
		return true;
	}
	/* Secure Boot puts the kernel in lockdown, which requires signatures. */
	read_line("/sys/kernel/security/lockdown", buf, sizeof(buf));
	if (strstr(buf, "[integrity]") || strstr(buf, "[confidentiality]")) {
		snprintf(why, len, "lockdown, Secure Boot");
		return true;
	}
	return false;
}

int kfx_diag_problems(const struct kfx_diag *d,
		      void (*problem)(const char *fmt, ...))
{
	const char *m = d->module, *r = d->release;
	bool too_old = !kfx_diag_kernel_at_least(6, 1);
	int n = 0;
	char why[64];

	if (too_old) {
		problem("kernel %s is older than 6.1, the oldest kernel %s supports (module kfuncs need 6.1+); %s cannot work here",
			r, m, m);
		n++;
	}
	if (!d->vmlinux_btf) {
		problem("no /sys/kernel/btf/vmlinux: the kernel was built without CONFIG_DEBUG_INFO_BTF; no kfuncs possible");
		n++;
	}
	/* Below 6.1 DKMS rightly builds nothing: no hint to install it. */
	if (!d->module_loaded && !too_old) {
		if (signatures_enforced(why, sizeof(why))) {
			problem("the kernel loads only signed modules (%s): DKMS signs %s.ko with its MOK key; enroll it once with 'mokutil --import /var/lib/dkms/mok.pub', reboot and confirm in the MOK manager, then 'modprobe %s'",
				why, m, m);
			n++;
		}
		if (module_installed(m))
			problem("module not loaded: run 'modprobe %s'%s", m,
				d->loaded_hint ? d->loaded_hint : "");
		else if (!vmlinux_btf_source(r))
			problem("%s.ko is not installed for %s, and this kernel's image is not installed (no /boot/vmlinuz-%s): DKMS skips such a kernel, because %s.ko needs the kernel's own vmlinux BTF; install linux-image-%s, then run 'dkms autoinstall -k %s'",
				m, r, r, m, r, r);
		else
			problem("%s.ko is not installed for %s: install %s, or run 'dkms autoinstall -k %s' if it is installed",
				m, r, d->dkms_pkg, r);
		n++;
	}
	if (d->module_loaded && !d->module_btf) {
		problem("%s.ko has no BTF: it was built against another kernel's vmlinux; rebuild it with dkms ('dkms install %s/<version> -k %s --force') and reload it",
			m, m, r);
		n++;
	}
	return n;
}
