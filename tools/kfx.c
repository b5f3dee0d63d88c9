// SPDX-License-Identifier: GPL-2.0
/*
 * kfx: diagnose, self-test and use the kfx kfuncs.
 *
 *   kfx status     is everything in place for `kfx watch`?
 *   kfx selftest   do the kfuncs answer correctly in this kernel?
 *   kfx watch      stream unlinks whose path matches, filtered in the kernel
 *
 * Exit status: 0 success, 1 failure at run time, 2 bad usage or input.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"
#include "kfx_rules.h"

const char *const kfx_prog = "kfx";
bool kfx_verbose;
const char *object_path;	/* --object, or found by kfx_default_object() */

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	(void)level;
	if (!kfx_verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kfx [-v] [--object PATH] COMMAND [OPTIONS]\n"
"\n"
"Custom BPF kfuncs (string search, glob matching) from the kfx module.\n"
"\n"
"Commands:\n"
"  status                 check module, BTF, kfuncs and the unlink hook\n"
"  selftest               call every kfunc in the kernel on known vectors\n"
"  watch [OPTIONS]        print removals (unlink, rmdir) that succeeded and\n"
"                         whose absolute path matches rules (--rules\n"
"                         FILE, --match, --prefix, ...), filtered in the\n"
"                         kernel by one bpf_kfx_match_set call\n"
"  rules check FILE       validate a rule file (KIND PATTERN per line) for\n"
"                         bpf_kfx_match_set; loads nothing\n"
"  new DIR --name NAME    write a project for your own kfuncs (module, BPF\n"
"                         selftest, loader, deb/rpm, VM tests); needs kfx-dev\n"
"\n"
"Global options:\n"
"  -o, --object PATH      BPF object to load (default: kfx.bpf.o next to the\n"
"                         kfx binary, else " KFX_DEFAULT_OBJECT ")\n"
"  -v, --verbose          show libbpf's debug output (verifier log, ...)\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Run 'kfx COMMAND --help' for the options of a command.\n"
"\n""Examples:\n"
"  kfx status\n"
"  kfx selftest\n"
"  kfx watch --match .swp\n"
"  kfx watch --glob '/tmp/*.log' --json --count 10\n"
"  kfx watch --rules audit.rules --json\n"
"  kfx new /src/pathkit --name pathkit\n"
"\n"
"See kfx(8), kfx-new(1).\n");
}

static const char watch_usage[] =
"Usage: kfx watch [--rules FILE] [--match STR ...] [OPTIONS]\n"
"\n"
"Print the file removals that succeeded (unlink, unlinkat, rmdir) whose\n"
"path matches, filtered in the kernel by the kfx kfuncs. The path is the\n"
"absolute one the kernel resolved (relative names, directory fds, '..',\n"
"'//' and symlinked directories resolved), from the root of the mount\n"
"namespace. Failed attempts (EACCES, ENOENT, ...) are not reported; they\n"
"are counted as 'failed' if they matched. Not seen: rename over an\n"
"existing file, and removals not made by unlink/rmdir (e.g. a file's last\n"
"link dropped by other means).\n"
"\n"
"Filters (all of them, in this order, form one rule set matched by one\n"
"bpf_kfx_match_set call per removal; rule ids count from 0 in that\n"
"order and the lowest matching rule is reported; no filter: every\n"
"removal). The filter options may be repeated:\n"
"  -r, --rules FILE       the rules of FILE, first (one per line):\n"
"                         KIND PATTERN, KIND one of substr (match), isubstr\n"
"                         (imatch), prefix, suffix, exact, glob, path\n"
"                         (path-glob); '#' comments; see kfx(8)\n"
"  -m, --match STR        paths containing STR\n"
"  -i, --imatch STR       same, ASCII case-insensitive\n"
"  -g, --glob PAT         shell glob PAT, '*' matching '/' too (fnmatch)\n"
"      --path-glob PAT    path glob: '*', '?' never match '/', '**' matches\n"
"                         any number of directories\n"
"      --prefix STR       paths starting with STR\n"
"      --suffix STR       paths ending with STR\n"
"      --exact STR        the path STR\n"
"Patterns: 1 to 256 bytes; at most 65536 rules, a set of at most 4 MiB.\n"
"\n"
"Other options:\n"
"  -j, --json             one JSON object per line\n"
"  -c, --count N          exit after exactly N events\n"
"  -d, --duration SEC     exit after SEC seconds\n"
"  -a, --attach MODE      auto (default: fentry/fexit, else kprobe/kretprobe),\n"
"                         fentry or kprobe (kprobe needs Linux 6.10+)\n"
"  -h, --help             show this help\n"
"\n"
"Each event names its rule: text \"[rule N: KIND PATTERN]\", JSON\n"
"\"rule_id\" and \"rule\" (null without a filter); \"match_off\" is always\n"
"-1. If the matcher gives up on a path (glob verifications past their\n"
"work budget) the removal is reported anyway, flagged filter_error (text:\n"
"\"[filter gave up: not filtered]\"), rule_id -1.\n"
"Text output escapes what a file name could use against a terminal:\n"
"backslash as \\\\, newline \\n, tab \\t, CR \\r, other control bytes, C1\n"
"controls and bytes that are not valid UTF-8 as \\xNN; valid UTF-8 passes.\n"
"JSON passes valid UTF-8; invalid bytes become U+FFFD in \"path\" and the\n"
"raw bytes are added in hex as \"path_hex\" (\"comm_hex\", \"rule_hex\").\n"
"On exit, stderr gets the counters: seen (calls entered), matched, lost\n"
"(not reported: ring buffer or in-flight table full), failed (matched, but\n"
"the call failed), missed (program runs the kernel skipped: recursion guard).\n"
"\n"
"Examples:\n"
"  kfx watch --match .swp\n"
"  kfx watch --glob '/tmp/*.log' --json --count 10\n"
"  kfx watch --prefix /etc/ --prefix /usr/bin/ --path-glob '/home/*/.ssh/**'\n"
"  kfx watch --rules /etc/kfx/audit.rules --json\n";

