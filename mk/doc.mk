# Documentation that cannot rot: every C example marked in README.md and
# tools/kfx.8 (tests/doc/extract-examples) is extracted into
# $(BUILD)/examples, compiled with the tree's BPF_CFLAGS before `vmtest`
# (not by `all`: the packages build `all` and need no python3), and loaded
# in the VM matrix (ci/guest-checks.sh, check doc-examples) by
# $(BUILD)/kfx-doc-example.  test-doc-examples (unit) fails on a C block
# left unmarked and on an example that does not compile.
DOC_FILES    := README.md tools/kfx.8
DOC_EX_DIR   := $(BUILD)/examples
DOC_EX_STAMP := $(DOC_EX_DIR)/.built

.PHONY: test-doc-examples doc-examples
unit: test-doc-examples
vmtest: doc-examples $(BUILD)/kfx-doc-example $(BUILD)/kfx_doc_rodata.bpf.o

doc-examples: $(DOC_EX_STAMP)

# One rule for all examples: their names are only known after extraction.
$(DOC_EX_STAMP): $(DOC_FILES) tests/doc/extract-examples bpf/vmlinux.h \
		 include/kfx_kfuncs.h
	@rm -rf $(DOC_EX_DIR)
	@./tests/doc/extract-examples $(DOC_EX_DIR) $(DOC_FILES)
	@for n in $$(cat $(DOC_EX_DIR)/list); do \
		echo "  CLANG   $(DOC_EX_DIR)/$$n.bpf.o"; \
		$(CLANG) $(BPF_CFLAGS) -c $(DOC_EX_DIR)/$$n.bpf.c \
			-o $(DOC_EX_DIR)/$$n.bpf.o || exit 1; \
	done
	@touch $@

$(BUILD)/kfx-doc-example: tests/kernel/kfx_doc_example.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIBBPF_CFLAGS) -o $@ $< $(LIBBPF_LIBS)

$(BUILD)/kfx_doc_rodata.bpf.o: tests/kernel/kfx_doc_rodata.bpf.c bpf/vmlinux.h \
		include/kfx_kfuncs.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

test-doc-examples:
	@mkdir -p $(RESULTS)
	@CLANG=$(CLANG) BPF_CFLAGS="$(BPF_CFLAGS)" ./tests/doc/run $(RESULTS)/doc-examples.count
