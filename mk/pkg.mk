# Packaging: kfx + kfx-dkms as .debs (debian/) and RPMs (rpm/kfx.spec), and
# a signed local apt repository of them.
#
#   make deb    build/pkg/deb/kfx{,-dkms}_$(VERSION)_*.deb, lintian-checked
#   make rpm    build/pkg/rpm/kfx{,-dkms}-$(VERSION)-1.*.rpm
#   make repo   build/pkg/repo: every .deb in build/pkg/deb, signed with a
#               throwaway key made in build/pkg/key; `make deb repo
#               VERSION=x.y.z` adds a newer release for `apt upgrade`
#   make test-pkg   install/upgrade/purge tests in throwaway roots (part of
#               `unit`; needs root and the VM roots, made by vm-setup)
#
# Use the repository from a root that has it mounted at /srv/kfx-repo:
#   cp /srv/kfx-repo/kfx.sources /etc/apt/sources.list.d/
#   apt update && apt install kfx-dkms kfx

PKG_DIR := $(BUILD)/pkg

# Installation, one target per package, so debian/rules and rpm/kfx.spec
# name no file themselves (DESTDIR: the package's root):
#   make install-kfx    the command, its BPF objects and man page   (kfx)
#   make install-btf    the module-BTF tools, btf/btf.mk            (kfx-btf)
#   make install-dkms   the module source + dkms.conf for DKMS      (kfx-dkms)
#   make install        all three
# The DKMS tree has the layout src/Makefile expects (src/, include/,
# sdk/module/, VERSION): only what kbuild and the recipe need, no libbpf.
DESTDIR ?=
KFX_LIBDIR  ?= /usr/lib/kfx
KFX_DKMS_SRC = $(DESTDIR)/usr/src/kfx-$(VERSION)

.PHONY: install install-kfx install-dkms
install: install-kfx install-btf install-dkms

install-kfx: $(BUILD)/kfx $(BUILD)/kfx.bpf.o $(BUILD)/kfx_alias.bpf.o
	install -D -m 755 $(BUILD)/kfx $(DESTDIR)/usr/sbin/kfx
	install -d $(DESTDIR)$(KFX_LIBDIR)
	install -m 644 $(BUILD)/*.bpf.o $(DESTDIR)$(KFX_LIBDIR)/
	install -D -m 644 tools/kfx.8 $(DESTDIR)/usr/share/man/man8/kfx.8

install-dkms:
	install -d $(KFX_DKMS_SRC)/src $(KFX_DKMS_SRC)/include $(KFX_DKMS_SRC)/sdk/module
	install -m 644 src/Kbuild src/Makefile $(filter-out %.mod.c,$(wildcard src/*.c)) \
		src/*.h $(wildcard src/*.kfuncs) $(KFX_DKMS_SRC)/src/
	install -m 644 include/*.h $(KFX_DKMS_SRC)/include/
	for f in sdk/module/*; do \
		if [ -x "$$f" ]; then m=755; else m=644; fi; \
		install -m $$m "$$f" $(KFX_DKMS_SRC)/sdk/module/ || exit 1; \
	done
	echo $(VERSION) >$(KFX_DKMS_SRC)/VERSION
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(KFX_DKMS_SRC)/dkms.conf

.PHONY: deb rpm repo test-pkg
unit: test-pkg

deb:
	@./ci/pkg-deb $(VERSION) $(PKG_DIR)/deb
	@echo ">> lintian"
	@lintian --fail-on error,warning --display-level '>=warning' \
		$(PKG_DIR)/deb/kfx_$(VERSION)_amd64.changes >$(PKG_DIR)/deb/lintian.log 2>&1; \
	 st=$$?; grep -v 'root privileges' $(PKG_DIR)/deb/lintian.log; \
	 [ $$st -ne 0 ] || echo "   lintian: no errors, no warnings"; exit $$st

rpm:
	@./ci/pkg-rpm $(VERSION) $(PKG_DIR)/rpm

repo: deb
	@./ci/pkg-repo $(PKG_DIR)/repo $(PKG_DIR)/key $(PKG_DIR)/deb/*.deb

test-pkg: vm-setup
	@mkdir -p $(RESULTS)
	@echo ">> packaging: build, lint, install/upgrade/purge in throwaway roots"
	@KFX_CACHE=$(KFX_CACHE) ./tests/pkg/run $(RESULTS)/pkg.count
