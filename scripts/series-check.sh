#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Patch hygiene, printed as TAP-style verdicts on stdout:
#
#   series-check.sh TREE [TARGET...]
#
# Two passes over patches/series:
#
#  1. Hygiene, no build, seconds: in TREE.hygiene, a git worktree of TREE
#     reset to ihm-base, each patch in order is checkpatch.pl --strict
#     clean, applies with git am, and scripts/kernel-doc -Wall is clean on
#     the C files it adds.  A style error is reported before the first
#     compiler runs; a patch that does not apply stops here, TREE untouched.
#  2. Bisectability, for the TARGETs given: TREE, cleaned of untracked
#     files, is checked out at each prefix in order and built in the
#     target's one output directory.  A checkout rewrites only the files
#     that differ from the previous prefix, so each build is incremental: a
#     patch that touches only .c files rebuilds those objects and the link.
#     The full series is built for every TARGET; with several TARGETs the
#     shorter prefixes take them in turn (patch 1 the first, patch 2 the
#     second, ...) and the builds left out are reported as skipped.  A
#     patch that edits a header nearly everything includes (sched.h) costs
#     a full rebuild on each arch that builds across it: in turn, the walk
#     pays one such rebuild less than building every prefix on every arch,
#     and half the small ones.
#
# TREE then ends on branch ihm at the full series (its working files are
# rewritten only where they differ; the commit ids are the same from run to
# run), so TARGET's kernel is built when this returns.  The HEAD it had
# before is kept as refs/ihm/before-walk.  Each build's seconds go to the
# stage table (IHM_STAGES, see lib.sh), so the walk's cost per patch is in
# every log.
#
# IHM_FAULT=style (checkpatch sees a trailing blank on an added line of the
# middle patch) and IHM_FAULT=build (an #error in kernel/irq/manage.c at
# the middle prefix) break the series on purpose, to prove the walk names
# the culprit.
. "$(dirname "$0")/lib.sh"

