#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Apply patches/series to a v6.12.y tree:
#
#   apply-series.sh TREE [--check]
#
# git trees get `git am`, plain trees `patch -p1`.  Before touching TREE the
# whole series is tried on a scratch copy of the files it touches, so a
# conflict names the failing patch and leaves TREE exactly as it was.  A
# tree that already carries the series is recognised (the series reverses
# cleanly) and left alone.  --check only reports.
. "$(dirname "$0")/lib.sh"

tree=$1
[ -d "$tree" ] || die "usage: apply-series.sh TREE [--check]: '$tree' is not a directory"
tree=$(cd "$tree" && pwd)
[ -f "$tree/Makefile" ] && [ -d "$tree/kernel/irq" ] ||
	die "$tree is not a kernel source tree"
need patch patch

mapfile -t patches < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series")
[ ${#patches[@]} -gt 0 ] || die "patches/series lists no patch"
for p in "${patches[@]}"; do
	[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which is not in patches/"
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Copy the files the series touches (those that exist) into the scratch dir.
sed -n 's|^+++ b/||p; s|^--- a/||p' "${patches[@]/#/$TOP/patches/}" | sort -u |
	while read -r f; do
		[ -f "$tree/$f" ] || continue
		mkdir -p "$scratch/$(dirname "$f")"
		cp "$tree/$f" "$scratch/$f"
	done

# try_series DIR DIRECTION: apply each patch in order (or all reversed in
# reverse order); print the first one that fails.
try_series() {
	local dir=$1 rev=$2 i p
	if [ "$rev" = -R ]; then
		for ((i = ${#patches[@]} - 1; i >= 0; i--)); do
			patch -d "$dir" -p1 -R -s -f --dry-run <"$TOP/patches/${patches[i]}" >/dev/null 2>&1 &&
				patch -d "$dir" -p1 -R -s -f <"$TOP/patches/${patches[i]}" >/dev/null 2>&1 ||
				{ echo "${patches[i]}"; return 1; }
		done
	else
		for p in "${patches[@]}"; do
			patch -d "$dir" -p1 -N -s -f <"$TOP/patches/$p" >"$scratch.err" 2>&1 ||
				{ echo "$p"; return 1; }
		done
	fi
}

cp -a "$scratch" "$scratch.rev"
if try_series "$scratch.rev" -R >/dev/null; then
	rm -rf "$scratch.rev"
	log "$tree already carries the series (${#patches[@]} patches)"
	exit 0
fi
rm -rf "$scratch.rev"

if ! bad=$(try_series "$scratch" ""); then
	why=$(grep -m1 -iE 'failed|reject|malformed|not exist|missing' "$scratch.err")
	rm -f "$scratch.err"
	die "patch $bad does not apply to $tree (${why:-conflict}); the tree is unchanged"
fi
rm -f "$scratch.err"
[ "${2:-}" = --check ] && { log "the series applies cleanly to $tree"; exit 0; }

if git -C "$tree" rev-parse --git-dir >/dev/null 2>&1; then
	if ! git -C "$tree" am -q "${patches[@]/#/$TOP/patches/}" >"$scratch.err" 2>&1; then
		git -C "$tree" am --abort >/dev/null 2>&1
		die "git am failed in $tree ($(head -1 "$scratch.err")); aborted, the tree is unchanged"
	fi
	log "applied ${#patches[@]} patches to $tree with git am ($(git -C "$tree" rev-parse --short HEAD))"
else
	done_list=()
	for p in "${patches[@]}"; do
		if ! patch -d "$tree" -p1 -N -s <"$TOP/patches/$p" >/dev/null 2>&1; then
			for ((i = ${#done_list[@]} - 1; i >= 0; i--)); do
				patch -d "$tree" -p1 -R -s <"$TOP/patches/${done_list[i]}" >/dev/null 2>&1
			done
			die "patch $p failed in $tree; the patches before it were reverted"
		fi
		done_list+=("$p")
	done
	log "applied ${#patches[@]} patches to $tree with patch -p1"
fi
