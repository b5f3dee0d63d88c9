// SPDX-License-Identifier: GPL-2.0
/*
 * kfx watch: attach kfx.bpf.o to the kernel's unlink path and print the
 * events its in-kernel filter lets through.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"
#include "kfx_rules.h"
#include "kfx_ruleset.h"

_Static_assert(KFX_PATTERN_MAX >= KFX_SET_PAT_MAX,
	       "an event's rule text holds any pattern");

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

/*
 * The watch programs, per operation: entry of the worker, the security
 * hook that sees the resolved parent and victim, exit of the worker (see
 * bpf/kfx.bpf.c). Index: op * 3 + role.
 */
enum { ROLE_ENTER, ROLE_RESOLVED, ROLE_EXIT, ROLES };

static const char *const fentry_progs[KFX_WATCH_PROGS] = {
	"kfx_unlink_enter", "kfx_unlink_resolved", "kfx_unlink_exit",
	"kfx_rmdir_enter", "kfx_rmdir_resolved", "kfx_rmdir_exit",
};
static const char *const kprobe_progs[KFX_WATCH_PROGS] = {
	"kfx_kp_unlink_enter", "kfx_kp_unlink_resolved", "kfx_kp_unlink_exit",
	"kfx_kp_rmdir_enter", "kfx_kp_rmdir_resolved", "kfx_kp_rmdir_exit",
};
static const char *const sec_hooks[] = {
	"security_path_unlink", "security_path_rmdir",
};

/* The kernel function program i attaches to, NULL if the kernel lacks it. */
static const char *target_of(const struct kfx_kernel *k, int i)
{
	int op = i / ROLES;

	if (i % ROLES == ROLE_RESOLVED)
		return k->path_hooks ? sec_hooks[op] : NULL;
	return op ? k->rmdir_func : k->unlink_func;
}

/*
 * Set the u32 global NAME of obj's .rodata before load (what a skeleton
 * would do; kfx loads the object file itself). 0 or -ENOENT.
 */
static int set_rodata_u32(struct bpf_object *obj, const char *name, __u32 v)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec, *var;
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	const char *mname;
	const char *data;
	size_t sz, n;
	char *copy;
	int id, i, err;

	bpf_object__for_each_map(map, obj) {
		mname = bpf_map__name(map);
		n = strlen(mname);
		if (bpf_map__is_internal(map) && n >= 7 &&
		    !strcmp(mname + n - 7, ".rodata"))
			break;
	}
	if (!map || !btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	data = bpf_map__initial_value(map, &sz);
	if (id < 0 || !data)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		var = btf__type_by_id(btf, vs->type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->size != sizeof(v) || vs->offset + sizeof(v) > sz)
			return -ENOENT;
		/* libbpf hands out the image read-only: write a copy back */
		copy = malloc(sz);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, sz);
		memcpy(copy + vs->offset, &v, sizeof(v));
		err = bpf_map__set_initial_value(map, copy, sz);
		free(copy);
		return err;
	}
	return -ENOENT;
}

/*
 * Open, configure and load the watch programs as fentry/fexit or
 * kprobe/kretprobe; attach them if asked. On failure out->error says why
 * and nothing is left loaded.
 */
