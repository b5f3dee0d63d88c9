# Module BTF for the kernel a module is built for: kfx-btfids (C),
# kfx-vmlinux and kfx-module-btf (shell, used in place from btf/), their
# tests (tests/btf), and their installation (package kfx-btf).
#
#   make build/kfx-btfids   the .BTF_ids resolver (libelf + libbpf)
#   make test-btf           unit tests; needs root + apt for the 6.1 part
#   make test-dkms-skip     unit tests of kfx-dkms.sh (tests/pkg/dkms-skip)
#   make install-btf DESTDIR=...   the three tools and kfx-dkms.sh (the
#                           DKMS skip logic dkms.conf files source) into
#                           $(KFX_BTF_LIBDIR)

BTF_PKGS   := libbpf libelf
BTF_CFLAGS := $(shell pkg-config --cflags $(BTF_PKGS) 2>/dev/null)
BTF_LIBS   := $(shell pkg-config --libs $(BTF_PKGS) 2>/dev/null || echo -lbpf -lelf)
KFX_BTF_LIBDIR ?= /usr/lib/kfx-btf

all: $(BUILD)/kfx-btfids

$(BUILD)/kfx-btfids: btf/kfx-btfids.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BTF_CFLAGS) -o $@ $< $(BTF_LIBS)

.PHONY: test-btf test-dkms-skip install-btf
unit: test-btf test-dkms-skip

test-btf: $(BUILD)/kfx-btfids
	@mkdir -p $(RESULTS)
	@KFX_BTFIDS=$(abspath $(BUILD)/kfx-btfids) BUILD=$(abspath $(BUILD)) \
	 KFX_CACHE=$(KFX_CACHE) CC="$(CC)" ./tests/btf/run $(RESULTS)/btf.count

test-dkms-skip:
	@mkdir -p $(RESULTS)
	@./tests/pkg/dkms-skip $(RESULTS)/dkms-skip.count

install-btf: $(BUILD)/kfx-btfids
	install -d $(DESTDIR)$(KFX_BTF_LIBDIR)
	install -m 755 $(BUILD)/kfx-btfids btf/kfx-vmlinux btf/kfx-module-btf \
		$(DESTDIR)$(KFX_BTF_LIBDIR)/
	install -m 644 btf/kfx-dkms.sh $(DESTDIR)$(KFX_BTF_LIBDIR)/
