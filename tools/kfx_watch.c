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
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "kfx.h"
#include "kfx_cli.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void set_autoload(struct bpf_object *obj, const char *keep)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog,
			!strcmp(bpf_program__name(prog), keep));
}

/*
 * Open, configure and load the watch program as fentry or kprobe on the
 * kernel's unlink function; attach it if asked. On failure out->error says
 * why and nothing is left loaded.
 */
static int load_as(struct kfx_kernel *k, bool fentry, bool attach,
		   const struct kfx_watch_opts *w, struct kfx_watch_load *out)
{
	const char *pname = fentry ? "kfx_watch_fentry" : "kfx_watch_kprobe";
	struct kfx_config cfg = { 0 };
	struct bpf_program *prog;
	struct bpf_map *map;
	__u32 zero = 0;
	int err;

	out->obj = kfx_open_object(kfx_default_object());
	out->prog_type = fentry ? "fentry" : "kprobe";
	out->func = k->unlink_func;
	prog = bpf_object__find_program_by_name(out->obj, pname);
	if (!prog) {
		snprintf(out->error, sizeof(out->error),
			 "%s has no program %s (wrong or old object file?)",
			 kfx_default_object(), pname);
		goto fail;
	}
	set_autoload(out->obj, pname);
	if (fentry) {
		err = bpf_program__set_attach_target(prog, 0, k->unlink_func);
		if (err) {
			snprintf(out->error, sizeof(out->error),
				 "cannot target fentry at %s: %s",
				 k->unlink_func, strerror(-err));
			goto fail;
		}
	}
	err = bpf_object__load(out->obj);
	if (err) {
		snprintf(out->error, sizeof(out->error),
			 "loading the %s program failed: %s%s", out->prog_type,
			 strerror(-err),
			 !fentry && !kfx_kernel_version_at_least(6, 10) ?
			 " (kprobe programs may call module kfuncs only from Linux 6.10 on)" :
			 "");
		goto fail;
	}
	if (w) {
		cfg.mode = w->mode;
		if (w->pattern) {
			cfg.pattern_len = strlen(w->pattern);
			memcpy(cfg.pattern, w->pattern, cfg.pattern_len);
		}
	}
	map = bpf_object__find_map_by_name(out->obj, "kfx_config");
	if (!map || bpf_map__update_elem(map, &zero, sizeof(zero), &cfg,
					 sizeof(cfg), 0)) {
		snprintf(out->error, sizeof(out->error),
			 "cannot configure the filter (map kfx_config)");
		goto fail;
	}
	if (!attach)
		return 0;
	out->link = fentry ? bpf_program__attach(prog) :
		bpf_program__attach_kprobe(prog, false, k->unlink_func);
	err = libbpf_get_error(out->link);
	if (err) {
		out->link = NULL;
		snprintf(out->error, sizeof(out->error),
			 "attaching %s to %s failed: %s", out->prog_type,
			 k->unlink_func, strerror(-err));
		goto fail;
	}
	return 0;
fail:
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
	bpf_link__destroy(l->link);
	bpf_object__close(l->obj);
	l->link = NULL;
	l->obj = NULL;
}

struct watch_ctx {
	const struct kfx_watch_opts *w;
	long events;
	struct timespec mono_to_real;	/* realtime - monotonic at start */
};

static void json_string(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int on_event(void *ctx_, void *data, size_t size)
{
	struct watch_ctx *ctx = ctx_;
	const struct kfx_event *e = data;
	time_t secs;
	long ns;
	struct tm tm;
	char tbuf[32];

	if (size < sizeof(*e))
		return 0;
	ns = (long)(e->ts_ns % 1000000000ULL) + ctx->mono_to_real.tv_nsec;
	secs = e->ts_ns / 1000000000ULL + ctx->mono_to_real.tv_sec +
	       ns / 1000000000L;
	ns %= 1000000000L;
	localtime_r(&secs, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);

	if (ctx->w->json) {
		printf("{\"ts_ns\":%llu,\"time\":\"%s.%06ld\",\"pid\":%u,\"tgid\":%u,\"uid\":%u,\"comm\":",
		       (unsigned long long)e->ts_ns, tbuf, ns / 1000, e->pid,
		       e->tgid, e->uid);
		json_string(e->comm, sizeof(e->comm));
		printf(",\"path\":");
		json_string(e->path, sizeof(e->path));
		printf(",\"path_len\":%u,\"truncated\":%s,\"match_off\":%d}\n",
		       e->path_len,
		       e->flags & (KFX_EV_TRUNCATED | KFX_EV_PATH_TRUNCATED) ?
		       "true" : "false", e->match_off);
	} else {
		printf("%s.%06ld %-7u %-16.16s %-6u %s%s", tbuf, ns / 1000,
		       e->tgid, e->comm, e->uid, e->path,
		       e->flags & KFX_EV_TRUNCATED ? "..." : "");
		if (e->match_off >= 0)
			printf("  [match at %d]", e->match_off);
		putchar('\n');
	}
	fflush(stdout);
	ctx->events++;
	if (ctx->w->count && ctx->events >= ctx->w->count)
		stop = -1;
	return 0;
}

static void print_counters(struct bpf_object *obj, bool json)
{
	static const char *names[KFX_CNT_MAX] = { "seen", "matched", "lost" };
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "kfx_counters");
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long total[KFX_CNT_MAX] = { 0 };
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
	if (json)
		fprintf(stderr, "{\"seen\":%llu,\"matched\":%llu,\"lost\":%llu}\n",
			total[0], total[1], total[2]);
	else
		fprintf(stderr, "kfx: %s %llu, %s %llu, %s %llu\n", names[0],
			total[0], names[1], total[1], names[2], total[2]);
}

int kfx_cmd_watch(const struct kfx_watch_opts *w)
{
	struct watch_ctx ctx = { .w = w };
	struct kfx_watch_load l;
	struct ring_buffer *rb = NULL;
	struct kfx_kernel k;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec rt, mono, start, now;
	int err, ret = KFX_EXIT_FAIL;

	kfx_kernel_probe(&k);
	if (kfx_ensure_module(&k))
		return KFX_EXIT_FAIL;
	if (kfx_watch_load(&k, w->attach, true, w, &l)) {
		kfx_err("%s", l.error);
		if (!kfx_verbose)
			fputs("hint: run with -v for libbpf's log\n", stderr);
		return KFX_EXIT_FAIL;
	}
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
	fprintf(stderr, "kfx: watching unlinks (%s on %s)%s%s%s; Ctrl-C to stop\n",
		l.prog_type, l.func, w->pattern ? ", " : "",
		w->mode == KFX_MODE_MATCH ? "match " :
		w->mode == KFX_MODE_IMATCH ? "imatch " :
		w->mode == KFX_MODE_GLOB ? "glob " : "",
		w->pattern ? w->pattern : "");
	if (!w->json)
		printf("%-15s %-7s %-16s %-6s %s\n", "TIME", "PID", "COMM",
		       "UID", "PATH");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		err = ring_buffer__poll(rb, 100);
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
	/* Events already in the buffer still count. */
	if (stop != -1)
		ring_buffer__consume(rb);
	ret = KFX_EXIT_OK;
out:
	print_counters(l.obj, w->json);
	ring_buffer__free(rb);
	kfx_watch_unload(&l);
	return ret;
}