static int load_as(struct kfx_kernel *k, bool fentry, bool attach,
		   const struct kfx_watch_opts *w, struct kfx_watch_load *out)
{
	const char *const *names = fentry ? fentry_progs : kprobe_progs;
	const char *targets[KFX_WATCH_PROGS];
	bool is_ret[KFX_WATCH_PROGS];
	struct stat ns_st;
	struct bpf_program *prog;
	struct bpf_map *set_map;
	const char *target;
	__u32 zero = 0;
	int err, i;

	out->obj = kfx_open_object(kfx_default_object());
	out->prog_type = fentry ? "fentry" : "kprobe";
	out->func = k->unlink_func;
	out->nprogs = 0;
	bpf_object__for_each_program(prog, out->obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < KFX_WATCH_PROGS; i++) {
		target = target_of(k, i);
		/* no rmdir worker: unlinks are still watched */
		if (!target && i / ROLES)
			continue;
		prog = bpf_object__find_program_by_name(out->obj, names[i]);
		if (!prog) {
			snprintf(out->error, sizeof(out->error),
				 "%s has no program %s (wrong or old object file?)",
				 kfx_default_object(), names[i]);
			goto fail;
		}
		bpf_program__set_autoload(prog, true);
		if (fentry) {
			err = bpf_program__set_attach_target(prog, 0, target);
			if (err) {
				snprintf(out->error, sizeof(out->error),
					 "cannot target fentry at %s: %s",
					 target, strerror(-err));
				goto fail;
			}
		}
		targets[out->nprogs] = target;
		is_ret[out->nprogs] = i % ROLES == ROLE_EXIT;
		out->progs[out->nprogs++] = prog;
	}
	/*
	 * The set's map value is exactly the set, and the program gets its
	 * size as a load-time constant (see kfx_set in bpf/kfx.bpf.c).
	 */
	set_map = bpf_object__find_map_by_name(out->obj, "kfx_set");
	if (w && w->set_len) {
		err = set_map ? bpf_map__set_value_size(set_map, w->set_len) :
				-ENOENT;
		if (!err)
			err = set_rodata_u32(out->obj, "kfx_set_len",
					     w->set_len);
		if (err) {
			snprintf(out->error, sizeof(out->error),
				 "%s has no rule set map kfx_set or global kfx_set_len (wrong or old object file?)",
				 kfx_default_object());
			goto fail;
		}
	}
	/*
	 * Paths are relative to the root of kfx watch's mount namespace; a
	 * removal seen from another is flagged (an object without the global
	 * flags nothing of the kind).
	 */
	if (!stat("/proc/self/ns/mnt", &ns_st))
		set_rodata_u32(out->obj, "kfx_watch_mntns", (__u32)ns_st.st_ino);
	err = bpf_object__load(out->obj);
	if (err) {
		snprintf(out->error, sizeof(out->error),
			 "loading the %s programs failed: %s%s", out->prog_type,
			 strerror(-err),
			 !fentry && !kfx_kernel_version_at_least(6, 10) ?
			 " (kprobe programs may call module kfuncs only from Linux 6.10 on)" :
			 "");
		goto fail;
	}
	if (w && w->set_len &&
	    bpf_map__update_elem(set_map, &zero, sizeof(zero), w->set,
				 w->set_len, 0)) {
		snprintf(out->error, sizeof(out->error),
			 "cannot write the rule set (%zu bytes) into map kfx_set: %s",
			 w->set_len, strerror(errno));
		goto fail;
	}
	/*
	 * Frozen: nothing (another holder of the map) rewrites the set under
	 * a running match. The matcher fetches each word once anyway.
	 */
	if (w && w->set_len && bpf_map__fd(set_map) >= 0 &&
	    bpf_map_freeze(bpf_map__fd(set_map))) {
		snprintf(out->error, sizeof(out->error),
			 "cannot freeze map kfx_set: %s", strerror(errno));
		goto fail;
	}
	if (!attach)
		return 0;
	/*
	 * Exit before entry, resolved before entry: a call caught halfway by
	 * the attach has no slot (ignored) rather than a slot never closed.
	 */
	for (i = out->nprogs - 1; i >= 0; i--) {
		if (fentry)
			out->links[i] = bpf_program__attach(out->progs[i]);
		else
			out->links[i] = bpf_program__attach_kprobe(out->progs[i],
								   is_ret[i], targets[i]);
		err = libbpf_get_error(out->links[i]);
		if (err) {
			out->links[i] = NULL;
			snprintf(out->error, sizeof(out->error),
				 "attaching %s to %s failed: %s", out->prog_type,
				 targets[i], strerror(-err));
			goto fail;
		}
	}
	return 0;
fail:
	for (i = 0; i < KFX_WATCH_PROGS; i++) {
		bpf_link__destroy(out->links[i]);
		out->links[i] = NULL;
	}
	bpf_object__close(out->obj);
	out->obj = NULL;
	return -1;
}

