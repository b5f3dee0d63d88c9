# kfx — top-level entry points. See README.md.
#
#   make            user-space parts: kfx, kfx.bpf.o, BTF helpers (into build/)
#   make module     kfx.ko for KVER (default: running kernel), with module BTF
#   make test       unit tests + both VM matrices; ends with "N passed, N failed"
#   make vmtest     the VM matrix of the source tree (module built per kernel)
#   make pkgvm      the package VM matrix (apt/rpm install, DKMS, boot)
#   make demo       boot a 6.12 kernel in a VM and show kfx watch at work
#   make bench      string benchmarks
#   make fuzz       differential fuzzers (FUZZ_SECONDS each)
#   make clean      remove build products (keeps the VM cache)
#   make distclean  also remove the VM cache (KFX_CACHE)

BUILD     ?= build
KFX_CACHE ?= /var/cache/kfx
VERSION   ?= $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CC        ?= cc
CLANG     ?= clang
CFLAGS    ?= -O2 -g -Wall -Wextra
export BUILD KFX_CACHE VERSION

RESULTS := $(BUILD)/results

.PHONY: all deps test unit clean distclean summary
all:

deps:
	@./ci/install-deps

include mk/*.mk

# Each test target prints its own "N passed, N failed" and writes
# $(RESULTS)/<name>.count ("passed failed"); `summary` adds them up.
summary:
	@./tests/summarize $(RESULTS)

# A build error that stops a suite before it counts anything still fails
# the run, and shows in the summary as "make" with one failure.
test: deps
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory -k unit vmtest pkgvm || \
	 echo "0 1" >$(RESULTS)/make.count
	@./tests/summarize $(RESULTS)

clean:
	rm -rf $(BUILD)
	rm -f src/kfx.kfuncs.h src/*.o src/*.ko src/*.mod src/*.mod.c src/.*.cmd src/Module.symvers src/modules.order

distclean: clean
	rm -rf --one-file-system results
	./ci/cache-clean "$(KFX_CACHE)"
