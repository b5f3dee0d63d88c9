// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The benchmark workload: see workload.h. */
#include <stdio.h>
#include <string.h>

#include "kfx_set.h"
#include "workload.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

void kfx_wl_seed(struct kfx_wl_rng *r, unsigned long long seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ull + 0x243f6a8885a308d3ull;
	if (!r->s)
		r->s = 1;
}

unsigned int kfx_wl_rand(struct kfx_wl_rng *r, unsigned int n)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (unsigned int)(r->s % n);
}

static const char *dots[] = { "ssh", "gnupg", "aws", "kube", "docker",
			      "password-store", "mozilla", "azure" };
static const char *secrets[] = { "id_rsa", "id_ed25519", "api_token",
				 "credentials", "shadow", "private_key",
				 "kubeconfig", "vault_secret" };
static const char *procs[] = { "environ", "mem", "maps", "cmdline" };
static const char *apps[] = { "postgres", "redis", "mysql", "nginx", "sshd",
			      "containerd", "dockerd", "bash" };
static const char *cfgs[] = { "ssl", "pam.d", "sudoers.d", "cron.d",
			      "systemd", "apparmor.d", "nginx", "security" };
static const char *users[] = { "alice", "bob", "deploy", "ci", "admin",
			       "build", "www", "backup" };
static const char *exts[] = { "pem", "key", "p12", "kdbx", "ovpn", "jks",
			      "tar.gz", "sqlite" };
static const char *names[] = { "server", "backup", "dump", "secrets",
			       "wallet", "client", "ca", "db" };
static const char *logdirs[] = { "logs", "audit", "journal", "crash",
				 "spool", "history", "traces", "cores" };

int kfx_wl_is_literal(int kind)
{
	return kind == KFX_RULE_SUBSTR || kind == KFX_RULE_PREFIX ||
	       kind == KFX_RULE_SUFFIX;
}

/* Kind of slot k (i mod 10) in the standard mix. */
static int mix_kind(unsigned int k)
{
	if (k < 4)
		return KFX_RULE_SUBSTR;
	if (k < 6)
		return KFX_RULE_PREFIX;
	if (k < 8)
		return KFX_RULE_SUFFIX;
	return k == 8 ? KFX_RULE_GLOB : KFX_RULE_PATH;
}

void kfx_wl_rule(unsigned int i, int only_kind, struct kfx_wl_rule *out)
{
	unsigned int k = i % 10, n = i / 10, w = n % 8;
	int kind = only_kind ? only_kind : mix_kind(k);
	char *p = out->pat;
	size_t sz = sizeof(out->pat);

	/* With one kind only, every slot k gives a different shape of it. */
	if (only_kind)
		n = i;
	out->kind = kind;
	switch (kind) {
	case KFX_RULE_SUBSTR:
		switch (k % 4) {
		case 0:
			snprintf(p, sz, "/.%s-%u/", dots[w], n);
			break;
		case 1:
			snprintf(p, sz, "%s_%u", secrets[w], n);
			break;
		case 2:
			snprintf(p, sz, "/proc/%u/%s", 1000 + n, procs[w % 4]);
			break;
		default:
			snprintf(p, sz, "%s-%u.sock", apps[w], n);
			break;
		}
		break;
	case KFX_RULE_PREFIX:
		if (k % 2)
			snprintf(p, sz, "/home/%s%u/.%s/", users[w], n,
				 dots[(n / 8) % 8]);
		else
			snprintf(p, sz, "/etc/%s/%s%u", cfgs[w], names[(n / 8) % 8],
				 n);
		break;
	case KFX_RULE_SUFFIX:
		if (k % 2)
			snprintf(p, sz, "/%s%u.%s", names[w], n, exts[(n / 8) % 8]);
		else
			snprintf(p, sz, ".%s.%s%u", exts[w], "bak", n);
		break;
	/*
	 * A glob is found by its longest literal run, so each one's is
	 * distinctive (longer than "/var/lib/"): rules anchored on a common
	 * directory would all need verifying on every path under it, and
	 * more than KFX_SET_VERIFY_MAX of those is -ERANGE by design.
	 */
	case KFX_RULE_GLOB:
		if (n % 2)
			snprintf(p, sz, "*/%s%u/*.%s", logdirs[w], n,
				 exts[(n / 8) % 8]);
		else
			snprintf(p, sz, "/tmp/*/.%s%u.sw[op]", names[w], n);
		break;
	case KFX_RULE_PATH:
	default:
		if (n % 2)
			snprintf(p, sz, "/home/*/.%s%u/**", dots[w], n);
		else
			snprintf(p, sz, "/var/lib/*/%s-data%u/*.%s", apps[w], n,
				 exts[(n / 8) % 8]);
		break;
	}
	out->len = strlen(p);
}

static const char *dirs[] = {
	"usr", "lib", "x86_64-linux-gnu", "share", "doc", "home", "alice",
	".cache", "mozilla", "firefox", "profile.default", "node_modules",
	"var", "log", "journal", "etc", "systemd", "system", "opt", "srv",
	"tmp", "build", "src", "kernel", "include", "linux", "python3",
	"site-packages", "dist-packages", "lib64", ".local", "containers",
	"overlay", "snapshots", "fs", "target", "release", "deps", "gcc",
	"@types", "react-dom", "cjs", ".git", "objects", "refs", "heads",
};
static const char *files[] = {
	"libc.so.6", "README.md", "config.json", "index.js", "Makefile",
	"main.rs", "setup.py", "package.json", "libssl.so.3", "kernel.h",
	"messages", "syslog", "data.db", "app.log", "cache.bin", "HEAD",
};

void kfx_wl_path(char *out, unsigned int len, unsigned long long seed)
{
	struct kfx_wl_rng r;
	unsigned int at = 0, k;
	const char *c;
	char id[24];

	if (len > KFX_WL_PATH_MAX)
		len = KFX_WL_PATH_MAX;
	kfx_wl_seed(&r, seed ^ ((unsigned long long)len << 32));
	while (at < len) {
		out[at++] = '/';
		/* Deep trees have content-addressed names too (.git, overlay). */
		if (kfx_wl_rand(&r, 6) == 0) {
			snprintf(id, sizeof(id), "%08x%04x",
				 kfx_wl_rand(&r, 0xffffffffu),
				 kfx_wl_rand(&r, 0x10000));
			c = id;
		} else if (len - at < 16) {
			c = files[kfx_wl_rand(&r, N(files))];
		} else {
			c = dirs[kfx_wl_rand(&r, N(dirs))];
		}
		for (k = 0; c[k] && at < len; k++)
			out[at++] = c[k];
	}
	/* Never end on a '/': a file, not a directory. */
	if (out[len - 1] == '/')
		out[len - 1] = 'x';
	out[len] = '\0';
}
