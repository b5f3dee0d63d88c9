# kfx-module.mk: the one recipe that builds an out-of-tree kfunc module for
# one kernel, with module BTF made for THAT kernel, and installs it.  kfx.ko
# is built with it (src/Makefile), and so is every project `kfx new` writes
# (vendored into its src/, installed by kfx-dev under
# /usr/share/kfx-dev/module/).  Every caller -- `make module`, dkms.conf's
# MAKE[0], the RPM, a developer -- goes through it, so there is one place
# where the order "kbuild, then module BTF" is written down.
#
# Use it from the module's src/Makefile (beside its Kbuild):
#
#     KFX_MODULE := pathkit
#     KFX_KFUNCS := pathkit.kfuncs        # optional: kfuncs declared there
#     include $(dir $(lastword $(MAKEFILE_LIST)))kfx-module.mk
#
# or directly: make -f kfx-module.mk KFX_MODULE=NAME KFX_M=/path/to/src
#
# Targets:
#   modules (default)  [kfuncs step,] kbuild for KVER/KDIR, then module BTF
#                      for KVER (kfx-module-btf: made by us where kbuild
#                      prints "Skipping BTF generation", checked where kbuild
#                      made it; the build fails if the module would load
#                      without working kfuncs)
#   clean              kbuild's clean (or the products, without headers)
#   install            NAME.ko into $(DESTDIR)/lib/modules/KVER/INSTALL_MOD_DIR
#                      (depmod only when DESTDIR is empty)
#
# Variables (command line or environment):
#   KVER            kernel release to build for (default: the running one)
#   KDIR            its kbuild tree (default: /lib/modules/KVER/build, then
#                   /usr/src/linux-headers-KVER)
#   KFX_M           the directory holding Kbuild (default: the directory of
#                   the Makefile that included this file)
#   KFX_KBUILD_ARGS extra variables for kbuild (e.g. VERSION=1.2.3)
#   KFX_BTF_DIR     where kfx-module-btf & co. live: the kfx tree's btf/ when
#                   built from the kfx tree, else /usr/lib/kfx-btf (kfx-btf)
#   KFX_KFUNCS      the project's .kfuncs file (relative to KFX_M); when set
#                   and kfx-kfuncs is beside this file, it runs before kbuild
#                   (name-clash check against KVER's vmlinux BTF, generated
#                   registration include); see sdk/README.md
#   INSTALL_MOD_DIR install's subdirectory of /lib/modules/KVER (default
#                   extra, as kbuild's modules_install; DKMS uses updates/dkms)

ifndef KFX_MODULE
$(error kfx-module.mk: set KFX_MODULE to the module's name (NAME.ko))
endif

# Where this file is: the SDK's module directory (kfx-kfuncs sits beside it).
KFX_SDK_MODULE := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
# The including Makefile's directory: MAKEFILE_LIST's entry before ours
# (evaluated now: MAKEFILE_LIST grows).  `make -f kfx-module.mk`: CURDIR.
ifeq ($(origin KFX_M),undefined)
KFX_M := $(patsubst %/,%,$(dir $(abspath $(lastword $(filter-out \
	$(lastword $(MAKEFILE_LIST)),$(MAKEFILE_LIST))))))
endif
ifeq ($(KFX_M),)
KFX_M := $(CURDIR)
endif
KFX_M := $(abspath $(KFX_M))

# Simply expanded once (a command-line value wins over these anyway).
KVER ?= $(shell uname -r)
KVER := $(KVER)
KDIR ?= $(patsubst %/Makefile,%,$(firstword $(wildcard \
	/lib/modules/$(KVER)/build/Makefile \
	/usr/src/linux-headers-$(KVER)/Makefile)))
KDIR := $(KDIR)
KFX_BTF_DIR ?= $(firstword $(patsubst %/kfx-module-btf,%,$(wildcard \
	$(abspath $(KFX_M)/../btf)/kfx-module-btf)) /usr/lib/kfx-btf)
KFX_BTF_DIR := $(KFX_BTF_DIR)
INSTALL_MOD_DIR ?= extra
KFX_KBUILD_ARGS ?=
KFX_KFUNCS ?=
DESTDIR ?=

# The kfuncs step (owned by sdk/module/kfx-kfuncs, see sdk/README.md): a
# no-op for a module without a .kfuncs file, or while the SDK has no
# kfx-kfuncs.  KFX_KFUNCS_RUN is the whole command, so the generator can
# change its arguments in one place.
KFX_KFUNCS_TOOL ?= $(wildcard $(KFX_SDK_MODULE)/kfx-kfuncs)
KFX_KFUNCS_RUN ?= $(if $(and $(KFX_KFUNCS),$(KFX_KFUNCS_TOOL)),KFX_BTF_DIR=$(KFX_BTF_DIR) \
	$(KFX_KFUNCS_TOOL) module --kver $(KVER) --kdir $(KDIR) \
	-o $(KFX_M)/$(basename $(KFX_KFUNCS)).kfuncs.h $(KFX_M)/$(KFX_KFUNCS))
# A second hook, between kbuild and the BTF step, for checks that need the
# built module (empty: nothing runs).
KFX_AFTER_KBUILD_RUN ?=

.PHONY: modules kfx-kfuncs kfx-kbuild clean install kfx-need-kdir
.DEFAULT_GOAL := modules

kfx-need-kdir:
	@test -n "$(KDIR)" || { echo "$(KFX_MODULE): no kernel headers for $(KVER): install linux-headers-$(KVER) (or set KDIR)" >&2; exit 1; }
	@test -x "$(KFX_BTF_DIR)/kfx-module-btf" || { echo "$(KFX_MODULE): no $(KFX_BTF_DIR)/kfx-module-btf: install kfx-btf (or set KFX_BTF_DIR)" >&2; exit 1; }

kfx-kfuncs: kfx-need-kdir
	$(KFX_KFUNCS_RUN)

kfx-kbuild: kfx-kfuncs
	$(MAKE) -C $(KDIR) M=$(KFX_M) $(KFX_KBUILD_ARGS) modules

# The BTF step must run here, right after kbuild: DKMS strips the module
# after MAKE, and pahole needs its DWARF.
modules: kfx-kbuild
	$(KFX_AFTER_KBUILD_RUN)
	$(KFX_BTF_DIR)/kfx-module-btf $(KFX_M)/$(KFX_MODULE).ko $(KVER) $(KDIR)

clean:
	$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(KFX_M) clean,cd $(KFX_M) && rm -rf \
		*.o *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order .tmp_versions)

install:
	@test -f $(KFX_M)/$(KFX_MODULE).ko || { echo "$(KFX_MODULE): $(KFX_M)/$(KFX_MODULE).ko not built: run make modules first" >&2; exit 1; }
	install -D -m 644 $(KFX_M)/$(KFX_MODULE).ko \
		$(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/$(KFX_MODULE).ko
	$(if $(DESTDIR),,depmod -a $(KVER))
