# kfx string core: unit tests, differential fuzzers, user-space benchmark.
#
#   make test-strings   unit tests against memmem / naive fold / fnmatch
#   make test-set       rule sets: compiler + matcher vs a per-rule oracle,
#                       compiler limits, malformed sets, work bound
#   make test-set-race  each set header word rewritten by another thread
#                       during matching (ASan, guard page): no read outside
#   make test-strings-worst  adversarial worst cases at maximal sizes: work
#                       bound (steps), answer, CPU time per call
#   make test-strings-be     the unit tests big-endian (s390x, qemu-user)
#   make fuzz-short     each libFuzzer harness for ~20 s (part of `unit`)
#   make fuzz           each harness for FUZZ_SECONDS (default 300)
#   make bench-user     user-space benchmark -> results/bench-user.{md,json}

STR_DIR      := $(BUILD)/strings
STR_SRC      := src/kfx_string.c
STR_HDR      := src/kfx_string.h
# The rule-set matcher (kernel side too) and its compiler (user space).
SET_SRC      := src/kfx_set.c
SET_HDR      := src/kfx_set.h
RS_SRC       := src/kfx_ruleset.c
RS_HDR       := src/kfx_ruleset.h
STR_CFLAGS   := -O2 -g -Wall -Wextra -Isrc
FUZZ_SECONDS ?= 300
FUZZ_SHORT_SECONDS ?= 20
FUZZ_TARGETS := strstr strcasestr glob path set rules
FUZZ_CFLAGS  := -O1 -g -Wall -Wextra -Isrc -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined
# Bench results live at the top level, next to the in-kernel ones.
BENCH_OUT    ?= results
BENCH_FLAGS  ?=

.PHONY: test-strings test-set test-set-race test-set-be test-strings-worst test-strings-be fuzz fuzz-short bench \
	bench-user strings-warnings
unit: test-strings test-set test-set-race test-strings-worst test-strings-be test-set-be fuzz-short
bench: bench-user

$(STR_DIR)/test_strings: tests/string/test_strings.c tests/string/harness.h $(STR_SRC) $(STR_HDR)
	@mkdir -p $(@D)
	$(CC) $(STR_CFLAGS) -o $@ tests/string/test_strings.c $(STR_SRC)

test-strings: $(STR_DIR)/test_strings strings-warnings
	@mkdir -p $(RESULTS)
	@echo ">> string core vs memmem / fold oracle / fnmatch"
	@$(STR_DIR)/test_strings $(RESULTS)/strings.count

$(STR_DIR)/test_set: tests/string/test_set.c tests/string/harness.h tests/string/set_oracle.h \
		tests/string/path_oracle.h tests/string/oracle.h $(STR_SRC) $(STR_HDR) \
		$(SET_SRC) $(SET_HDR) $(RS_SRC) $(RS_HDR) include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(CC) $(STR_CFLAGS) -o $@ tests/string/test_set.c $(STR_SRC) $(SET_SRC) $(RS_SRC)

test-set: $(STR_DIR)/test_set
	@mkdir -p $(RESULTS)
	@echo ">> rule sets: compiler + matcher vs per-rule oracle, malformed sets"
	@nice $(STR_DIR)/test_set $(RESULTS)/set.count

# The map value can change under a running call: ASan + UBSan, threads.
$(STR_DIR)/race_set: tests/string/race_set.c tests/string/harness.h $(STR_SRC) $(STR_HDR) \
		$(SET_SRC) $(SET_HDR) $(RS_SRC) $(RS_HDR) include/kfx_dentry_path.h
	@mkdir -p $(@D)
	clang -O2 -g -Wall -Wextra -Isrc -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -pthread -o $@ tests/string/race_set.c \
		$(STR_SRC) $(SET_SRC) $(RS_SRC)

test-set-race: $(STR_DIR)/race_set
	@mkdir -p $(RESULTS)
	@echo ">> rule sets: header words rewritten during matching (ASan, guard page)"
	@ASAN_OPTIONS=detect_leaks=0 nice $(STR_DIR)/race_set $(RESULTS)/set-race.count

# Built with KFX_STRING_STEPS so the searches count their comparisons.
$(STR_DIR)/worst: tests/string/worst.c tests/string/harness.h tests/string/oracle.h tests/string/set_oracle.h \
		tests/string/path_oracle.h $(STR_SRC) $(STR_HDR) $(SET_SRC) $(SET_HDR) \
		$(RS_SRC) $(RS_HDR)
	@mkdir -p $(@D)
	$(CC) $(STR_CFLAGS) -DKFX_STRING_STEPS -o $@ tests/string/worst.c $(STR_SRC) \
		$(SET_SRC) $(RS_SRC)

test-strings-worst: $(STR_DIR)/worst
	@mkdir -p $(RESULTS)
	@echo ">> string core worst cases at maximal sizes (steps, answers, CPU time)"
	@nice $(STR_DIR)/worst $(RESULTS)/strings-worst.count $(RESULTS)/strings-worst.md

# Big-endian: the same unit tests, cross-built for s390x and run under
# qemu-user (ci/deps/host-strings.txt installs both), so the word-at-a-time
# code is exercised with the other byte order.
STR_BE_CC   ?= s390x-linux-gnu-gcc
STR_BE_QEMU ?= qemu-s390x -L /usr/s390x-linux-gnu

