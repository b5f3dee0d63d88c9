# The VM matrix (harness/, driven by ci/): root file systems cached in
# $(KFX_CACHE), kernels booted with virtme-ng.  See ci/vmtest for what is
# checked and harness/README.md for the library.
.PHONY: vm-setup vmtest demo

vm-setup:
	@./ci/install-deps
	@KFX_CACHE=$(KFX_CACHE) ./harness/setup-roots

vmtest: vm-setup all
	@KFX_CACHE=$(KFX_CACHE) RESULTS=$(RESULTS) ./ci/vmtest

demo: vm-setup
	@KFX_CACHE=$(KFX_CACHE) RESULTS=$(RESULTS) ./ci/demo

# The harness library's host-side parts (no VM): tests/vm-harness/run.
.PHONY: test-vm-harness
unit: test-vm-harness

test-vm-harness:
	@mkdir -p $(RESULTS)
	@./tests/vm-harness/run $(RESULTS)/vm-harness.count
