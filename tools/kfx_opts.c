// SPDX-License-Identifier: GPL-2.0
/* Option parsing and input validation for the kfx commands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"
#include "kfx_string.h"

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

void kfx_parse_watch(int argc, char **argv, struct kfx_watch_opts *w)
{
	static const struct option opts[] = {
		{ "match", required_argument, NULL, 'm' },
		{ "imatch", required_argument, NULL, 'i' },
		{ "glob", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "attach", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *err;
	size_t len;
	int c;

	memset(w, 0, sizeof(*w));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:i:g:jc:d:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
		case 'i':
		case 'g':
			if (w->pattern)
				kfx_usage_error("only one of --match, --imatch and --glob may be given");
			w->pattern = optarg;
			w->mode = c == 'm' ? KFX_MODE_MATCH :
				  c == 'i' ? KFX_MODE_IMATCH : KFX_MODE_GLOB;
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
	if (!w->pattern)
		return;
	len = strlen(w->pattern);
	if (!len)
		kfx_usage_error("empty pattern");
	if (len > KFX_PATTERN_MAX)
		kfx_usage_error("pattern too long: %zu bytes (at most %d)", len,
				KFX_PATTERN_MAX);
	if (w->mode == KFX_MODE_GLOB) {
		err = kfx_glob_error(w->pattern);
		if (err)
			kfx_usage_error("malformed glob '%s': %s", w->pattern,
					err);
	}
}
