#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Patch hygiene, printed as TAP-style verdicts on stdout:
#
#   series-check.sh TREE TARGET...
#
# TREE (a workbench clone, see ksrc.sh) is reset to ihm-base; then for each
# patch of patches/series in order: checkpatch.pl --strict is clean; git am
# applies it; scripts/kernel-doc -Wall is clean on the C files it adds; the
# tree at that point builds for every TARGET (so the series is bisectable).  The last build is the full series, so TARGET's kernel is
# built when this returns.  A patch that does not apply stops the walk and
# puts TREE back to ihm-base.
. "$(dirname "$0")/lib.sh"

tree=$1
shift
targets="$*"
[ -n "$targets" ] || die "usage: series-check.sh TREE TARGET..."
for t in $targets; do check_target "$t"; done
git -C "$tree" rev-parse -q --verify ihm-base >/dev/null ||
	die "$tree has no ihm-base tag: prepare it with scripts/ksrc.sh"
mapfile -t patches < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series")
[ ${#patches[@]} -gt 0 ] || die "patches/series lists no patch"
[ -f "$TOP/patches/0000-cover-letter.patch" ] && echo "ok series has a cover letter" ||
	echo "not ok series has a cover letter # patches/0000-cover-letter.patch missing"

mkdir -p "$OUT"
git -C "$tree" am --abort >/dev/null 2>&1
git -C "$tree" reset -q --hard ihm-base
git -C "$tree" clean -q -fdx
n=${#patches[@]} i=0 rc=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	f=$TOP/patches/$p
	if (cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet --no-summary "$f") >"$OUT/checkpatch.log" 2>&1; then
		echo "ok checkpatch --strict $i/$n $p"
	else
		echo "not ok checkpatch --strict $i/$n $p # $(grep -m1 -E '^(ERROR|WARNING|CHECK):' "$OUT/checkpatch.log")"
		sed 's/^/# /' "$OUT/checkpatch.log"
		rc=1
	fi
	if ! git -C "$tree" am -q "$f" >"$OUT/am.log" 2>&1; then
		echo "not ok applies $i/$n $p # $(head -1 "$OUT/am.log")"
		git -C "$tree" am --abort >/dev/null 2>&1
		git -C "$tree" reset -q --hard ihm-base
		exit 1
	fi
	echo "ok applies $i/$n $p"
	added=$(sed -n 's|^+++ b/\(.*\.[ch]\)$|\1|p' "$f" | while read -r a; do
		grep -q "^--- /dev/null" <(grep -B1 "^+++ b/$a$" "$f") && echo "$a"
	done)
	if [ -n "$added" ]; then
		# shellcheck disable=SC2086
		kd=$(cd "$tree" && scripts/kernel-doc -none -Wall $added 2>&1)
		if [ -z "$kd" ]; then
			echo "ok kernel-doc -Wall $i/$n on $(echo $added | tr '\n' ' ')"
		else
			echo "not ok kernel-doc -Wall $i/$n # $(echo "$kd" | head -1)"
			rc=1
		fi
	fi
	for target in $targets; do
		if IHM_KCONFIG_LAX=1 "$TOP/scripts/build-kernel.sh" "$target" "$tree" >"$OUT/bisect.log" 2>&1; then
			echo "ok builds $target at $i/$n $p"
		else
			echo "not ok builds $target at $i/$n $p # $(grep -m1 -E 'error' "$OUT/bisect.log" "$OUT/$target/build.log" 2>/dev/null | head -1)"
			rc=1
		fi
	done
done
exit $rc