int kfx_watch_load(struct kfx_kernel *k, enum kfx_attach how, bool attach,
		   const struct kfx_watch_opts *w, struct kfx_watch_load *out)
{
	char first[sizeof(out->error)];

	memset(out, 0, sizeof(*out));
	if (!k->unlink_func) {
		snprintf(out->error, sizeof(out->error),
			 "the kernel has neither do_unlinkat nor filename_unlinkat in its BTF: no unlink hook to attach to");
		return -1;
	}
	if (!k->path_hooks) {
		snprintf(out->error, sizeof(out->error),
			 "the kernel has no security_path_unlink/security_path_rmdir (CONFIG_SECURITY_PATH is off): kfx watch cannot see the resolved path of a removal");
		return -1;
	}
	if (how != KFX_ATTACH_KPROBE) {
		if (!load_as(k, true, attach, w, out) ||
		    how == KFX_ATTACH_FENTRY)
			return out->obj ? 0 : -1;
		/* fentry needs BPF trampolines; kprobe is the fallback */
		snprintf(first, sizeof(first), "%s", out->error);
		if (load_as(k, false, attach, w, out)) {
			char second[sizeof(out->error)];

			snprintf(second, sizeof(second), "%s", out->error);
			snprintf(out->error, sizeof(out->error), "%.250s; %.250s",
				 first, second);
			return -1;
		}
		return 0;
	}
	return load_as(k, false, attach, w, out);
}

void kfx_watch_unload(struct kfx_watch_load *l)
{
	int i;

	for (i = 0; i < KFX_WATCH_PROGS; i++) {
		bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
	}
	bpf_object__close(l->obj);
	l->obj = NULL;
}

struct watch_ctx {
	const struct kfx_watch_opts *w;
	long events;
	struct timespec mono_to_real;	/* realtime - monotonic at start */
};

static bool tail_zero(const char *s, size_t n)
{
	size_t i = strnlen(s, n);

	for (; i < n; i++)
		if (s[i])
			return false;
	return true;
}

static const char *op_name(__u32 op)
{
	return op == KFX_OP_RMDIR ? "rmdir" : "unlink";
}

/*
 * One event. Returns -ECANCELED once --count events are printed, which
 * makes libbpf stop consuming at once: a burst already queued is not
 * printed beyond the count.
 */
