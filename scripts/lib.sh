# SPDX-License-Identifier: GPL-2.0
# Shared by every script of the workbench: paths, logging, stage timing,
# tool checks.  Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build outputs of this checkout (git-ignored).
BUILD=${BUILD:-$TOP/build}
# Kept across checkouts on this machine: the pristine source import and the
# downloaded guest packages.  Never holds anything a run reports as a result.
CACHE=${IHM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ihm-rt}
JOBS=${JOBS:-$(nproc)}
ARCHES="arm64 x86_64"

log() { printf '[ihm] %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# stage NAME CMD...: run CMD, print what runs and how long it took.  With
# IHM_STAGES set, also append "SECONDS<TAB>STATUS<TAB>NAME" to that file,
# for the table at the end of a run (stage_table).
stage() {
	local name=$1 t0 rc secs st
	shift
	log "==> $name"
	t0=$(date +%s.%N)
	"$@"
	rc=$?
	secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
	st=$([ $rc -eq 0 ] && echo done || echo "FAILED rc=$rc")
	printf '[ihm] <== %s: %s (%ss)\n' "$name" "$st" "$secs" >&2
	[ -n "${IHM_STAGES:-}" ] && printf '%s\t%s\t%s\n' "$secs" "$st" "$name" >>"$IHM_STAGES"
	return $rc
}

# stage_table FILE T0: the stages of a run, one line each with its
# seconds, and the wall-clock total since T0 (date +%s), so that a
# regression in time shows in every log.
stage_table() {
	[ -s "$1" ] || return 0
	log "stage timings:"
	awk -F'\t' -v wall=$(($(date +%s) - $2)) '
	{ printf "[ihm] %8.1f s  %-4s %s\n", $1, ($2 == "done" ? "" : "FAIL"), $3 }
	END { printf "[ihm] %8d s       total, wall clock (%d min %d s)\n", wall, wall / 60, wall % 60 }' "$1" >&2
}

# need TOOL PACKAGE: one clear line when a tool is missing.
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "missing tool '$1' (Debian package $2): run 'make setup' as root"
}

# Target names: ARCH, ARCH-debug, or ARCH-unpatched (the same config on the
# tree without the series, for A/B comparisons).
target_arch() {
	local t=${1%-debug}
	echo "${t%-unpatched}"
}
check_target() {
	case "$1" in
	arm64 | x86_64 | arm64-debug | x86_64-debug | arm64-unpatched | x86_64-unpatched) ;;
	*) die "unknown target '$1': use arm64, x86_64, arm64-debug, x86_64-debug, arm64-unpatched or x86_64-unpatched" ;;
	esac
}

cross_compile() {
	case "$1" in
	arm64) [ "$(uname -m)" = aarch64 ] || echo aarch64-linux-gnu- ;;
	x86_64) [ "$(uname -m)" = x86_64 ] || echo x86_64-linux-gnu- ;;
	esac
}

kernel_image() {
	case "$(target_arch "$1")" in
	arm64) echo arch/arm64/boot/Image ;;
	x86_64) echo arch/x86/boot/bzImage ;;
	esac
}

# The trees the workbench builds from, both git clones of the pristine
# import (see ksrc.sh): never the user's KSRC itself.
TREE_IHM=$BUILD/src/linux-ihm
TREE_BASE=$BUILD/src/linux-base
OUT=$BUILD/out

target_tree() {
	case "$1" in
	*-unpatched) echo "$TREE_BASE" ;;
	*) echo "$TREE_IHM" ;;
	esac
}
