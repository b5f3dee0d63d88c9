// SPDX-License-Identifier: GPL-2.0
/* Option parsing and input validation for the kfx commands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"
#include "kfx_rules.h"
#include "kfx_ruleset.h"

void kfx_no_args(int argc, char **argv, const char *cmd)
{
	if (argc > 1)
		kfx_usage_error("'%s' takes no arguments (got '%s')", cmd,
				argv[1]);
}

static long parse_positive(const char *what, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > max)
		kfx_usage_error("invalid %s: '%s' (a whole number from 1 to %ld)",
				what, s, max);
	return v;
}

/*
 * The kfunc accepts any pattern (fnmatch treats a lone '[' as a literal),
 * but on the command line an unterminated bracket or a trailing backslash
 * is almost certainly a mistake: say so rather than match nothing.
 * Returns NULL if pat is well-formed, else what is wrong with it.
 */
/*
 * Why the matcher would not take pat as written, or NULL.  Asks the string
 * core's own bracket parser (kfx_glob_check), so that what the CLI accepts
 * and what bpf_kfx_glob_match does can never disagree.
 */
const char *kfx_glob_error(const char *pat)
{
	static char msg[160];
	size_t len = strlen(pat);
	u32 at;

	if (len > KFX_GLOB_PAT_MAX) {
		snprintf(msg, sizeof(msg), "longer than %u bytes",
			 KFX_GLOB_PAT_MAX);
		return msg;
	}
	switch (kfx_glob_check(pat, (u32)len, &at)) {
	case KFX_GLOB_OK:
		return NULL;
	case KFX_GLOB_TRAILING_BACKSLASH:
		return "trailing backslash (it matches nothing)";
	case KFX_GLOB_UNCLOSED:
		snprintf(msg, sizeof(msg),
			 "unterminated bracket expression '[' at offset %u (write \\[ for a literal '[')",
			 at);
		return msg;
	default:
		snprintf(msg, sizeof(msg),
			 "bracket expression at offset %u can never match (unknown [:class:], or malformed [=x=] / [.x.])",
			 at);
		return msg;
	}
}

/* One filter option, kept in command-line order until compiled. */
struct watch_filter {
	int kind;		/* enum kfx_rule_kind */
	const char *opt;	/* "--match", ... */
	const char *pat;
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 +
	       (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * The rule file, then the options, into one set (w->set). Bad input is
 * refused here, before anything is loaded: one line per problem, exit 2.
 */
static void build_filter(struct kfx_watch_opts *w, struct watch_filter *f,
			 int nf)
{
	static struct kfx_rule_list list;
	struct kfx_ruleset *rs;
	struct timespec t0;
	const char *gerr;
	char err[256];
	int i, n = 0, ret;
	size_t len;

	/* the options' own checks first: their messages name the option */
	for (i = 0; i < nf; i++) {
		len = strlen(f[i].pat);
		if (!len)
			kfx_usage_error("%s: empty pattern", f[i].opt);
		if (len > KFX_PATTERN_MAX)
			kfx_usage_error("%s: pattern too long: %zu bytes (at most %d)",
					f[i].opt, len, KFX_PATTERN_MAX);
		if (f[i].kind == KFX_RULE_GLOB) {
			gerr = kfx_glob_error(f[i].pat);
			if (gerr)
				kfx_usage_error("malformed glob '%s': %s",
						f[i].pat, gerr);
		}
	}
	if (!w->rules_file && !nf)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rs = kfx_ruleset_new();
	if (!rs) {
		kfx_err("out of memory");
		exit(KFX_EXIT_FAIL);
	}
	if (w->rules_file) {
		if (kfx_rules_load(w->rules_file, rs, &list, &n))
			exit(KFX_EXIT_USAGE);
		if (!n) {
			kfx_err("%s: no rules", w->rules_file);
			exit(KFX_EXIT_USAGE);
		}
	}
	for (i = 0; i < nf; i++)
		if (kfx_rule_add(rs, &list, f[i].kind, f[i].pat,
				 strlen(f[i].pat), NULL, 0, f[i].opt, err,
				 sizeof(err)))
			kfx_usage_error("%s '%s': %s", f[i].opt, f[i].pat, err);
	ret = kfx_rules_compile(rs, &list, &w->set, &w->set_len, err,
				sizeof(err));
	if (ret) {
		/* one line naming the limit (and the rule, if one is to blame) */
		if (ret == -2)
			kfx_err("%s", err);
		else
			kfx_err("cannot compile the %d rules: %s", list.n, err);
		exit(KFX_EXIT_USAGE);
	}
	kfx_ruleset_free(rs);
	w->rules = &list;
	w->nrules = list.n;
	w->compile_ms = ms_since(&t0);
}

void kfx_parse_watch(int argc, char **argv, struct kfx_watch_opts *w)
{
	enum { OPT_PATH = 256, OPT_PREFIX, OPT_SUFFIX, OPT_EXACT };
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "match", required_argument, NULL, 'm' },
		{ "imatch", required_argument, NULL, 'i' },
		{ "glob", required_argument, NULL, 'g' },
		{ "path-glob", required_argument, NULL, OPT_PATH },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "suffix", required_argument, NULL, OPT_SUFFIX },
		{ "exact", required_argument, NULL, OPT_EXACT },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "attach", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct watch_filter *f;
	int c, nf = 0;