$(STR_DIR)/test_strings.s390x: tests/string/test_strings.c tests/string/harness.h tests/string/oracle.h \
		$(STR_SRC) $(STR_HDR)
	@mkdir -p $(@D)
	$(STR_BE_CC) $(STR_CFLAGS) -o $@ tests/string/test_strings.c $(STR_SRC)

test-strings-be: $(STR_DIR)/test_strings.s390x
	@mkdir -p $(RESULTS)
	@echo ">> string core big-endian (s390x under qemu-user)"
	@$(STR_BE_QEMU) $(STR_DIR)/test_strings.s390x /dev/null \
		>$(STR_DIR)/be.log 2>&1; rc=$$?; tail -n 4 $(STR_DIR)/be.log; \
	 grep -q '^FAIL' $(STR_DIR)/be.log && grep -m 20 -A2 '^FAIL' $(STR_DIR)/be.log; \
	 p=$$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$$/\1/p' $(STR_DIR)/be.log); \
	 f=$$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$$/\2/p' $(STR_DIR)/be.log); \
	 if [ -z "$$p" ]; then p=0; f=1; echo "FAIL strings-be: no result (exit $$rc)"; fi; \
	 echo "$$p $$f 0" >$(RESULTS)/strings-be.count; [ $$rc -eq 0 ] && [ $$f -eq 0 ]

# Rule sets big-endian: the set format is native-endian words, the matcher
# reads them with unaligned-safe loads; 2000 random sets under qemu-user.
$(STR_DIR)/test_set.s390x: tests/string/test_set.c tests/string/harness.h tests/string/set_oracle.h \
		tests/string/path_oracle.h tests/string/oracle.h $(STR_SRC) $(STR_HDR) \
		$(SET_SRC) $(SET_HDR) $(RS_SRC) $(RS_HDR) include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(STR_BE_CC) $(STR_CFLAGS) -o $@ tests/string/test_set.c $(STR_SRC) \
		$(SET_SRC) $(RS_SRC)

test-set-be: $(STR_DIR)/test_set.s390x
	@mkdir -p $(RESULTS)
	@echo ">> rule sets big-endian (s390x under qemu-user)"
	@$(STR_BE_QEMU) $(STR_DIR)/test_set.s390x $(RESULTS)/set-be.count 2000 \
		>$(STR_DIR)/set-be.log 2>&1; rc=$$?; tail -n 2 $(STR_DIR)/set-be.log; \
	 grep -m 20 '^FAIL' $(STR_DIR)/set-be.log; \
	 if [ ! -s $(RESULTS)/set-be.count ]; then echo "0 1 0" >$(RESULTS)/set-be.count; \
		echo "FAIL set-be: no result (exit $$rc)"; rc=1; fi; [ $$rc -eq 0 ]

# The core must also build cleanly with both compilers and the flags a
# kernel build uses for prototypes and declarations.
strings-warnings:
	@mkdir -p $(STR_DIR)
	$(CC) -O2 -Wall -Wextra -Wmissing-prototypes -Wdeclaration-after-statement \
		-Werror -c $(STR_SRC) -o $(STR_DIR)/kfx_string.gcc.o
	$(CLANG) -O2 -Wall -Wextra -Wmissing-prototypes -Werror -c $(STR_SRC) \
		-o $(STR_DIR)/kfx_string.clang.o
	$(CC) -O2 -Wall -Wextra -Wmissing-prototypes -Wdeclaration-after-statement \
		-Werror -c $(SET_SRC) -o $(STR_DIR)/kfx_set.gcc.o
	$(CLANG) -O2 -Wall -Wextra -Wmissing-prototypes -Werror -c $(SET_SRC) \
		-o $(STR_DIR)/kfx_set.clang.o

$(STR_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_split.h tests/fuzz/fuzz_pattern.h tests/string/path_oracle.h \
		tests/string/set_oracle.h $(STR_SRC) $(STR_HDR) $(SET_SRC) $(SET_HDR) \
		$(RS_SRC) $(RS_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Itests/string -o $@ $< $(STR_SRC) $(SET_SRC) $(RS_SRC)

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
	echo "$$p passed, $$f failed"; echo "$$p $$f 0" >$(RESULTS)/$(2).count; \
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

# In-kernel worst cases (tests/kernel, not shipped): built by `all` so the
# VM matrix (ci/guest-checks.sh, check kfunc-worst) finds them in /kfx/build.
all: $(BUILD)/kfx_worst.bpf.o $(BUILD)/kfx-worst

$(BUILD)/kfx_worst.bpf.o: tests/kernel/kfx_worst.bpf.c tests/kernel/kfx_worst.h \
		bpf/vmlinux.h include/kfx_kfuncs.h include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -Itests/kernel -c $< -o $@

$(BUILD)/kfx-worst: tests/kernel/kfx_worst.c tests/kernel/kfx_worst.h $(STR_SRC) $(STR_HDR) \
		$(SET_SRC) $(SET_HDR) $(RS_SRC) $(RS_HDR) include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -Iinclude -Itests/kernel $(LIBBPF_CFLAGS) -o $@ \
		tests/kernel/kfx_worst.c $(STR_SRC) $(SET_SRC) $(RS_SRC) $(LIBBPF_LIBS)