# The whole script is read before it runs: editing it during a walk cannot
# change what this run does.
{
# A failed verdict exits 1; a run that could not finish exits 2, so that
# check.sh tells the two apart even after failed verdicts.
die() { printf 'error: %s\n' "$*" >&2; exit 2; }
[ -n "${1:-}" ] || die "usage: series-check.sh TREE [TARGET...]"
# Physical paths: the worktree check below compares what git prints.
tree=$(cd "$1" 2>/dev/null && pwd -P) || die "series-check.sh: no directory $1"
shift
targets="$*"
for t in $targets; do check_target "$t"; done
git -C "$tree" rev-parse -q --verify ihm-base >/dev/null ||
	die "$tree has no ihm-base tag: prepare it with scripts/ksrc.sh"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes to tracked files: commit them on its branch and run make export, or drop them (git -C $tree checkout -f)"
# Untracked files would be built as if the patches carried them (a header
# left out of a patch); they are never deleted unasked.  Ignore rules do
# not count (Debian's tarball ignores everything at the top level), only
# Python's bytecode is known harmless: the builds are out of tree.
untracked=$(git -C "$tree" ls-files -o | grep -v -e '__pycache__/' -e '\.pyc$' | head -3 | tr '\n' ' ')
[ -z "$untracked" ] ||
	die "$tree has untracked files ($untracked...): add them to a commit or remove them"
mapfile -t patches < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series")
[ ${#patches[@]} -gt 0 ] || die "patches/series lists no patch"
[ -f "$TOP/patches/0000-cover-letter.patch" ] && echo "ok series has a cover letter" ||
	echo "not ok series has a cover letter # patches/0000-cover-letter.patch missing"

mkdir -p "$OUT"
# The hygiene worktree shares TREE's objects, so its commits are TREE's
# prefixes.  One left by an older clone of TREE is made anew.
hyg=$tree.hygiene
common() { git -C "$1" rev-parse --path-format=absolute --git-common-dir 2>/dev/null; }
if [ -z "$(common "$hyg")" ] || [ "$(common "$hyg")" != "$(common "$tree")" ]; then
	rm -rf "$hyg"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$hyg" ihm-base ||
		die "cannot add the hygiene worktree $hyg"
fi
git -C "$hyg" am --abort >/dev/null 2>&1
git -C "$hyg" checkout -q -f --detach ihm-base && git -C "$hyg" clean -q -fdx ||
	die "cannot reset the hygiene worktree $hyg to ihm-base"

# Pass 1: hygiene.  commits[i] is the tree after patch i+1.  The committer
# date is the author date, so an unchanged series gives the same commits.
n=${#patches[@]} i=0 rc=0
mid=$(((n + 1) / 2))
commits=()
for p in "${patches[@]}"; do
	i=$((i + 1))
	f=$TOP/patches/$p
	cpf=$f
	if [ "${IHM_FAULT:-}" = style ] && [ $i = $mid ]; then
		# checkpatch reads a copy whose first added line (after the
		# first hunk header) ends in a blank; git am applies the patch.
		cpf=$OUT/fault-style.patch
		sed '0,/^@@/b; 0,/^+[^+]/s/^\(+[^+].*\)$/\1 /' "$f" >"$cpf"
		cmp -s "$f" "$cpf" && die "IHM_FAULT=style: patch $i has no added line to break"
	fi
	if (cd "$hyg" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet --no-summary "$cpf") >"$OUT/checkpatch.log" 2>&1; then
		echo "ok checkpatch --strict $i/$n $p"
	else
		echo "not ok checkpatch --strict $i/$n $p # $(grep -m1 -E '^(ERROR|WARNING|CHECK):' "$OUT/checkpatch.log")"
		sed 's/^/# /' "$OUT/checkpatch.log"
		rc=1
	fi
	if ! git -C "$hyg" am -q --committer-date-is-author-date "$f" >"$OUT/am.log" 2>&1; then
		echo "not ok applies $i/$n $p # $(head -1 "$OUT/am.log")"
		git -C "$hyg" am --abort >/dev/null 2>&1
		exit 1
	fi
	echo "ok applies $i/$n $p"
	commits+=("$(git -C "$hyg" rev-parse HEAD)")
	added=$(sed -n 's|^+++ b/\(.*\.[ch]\)$|\1|p' "$f" | while read -r a; do
		grep -q "^--- /dev/null" <(grep -B1 "^+++ b/$a$" "$f") && echo "$a"
	done)
	if [ -n "$added" ]; then
		# shellcheck disable=SC2086
		kd=$(cd "$hyg" && scripts/kernel-doc -none -Wall $added 2>&1)
		if [ -z "$kd" ]; then
			echo "ok kernel-doc -Wall $i/$n on $(echo "$added" | tr '\n' ' ')"
		else
			echo "not ok kernel-doc -Wall $i/$n # $(echo "$kd" | head -1)"
			rc=1
		fi
	fi
done

# TREE's HEAD before this run, kept as refs/ihm/before-walk (with a
# reflog) unless it is ihm-base or a prefix of this series: commits made in
# TREE and not yet exported are never lost.
orig=$(git -C "$tree" symbolic-ref -q --short HEAD) || orig=$(git -C "$tree" rev-parse HEAD)
head=$(git -C "$tree" rev-parse HEAD)
case " $(git -C "$tree" rev-parse ihm-base) ${commits[*]} " in
*" $head "*) ;;
*)
	git -C "$tree" update-ref --create-reflog -m "series-check: before the walk" refs/ihm/before-walk HEAD
	log "$tree was at $(git -C "$tree" log -1 --format='%h %s' HEAD); kept as refs/ihm/before-walk"
	;;
esac

# Pass 2: every prefix builds; the full series on each TARGET, a shorter
# prefix on the TARGETs in turn.  Python's bytecode (kunit.py's) is
# cleaned first.  A walk that does not finish
# puts TREE back where it was, files and all (no injected #error).
read -r -a tl <<<"$targets"
walked=no
if [ ${#tl[@]} -gt 0 ]; then
	git -C "$tree" clean -q -fdx
	trap '[ $walked = yes ] || git -C "$tree" checkout -q -f "$orig"' EXIT
fi
for ((i = 1; i <= (${#tl[@]} ? n : 0); i++)); do
	p=${patches[i - 1]}
	git -C "$tree" checkout -q -f --detach "${commits[i - 1]}" ||
		die "cannot check out prefix $i/$n in $tree"
	# The next checkout -f puts the file back.
	[ "${IHM_FAULT:-}" = build ] && [ $i = $mid ] &&
		echo '#error "injected by IHM_FAULT=build"' >>"$tree/kernel/irq/manage.c"
	for target in "${tl[@]}"; do
		if [ $i -lt $n ] && [ "$target" != "${tl[(i - 1) % ${#tl[@]}]}" ]; then
			echo "ok builds $target at $i/$n $p # SKIP built on ${tl[(i - 1) % ${#tl[@]}]} (arches in turn)"
			continue
		fi
		# stage (lib.sh) puts the build's seconds in the stage table.
		if IHM_KCONFIG_LAX=1 stage "  walk: $target at $i/$n" \
			"$TOP/scripts/build-kernel.sh" "$target" "$tree" >"$OUT/bisect.log" 2>&1; then
			echo "ok builds $target at $i/$n $p"
		else
			echo "not ok builds $target at $i/$n $p # $(grep -m1 -E 'error' "$OUT/bisect.log" "$OUT/$target/build.log" 2>/dev/null | head -1)"
			rc=1
		fi
	done
done
git -C "$tree" checkout -q -f -B ihm "${commits[n - 1]}" ||
	die "cannot put $tree at the full series"
walked=yes
exit $rc
}
