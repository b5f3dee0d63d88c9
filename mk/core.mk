# The core: the kfx command, the CO-RE BPF objects, the kernel module.

LIBBPF_CFLAGS := $(shell pkg-config --cflags libbpf 2>/dev/null)
LIBBPF_LIBS   := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)
KFX_SRCS      := $(wildcard tools/kfx*.c)
KFX_SRCS      := $(filter-out tools/kfx-%.c,$(KFX_SRCS))
# The BPF objects are built once and must load unchanged on every supported
# kernel: they compile against the vmlinux.h kept in the tree (bpf/README).
BPF_CFLAGS    := -target bpf -g -O2 -D__TARGET_ARCH_x86 -Wall -Werror \
		 -Ibpf -Iinclude

KVER ?= $(shell uname -r)
KDIR ?= $(patsubst %/Makefile,%,$(firstword $(wildcard \
		/lib/modules/$(KVER)/build/Makefile \
		/usr/src/linux-headers-$(KVER)/Makefile)))

.PHONY: module module-clean
all: $(BUILD)/kfx $(BUILD)/kfx.bpf.o $(BUILD)/kfx_alias.bpf.o

# The string core is linked in so that `kfx watch` validates globs with the
# matcher's own parser (kfx_glob_check).
# The rule-set compiler too (kfx selftest compiles a set; kfx rules).
$(BUILD)/kfx: $(KFX_SRCS) sdk/tools/kfx_diag.c sdk/tools/kfx_diag.h tools/kfx_cli.h tools/kfx_rules.h include/kfx.h VERSION src/kfx_string.c \
	      src/kfx_string.h src/kfx_ruleset.c src/kfx_ruleset.h src/kfx_set.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Isrc -Isdk/tools $(LIBBPF_CFLAGS) \
		-DKFX_VERSION='"$(VERSION)"' -o $@ $(KFX_SRCS) sdk/tools/kfx_diag.c src/kfx_string.c \
		src/kfx_ruleset.c $(LIBBPF_LIBS)

$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/vmlinux.h $(wildcard bpf/*.bpf.h) include/kfx.h \
		  include/kfx_kfuncs.h include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# kfx.ko for KVER with module BTF for that kernel: the SDK's one recipe
# (src/Makefile -> sdk/module/kfx-module.mk), as DKMS and the RPM build it.
# kfx-btfids is only built if missing, so a tree built on the host can
# build modules in a root that has no libbpf-dev.
module: | $(BUILD)/kfx-btfids
	$(MAKE) -C src modules KVER=$(KVER) KDIR=$(KDIR) KFX_VERSION=$(VERSION) \
		KFX_BTFIDS=$(abspath $(BUILD)/kfx-btfids)

module-clean:
	$(MAKE) -C src clean KVER=$(KVER) KDIR=$(KDIR)
