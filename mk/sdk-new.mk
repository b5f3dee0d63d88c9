# `kfx new` and its template (sdk/kfx-new, sdk/template): CLI errors, the
# tree it writes, the project's user-space build, unit tests and `make deb`.
.PHONY: test-sdk-new
unit: test-sdk-new

test-sdk-new: $(BUILD)/kfx
	@mkdir -p $(RESULTS)
	@./tests/sdk-new/run $(BUILD)/kfx $(RESULTS)/sdk-new.count

# kfx-dev's files (debian/rules and rpm/kfx.spec call this; the man page is
# installed by each packaging's own tool, which compresses it):
#   /usr/share/kfx-dev/{kfx-new,template,module,tools,bpf,harness,VERSION}
#   /usr/include/kfx/kfx_kfuncs.h
# sdk/ in the tree has that layout (sdk/bpf, sdk/harness are links into the
# tree), so KFX_DEV_DIR=sdk runs `kfx new` from a checkout.
KFX_DEV_SHARE := $(DESTDIR)/usr/share/kfx-dev
.PHONY: install-dev
install-dev:
	install -d $(KFX_DEV_SHARE)/module $(KFX_DEV_SHARE)/tools \
		$(KFX_DEV_SHARE)/bpf $(KFX_DEV_SHARE)/harness $(DESTDIR)/usr/include/kfx
	install -m 755 sdk/kfx-new $(KFX_DEV_SHARE)/
	cp -R sdk/template $(KFX_DEV_SHARE)/
	install -m 644 $(filter-out %/kfx-kfuncs,$(wildcard sdk/module/*)) $(KFX_DEV_SHARE)/module/
	install -m 755 sdk/module/kfx-kfuncs $(KFX_DEV_SHARE)/module/
	install -m 644 sdk/tools/kfx_diag.c sdk/tools/kfx_diag.h $(KFX_DEV_SHARE)/tools/
	install -m 644 bpf/vmlinux.h $(KFX_DEV_SHARE)/bpf/
	cp -RL harness/. $(KFX_DEV_SHARE)/harness/
	echo $(VERSION) >$(KFX_DEV_SHARE)/VERSION
	install -m 644 include/kfx_kfuncs.h include/kfx_dentry_path.h $(DESTDIR)/usr/include/kfx/