static int on_event(void *ctx_, void *data, size_t size)
{
	struct watch_ctx *ctx = ctx_;
	const struct kfx_event *e = data;
	const struct kfx_rule_src *r = NULL;
	char rule[16 + KFX_PATTERN_MAX];
	time_t secs;
	long ns;
	struct tm tm;
	char tbuf[32];

	if (ctx->w->count && ctx->events >= ctx->w->count)
		return -ECANCELED;
	if (size < sizeof(*e))
		return 0;
	ns = (long)(e->ts_ns % 1000000000ULL) + ctx->mono_to_real.tv_nsec;
	secs = e->ts_ns / 1000000000ULL + ctx->mono_to_real.tv_sec +
	       ns / 1000000000L;
	ns %= 1000000000L;
	localtime_r(&secs, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	/* "KIND PATTERN", as in a rule file (patterns are bytes: escaped) */
	if (e->rule_id >= 0 && e->rule_id < ctx->w->nrules) {
		r = &ctx->w->rules->v[e->rule_id];
		snprintf(rule, sizeof(rule), "%s %s",
			 kfx_rule_kind_name(r->kind), r->pat);
	}

	if (ctx->w->json) {
		printf("{\"ts_ns\":%llu,\"time\":\"%s.%06ld\",\"op\":\"%s\",\"pid\":%u,\"tgid\":%u,\"uid\":%u,\"comm\":",
		       (unsigned long long)e->ts_ns, tbuf, ns / 1000,
		       op_name(e->op), e->pid, e->tgid, e->uid);
		if (kfx_escape_json(stdout, e->comm, sizeof(e->comm))) {
			printf(",\"comm_hex\":");
			kfx_hex(stdout, e->comm, sizeof(e->comm));
		}
		printf(",\"path\":");
		if (kfx_escape_json(stdout, e->path, sizeof(e->path))) {
			printf(",\"path_hex\":");
			kfx_hex(stdout, e->path, sizeof(e->path));
		}
		/* for tests: are the bytes after the path's NUL all zero? */
		if (getenv("KFX_DEBUG_EVENT_TAIL"))
			printf(",\"tail_zero\":%s",
			       tail_zero(e->path, sizeof(e->path)) ?
			       "true" : "false");
		printf(",\"path_len\":%u,\"truncated\":%s,\"path_truncated\":%s,\"unresolved\":%s,\"other_root\":%s,\"filter_error\":%s,\"match_off\":%d,\"rule_id\":%d,\"rule\":",
		       e->path_len,
		       e->flags & (KFX_EV_TRUNCATED | KFX_EV_PATH_TRUNCATED) ?
		       "true" : "false",
		       e->flags & KFX_EV_PATH_TRUNCATED ? "true" : "false",
		       e->flags & KFX_EV_PATH_UNRESOLVED ? "true" : "false",
		       e->flags & KFX_EV_PATH_OTHER_ROOT ? "true" : "false",
		       e->flags & KFX_EV_FILTER_ERROR ? "true" : "false",
		       e->match_off, e->rule_id);
		if (r) {
			if (kfx_escape_json(stdout, rule, sizeof(rule))) {
				printf(",\"rule_hex\":");
				kfx_hex(stdout, rule, sizeof(rule));
			}
		} else {
			fputs("null", stdout);
		}
		puts("}");
	} else {
		printf("%s.%06ld %-7u ", tbuf, ns / 1000, e->tgid);
		/* comm escaped, then padded to the column as before */
		{
			char cbuf[4 * KFX_COMM_LEN + 1];
			FILE *f = fmemopen(cbuf, sizeof(cbuf), "w");

			if (f) {
				kfx_escape_text(f, e->comm, sizeof(e->comm));
				fclose(f);
			} else {
				snprintf(cbuf, sizeof(cbuf), "?");
			}
			printf("%-16s ", cbuf);
		}
		printf("%-6u %-6s ", e->uid, op_name(e->op));
		if (e->flags & KFX_EV_PATH_TRUNCATED)
			fputs("...", stdout);
		kfx_escape_text(stdout, e->path, sizeof(e->path));
		if (e->flags & KFX_EV_TRUNCATED)
			fputs("...", stdout);
		if (e->flags & KFX_EV_PATH_UNRESOLVED)
			fputs("  [unresolved]", stdout);
		if (e->flags & KFX_EV_PATH_OTHER_ROOT)
			fputs("  [other mount tree]", stdout);
		if (e->flags & KFX_EV_FILTER_ERROR)
			fputs("  [filter gave up: not filtered]", stdout);
		if (r) {
			printf("  [rule %d: ", e->rule_id);
			kfx_escape_text(stdout, rule, sizeof(rule));
			putchar(']');
		}
		putchar('\n');
	}
	fflush(stdout);
	ctx->events++;
	if (ctx->w->count && ctx->events >= ctx->w->count)
		stop = -1;
	return 0;
}

/*
 * Runs of the programs the kernel skipped: fentry/fexit's recursion guard
 * (another run of the same program active on this CPU), counted by the
 * kernel per program (bpf_prog_info.recursion_misses, 5.12+).
 */
static unsigned long long recursion_misses(const struct kfx_watch_load *l)
{
	unsigned long long sum = 0;
	struct bpf_prog_info info;
	__u32 len;
	int i;

	for (i = 0; i < l->nprogs; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(bpf_program__fd(l->progs[i]),
					    &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

static void print_counters(const struct kfx_watch_load *l, bool json)
{
	struct bpf_map *map = bpf_object__find_map_by_name(l->obj,
							   "kfx_counters");
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long total[KFX_CNT_MAX] = { 0 }, missed;
	__u64 *vals;
	__u32 i;
	int cpu;

	if (!map || ncpu <= 0)
		return;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return;
	for (i = 0; i < KFX_CNT_MAX; i++) {
		if (bpf_map__lookup_elem(map, &i, sizeof(i), vals,
					 sizeof(*vals) * ncpu, 0))
			continue;
		for (cpu = 0; cpu < ncpu; cpu++)
			total[i] += vals[cpu];
	}
	free(vals);
	missed = recursion_misses(l);
	/* "seen, matched, lost" first: scripts parse that prefix */
	if (json)
		fprintf(stderr, "{\"seen\":%llu,\"matched\":%llu,\"lost\":%llu,\"failed\":%llu,\"missed\":%llu}\n",
			total[KFX_CNT_SEEN], total[KFX_CNT_MATCHED],
			total[KFX_CNT_LOST], total[KFX_CNT_FAILED], missed);
	else
		fprintf(stderr, "kfx: seen %llu, matched %llu, lost %llu, failed %llu, missed %llu\n",
			total[KFX_CNT_SEEN], total[KFX_CNT_MATCHED],
			total[KFX_CNT_LOST], total[KFX_CNT_FAILED], missed);
}

int kfx_cmd_watch(const struct kfx_watch_opts *w)
{
	struct watch_ctx ctx = { .w = w };
	struct kfx_watch_load l;
	struct ring_buffer *rb = NULL;
	struct kfx_kernel k;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec rt, mono, start, now;
	const struct kfx_rule_src *r;
	int err, ret = KFX_EXIT_FAIL;
	double load_ms;

	clock_gettime(CLOCK_MONOTONIC, &start);
	kfx_kernel_probe(&k);
	if (kfx_ensure_module(&k))
		return KFX_EXIT_FAIL;
	if (kfx_watch_load(&k, w->attach, true, w, &l)) {
		kfx_err("%s", l.error);
		if (!kfx_verbose)
			fputs("hint: run with -v for libbpf's log\n", stderr);
		return KFX_EXIT_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	load_ms = (now.tv_sec - start.tv_sec) * 1e3 +
		  (now.tv_nsec - start.tv_nsec) / 1e6;
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(l.obj,
						"kfx_events")),
			      on_event, &ctx, NULL);
	if (!rb) {
		kfx_err("cannot open the ring buffer: %s", strerror(errno));
		goto out;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	ctx.mono_to_real.tv_sec = rt.tv_sec - mono.tv_sec;
	ctx.mono_to_real.tv_nsec = rt.tv_nsec - mono.tv_nsec;
	if (ctx.mono_to_real.tv_nsec < 0) {
		ctx.mono_to_real.tv_sec--;
		ctx.mono_to_real.tv_nsec += 1000000000L;
	}
	fprintf(stderr, "kfx: watching unlinks%s (%s on %s%s%s), ",
		k.rmdir_func ? " and rmdirs" : "",
		l.prog_type, l.func, k.rmdir_func ? ", " : "",
		k.rmdir_func ? k.rmdir_func : "");
	if (w->nrules == 1) {
		r = &w->rules->v[0];
		fprintf(stderr, "rule %s ", kfx_rule_kind_name(r->kind));
		kfx_escape_text(stderr, r->pat, r->len);
	} else if (w->nrules) {
		fprintf(stderr, "%d rules", w->nrules);
	} else {
		fputs("no filter", stderr);
	}
	if (w->nrules)
		fprintf(stderr, " (%zu-byte set, compiled in %.1f ms)",
			w->set_len, w->compile_ms);
	fprintf(stderr, ", loaded in %.1f ms; Ctrl-C to stop\n", load_ms);
	if (!w->json)
		printf("%-15s %-7s %-16s %-6s %-6s %s\n", "TIME", "PID", "COMM",
		       "UID", "OP", "PATH");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		err = ring_buffer__poll(rb, 100);
		if (err == -ECANCELED)	/* --count reached inside a burst */
			break;
		if (err < 0 && err != -EINTR) {
			kfx_err("reading events failed: %s", strerror(-err));
			goto out;
		}
		if (w->duration) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= w->duration)
				break;
		}
	}
	/* Events already in the buffer still count (up to --count). */
	if (stop != -1)
		ring_buffer__consume(rb);
	ret = KFX_EXIT_OK;
out:
	print_counters(&l, w->json);
	ring_buffer__free(rb);
	kfx_watch_unload(&l);
	return ret;
}
