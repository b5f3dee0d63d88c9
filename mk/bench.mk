# The benchmark: not part of the product (the kfx binary and packages carry
# none of it).  `make bench` installs its host packages (ci/deps/bench.txt),
# runs the user-space figures (bench-user: string search; bench-native: rule
# sets, callgrind + wall clock, Hyperscan), then boots ONE VM kernel
# (BENCH_KERNEL, 7.3: it has every contender) for the in-kernel figures
# (build/kfx-bench in the guest), and writes results/bench.{md,json} with the
# goals table of issue 9.  `make unit` only builds it (bench-build), so it
# cannot rot.

BENCH_KERNEL ?= 7.3
BENCH_DIR    := $(BUILD)/bench
HS_CFLAGS    := $(shell pkg-config --cflags libhs 2>/dev/null)
HS_LIBS      := $(shell pkg-config --libs libhs 2>/dev/null)
# Without Hyperscan the set benchmark still builds; the goal says "not measured".
BENCH_HS     := $(if $(HS_LIBS),-DKFX_BENCH_HS)
BENCH_SRCS   := bench/kfx_bench.c bench/kfx_bench_unlink.c bench/kfx_bench_set.c \
		bench/kfx_bench_stats.c bench/kfx_bench_main.c bench/workload.c
BENCH_HDRS   := bench/kfx_bench.h bench/kfx_bench_cli.h bench/kfx_bench_set.h \
		bench/workload.h tools/kfx_cli.h src/kfx_set.h src/kfx_ruleset.h
BENCH_OBJS   := $(BENCH_DIR)/kfx_bench.bpf.o $(BENCH_DIR)/kfx_bench_strnstr.bpf.o \
		$(BENCH_DIR)/kfx_bench_set.bpf.o $(BENCH_DIR)/kfx_floor.bpf.o

.PHONY: bench-build bench-deps bench-native bench-kernel bench-report
unit: bench-build
bench-build: $(BUILD)/kfx-bench $(BENCH_OBJS) $(BENCH_DIR)/bench_set

# kfx-bench links the loader's kernel probing (tools/kfx_kernel.c) and the
# string core, set matcher and compiler (answers are checked natively).
$(BUILD)/kfx-bench: $(BENCH_SRCS) $(BENCH_HDRS) tools/kfx_kernel.c tools/kfx_msg.c sdk/tools/kfx_diag.c \
		    sdk/tools/kfx_diag.h src/kfx_string.c src/kfx_set.c src/kfx_ruleset.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -Isrc -Itools -Isdk/tools -Ibench $(LIBBPF_CFLAGS) \
		-DKFX_VERSION='"$(VERSION)"' -o $@ $(BENCH_SRCS) tools/kfx_kernel.c tools/kfx_msg.c sdk/tools/kfx_diag.c \
		src/kfx_string.c src/kfx_set.c src/kfx_ruleset.c $(LIBBPF_LIBS)

$(BENCH_DIR)/%.bpf.o: bench/%.bpf.c bench/kfx_bench.h bench/kfx_bench_set.h bpf/vmlinux.h \
		      include/kfx_kfuncs.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@
$(BENCH_DIR)/kfx_bench_strnstr.bpf.o: bench/kfx_bench.bpf.c

# kfx.bpf.o's watch programs with empty bodies: the floor of --stats.
$(BENCH_DIR)/kfx_floor.bpf.o: bpf/kfx.bpf.c bpf/vmlinux.h $(wildcard bpf/*.bpf.h) include/kfx.h \
			      include/kfx_kfuncs.h include/kfx_dentry_path.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -DKFX_WATCH_FLOOR -c $< -o $@

# (file names spelled out: strings.mk's variables are not set yet here)
$(BENCH_DIR)/bench_set: bench/bench_set.c bench/workload.c bench/workload.h src/kfx_string.c \
			src/kfx_string.h src/kfx_set.c src/kfx_set.h src/kfx_ruleset.c \
			src/kfx_ruleset.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -Wextra -Isrc -Ibench $(HS_CFLAGS) $(BENCH_HS) -o $@ \
		bench/bench_set.c bench/workload.c $(STR_SRC) $(SET_SRC) $(RS_SRC) $(HS_LIBS)

# Idempotent: installs only what is missing (libhyperscan-dev, valgrind, ...).
bench-deps:
	@./bench/install-deps

# The report is written even when the guest failed: its goals then say
# "not measured", and make bench fails.
bench: bench-deps bench-user bench-native vm-setup all bench-build
	@mkdir -p $(BENCH_OUT)
	@st=0; KFX_CACHE=$(KFX_CACHE) ./bench/kernel-report $(BENCH_KERNEL) $(BENCH_OUT) || st=1; \
	python3 bench/report-all.py $(BENCH_OUT) || st=1; exit $$st

bench-native: bench-deps
	@$(MAKE) --no-print-directory $(BENCH_DIR)/bench_set
	@mkdir -p $(BENCH_OUT)
	./bench/run-bench-set $(BENCH_DIR)/bench_set $(BENCH_OUT)

bench-kernel: vm-setup all bench-build
	@mkdir -p $(BENCH_OUT)
	@KFX_CACHE=$(KFX_CACHE) ./bench/kernel-report $(BENCH_KERNEL) $(BENCH_OUT)

# Just the report from the last results (no measuring).
bench-report:
	@python3 bench/report-all.py $(BENCH_OUT)
test-cli: $(BUILD)/kfx-bench
