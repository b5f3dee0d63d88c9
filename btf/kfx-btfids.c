// SPDX-License-Identifier: GPL-2.0
/*
 * kfx-btfids - fill in the .BTF_ids section of a kernel module.
 *
 * kbuild runs the kernel's resolve_btfids on every module when the headers
 * ship a vmlinux.  Debian 12's 6.1 headers ship neither vmlinux nor
 * resolve_btfids, so kfx-module-btf makes the module BTF itself and then
 * needs this step: without it every BTF_ID slot stays zero and the kfunc
 * set registers nothing.
 *
 * Format (include/linux/btf_ids.h): each slot is a 4-byte word in .BTF_ids
 * labelled by a local symbol
 *
 *   __BTF_ID__<kind>__<name>__<uniq>   kind: func struct union typedef
 *   __BTF_ID__set__<name>              u32 cnt; u32 ids[cnt]
 *   __BTF_ID__set8__<name>             u32 cnt, flags; {u32 id, flags}[cnt]
 *
 * A slot gets the id of the first BTF type (lowest id, base BTF included)
 * of that kind and name.  A set's count comes from its symbol size and the
 * set is then sorted by id, because the kernel bsearch()es it.  The result
 * is meant to be byte-identical to resolve_btfids' (same lookup rule, same
 * qsort, same libelf write with the layout kept).
 *
 * The module is never written in place: a private copy beside it (mkstemp,
 * same directory, same mode) is patched and rename()d over it only once
 * every slot resolved and the write succeeded, so a failure at any point
 * leaves the original byte for byte and no copy behind.
 *
 * --check reads a module (patched by us or by the kernel's resolve_btfids)
 * and fails unless every labelled id is non-zero, every set's count is the
 * one its symbol size implies, with non-zero sorted members, and, where the
 * BTF can be read, each id names the type its symbol names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define PROG		"kfx-btfids"
#define ID_PREFIX	"__BTF_ID__"

enum slot_kind { K_FUNC, K_STRUCT, K_UNION, K_TYPEDEF, K_SET, K_SET8 };

static const char *const kind_names[] = {
	[K_FUNC] = "func", [K_STRUCT] = "struct", [K_UNION] = "union",
	[K_TYPEDEF] = "typedef", [K_SET] = "set", [K_SET8] = "set8",
};

struct slot {
	enum slot_kind kind;
	char *name;		/* looked-up name, or the set's name */
	const char *sym;	/* full symbol name, for messages */
	size_t off;		/* offset in .BTF_ids */
	uint64_t size;		/* st_size (sets only) */
	uint32_t value;		/* resolved id, or set count */
};

struct object {
	const char *path;
	char *tmp;		/* private copy being patched, or NULL */
	int fd;
	Elf *elf;
	bool swap;		/* file byte order differs from ours */
	Elf_Data *ids;		/* .BTF_ids */
	GElf_Addr ids_addr;
	size_t ids_shndx;
	Elf_Data *syms;
	size_t syms_shndx, strtab;
	Elf_Data *btf;		/* .BTF */
	Elf_Data *btf_base;	/* .BTF.base (6.11+ distilled base) */
	struct slot *slots;
	size_t nslots;
};

static int verbose;
static const char *tmp_to_remove;	/* unlinked by die() */

