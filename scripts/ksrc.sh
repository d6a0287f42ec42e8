#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare a kernel work tree the workbench may modify:
#
#   ksrc.sh DEST [--base | --clone]
#
# The source is KSRC when set (any v6.12.y tree, git or plain), otherwise
# Debian's linux-source-6.12 tarball.  It is imported once as a pristine
# git repository in $CACHE and DEST is a clone of it, so the user's KSRC is
# never written to: a git KSRC is cloned (its committed HEAD), a plain one is
# copied.  DEST gets the tag ihm-base on the pristine commit.  Then the
# series is applied to DEST (apply-series.sh); with --base DEST is put back
# to ihm-base instead, and with --clone it is left as it is.
. "$(dirname "$0")/lib.sh"

dest=$1
mode=${2:-}
[ -n "$dest" ] || die "usage: ksrc.sh DEST [--base | --clone]"
case "$mode" in '' | --base | --clone) ;;
*) die "ksrc.sh: unknown option '$mode' (use --base or --clone)" ;; esac

# check_v612 DIR: refuse anything but a v6.12.y tree, with one line.
check_v612() {
	local mk=$1/Makefile v p s
	[ -f "$mk" ] || die "KSRC=$1 is not a kernel tree (no Makefile); point KSRC at a v6.12.y source tree"
	v=$(sed -n 's/^VERSION = //p' "$mk" | head -1)
	p=$(sed -n 's/^PATCHLEVEL = //p' "$mk" | head -1)
	s=$(sed -n 's/^SUBLEVEL = //p' "$mk" | head -1)
	[ "$v.$p" = 6.12 ] ||
		die "KSRC=$1 is Linux $v.$p.$s, not v6.12.y; the series is for v6.12.y only"
}

# import_pristine SRC_ID FILL_CMD...: make $CACHE/SRC_ID a pristine git repo,
# filled by FILL_CMD in a scratch directory and renamed into place only when
# complete, so an interrupted import is never taken for a good one.
import_pristine() {
	local id=$1 repo=$CACHE/src/$1 tmp
	shift
	if [ -f "$repo/.git/ihm-pristine" ]; then
		echo "$repo"
		return
	fi
	mkdir -p "$CACHE/src"
	tmp=$(mktemp -d "$CACHE/src/.import.XXXXXX")
	"$@" "$tmp" || { rm -rf "$tmp"; die "could not import kernel source into $CACHE/src"; }
	check_v612 "$tmp"
	# Debian's tarball ignores everything at the top level in its
	# .gitignore (a packaging rule), hence add -f.
	(cd "$tmp" && git init -q && git add -f -A &&
		git -c user.name=ihm-workbench -c user.email=ihm@localhost \
			commit -q -m "Linux $id (pristine import)") ||
		{ rm -rf "$tmp"; die "git import of the kernel source failed"; }
	touch "$tmp/.git/ihm-pristine"
	rm -rf "$repo"
	mv "$tmp" "$repo"
	echo "$repo"
}

fill_debian() {
	local tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f $tarball ] || die "$tarball missing: run 'make setup' (package linux-source-6.12)"
	tar -xf $tarball -C "$1" --strip-components=1
}
fill_copy() { rsync -a --exclude=.git "$KSRC/" "$1/"; }

if [ -n "${KSRC:-}" ]; then
	[ -d "$KSRC" ] || die "KSRC=$KSRC does not exist"
	KSRC=$(cd "$KSRC" && pwd)
	check_v612 "$KSRC"
	if git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1; then
		[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
			log "KSRC has uncommitted changes; the workbench uses its committed HEAD"
		src=$KSRC
		origin="$KSRC@$(git -C "$KSRC" rev-parse HEAD)"
	else
		id=ksrc-$(echo "$KSRC" | md5sum | cut -c1-12)
		log "KSRC is not a git tree: importing a copy into $CACHE/src/$id"
		src=$(import_pristine "$id" fill_copy)
		origin="$KSRC (copy)"
	fi
else
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed: run 'make setup' as root"
	src=$(import_pristine "debian-$ver" fill_debian)
	origin="Debian linux-source-6.12 $ver"
fi

# Reuse DEST when it was cloned from the same origin; otherwise start anew.
if [ -f "$dest/.git/ihm-origin" ] && [ "$(cat "$dest/.git/ihm-origin")" = "$origin" ]; then
	:
else
	rm -rf "$dest"
	mkdir -p "$(dirname "$dest")"
	log "cloning $origin into $dest"
	git clone -q --local "$src" "$dest" || die "git clone of $src failed"
	git -C "$dest" tag ihm-base HEAD
	git -C "$dest" config user.name "${GIT_AUTHOR_NAME:-ihm-workbench}"
	git -C "$dest" config user.email "${GIT_AUTHOR_EMAIL:-ihm@localhost}"
	echo "$origin" >"$dest/.git/ihm-origin"
fi

if [ "$mode" = --clone ]; then
	# The series walk (series-check.sh) moves DEST itself.
	:
elif [ "$mode" = --base ]; then
	[ "$(git -C "$dest" rev-parse HEAD)" = "$(git -C "$dest" rev-parse ihm-base)" ] ||
		git -C "$dest" reset -q --hard ihm-base
else
	# DEST is the workbench's own clone.  Commits from an earlier series
	# (another version, or a bisect walk stopped halfway) are dropped when
	# the current series does not apply on top of them; uncommitted edits
	# are never dropped.
	if [ "$(git -C "$dest" rev-parse HEAD)" != "$(git -C "$dest" rev-parse ihm-base)" ] &&
		! "$TOP/scripts/apply-series.sh" "$dest" --check 2>/dev/null; then
		[ -z "$(git -C "$dest" status --porcelain --untracked-files=no)" ] ||
			die "$dest has uncommitted changes and an older series: commit or drop them"
		log "$dest carries an older series: back to ihm-base"
		git -C "$dest" reset -q --hard ihm-base
	fi
	"$TOP/scripts/apply-series.sh" "$dest"
fi
