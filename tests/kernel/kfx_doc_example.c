// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-doc-example (test only, not shipped): load one BPF object built from
 * a documentation example (tests/doc/extract-examples), attach every
 * program (a SYSCALL program is run once with BPF_PROG_TEST_RUN instead),
 * make the example's kfunc call happen, and check the globals it wrote.
 *
 * Usage: kfx-doc-example [--unlink NAME]... [--expect VAR=N]... OBJECT
 *        kfx-doc-example --refused TEXT OBJECT
 *
 * --unlink NAME    create NAME, then remove it (after attaching), in a
 *                  tmpfs of its own: one vfs_unlink() per removal (the
 *                  guest's /tmp is an overlay, which calls it twice)
 * --expect VAR=N   the global VAR (.bss/.data/.data.*) must then equal N
 * --refused TEXT   the load must fail and the verifier log contain TEXT
 *
 * Exit 0 if the example did what its marker expects, 1 if not, 2 on bad
 * usage.  Root, with the kfx module loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_ARGS 32

static char vlog[1 << 16];
static size_t vlog_len;

/* Keep libbpf's messages (the verifier log among them) for --refused. */
static int keep_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(aq, ap);
	n = vsnprintf(vlog + vlog_len, sizeof(vlog) - vlog_len, fmt, aq);
	va_end(aq);
	if (n > 0)
		vlog_len += (size_t)n < sizeof(vlog) - vlog_len ?
			    (size_t)n : sizeof(vlog) - vlog_len - 1;
	return vfprintf(stderr, fmt, ap);
}

/* The value of global VAR after the run, from the map of its section. */
static int read_global(struct bpf_object *obj, const char *var, long long *out)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *sec = strchr(bpf_map__name(map), '.');
		const struct btf_var_secinfo *vs;
		const struct btf_type *t;
		unsigned char *val;
		__u32 zero = 0;
		int id, i;

		if (!bpf_map__is_internal(map) || !sec || !btf)
			continue;
		id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
		if (id < 0)
			continue;
		t = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, v->name_off), var))
				continue;
			val = calloc(1, bpf_map__value_size(map));
			if (!val || bpf_map_lookup_elem(bpf_map__fd(map), &zero, val)) {
				free(val);
				return -1;
			}
			if (vs->size == 8)
				*out = *(long long *)(val + vs->offset);
			else if (vs->size == 4)
				*out = *(int *)(val + vs->offset);
			else if (vs->size == 1)
				*out = *(signed char *)(val + vs->offset);
			else
				*out = *(short *)(val + vs->offset);
			free(val);
			return 0;
		}
	}
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: kfx-doc-example [--unlink NAME]... [--expect VAR=N]... OBJECT\n"
			"       kfx-doc-example --refused TEXT OBJECT\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *unlinks[MAX_ARGS], *expects[MAX_ARGS], *refused = NULL;
	int nunlink = 0, nexpect = 0, bad = 0, i, err;
	struct bpf_program *prog;
	struct bpf_object *obj;
	const char *path;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--unlink") && i + 2 < argc && nunlink < MAX_ARGS &&
		    !strchr(argv[i + 1], '/'))
			unlinks[nunlink++] = argv[++i];
		else if (!strcmp(argv[i], "--expect") && i + 2 < argc &&
			 nexpect < MAX_ARGS && strchr(argv[i + 1], '='))
			expects[nexpect++] = argv[++i];
		else if (!strcmp(argv[i], "--refused") && i + 2 < argc)
			refused = argv[++i];
		else
			return usage();
	}
	if (i != argc - 1 || argv[i][0] == '-')
		return usage();
	path = argv[i];

	libbpf_set_print(keep_log);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "kfx-doc-example: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (refused) {
		const char *hit = err ? strstr(vlog, refused) : NULL;

		bpf_object__close(obj);
		if (!err) {
			fprintf(stderr, "kfx-doc-example: %s loaded, expected a refusal with '%s'\n",
				path, refused);
			return 1;
		}
		if (!hit) {
			fprintf(stderr, "kfx-doc-example: %s refused without '%s'\n", path, refused);
			return 1;
		}
		printf("refused as documented: %.*s\n", (int)strcspn(hit, "\n"), hit);
		return 0;
	}
	if (err) {
		fprintf(stderr, "kfx-doc-example: cannot load %s: %s\n", path, strerror(-err));
		return 1;
	}

	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
			LIBBPF_OPTS(bpf_test_run_opts, run);

			err = bpf_prog_test_run_opts(bpf_program__fd(prog), &run);
			if (err) {
				fprintf(stderr, "kfx-doc-example: test run of %s: %s\n",
					bpf_program__name(prog), strerror(errno));
				bad = 1;
			}
			printf("%s: ran, returned %d\n", bpf_program__name(prog), (int)run.retval);
		} else if (!bpf_program__attach(prog)) {
			fprintf(stderr, "kfx-doc-example: cannot attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			bad = 1;
		} else {
			printf("%s: attached (%s)\n", bpf_program__name(prog),
			       bpf_program__section_name(prog));
		}
	}

	if (nunlink && !bad) {
		char dir[] = "/tmp/kfx-doc.XXXXXX", file[256];

		if (!mkdtemp(dir) || mount("kfx-doc", dir, "tmpfs", 0, "size=64k")) {
			fprintf(stderr, "kfx-doc-example: a tmpfs for --unlink: %s\n",
				strerror(errno));
			bad = 1;
		}
		for (i = 0; i < nunlink && !bad; i++) {
			int fd;

			snprintf(file, sizeof(file), "%s/%s", dir, unlinks[i]);
			fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0600);
			if (fd < 0 || close(fd) || unlink(file)) {
				fprintf(stderr, "kfx-doc-example: create and remove %s: %s\n",
					file, strerror(errno));
				bad = 1;
			}
		}
		umount(dir);
		rmdir(dir);
	}

	for (i = 0; i < nexpect && !bad; i++) {
		const char *eq = strchr(expects[i], '=');
		char var[128];
		long long got, want = strtoll(eq + 1, NULL, 0);

		snprintf(var, sizeof(var), "%.*s", (int)(eq - expects[i]), expects[i]);
		if (read_global(obj, var, &got)) {
			fprintf(stderr, "kfx-doc-example: no global %s in %s\n", var, path);
			bad = 1;
		} else if (got != want) {
			fprintf(stderr, "kfx-doc-example: %s is %lld, expected %lld\n", var, got, want);
			bad = 1;
		} else {
			printf("%s = %lld as expected\n", var, got);
		}
	}
	bpf_object__close(obj);
	return bad;
}
