# SPDX-License-Identifier: GPL-2.0
#
# arc: out-of-tree kernel modules on a compatibility shim.
#
#   make                build arc.ko and every module for KVER
#   make check          install what the tests need, build, boot the stock
#                       kernel in virtme-ng and run every selftest
#   make run            the main job: the modules doing real work in a guest
#   make help           everything else
#
# KVER defaults to the running kernel when its headers are installed, else
# to the newest /lib/modules/*/build. KDIR overrides the build tree.

ARC_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

CACHE := $(ARC_ROOT)/.cache
KSRC := $(CACHE)/ksrc
PROBE_KEY = $(shell cat $(KDIR)/.config $(ARC_ROOT)/shim/compat/probes.list \
	$(ARC_ROOT)/shim/compat/probe.sh $(ARC_ROOT)/shim/compat/probes/*.c \
	2>/dev/null | sha1sum | cut -c1-12)
PROBES = $(CACHE)/probes/$(KVER)-$(PROBE_KEY)

KBUILD_ARGS = -C $(KDIR) M=$(ARC_ROOT) ARC_ROOT=$(ARC_ROOT) ARC_PROBES=$(PROBES)
MODULES := shim/arc.ko shim/arc_block.ko shim/arc_net.ko shim/arc_usb.ko \
	shim/arc_input.ko shim/arc_kvm.ko modules/ramdisk/arc_ramdisk.ko \
	modules/firewall/arc_firewall.ko modules/pktan/arc_pktan.ko \
	modules/usb_sensor/arc_usb_sensor.ko modules/minivm/arc_minivm.ko
KERNEL_SOURCES = $(shell cd $(ARC_ROOT) && git ls-files -co --exclude-standard \
	'shim/*.[ch]' 'modules/*.[ch]' 'include/*.h' 'scripts/bench/nfbench/*.[ch]' 2>/dev/null | \
	grep -v '/probes/')

.PHONY: udev-install userspace modules-clean all modules probes print-probes print-kver print-kdir print-kernels kdir matrix check check-debug run bench install dkms-install dkms-remove \
	load unload checkpatch kerneldoc sparse clean help ksrc selftests

all: modules

# The kernel series `make check` tests (scripts/kernels.sh fetches each).
# Older than the first: refused. Newer than the last: a warning, and the
# probes decide (they stop the build if an API shape is unknown).
ARC_KERNELS := 5.10 6.1 6.12 7.2
ARC_KERNEL_MIN := $(firstword $(ARC_KERNELS))
ARC_KERNEL_NEWEST := $(lastword $(ARC_KERNELS))
# What plain `make check` (and CI) boots: the whole matrix, and Debian
# 12's cloud kernel (6.1 without USB; a few tests, scripts/check.sh).
ARC_CHECK_KERNELS ?= $(ARC_KERNELS) cloud

kdir:
	@if [ -z "$(KVER)" ] || [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "arc: no kernel build tree for '$(KVER)' at $(KDIR)." >&2; \
		echo "arc: install the headers, e.g. 'apt-get install linux-headers-$$(uname -r)'" >&2; \
		echo "arc: (Debian: linux-headers-amd64), or pass KVER=... or KDIR=..." >&2; \
		exit 1; fi
	@krel=$$(cat $(KDIR)/include/config/kernel.release 2>/dev/null || echo $(KVER)); \
	series=$$(echo "$$krel" | cut -d. -f1,2); \
	lowest=$$(printf '%s\n' "$$series" $(ARC_KERNEL_MIN) | sort -V | head -n 1); \
	newest=$$(printf '%s\n' "$$series" $(ARC_KERNEL_NEWEST) | sort -V | tail -n 1); \
	if [ "$$series" != $(ARC_KERNEL_MIN) ] && [ "$$lowest" = "$$series" ]; then \
		echo "arc: kernel $$krel is older than $(ARC_KERNEL_MIN), the oldest arc supports" >&2; \
		exit 1; fi; \
	if [ "$$series" != $(ARC_KERNEL_NEWEST) ] && [ "$$newest" = "$$series" ]; then \
		echo "arc: warning: kernel $$krel is newer than $(ARC_KERNEL_NEWEST), the newest arc was tested on;" \
			"building anyway (the compatibility probes stop the build if an API changed shape)" >&2; fi

$(PROBES)/arc_probes.h:
	@$(MAKE) --no-print-directory kdir
	@mkdir -p $(PROBES)
	@$(ARC_ROOT)/shim/compat/probe.sh $(KDIR) $(PROBES)

print-probes:
	@echo $(PROBES)

print-kver:
	@echo $(KVER)

print-kdir:
	@echo $(KDIR)

print-kernels:
	@echo $(ARC_CHECK_KERNELS)

probes: kdir
	@rm -rf $(PROBES)
	@mkdir -p $(PROBES)
	@$(ARC_ROOT)/shim/compat/probe.sh $(KDIR) $(PROBES) --show

modules: kdir $(PROBES)/arc_probes.h
	$(MAKE) $(KBUILD_ARGS) modules

# Kernel sources for the kselftest framework, checkpatch and kernel-doc:
# taken from Debian's linux-source package at build time, never committed.
ksrc: $(KSRC)/.done
$(KSRC)/.done:
	@$(ARC_ROOT)/scripts/ksrc.sh $(KSRC)
	@touch $@

selftests: ksrc
	$(MAKE) -C $(ARC_ROOT)/selftests KSRC=$(KSRC)

userspace:
	$(MAKE) -C $(ARC_ROOT)/userspace/arcfw
	$(MAKE) -C $(ARC_ROOT)/userspace/arcpkt
	$(MAKE) -C $(ARC_ROOT)/userspace/arcvm
	$(MAKE) -C $(ARC_ROOT)/userspace/sensor-gadget

check:
	@$(ARC_ROOT)/scripts/check.sh

# The reliability lane: every selftest, the fuzzers' full runs and the
# soak tests on a KASAN + lockdep + kmemleak + UBSAN build of 6.1, built
# once and cached (scripts/kernels.sh debug). Not in CI: it takes hours.
check-debug:
	@ARC_DEBUG=1 $(ARC_ROOT)/scripts/check.sh

# The same as the default `make check`, spelled out.
matrix:
	@KVERS="$(ARC_KERNELS)" $(ARC_ROOT)/scripts/check.sh

run:
	@$(ARC_ROOT)/scripts/run.sh

bench:
	@$(ARC_ROOT)/scripts/bench.sh

# shim/compat/ exists to call old kernels' APIs on old kernels: there
# (only) the deprecated-API check does not apply. shim/usb/ reads USB
# descriptors, whose fields carry the USB specification's names
# (bEndpointAddress): outside a kernel tree checkpatch cannot tell them
# from new CamelCase, so there (only) that check is off.
CHECKPATCH = $(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet --show-types
CHECKPATCH_SPECIAL = shim/compat/% shim/usb/%
checkpatch: ksrc
	@cd $(ARC_ROOT) && \
	$(CHECKPATCH) -f $(filter-out $(CHECKPATCH_SPECIAL),$(KERNEL_SOURCES)) && \
	$(CHECKPATCH) --ignore DEPRECATED_API -f $(filter shim/compat/%,$(KERNEL_SOURCES)) && \
	$(CHECKPATCH) --ignore CAMELCASE -f $(filter shim/usb/%,$(KERNEL_SOURCES)) && \
	echo "checkpatch: clean"

kerneldoc: ksrc
	@cd $(ARC_ROOT) && out=$$($(KSRC)/scripts/kernel-doc -none -Werror \
		$(KERNEL_SOURCES) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "kernel-doc: clean"

sparse: kdir $(PROBES)/arc_probes.h
	$(MAKE) $(KBUILD_ARGS) C=2 modules

install: modules udev-install
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=updates/arc modules_install
	depmod -a $(KVER)

# With ARC_DKMS_DIR (make check's scratch trees) the host is left alone.
dkms-install:
	@$(ARC_ROOT)/scripts/dkms.sh install $(KVER) $(KDIR)
	@[ -n "$$ARC_DKMS_DIR" ] || $(MAKE) --no-print-directory udev-install

# The rules that give the USB sensor to arc_usb_sensor rather than to
# usbtouchscreen (DKMS installs modules only).
UDEV_RULES_DIR ?= /etc/udev/rules.d
udev-install:
	install -D -m 0644 $(ARC_ROOT)/modules/usb_sensor/70-arc-usb-sensor.rules \
		$(DESTDIR)$(UDEV_RULES_DIR)/70-arc-usb-sensor.rules
	install -D -m 0644 $(ARC_ROOT)/modules/minivm/70-arc-minivm.rules \
		$(DESTDIR)$(UDEV_RULES_DIR)/70-arc-minivm.rules
	-udevadm control --reload 2>/dev/null

dkms-remove:
	@$(ARC_ROOT)/scripts/dkms.sh remove $(KVER)

# insmod does not resolve dependencies: arc.ko goes first.
load: modules
	@for m in $(MODULES); do [ -f $(ARC_ROOT)/$$m ] || continue; echo "insmod $$m"; insmod $(ARC_ROOT)/$$m || exit 1; done

unload:
	@for m in $$(printf '%s\n' $(MODULES) | tac); do \
		n=$$(basename $$m .ko); \
		if [ -d /sys/module/$$n ]; then echo "rmmod $$n"; rmmod $$n || exit 1; fi; done

modules-clean:
	-$(MAKE) -C $(KDIR) M=$(ARC_ROOT) ARC_PROBES=none clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(ARC_ROOT)/scripts/bench/nfbench clean 2>/dev/null

clean: modules-clean
	$(MAKE) -C $(ARC_ROOT)/selftests clean
	$(MAKE) -C $(ARC_ROOT)/userspace/arcfw clean
	$(MAKE) -C $(ARC_ROOT)/userspace/arcpkt clean
	$(MAKE) -C $(ARC_ROOT)/userspace/arcvm clean
	$(MAKE) -C $(ARC_ROOT)/userspace/sensor-gadget clean
	rm -rf $(CACHE)/probes $(ARC_ROOT)/build

help:
	@sed -n '/^## /s/^## //p' $(ARC_ROOT)/Makefile

## all / modules   build arc.ko and the modules for KVER (default: running kernel)
## probes          run the compatibility probes and print what KVER offers
## check           the test command: deps, host checks, then for every kernel of
##                 the matrix (KVERS="5.10 6.1"): fetch, build, selftests in virtme-ng
## matrix          the same over every supported series: 5.10 6.1 6.12 7.2
## check-debug     every selftest, full fuzzers and soak tests on a KASAN + lockdep
##                 + kmemleak + UBSAN 6.1 (built once, ~30 min); fails on the first report
## run             the main job: load the modules in a guest and use them
## bench           benchmarks against in-tree peers, each in one guest boot
##                 (BENCH=blk|fw|genl|usb|pktan; default all)
## install         modules_install into /lib/modules/KVER/updates/arc + depmod
## dkms-install    register, build and install with DKMS for KVER (and the udev rules)
## udev-install    the udev rules that give the USB sensor to arc_usb_sensor
## dkms-remove     remove every arc version from DKMS
## load / unload   insmod arc.ko then the modules / rmmod in reverse
## checkpatch      checkpatch.pl --strict over the kernel sources
## kerneldoc       kernel-doc -Werror over every kernel source (include/arc, shim, modules)
## sparse          build with sparse (C=2)
## selftests       build the kselftests (they run in the guest)
## userspace       build the command-line tools (arcfw, sensor-gadget)
## clean           remove build output
