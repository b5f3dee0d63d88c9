// SPDX-License-Identifier: GPL-2.0
/*
 * kfx status: one line per fact, one line per problem with a hint, exit 0
 * only when `kfx watch` will work. The last check really loads the watch
 * program (without attaching it): the verifier is the final judge of
 * whether the kfuncs are callable from the program type watch will use.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kfx_cli.h"

static const char *const kfuncs[] = {
	"bpf_kfx_strstr", "bpf_kfx_strcasestr", "bpf_kfx_glob_match",
	"bpf_kfunc_call_test",
};

static int problems;

static void fact(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fact(const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("  %-24s ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...)
{
	va_list ap;

	printf("problem: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	problems++;
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

/* Is kfx.ko installed for the running kernel (modprobe could load it)? */
static bool module_installed(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", 1);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("modinfo", "modinfo", "-F", "filename", "kfx",
		       (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &st, 0) > 0 && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

/*
 * Can DKMS make kfx.ko's BTF for kernel REL? It needs REL's vmlinux BTF:
 * a vmlinux in the headers (Debian 13) or the kernel image. Without either
 * dkms.conf skips REL (see there), and the fix is installing the image.
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

/*
 * Does the kernel refuse unsigned modules? Then a DKMS-built kfx.ko loads
 * only once the user enrolled the key DKMS signs with (Secure Boot).
 */
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

int kfx_cmd_status(void)
{
	struct kfx_watch_load l;
	struct kfx_kernel k;
	char version[64], why[64];
	bool too_old;
	size_t i;

	kfx_kernel_probe(&k);
	printf("kfx %s status\n", KFX_VERSION);
	fact("kernel", "%s", k.release);
	fact("BPF object", "%s%s", kfx_default_object(),
	     access(kfx_default_object(), R_OK) ? " (MISSING)" : "");
	if (access(kfx_default_object(), R_OK))
		problem("cannot read %s: reinstall the kfx package or pass --object",
			kfx_default_object());
	too_old = !kfx_kernel_version_at_least(6, 1);
	if (too_old)
		problem("kernel %s is older than 6.1, the oldest kernel kfx supports (module kfuncs need 6.1+); kfx cannot work here",
			k.release);
	fact("vmlinux BTF", "%s", k.vmlinux_btf ? "yes" : "no");
	if (!k.vmlinux_btf)
		problem("no /sys/kernel/btf/vmlinux: the kernel was built without CONFIG_DEBUG_INFO_BTF; no kfuncs possible");

	read_line("/sys/module/kfx/version", version, sizeof(version));
	fact("module loaded", k.module_loaded ? "yes (version %s)" : "no",
	     version[0] ? version : "unknown");
	/* Below 6.1 DKMS rightly builds nothing: no hint to install it. */
	if (!k.module_loaded && !too_old) {
		if (signatures_enforced(why, sizeof(why)))
			problem("the kernel loads only signed modules (%s): DKMS signs kfx.ko with its MOK key; enroll it once with 'mokutil --import /var/lib/dkms/mok.pub', reboot and confirm in the MOK manager, then 'modprobe kfx'",
				why);
		if (module_installed())
			problem("module not loaded: run 'modprobe kfx' (kfx watch does this itself)");
		else if (!vmlinux_btf_source(k.release))
			problem("kfx.ko is not installed for %s, and this kernel's image is not installed (no /boot/vmlinuz-%s): DKMS skips such a kernel, because kfx.ko needs the kernel's own vmlinux BTF; install linux-image-%s, then run 'dkms autoinstall -k %s'",
				k.release, k.release, k.release, k.release);
		else
			problem("kfx.ko is not installed for %s: install kfx-dkms, or run 'dkms autoinstall -k %s' if it is installed",
				k.release, k.release);
	}
	fact("module BTF", k.module_btf ? "yes (/sys/kernel/btf/kfx)" : "no");
	if (k.module_loaded && !k.module_btf)
		problem("kfx.ko has no BTF: it was built against another kernel's vmlinux; rebuild it with dkms ('dkms install kfx/<version> -k %s --force') and reload it",
			k.release);

	if (k.module_btf) {
		for (i = 0; i < sizeof(kfuncs) / sizeof(kfuncs[0]); i++) {
			bool ok = kfx_module_has_func(kfuncs[i]);

			fact(kfuncs[i], "%s", ok ? "ok" : "MISSING");
			if (!ok)
				problem("kfunc %s is not in the module's BTF: the module is older or newer than this kfx; reinstall both",
					kfuncs[i]);
		}
	}
	if (k.kernel_bpf_strstr)
		fact("bpf_strstr (tutorial)", "the kernel's own (6.17+, 2 arguments) shadows the tutorial name; use bpf_kfx_strstr");
	else if (k.module_btf)
		fact("bpf_strstr (tutorial)", "%s", k.module_alias ?
		     "ok (alias of bpf_kfx_strstr)" : "MISSING");

	fact("unlink hook", "%s", k.unlink_func ? k.unlink_func : "none");
	if (k.vmlinux_btf && !k.unlink_func)
		problem("neither do_unlinkat nor filename_unlinkat is in the kernel's BTF: kfx watch has nothing to attach to");

	if (k.module_btf && k.unlink_func &&
	    !access(kfx_default_object(), R_OK)) {
		if (kfx_watch_load(&k, KFX_ATTACH_AUTO, false, NULL, &l)) {
			fact("watch would use", "nothing: %s", l.error);
			problem("the watch program does not load: %s", l.error);
		} else {
			fact("watch would use", "%s on %s (program loads)",
			     l.prog_type, l.func);
			kfx_watch_unload(&l);
		}
	}
	if (problems) {
		printf("%d problem%s: kfx watch will not work\n", problems,
		       problems > 1 ? "s" : "");
		return KFX_EXIT_FAIL;
	}
	printf("ok: kfx watch will work\n");
	return KFX_EXIT_OK;
}