	memset(w, 0, sizeof(*w));
	/* at most one filter per argument: argc bounds them */
	f = calloc(argc, sizeof(*f));
	if (!f) {
		kfx_err("out of memory");
		exit(KFX_EXIT_FAIL);
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:m:i:g:jc:d:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (w->rules_file)
				kfx_usage_error("only one --rules FILE may be given");
			w->rules_file = optarg;
			break;
		case 'm':
		case 'i':
		case 'g':
		case OPT_PATH:
		case OPT_PREFIX:
		case OPT_SUFFIX:
		case OPT_EXACT:
			f[nf].kind = c == 'm' ? KFX_RULE_SUBSTR :
				     c == 'i' ? KFX_RULE_ISUBSTR :
				     c == 'g' ? KFX_RULE_GLOB :
				     c == OPT_PATH ? KFX_RULE_PATH :
				     c == OPT_PREFIX ? KFX_RULE_PREFIX :
				     c == OPT_SUFFIX ? KFX_RULE_SUFFIX :
				     KFX_RULE_EXACT;
			f[nf].opt = c == 'm' ? "--match" : c == 'i' ? "--imatch" :
				    c == 'g' ? "--glob" :
				    c == OPT_PATH ? "--path-glob" :
				    c == OPT_PREFIX ? "--prefix" :
				    c == OPT_SUFFIX ? "--suffix" : "--exact";
			f[nf++].pat = optarg;
			break;
		case 'j':
			w->json = true;
			break;
		case 'c':
			w->count = parse_positive("count", optarg, LONG_MAX);
			break;
		case 'd':
			w->duration = parse_positive("duration", optarg,
						     INT_MAX / 1000);
			break;
		case 'h':
			kfx_cmd_usage("watch");
		case 'a':
			if (!strcmp(optarg, "auto"))
				w->attach = KFX_ATTACH_AUTO;
			else if (!strcmp(optarg, "fentry"))
				w->attach = KFX_ATTACH_FENTRY;
			else if (!strcmp(optarg, "kprobe"))
				w->attach = KFX_ATTACH_KPROBE;
			else
				kfx_usage_error("invalid attach mode '%s' (auto, fentry or kprobe)",
						optarg);
			break;
		case ':':
			kfx_usage_error("option '%s' needs a value",
					argv[optind - 1]);
		default:
			kfx_usage_error("unknown option '%s' for watch",
					argv[optind - 1]);
		}
	}
	if (optind < argc)
		kfx_usage_error("unexpected argument '%s' for watch",
				argv[optind]);
	build_filter(w, f, nf);
	free(f);
}
