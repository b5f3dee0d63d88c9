# CLI tests of the kfx command (bad input, help, version).
.PHONY: test-cli
unit: test-cli

test-cli: $(BUILD)/kfx
	@mkdir -p $(RESULTS)
	@./tests/cli/run $(BUILD)/kfx $(RESULTS)/cli.count
