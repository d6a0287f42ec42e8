#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build one kernel target out of tree, with ccache:
#
#   build-kernel.sh TARGET [TREE] [OUTDIR]
#
# TARGET is arm64, x86_64, arm64-debug or x86_64-debug.  The config is
# tinyconfig + configs/base.config + configs/qemu-ARCH.config (+ debug.config),
# and every value a fragment asks for is checked in the result.  OUTDIR/
# .ihm-built is written only after a successful build and names the tree
# commit it was built from; boot.sh refuses an image without it.
. "$(dirname "$0")/lib.sh"

target=$1
check_target "$target"
tree=${2:-$(target_tree "$target")}
# The unpatched tree does not define the series' options.
case "$target" in *-unpatched) export IHM_KCONFIG_LAX=1 ;; esac
out=${3:-$OUT/$target}
arch=$(target_arch "$target")
[ -f "$tree/Makefile" ] || die "no kernel tree at $tree: run 'make source' first"

cross=$(cross_compile "$arch")
need "${cross}gcc" "$([ "$arch" = arm64 ] && echo gcc-aarch64-linux-gnu || echo gcc)"
need ccache ccache
need flex flex
need bison bison
need bc bc

frags="$TOP/configs/base.config $TOP/configs/qemu-$arch.config"
case "$target" in *-debug) frags="$frags $TOP/configs/debug.config" ;; esac

# Paths below the checkout are hashed relative to it, so a fresh clone in
# another directory still hits the cache.  Depend mode takes a miss's
# includes from the compiler's own -MMD file instead of running the
# preprocessor first: a cold build costs what gcc alone costs (about a
# fifth less per object, measured on kernel/irq/manage.c).
export CCACHE_BASEDIR=$TOP CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G} CCACHE_DEPEND=1
export KBUILD_BUILD_USER=ihm KBUILD_BUILD_HOST=workbench
kmake() {
	make -s -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="ccache ${cross}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

mkdir -p "$out"
rm -f "$out/.ihm-built"

# Regenerate the config when anything it is made from changed: the
# fragments, the tree's Kconfig files (a patch may add an option a fragment
# asks for), tinyconfig's own fragments, kconfig itself, the compiler
# (Kconfig asks it).  Otherwise keep it, so that a walk step of a patch with
# no Kconfig change starts from the same .config.  kconfig only touches what
# changed, so make still rebuilds only that.
kconfig_inputs() {
	local pat=(':(glob)**/Kconfig*' 'kernel/configs/tiny*.config'
		':(glob)arch/*/configs/tiny.config' 'scripts/kconfig')
	if [ "$(git -C "$tree" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$tree" && pwd -P)" ]; then
		# Blob ids of the index, and any uncommitted edit of those files.
		git -C "$tree" ls-files -s -- "${pat[@]}"
		git -C "$tree" rev-parse -q --verify HEAD >/dev/null &&
			git -C "$tree" diff HEAD -- "${pat[@]}"
	else
		(cd "$tree" && find . -type f \( -name 'Kconfig*' -o -path './*configs/tiny*.config' \
			-o -path './scripts/kconfig/*' \) | LC_ALL=C sort | xargs cat)
	fi
	"${cross}gcc" --version
	"${cross}ld" --version
}
stamp=$( (cat $frags; kconfig_inputs) | md5sum | cut -c1-32)
if [ "$(cat "$out/.ihm-config" 2>/dev/null)" != "$stamp" ] || [ ! -f "$out/.config" ]; then
	kmake tinyconfig >/dev/null || die "make tinyconfig failed for $target"
	# shellcheck disable=SC2086
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $frags \
		>"$out/merge_config.log" 2>&1 || die "merge_config.sh failed for $target (see $out/merge_config.log)"
	echo "$stamp" >"$out/.ihm-config"
fi
kmake olddefconfig || die "make olddefconfig failed for $target"

# Every CONFIG_X=v of the fragments must be in the result; a dependency
# that is not met silently drops an option otherwise.  IHM_KCONFIG_LAX=1
# (the bisect walk) lets pass an option the tree does not define at all,
# e.g. one a later patch of the series adds.
defined() { grep -rqs --include='Kconfig*' "^config ${1#CONFIG_}\$" "$tree"; }
bad=$(cat $frags | grep -E '^CONFIG_[A-Z0-9_]+=' | while IFS='=' read -r k v; do
	if [ "$v" = n ]; then
		grep -q "^$k=" "$out/.config" && echo "$k=n"
	elif ! grep -qx "$k=$v" "$out/.config"; then
		[ -n "${IHM_KCONFIG_LAX:-}" ] && ! defined "$k" && continue
		echo "$k=$v"
	fi
done | tr '\n' ' ')
[ -z "$bad" ] || die "config for $target does not honour: $bad(unmet dependencies; see $out/.config)"

img=$(kernel_image "$target")
kmake "$(basename "$img")" modules >"$out/build.log" 2>&1 || {
	grep -m5 -E 'error|Error' "$out/build.log" >&2
	die "kernel build failed for $target (full log: $out/build.log)"
}
grep -E 'warning:' "$out/build.log" >&2
printf '%s %s\n' "$(git -C "$tree" rev-parse HEAD 2>/dev/null || echo plain)" \
	"$(kmake -s kernelrelease)" >"$out/.ihm-built"
log "$target: $(kmake -s kernelrelease) at $out/$img"
