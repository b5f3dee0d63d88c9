// SPDX-License-Identifier: GPL-2.0
/*
 * kfx status: one line per fact, one line per problem with a hint, exit 0
 * only when `kfx watch` will work. The last check really loads the watch
 * program (without attaching it): the verifier is the final judge of
 * whether the kfuncs are callable from the program type watch will use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kfx_cli.h"
#include "kfx_diag.h"

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

int kfx_cmd_status(void)
{
	struct kfx_watch_load l;
	struct kfx_kernel k;
	struct kfx_diag d = {
		.module = "kfx", .dkms_pkg = "kfx-dkms",
		.loaded_hint = " (kfx watch does this itself)",
	};
	char version[64];
	FILE *f;
	size_t i;

	kfx_kernel_probe(&k);
	printf("kfx %s status\n", KFX_VERSION);
	fact("kernel", "%s", k.release);
	fact("BPF object", "%s%s", kfx_default_object(),
	     access(kfx_default_object(), R_OK) ? " (MISSING)" : "");
	if (access(kfx_default_object(), R_OK))
		problem("cannot read %s: reinstall the kfx package or pass --object",
			kfx_default_object());
	fact("vmlinux BTF", "%s", k.vmlinux_btf ? "yes" : "no");
	kfx_diag_probe(&d);
	version[0] = '\0';
	f = fopen("/sys/module/kfx/version", "r");
	if (f) {
		if (fgets(version, sizeof(version), f))
			version[strcspn(version, "\n")] = '\0';
		fclose(f);
	}
	fact("module loaded", d.module_loaded ? "yes (version %s)" : "no",
	     version[0] ? version : "unknown");
	fact("module BTF", d.module_btf ? "yes (/sys/kernel/btf/kfx)" : "no");
	/* The module's side: the diagnosis every kfunc module shares. */
	kfx_diag_problems(&d, problem);

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
