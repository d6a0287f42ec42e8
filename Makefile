# SPDX-License-Identifier: GPL-2.0
# One entry point per job; see README.  (Kernel modules are described by
# Kbuild, which kbuild reads instead of this file: make -C $KDIR M=$PWD.)
SHELL := /bin/bash
TARGETS ?= arm64 x86_64 arm64-debug x86_64-debug
TREE ?= build/src/linux-ihm

.PHONY: help setup source kernels modules initramfs run check quick export clean distclean

help:
	@echo "make run        build and boot the patched kernel (ARCH=arm64|x86_64, ICOUNT=N), run the demo"
	@echo "make check      the test command: series hygiene, all kernels, boots, KUnit, in-guest tests"
	@echo "make quick      the inner loop: series hygiene, no walk; arm64 normal kernel, KUnit, in-guest tests"
	@echo "make setup      install the Debian packages the workbench needs (root)"
	@echo "make source     v6.12.y work tree with the series applied ($(TREE); KSRC=/path to use yours)"
	@echo "make kernels    build TARGETS ($(TARGETS))"
	@echo "make export     regenerate patches/ from the commits in TREE since ihm-base"
	@echo "make clean      remove build outputs and results; distclean also the work trees"

setup:
	@scripts/setup.sh

source: setup
	@scripts/ksrc.sh $(TREE)

kernels: source
	@for t in $(TARGETS); do scripts/build-kernel.sh $$t || exit 1; done

modules: kernels
	@for t in $(TARGETS); do scripts/modules.sh $$t || exit 1; done

initramfs: setup
	@for a in arm64 x86_64; do scripts/initramfs.sh $$a || exit 1; done

run:
	@scripts/run.sh

check:
	@scripts/check.sh

# The developer's inner loop (QUICK_TARGET=x86_64 for the other arch): every
# patch's checkpatch, git am and kernel-doc, one normal kernel, every KUnit
# case and in-guest test.  No bisect walk, no debug kernels: CI runs those.
QUICK_TARGET ?= arm64
quick:
	@TARGETS=$(QUICK_TARGET) IHM_SERIES=hygiene scripts/check.sh

export:
	@scripts/export-series.sh $(TREE)

clean:
	rm -rf build/out build/results build/initramfs

distclean:
	rm -rf build
