// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The set is a map value: user space may rewrite it while the kfunc runs.
 * Each header word of a few compiled sets is flipped by a second thread
 * between its real value and hostile ones while the matcher runs on the
 * set, which ends at a PROT_NONE page (and the build uses ASan): a word
 * checked and then fetched again would let the matcher read outside the
 * set. Every answer must be an id of the set, -1, -EINVAL or -ERANGE.
 *
 *   race_set [COUNTFILE]
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "harness.h"
#include "kfx_set.h"
#include "kfx_ruleset.h"

#define RACE_NS	 (40 * 1000 * 1000)	/* per header word and set */

static volatile u32 *word;
static u32 vals[4];
static volatile int stop;

static void *flipper(void *arg)
{
	unsigned int i = 0;

	(void)arg;
	while (!stop) {
		*word = vals[i++ & 3];
		__sync_synchronize();
	}
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct rule {
	int kind;
	const char *pat;
};

static const struct rule goto_rules[] = {
	{ KFX_RULE_PREFIX, "/srv/" }, { KFX_RULE_PREFIX, "/etc/ssh/" },
	{ KFX_RULE_EXACT, "/etc/passwd" },
};
static const struct rule mix_rules[] = {
	{ KFX_RULE_SUBSTR, "/.ssh/" }, { KFX_RULE_ISUBSTR, "SECRET" },
	{ KFX_RULE_PREFIX, "/etc/" }, { KFX_RULE_SUFFIX, ".pem" },
	{ KFX_RULE_GLOB, "/home/*/.bash_history" },
	{ KFX_RULE_PATH, "/var/log/**/*.gz" }, { KFX_RULE_EXACT, "/x" },
};
static const struct rule suffix_rules[] = {
	{ KFX_RULE_SUFFIX, ".key" }, { KFX_RULE_SUFFIX, ".pem" },
	{ KFX_RULE_PREFIX, "/root/" },
};

static const char *const paths[] = {
	"/srv/www/index.html", "/etc/passwd", "/home/alice/.bash_history",
	"/var/log/a/b/syslog.1.gz", "/root/secret.KEY", "/tmp/x.pem",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
};

static int compile(const struct rule *r, unsigned int n, void **set,
		   size_t *sz)
{
	struct kfx_ruleset *rs = kfx_ruleset_new();
	char err[160];
	unsigned int i;
	int ret = 0;

	if (!rs)
		return -1;
	for (i = 0; i < n && !ret; i++)
		ret = kfx_ruleset_add(rs, r[i].kind, r[i].pat, strlen(r[i].pat),
				      err, sizeof(err)) < 0 ? -1 : 0;
	if (!ret)
		ret = kfx_ruleset_compile(rs, set, sz, err, sizeof(err));
	if (ret)
		fprintf(stderr, "race_set: %s\n", err);
	kfx_ruleset_free(rs);
	return ret;
}

/* Race header word h of the set (a copy that ends at a guard page). */
static int race(const char *name, u32 *set, size_t sz, unsigned int nrules,
		unsigned int h, struct gbuf *hay)
{
	unsigned long calls = 0, bad = 0;
	double t0 = now_ns();
	pthread_t t;
	int r;

	word = &set[h];
	vals[0] = set[h];
	vals[1] = (u32)(sz / 4) + 64;	/* past the end */
	vals[2] = 0xfffffff0u;		/* wraps an unchecked sum */
	vals[3] = set[h] ? set[h] - 1 : 1;
	stop = 0;
	if (pthread_create(&t, NULL, flipper, NULL))
		return -1;
	while (now_ns() - t0 < RACE_NS) {
		const char *p = paths[calls % (sizeof(paths) / sizeof(paths[0]))];
		const char *s = gbuf_put(hay, p, strlen(p));

		r = kfx_match_set(set, sz, s, strlen(p));
		if (!(r == -1 || r == -KFX_EINVAL || r == -KFX_ERANGE ||
		      (r >= 0 && (unsigned int)r < nrules)))
			bad++;
		calls++;
	}
	stop = 1;
	pthread_join(t, NULL);
	set[h] = vals[0];
	if (bad)
		printf("FAIL race %s word %u: %lu of %lu answers out of range\n",
		       name, h, bad, calls);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const struct rule *r;
		unsigned int n;
	} sets[] = {
		{ "goto", goto_rules, sizeof(goto_rules) / sizeof(goto_rules[0]) },
		{ "mix", mix_rules, sizeof(mix_rules) / sizeof(mix_rules[0]) },
		{ "suffix", suffix_rules,
		  sizeof(suffix_rules) / sizeof(suffix_rules[0]) },
	};
	unsigned long passed = 0, failed = 0;
	struct gbuf sb, hay;
	unsigned int i, h;
	void *set;
	size_t sz;
	u32 *w;

	gbuf_init(&hay, 4096);
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (compile(sets[i].r, sets[i].n, &set, &sz)) {
			failed++;
			continue;
		}
		gbuf_init(&sb, sz);
		w = gbuf_put(&sb, set, sz);
		free(set);
		for (h = KFX_SH_WORDS; h < KFX_SET_HDR_WORDS; h++) {
			if (race(sets[i].name, w, sz, sets[i].n, h, &hay))
				failed++;
			else
				passed++;
		}
	}
	return kfx_test_finish(argc > 1 ? argv[1] : NULL, passed, failed);
}
