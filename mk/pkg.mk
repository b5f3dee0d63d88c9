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
