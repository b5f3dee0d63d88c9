# `kfx new` and its template (sdk/kfx-new, sdk/template): CLI errors, the
# tree it writes, the project's user-space build, unit tests and `make deb`.
.PHONY: test-sdk-new
unit: test-sdk-new

test-sdk-new: $(BUILD)/kfx
	@mkdir -p $(RESULTS)
	@./tests/sdk-new/run $(BUILD)/kfx $(RESULTS)/sdk-new.count
