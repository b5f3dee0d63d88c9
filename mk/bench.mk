# In-kernel benchmark (`kfx bench`): the BPF objects, and `make bench-kernel`,
# which boots one VM kernel (BENCH_KERNEL, 7.3: it has all three contenders)
# and writes results/bench-kernel.{md,json}.  Not part of `make test`.

BENCH_KERNEL ?= 7.3

.PHONY: bench-kernel
all: $(BUILD)/kfx_bench.bpf.o $(BUILD)/kfx_bench_strnstr.bpf.o
bench: bench-kernel

# Both objects are built from kfx_bench.bpf.c; the kfx binary from
# tools/kfx_bench*.c (picked up by core.mk's wildcard).
$(BUILD)/kfx_bench.bpf.o $(BUILD)/kfx_bench_strnstr.bpf.o: include/kfx_bench.h
$(BUILD)/kfx_bench_strnstr.bpf.o: bpf/kfx_bench.bpf.c
$(BUILD)/kfx: include/kfx_bench.h tools/kfx_bench_cli.h

bench-kernel: vm-setup all
	@mkdir -p $(BENCH_OUT)
	@KFX_CACHE=$(KFX_CACHE) ./bench/kernel-report $(BENCH_KERNEL) $(BENCH_OUT)
