# The test harness's own rules (tests/summarize, tests/lib.sh).
.PHONY: test-harness
unit: test-harness

test-harness:
	@mkdir -p $(RESULTS)
	@./tests/harness/run $(RESULTS)/harness.count