static void die(const char *fmt, ...)
{
	va_list ap;

	if (tmp_to_remove)
		unlink(tmp_to_remove);
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void dbg(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbose < level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Words in .BTF_ids are in the ELF file's byte order. */
static uint32_t get32(const struct object *o, size_t off)
{
	uint32_t v;

	memcpy(&v, (char *)o->ids->d_buf + off, 4);
	return o->swap ? __builtin_bswap32(v) : v;
}

static void put32(const struct object *o, size_t off, uint32_t v)
{
	if (o->swap)
		v = __builtin_bswap32(v);
	memcpy((char *)o->ids->d_buf + off, &v, 4);
}

/*
 * binutils ld may give compressed sections an alignment of 1, which
 * elf_update() rejects.  resolve_btfids rewrites it to the word size; we do
 * the same, both to be able to write and to produce the same bytes.
 */
static void fix_compressed_align(struct object *o, Elf_Scn *scn,
				 GElf_Shdr *sh)
{
	GElf_Xword want = gelf_getclass(o->elf) == ELFCLASS32 ? 4 : 8;

	if (!(sh->sh_flags & SHF_COMPRESSED) || sh->sh_addralign == want)
		return;
	sh->sh_addralign = want;
	if (!gelf_update_shdr(scn, sh))
		die("%s: cannot update section header: %s", o->path,
		    elf_errmsg(-1));
}

/*
 * Copy PATH to a new file in the same directory (so rename() is atomic),
 * created by mkstemp() (O_EXCL, unpredictable name: no symlink planted at
 * a guessable name can redirect the write), with PATH's mode.
 */
static int private_copy(struct object *o)
{
	const char *slash = strrchr(o->path, '/');
	int dlen = slash ? (int)(slash - o->path + 1) : 0;
	const char *base = slash ? slash + 1 : o->path;
	char buf[65536];
	struct stat st;
	ssize_t n;
	int in, out;

	in = open(o->path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die("cannot open %s: %s", o->path, strerror(errno));
	if (fstat(in, &st) || !S_ISREG(st.st_mode))
		die("%s: not a regular file", o->path);
	if (access(o->path, W_OK))
		die("cannot write %s: %s", o->path, strerror(errno));
	if (asprintf(&o->tmp, "%.*s.%s.kfx-btfids.XXXXXX", dlen, o->path,
		     base) < 0)
		die("out of memory");
	out = mkstemp(o->tmp);
	if (out < 0)
		die("cannot create a temporary file beside %s: %s", o->path,
		    strerror(errno));
	tmp_to_remove = o->tmp;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			die("cannot copy %s to %s: %s", o->path, o->tmp,
			    strerror(errno ? errno : ENOSPC));
	if (n < 0)
		die("cannot read %s: %s", o->path, strerror(errno));
	if (fchmod(out, st.st_mode & 07777))
		die("cannot set the mode of %s: %s", o->tmp, strerror(errno));
	/* As root, keep the owner too; elsewhere it is ours anyway. */
	if (fchown(out, st.st_uid, st.st_gid) && errno != EPERM)
		die("cannot set the owner of %s: %s", o->tmp, strerror(errno));
	close(in);
	return out;
}

static void elf_open(struct object *o, bool readonly)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;

	if (readonly) {
		o->fd = open(o->path, O_RDONLY | O_CLOEXEC);
		if (o->fd < 0)
			die("cannot open %s: %s", o->path, strerror(errno));
	} else {
		o->fd = private_copy(o);
	}
	elf_version(EV_CURRENT);
	o->elf = elf_begin(o->fd, readonly ? ELF_C_READ_MMAP : ELF_C_RDWR_MMAP,
			   NULL);
	if (!o->elf || elf_kind(o->elf) != ELF_K_ELF)
		die("%s: not an ELF file", o->path);
	/* Keep every offset as it is: we only change bytes in place. */
	if (!readonly)
		elf_flagelf(o->elf, ELF_C_SET, ELF_F_LAYOUT);

	if (!gelf_getehdr(o->elf, &eh) || elf_getshdrstrndx(o->elf, &shstrndx))
		die("%s: bad ELF header: %s", o->path, elf_errmsg(-1));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	o->swap = eh.e_ident[EI_DATA] != ELFDATA2LSB;
#else
	o->swap = eh.e_ident[EI_DATA] != ELFDATA2MSB;
#endif

	while ((scn = elf_nextscn(o->elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			die("%s: bad section header: %s", o->path,
			    elf_errmsg(-1));
		name = elf_strptr(o->elf, shstrndx, sh.sh_name);
		if (!name)
			die("%s: bad section name", o->path);

		if (sh.sh_type == SHT_SYMTAB) {
			if (o->syms)
				die("%s: more than one symbol table", o->path);
			/* NULL here is an error, reported once .BTF_ids is known */
			o->syms = elf_getdata(scn, NULL);
			o->syms_shndx = elf_ndxscn(scn);
			o->strtab = sh.sh_link;
			if (!o->syms)
				o->syms_shndx = (size_t)-1;
		} else if (!strcmp(name, ".BTF_ids")) {
			o->ids = elf_getdata(scn, NULL);
			o->ids_shndx = elf_ndxscn(scn);
			o->ids_addr = sh.sh_addr;
			if (!o->ids)
				die("%s: cannot read .BTF_ids: %s", o->path,
				    elf_errmsg(-1));
		} else if (!strcmp(name, ".BTF")) {
			o->btf = elf_getdata(scn, NULL);
		} else if (!strcmp(name, ".BTF.base")) {
			o->btf_base = elf_getdata(scn, NULL);
		}
		if (!readonly)
			fix_compressed_align(o, scn, &sh);
	}
}

/*
 * .BTF_ids without readable symbols cannot be resolved: every slot would
 * stay zero and the module's kfuncs would silently not exist.  So that is
 * an error, never "nothing to do".
 */
static void need_symbols(struct object *o)
{
	GElf_Shdr sh;
	Elf_Scn *scn;

	if (o->syms_shndx == (size_t)-1)
		die("%s: has .BTF_ids but its symbol table cannot be read (%s): "
		    "the ids cannot be resolved", o->path, elf_errmsg(-1));
	if (!o->syms)
		die("%s: has .BTF_ids but no symbol table (no SHT_SYMTAB "
		    "section): the ids cannot be resolved", o->path);
	scn = elf_getscn(o->elf, o->strtab);
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB)
		die("%s: the symbol table's string table (section %zu) is not "
		    "a string table", o->path, o->strtab);
}

/* "<kind>__<name>__<uniq>" after the prefix: return <name>, or NULL. */
static char *slot_name(const char *rest, bool is_set)
{
	char *name, *p;

	if (strncmp(rest, "__", 2) || !rest[2])
		return NULL;
	name = strdup(rest + 2);
	if (!name || is_set)
		return name;
	/* Cut the "__<uniq>" that keeps the assembler labels unique. */
	p = strrchr(name, '_');
	if (!p || p == name || p[-1] != '_' || p - 1 == name) {
		free(name);
		return NULL;
	}
	p[-1] = '\0';
	return name;
}

static void collect(struct object *o)
{
	GElf_Shdr sh;
	size_t i, n;

	if (!gelf_getshdr(elf_getscn(o->elf, o->syms_shndx), &sh) ||
	    !sh.sh_entsize)
		die("%s: bad symbol table", o->path);
	n = sh.sh_size / sh.sh_entsize;
	o->slots = calloc(n, sizeof(*o->slots));
	if (!o->slots)
		die("out of memory");

	for (i = 0; i < n; i++) {
		struct slot *s = &o->slots[o->nslots];
		const char *name, *rest;
		GElf_Sym sym;
		int k;

		if (!gelf_getsym(o->syms, i, &sym))
			die("%s: bad symbol %zu", o->path, i);
		if (sym.st_shndx != o->ids_shndx)
			continue;
		name = elf_strptr(o->elf, o->strtab, sym.st_name);
		if (!name)
			die("%s: symbol %zu has an unreadable name", o->path, i);
		if (strncmp(name, ID_PREFIX, strlen(ID_PREFIX)))
			continue;
		rest = name + strlen(ID_PREFIX);

		/* "set8" before "set": one is a prefix of the other. */
		for (k = K_SET8; k >= 0; k--) {
			size_t len = strlen(kind_names[k]);

			if (!strncmp(rest, kind_names[k], len) &&
			    !strncmp(rest + len, "__", 2))
				break;
		}
		if (k < 0)
			die("%s: unsupported symbol %s", o->path, name);
		s->kind = k;
		s->sym = name;
		s->name = slot_name(rest + strlen(kind_names[k]),
				    k == K_SET || k == K_SET8);
		if (!s->name)
			die("%s: cannot parse symbol %s", o->path, name);
		if (sym.st_value < o->ids_addr)
			die("%s: %s lies outside .BTF_ids", o->path, name);
		s->off = sym.st_value - o->ids_addr;
		s->size = sym.st_size;
		if (s->off % 4 || s->off + 4 > o->ids->d_size)
			die("%s: %s lies outside .BTF_ids", o->path, name);
		o->nslots++;
	}
	if (!o->nslots && o->ids->d_size)
		die("%s: .BTF_ids has %zu bytes but no __BTF_ID__ symbol labels "
		    "them: the ids cannot be resolved", o->path, o->ids->d_size);
}

static int cmp_slot_key(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->name, y->name);
}

/*
 * btf__new_split() is not exported by libbpf 1.1 (Debian 12), so hand the
 * section to btf__parse_raw_split() through an anonymous in-memory file.
 */
static struct btf *parse_split(struct object *o, struct btf *base)
{
	char path[64];
	struct btf *btf;
	int fd;

	fd = memfd_create("kfx-btf", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	if (write(fd, o->btf->d_buf, o->btf->d_size) != (ssize_t)o->btf->d_size)
		die("memfd write: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	btf = btf__parse_raw_split(path, base);
	close(fd);
	return btf;
}

static struct btf *load_btf(struct object *o, const char *base_path,
			    struct btf **basep)
{
	struct btf *base = NULL, *btf;

	if (!o->btf || !o->btf->d_size)
		die("%s has no .BTF section (run pahole -J --btf_base first)",
		    o->path);

	/*
	 * A .BTF.base section (pahole distilled_base, 6.11+) means the split
	 * BTF refers to that minimal base, not to the full vmlinux: resolve
	 * against it, as resolve_btfids does.
	 */
	if (o->btf_base) {
		base = btf__new(o->btf_base->d_buf, o->btf_base->d_size);
		if (libbpf_get_error(base))
			die("%s: bad .BTF.base section", o->path);
		dbg(1, "base BTF: %s .BTF.base\n", o->path);
	} else if (base_path) {
		base = btf__parse(base_path, NULL);
		if (libbpf_get_error(base))
			die("cannot load base BTF from %s: %s", base_path,
			    strerror(errno));
		dbg(1, "base BTF: %s\n", base_path);
	}
	btf = parse_split(o, base);
	if (libbpf_get_error(btf))
		die("%s: cannot parse .BTF%s", o->path,
		    base ? " on top of the base BTF (wrong vmlinux?)" : "");
	*basep = base;
	return btf;
}

static int btf_kind_slot(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_FUNC:	return K_FUNC;
	case BTF_KIND_STRUCT:	return K_STRUCT;
	case BTF_KIND_UNION:	return K_UNION;
	case BTF_KIND_TYPEDEF:	return K_TYPEDEF;
	default:		return -1;
	}
}

static void resolve(struct object *o, struct btf *btf)
{
	struct slot **keys, key, *kp = &key;
	size_t i, nkeys = 0;
	__u32 id, n = btf__type_cnt(btf);

	keys = calloc(o->nslots + 1, sizeof(*keys));
	if (!keys)
		die("out of memory");
	for (i = 0; i < o->nslots; i++)
		if (o->slots[i].kind < K_SET)
			keys[nkeys++] = &o->slots[i];
	qsort(keys, nkeys, sizeof(*keys), cmp_slot_key);

	/* First (lowest) id wins, base BTF included: the kernel's rule. */
	for (id = 1; id < n && nkeys; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		struct slot **hit;
		int k;

		if (!t)
			die("%s: malformed BTF at id %u", o->path, id);
		k = btf_kind_slot(t);
		if (k < 0)
			continue;
		key.kind = k;
		key.name = (char *)btf__name_by_offset(btf, t->name_off);
		if (!key.name)
			die("%s: malformed BTF name at id %u", o->path, id);
		hit = bsearch(&kp, keys, nkeys, sizeof(*keys), cmp_slot_key);
		if (!hit)
			continue;
		/* Several symbols may share a name: walk to the first. */
		while (hit > keys && !cmp_slot_key(hit - 1, &kp))
			hit--;
		for (; hit < keys + nkeys && !cmp_slot_key(hit, &kp); hit++) {
			if ((*hit)->value && (*hit)->value != id) {
				fprintf(stderr, PROG ": warning: %s '%s' has "
					"several BTF ids (%u, %u): using %u\n",
					kind_names[k], key.name, (*hit)->value,
					id, (*hit)->value);
				continue;
			}
			(*hit)->value = id;
		}
	}
	for (i = 0; i < nkeys; i++)
		if (!keys[i]->value)
			die("%s: cannot resolve %s '%s' (%s): not in the module "
			    "or base BTF", o->path, kind_names[keys[i]->kind],
			    keys[i]->name, keys[i]->sym);
	free(keys);

	/* A set's count is encoded in its symbol size (header included). */
	for (i = 0; i < o->nslots; i++) {
		struct slot *s = &o->slots[i];
		size_t unit = s->kind == K_SET8 ? 8 : 4;

		if (s->kind < K_SET)
			continue;
		if (s->size < unit || s->off + s->size > o->ids->d_size)
			die("%s: malformed set %s", o->path, s->sym);
		s->value = s->size / unit - 1;
	}
}

/* Same comparison as resolve_btfids, so qsort() permutes identically. */
static int cmp_id(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void sort_set(struct object *o, const struct slot *s)
{
	size_t unit = s->kind == K_SET8 ? 8 : 4;
	size_t hdr = unit, i, cnt = get32(o, s->off);
	uint32_t *tmp;

	if (!cnt)
		return;
	if (s->off + hdr + cnt * unit > o->ids->d_size)
		die("%s: set %s overflows .BTF_ids", o->path, s->sym);
	tmp = malloc(cnt * unit);
	if (!tmp)
		die("out of memory");
	/* Ids in host order; set8 flags travel with their id untouched. */
	for (i = 0; i < cnt * unit / 4; i++) {
		size_t off = s->off + hdr + i * 4;

		if (unit == 8 && i % 2)
			memcpy(&tmp[i], (char *)o->ids->d_buf + off, 4);
		else
			tmp[i] = get32(o, off);
	}
	qsort(tmp, cnt, unit, cmp_id);
	for (i = 0; i < cnt * unit / 4; i++) {
		size_t off = s->off + hdr + i * 4;

		if (unit == 8 && i % 2)
			memcpy((char *)o->ids->d_buf + off, &tmp[i], 4);
		else
			put32(o, off, tmp[i]);
	}
	free(tmp);
	dbg(1, "sorted  %5zu: cnt %4zu [%s]\n", s->off, cnt, s->name);
}

static void patch(struct object *o)
{
	const char *fail_env = getenv("KFX_BTFIDS_FAIL_AFTER");
	long fail_after = fail_env ? strtol(fail_env, NULL, 10) : -1;
	size_t i;
	int pass;

	/* Slots first, then sort: a set's members are slots themselves. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < o->nslots; i++) {
			struct slot *s = &o->slots[i];

			if (pass == 0) {
				/*
				 * Fault injection for tests/btf: fail with
				 * slots half written, to prove the module
				 * itself is never touched.
				 */
				if (fail_after >= 0 && (long)i == fail_after) {
					elf_update(o->elf, ELF_C_WRITE);
					die("%s: failing after %zu of %zu slots "
					    "(KFX_BTFIDS_FAIL_AFTER)", o->path,
					    i, o->nslots);
				}
				put32(o, s->off, s->value);
				dbg(1, "patched %5zu: %s %7u [%s]\n", s->off,
				    kind_names[s->kind], s->value, s->name);
			} else if (s->kind >= K_SET) {
				sort_set(o, s);
			}
		}
	}
	elf_flagdata(o->ids, ELF_C_SET, ELF_F_DIRTY);
	if (elf_update(o->elf, ELF_C_WRITE) < 0)
		die("%s: cannot write: %s", o->path, elf_errmsg(-1));
}

/* Put the patched copy in the module's place, atomically. */
static void commit(struct object *o)
{
	elf_end(o->elf);
	o->elf = NULL;
	if (fsync(o->fd))
		die("cannot write %s: %s", o->tmp, strerror(errno));
	if (close(o->fd))
		die("cannot write %s: %s", o->tmp, strerror(errno));
	o->fd = -1;
	if (rename(o->tmp, o->path))
		die("cannot replace %s: %s", o->path, strerror(errno));
	tmp_to_remove = NULL;
}

static void drop_copy(struct object *o)
{
	elf_end(o->elf);
	o->elf = NULL;
	close(o->fd);
	o->fd = -1;
	unlink(o->tmp);
	tmp_to_remove = NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The set whose id entries contain offset OFF, or NULL. */
static const struct slot *set_of(const struct object *o, size_t off)
{
	size_t i;

	for (i = 0; i < o->nslots; i++) {
		const struct slot *s = &o->slots[i];
		size_t unit = s->kind == K_SET8 ? 8 : 4;

		if (s->kind >= K_SET && off >= s->off + unit &&
		    off < s->off + s->size && (off - s->off) % unit == 0)
			return s;
	}
	return NULL;
}

/*
 * --check: the ids as they are in the file.  Each labelled slot must hold
 * a non-zero id; each set must hold the count its symbol's size implies,
 * and that many non-zero ids in ascending order (the kernel bsearch()es
 * them).  With the BTF, the ids are also compared with what resolving the
 * symbol names gives: a slot outside the sets must hold exactly that id, a
 * set exactly the ids of the symbols inside it (the sort moved them).
 */
static int check(struct object *o, struct btf *btf)
{
	size_t i, j, nids = 0, nsets = 0, nmembers = 0, errors = 0;

	if (btf)
		resolve(o, btf);	/* expected ids, set counts */
	for (i = 0; i < o->nslots; i++) {
		struct slot *s = &o->slots[i];
		uint32_t v = get32(o, s->off);
		size_t unit = s->kind == K_SET8 ? 8 : 4;
		uint32_t *want = NULL;
		size_t nwant = 0;
		uint64_t cnt, prev = 0;

		if (s->kind < K_SET) {
			nids++;
			if (!v) {
				fprintf(stderr, PROG ": %s: %s '%s' is "
					"unresolved (id 0, %s)\n", o->path,
					kind_names[s->kind], s->name, s->sym);
				errors++;
			} else if (btf && !set_of(o, s->off) && v != s->value) {
				fprintf(stderr, PROG ": %s: %s '%s' has id %u, "
					"its BTF id is %u (%s)\n", o->path,
					kind_names[s->kind], s->name, v,
					s->value, s->sym);
				errors++;
			}
			continue;
		}

		nsets++;
		if (s->size < unit || s->off + s->size > o->ids->d_size) {
			fprintf(stderr, PROG ": %s: malformed set %s\n",
				o->path, s->sym);
			errors++;
			continue;
		}
		cnt = s->size / unit - 1;
		if (v != cnt) {
			fprintf(stderr, PROG ": %s: set '%s' says %u ids, its "
				"symbol has room for %llu\n", o->path, s->name,
				v, (unsigned long long)cnt);
			errors++;
			continue;
		}
		if (btf) {
			want = calloc(cnt + 1, sizeof(*want));
			if (!want)
				die("out of memory");
			for (j = 0; j < o->nslots; j++)
				if (o->slots[j].kind < K_SET &&
				    set_of(o, o->slots[j].off) == s &&
				    nwant < cnt)
					want[nwant++] = o->slots[j].value;
			qsort(want, nwant, sizeof(*want), cmp_u32);
		}
		for (j = 0; j < cnt; j++) {
			uint32_t id = get32(o, s->off + unit + j * unit);

			nmembers++;
			if (!id) {
				fprintf(stderr, PROG ": %s: set '%s' entry %zu "
					"is unresolved (id 0)\n", o->path,
					s->name, j);
				errors++;
			} else if (id < prev) {
				fprintf(stderr, PROG ": %s: set '%s' is not "
					"sorted (entry %zu: %u after %llu)\n",
					o->path, s->name, j, id,
					(unsigned long long)prev);
				errors++;
			} else if (want && nwant == cnt && id != want[j]) {
				fprintf(stderr, PROG ": %s: set '%s' entry %zu "
					"is %u, its symbols give %u\n", o->path,
					s->name, j, id, want[j]);
				errors++;
			}
			if (id > prev)
				prev = id;
		}
		free(want);
	}
	if (errors) {
		fprintf(stderr, PROG ": %s: %zu bad id%s in .BTF_ids\n",
			o->path, errors, errors == 1 ? "" : "s");
		return 1;
	}
	printf("%s: %zu ids and %zu sets (%zu members) resolved%s\n", o->path,
	       nids, nsets, nmembers, btf ? ", as their names give" : "");
	return 0;
}

/*
 * --funcs FILE: the names of the FUNCs in FILE's BTF (a vmlinux ELF with
 * .BTF, or raw BTF such as /sys/kernel/btf/vmlinux), one per line.  The SDK's
 * kfunc-name check (kfx-kfuncs) reads them: a module kfunc named like a
 * vmlinux function cannot be registered (7.3) or called (libbpf looks in
 * vmlinux first).  A build environment has libbpf here but maybe no bpftool.
 */
static int list_funcs(const char *path)
{
	struct btf *btf = btf__parse(path, NULL);
	__u32 id, n;

	if (libbpf_get_error(btf))
		die("%s: cannot read BTF: %s", path, strerror(errno));
	n = btf__type_cnt(btf);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_func(t))
			printf("%s\n", btf__name_by_offset(btf, t->name_off));
	}
	btf__free(btf);
	if (fflush(stdout) || ferror(stdout))
		die("writing the FUNC names of %s: %s", path, strerror(errno));
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-v] -b VMLINUX MODULE.ko\n"
"       " PROG " --check [-b VMLINUX] MODULE.ko\n"
"       " PROG " --funcs FILE   (print the BTF FUNC names of FILE)\n"
"Resolve the BTF ids in MODULE.ko's .BTF_ids section against its .BTF\n"
"(split BTF on top of VMLINUX's BTF), sort its id sets, and replace\n"
"MODULE.ko with the result; on any error MODULE.ko is left unchanged.\n"
"With --check, change nothing: fail unless every id is resolved, every\n"
"set's count matches its symbol and, given the BTF, every id names the\n"
"type its symbol names.\n"
"\n"
"  -b, --btf_base FILE  base BTF: vmlinux ELF with .BTF, or raw BTF\n"
"                       (ignored when MODULE.ko has a .BTF.base section)\n"
"  -c, --check          verify only (see above)\n"
"  -v, --verbose        show every patched slot (repeat for more)\n"
"  -h, --help           this text\n"
"\n"
"A module without .BTF_ids is left as it is; one whose .BTF_ids cannot be\n"
"resolved (no readable symbol table, unknown names) is an error.\n"
"\n"
"Example: " PROG " -b /tmp/vmlinux-6.1.0-56-amd64 kfx.ko\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "btf_base", required_argument, NULL, 'b' },
		{ "btf-base", required_argument, NULL, 'b' },
		{ "check", no_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct object o = { .fd = -1 };
	struct btf *btf = NULL, *base = NULL;
	const char *base_path = NULL;
	bool checking = false;
	int c, rc = 0;

	if (argc == 3 && !strcmp(argv[1], "--funcs"))
		return list_funcs(argv[2]);
	while ((c = getopt_long(argc, argv, "b:cvh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			base_path = optarg;
			break;
		case 'c':
			checking = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			die("usage: " PROG " [-v] -b VMLINUX MODULE.ko (see --help)");
		}
	}
	if (optind != argc - 1)
		die("usage: " PROG " [-v] -b VMLINUX MODULE.ko (see --help)");
	o.path = argv[optind];
	/* Replace the file a symlink points to, not the symlink. */
	if (!checking) {
		o.path = realpath(argv[optind], NULL);
		if (!o.path)
			die("cannot open %s: %s", argv[optind], strerror(errno));
	}
	if (verbose < 2)
		libbpf_set_print(NULL);

	elf_open(&o, checking);
	if (!o.ids) {
		dbg(1, "%s: no .BTF_ids section, nothing to do\n", o.path);
		if (checking)
			printf("%s: no .BTF_ids section\n", o.path);
		else
			drop_copy(&o);
		return 0;
	}
	need_symbols(&o);
	collect(&o);
	if (checking) {
		/*
		 * Names are checked when the BTF can be read: with a base, or
		 * a .BTF that stands alone (a BPF object); ids always.  Split
		 * BTF without its base does not parse, and is not guessed at.
		 */
		if (o.btf && o.btf->d_size && (o.btf_base || base_path))
			btf = load_btf(&o, base_path, &base);
		else if (o.btf && o.btf->d_size) {
			btf = parse_split(&o, NULL);
			if (libbpf_get_error(btf))
				btf = NULL;
		}
		rc = check(&o, btf);
	} else {
		btf = load_btf(&o, base_path, &base);
		resolve(&o, btf);
		patch(&o);
		commit(&o);
	}

	btf__free(btf);
	btf__free(base);
	if (o.elf)
		elf_end(o.elf);
	if (o.fd >= 0)
		close(o.fd);
	return rc;
}
