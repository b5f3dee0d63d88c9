# Build-time BTF helpers: kfx-btfids (C), kfx-vmlinux and kfx-module-btf
# (shell, used in place), and their tests.
#
#   make build/kfx-btfids   the .BTF_ids resolver (libelf + libbpf)
#   make test-btf           unit tests; needs root + apt for the 6.1 part

BTF_PKGS   := libbpf libelf
BTF_CFLAGS := $(shell pkg-config --cflags $(BTF_PKGS) 2>/dev/null)
BTF_LIBS   := $(shell pkg-config --libs $(BTF_PKGS) 2>/dev/null || echo -lbpf -lelf)

all: $(BUILD)/kfx-btfids

$(BUILD)/kfx-btfids: tools/kfx-btfids.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BTF_CFLAGS) -o $@ $< $(BTF_LIBS)

.PHONY: test-btf
unit: test-btf

test-btf: $(BUILD)/kfx-btfids
	@mkdir -p $(RESULTS)
	@KFX_BTFIDS=$(abspath $(BUILD)/kfx-btfids) BUILD=$(abspath $(BUILD)) \
	 KFX_CACHE=$(KFX_CACHE) CC="$(CC)" ./tests/btf/run $(RESULTS)/btf.count
