# kfx string core: unit tests, differential fuzzers, user-space benchmark.
#
#   make test-strings   unit tests against memmem / naive fold / fnmatch
#   make fuzz-short     each libFuzzer harness for ~20 s (part of `unit`)
#   make fuzz           each harness for FUZZ_SECONDS (default 300)
#   make bench-user     user-space benchmark -> results/bench-user.{md,json}

STR_DIR      := $(BUILD)/strings
STR_SRC      := src/kfx_string.c
STR_HDR      := src/kfx_string.h
STR_CFLAGS   := -O2 -g -Wall -Wextra -Isrc
FUZZ_SECONDS ?= 300
FUZZ_SHORT_SECONDS ?= 20
FUZZ_TARGETS := strstr strcasestr glob
FUZZ_CFLAGS  := -O1 -g -Wall -Wextra -Isrc -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined
# Bench results live at the top level, next to the in-kernel ones.
BENCH_OUT    ?= results
BENCH_FLAGS  ?=

.PHONY: test-strings fuzz fuzz-short bench bench-user strings-warnings
unit: test-strings fuzz-short
bench: bench-user

$(STR_DIR)/test_strings: tests/string/test_strings.c $(STR_SRC) $(STR_HDR)
	@mkdir -p $(@D)
	$(CC) $(STR_CFLAGS) -o $@ tests/string/test_strings.c $(STR_SRC)

test-strings: $(STR_DIR)/test_strings strings-warnings
	@mkdir -p $(RESULTS)
	@echo ">> string core vs memmem / fold oracle / fnmatch"
	@$(STR_DIR)/test_strings $(RESULTS)/strings.count

# The core must also build cleanly with both compilers and the flags a
# kernel build uses for prototypes and declarations.
strings-warnings:
	@mkdir -p $(STR_DIR)
	$(CC) -O2 -Wall -Wextra -Wmissing-prototypes -Wdeclaration-after-statement \
		-Werror -c $(STR_SRC) -o $(STR_DIR)/kfx_string.gcc.o
	$(CLANG) -O2 -Wall -Wextra -Wmissing-prototypes -Werror -c $(STR_SRC) \
		-o $(STR_DIR)/kfx_string.clang.o

$(STR_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_split.h $(STR_SRC) $(STR_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(STR_SRC)

# Run each harness on a scratch copy of its seed corpus (the tree keeps
# only the small seeds).  $(1) = seconds per harness, $(2) = count name.
define kfx_run_fuzz
	@mkdir -p $(RESULTS); p=0; f=0; \
	for t in $(FUZZ_TARGETS); do \
		w=$(STR_DIR)/fuzz-work/$$t; mkdir -p $$w/corpus $$w/art; \
		cp -n tests/fuzz/corpus/$$t/* $$w/corpus/ 2>/dev/null; \
		echo ">> fuzz $$t for $(1) s"; \
		if $(STR_DIR)/fuzz_$$t -max_total_time=$(1) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=$$w/art/ $$w/corpus \
			>$$w/log 2>&1; then \
			p=$$((p + 1)); tail -n 12 $$w/log | grep -E 'stat::number_of_executed_units|Done' ; \
		else \
			f=$$((f + 1)); echo "FAIL fuzz $$t (log $$w/log):"; \
			grep -E -A8 'MISMATCH|ERROR|SUMMARY|runtime error' $$w/log | head -40; \
			ls $$w/art; \
		fi; \
	done; \
	echo "$$p passed, $$f failed"; echo "$$p $$f" >$(RESULTS)/$(2).count; \
	[ $$f -eq 0 ]
endef

fuzz-short: $(addprefix $(STR_DIR)/fuzz_,$(FUZZ_TARGETS))
	$(call kfx_run_fuzz,$(FUZZ_SHORT_SECONDS),fuzz)

fuzz: $(addprefix $(STR_DIR)/fuzz_,$(FUZZ_TARGETS))
	$(call kfx_run_fuzz,$(FUZZ_SECONDS),fuzz-long)

$(STR_DIR)/bench_strings: bench/bench_strings.c bench/baselines.c bench/baselines.h \
		$(STR_SRC) $(STR_HDR)
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -Wextra -Isrc -Ibench -o $@ bench/bench_strings.c \
		bench/baselines.c $(STR_SRC)

bench-user: $(STR_DIR)/bench_strings
	@mkdir -p $(BENCH_OUT)
	./bench/run-bench $(STR_DIR)/bench_strings $(BENCH_OUT) $(BENCH_FLAGS)
