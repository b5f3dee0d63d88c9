# The package VM matrix (ci/pkg-vmtest): per row a throwaway root where
# `apt install kfx-dkms kfx` runs from the signed repository, then a boot of
# the row's kernel from that root and the in-guest checks of what got
# installed.  Part of `make test`.
#
#   make pkgvm [KFX_PKGVM_ROWS="bw-6.1 tx-7.3 tx-6.12-up tx-6.12-rpm bw-6.12-bpo purge old-5.10"]
.PHONY: pkgvm

pkgvm: vm-setup
	@mkdir -p $(RESULTS)
	@KFX_CACHE=$(KFX_CACHE) RESULTS=$(RESULTS) BUILD=$(BUILD) VERSION=$(VERSION) \
		./ci/pkg-vmtest
