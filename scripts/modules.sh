#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the project's modules (top-level Kbuild) against one built kernel
# target, with W=1 and sparse (C=1), any warning failing, and pack them as
# build/out/TARGET/modules.cpio.gz, installed in the guest at
# /lib/modules/ihm/.  The same archive carries what must match the kernel:
# its own modules (gpio-sim, gpio-mockup) in /lib/modules/RELEASE for
# modprobe, the kernel's GPIO selftests installed by kselftest's own
# Makefile in /ihm/kselftest, and tools/gpio's gpio-event-mon.
#
#   modules.sh TARGET
#
# v6.12 kbuild writes an external module's objects next to its sources, so
# each target builds in its own copy (build/out/TARGET/ext), never in the
# checkout.
. "$(dirname "$0")/lib.sh"

target=$1
check_target "$target"
arch=$(target_arch "$target")
out=$OUT/$target
[ -f "$out/.ihm-built" ] || die "$target is not built: run 'make kernels'"
cross=$(cross_compile "$arch")
tree=$(target_tree "$target")
need depmod kmod
need rsync rsync

stage=$out/modules-root
rm -rf "$stage"
mkdir -p "$stage/lib/modules/ihm" "$stage/ihm/bin"
kmake() {
	make -s -C "$out" ARCH="$arch" CROSS_COMPILE="$cross" -j"$JOBS" "$@"
}
kmake modules_install INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 \
	>"$out/modules_install.log" 2>&1 ||
	die "make modules_install failed for $target (see $out/modules_install.log)"
kmake headers >"$out/headers.log" 2>&1 || die "make headers failed for $target (see $out/headers.log)"
# Static: the guest has glibc, but the selftests must not depend on it.
make -s -C "$tree/tools/testing/selftests" TARGETS=gpio ARCH="$arch" \
	CROSS_COMPILE="$cross" CC="${cross}gcc -static" O="$out/kselftest" \
	KHDR_INCLUDES="-isystem $out/usr/include" \
	INSTALL_PATH="$stage/ihm/kselftest" install >"$out/kselftest.log" 2>&1 ||
	die "building the GPIO selftests failed for $target (see $out/kselftest.log)"
"${cross}gcc" -static -O2 -Wall -D_GNU_SOURCE -isystem "$out/usr/include" -o "$stage/ihm/bin/gpio-event-mon" \
	"$tree/tools/gpio/gpio-event-mon.c" "$tree/tools/gpio/gpio-utils.c" ||
	die "building tools/gpio/gpio-event-mon failed for $target"
pack() {
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$out/modules.cpio.gz"
}
# The project's modules use the series' API: an unpatched kernel gets none.
case "$target" in *-unpatched)
	pack
	log "$target: no project modules (they need the series)"
	exit 0
	;;
esac

ext=$out/ext
mkdir -p "$ext"
srcs=
for d in Kbuild module tests bench; do
	[ -e "$TOP/$d" ] && srcs="$srcs $TOP/$d"
done
# shellcheck disable=SC2086
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
	--exclude='.*.cmd' $srcs "$ext/" || die "copying module sources to $ext failed"

export CCACHE_BASEDIR=$TOP CCACHE_DEPEND=1
make -s -C "$out" M="$ext" ARCH="$arch" CROSS_COMPILE="$cross" \
	CC="ccache ${cross}gcc" -j"$JOBS" ${IHM_MODULE_FLAGS:-W=1 C=1} modules \
	>"$out/modules.log" 2>&1 || {
	grep -m5 -E 'error|Error' "$out/modules.log" >&2
	die "module build failed for $target (full log: $out/modules.log)"
}
if grep -q 'warning:' "$out/modules.log"; then
	grep 'warning:' "$out/modules.log" >&2
	die "module build for $target has warnings (W=1, sparse); see $out/modules.log"
fi

find "$ext" -name '*.ko' -exec cp {} "$stage/lib/modules/ihm/" \;
pack
log "$target modules: $(ls "$stage/lib/modules/ihm" | tr '\n' ' ')"