/* `kfx CMD --help` / `-h`: that command's usage on stdout, exit 0. */
void kfx_cmd_usage(const char *cmd)
{
	if (!strcmp(cmd, "status"))
		fputs("Usage: kfx status\n\n"
		      "Check the module, BTF, kfuncs and the unlink hook; name each\n"
		      "problem and exit 1 if kfx watch would not work.\n", stdout);
	else if (!strcmp(cmd, "selftest"))
		fputs("Usage: kfx selftest\n\n"
		      "Call every kfunc in the running kernel on known vectors;\n"
		      "exit 1 if any answer is wrong.\n", stdout);
	else if (!strcmp(cmd, "watch"))
		fputs(watch_usage, stdout);
	exit(KFX_EXIT_OK);
}

/* A literal --help or -h among a command's arguments. */
static bool asks_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}


/*
 * kfx new: the project writer is a shell script of kfx-dev
 * (KFX_DEV_DIR/kfx-new, /usr/share/kfx-dev by default), run with the
 * command's arguments; kfx only finds it.
 */
static int cmd_new(int argc, char **argv)
{
	const char *dev = getenv("KFX_DEV_DIR");
	char path[PATH_MAX];
	char **args;
	int i;

	if (!dev || !*dev)
		dev = KFX_DEV_DIR;
	snprintf(path, sizeof(path), "%s/kfx-new", dev);
	if (access(path, R_OK)) {
		if (asks_help(argc, argv)) {
			fputs("Usage: kfx new DIR --name NAME\n\n"
			      "Write a project for your own kfuncs into DIR. Needs the\n"
			      "kfx-dev package ('apt install kfx-dev'). See kfx-new(1).\n",
			      stdout);
			return KFX_EXIT_OK;
		}
		kfx_err("missing kfx-dev files (no %s): install them with 'apt install kfx-dev' (or set KFX_DEV_DIR)",
			path);
		return KFX_EXIT_USAGE;
	}
	/* sh, not the file's mode: a copied tree may have lost it. */
	args = calloc(argc + 2, sizeof(*args));
	if (!args) {
		kfx_err("out of memory");
		return KFX_EXIT_FAIL;
	}
	args[0] = "sh";
	args[1] = path;
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execvp("sh", args);
	kfx_err("cannot run %s: %s", path, strerror(errno));
	free(args);
	return KFX_EXIT_FAIL;
}

static void require_root(void)
{
	if (geteuid() != 0) {
		kfx_err("must be run as root (loading BPF programs needs CAP_BPF and CAP_PERFMON)");
		exit(KFX_EXIT_USAGE);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "object", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *cmd;
	int c;

	/* Stop at the command: its options are parsed by the command. */
	while ((c = getopt_long(argc, argv, "+o:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			object_path = optarg;
			break;
		case 'v':
			kfx_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kfx %s (libbpf %s)\n", KFX_VERSION,
			       libbpf_version_string());
			return 0;
		default:
			fputs("Try 'kfx --help' for more information.\n", stderr);
			return KFX_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		kfx_usage_error("missing command (status, selftest, watch or rules)");
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;

	libbpf_set_print(libbpf_print);

	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	/* watch parses its own (an option value may be "-h") */
	if ((!strcmp(cmd, "status") || !strcmp(cmd, "selftest")) && asks_help(argc, argv))
		kfx_cmd_usage(cmd);
	if (!strcmp(cmd, "status")) {
		kfx_no_args(argc, argv, "status");
		require_root();
		return kfx_cmd_status();
	}
	if (!strcmp(cmd, "selftest")) {
		kfx_no_args(argc, argv, "selftest");
		require_root();
		kfx_check_object();
		return kfx_cmd_selftest();
	}
	if (!strcmp(cmd, "rules"))
		return kfx_cmd_rules(argc, argv);
	if (!strcmp(cmd, "new"))
		return cmd_new(argc, argv);
	if (!strcmp(cmd, "watch")) {
		struct kfx_watch_opts w;

		kfx_parse_watch(argc, argv, &w);
		require_root();
		kfx_check_object();
		return kfx_cmd_watch(&w);
	}
	kfx_usage_error("unknown command '%s'", cmd);
	return KFX_EXIT_USAGE;
}
