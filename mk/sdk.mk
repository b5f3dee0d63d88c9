# The SDK's module side (sdk/module): kfx-kfuncs (declarations and the
# kfunc-name check) and its tests; kfx_register.h and compat.h are tested by
# building kfx.ko on them in the VM matrix.
#
#   make test-sdk   unit tests (tests/sdk), no kernel needed

.PHONY: test-sdk
unit: test-sdk

test-sdk: $(BUILD)/kfx-btfids
	@mkdir -p $(RESULTS)
	@KFX_BTFIDS=$(abspath $(BUILD)/kfx-btfids) BUILD=$(abspath $(BUILD)) \
	 CC="$(CC)" CLANG="$(CLANG)" ./tests/sdk/run $(RESULTS)/sdk.count
