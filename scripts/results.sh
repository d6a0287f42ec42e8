#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# results.sh TARGET RESULTDIR: turn one boot's outputs into TAP-style
# verdicts on stdout: no kernel splat in the console, each KUnit case (the
# console's KTAP, read by the kernel's own tools/testing/kunit parser), each
# in-guest test (the guest's kselftest-style TAP).
. "$(dirname "$0")/lib.sh"

t=$1
res=$(cd "$2" 2>/dev/null && pwd) || { echo "not ok $1: results # no directory $2"; exit 0; }
console=$res/console.log
[ -f "$console" ] || { echo "not ok $t: console log # missing $console"; exit 0; }

if s=$("$TOP/scripts/splat-scan.sh" "$console"); then
	echo "ok $t: no kernel splat in the console"
else
	echo "not ok $t: no kernel splat in the console # $s"
fi

# KUnit: a kernel with a suite built in must show its KTAP.
if grep -qE '^CONFIG_([A-Z0-9_]+_KUNIT_TEST|IRQ_MIGRATE_KUNIT_TEST)=y' "$OUT/$t/.config"; then
	python3 "$TREE_IHM/tools/testing/kunit/kunit.py" parse "$console" \
		>"$res/kunit.txt" 2>&1
	sed 's/\x1b\[[0-9;]*m//g' "$res/kunit.txt" |
		sed -e 's/^\[[0-9:]*\] //' |
		sed -n 's/^\[\(PASSED\|FAILED\|SKIPPED\|CRASHED\)\] *\(.*\)/\1 \2/p' >"$res/kunit.cases"
	if [ ! -s "$res/kunit.cases" ]; then
		echo "not ok $t: KUnit ran # no KTAP in the console ($(tail -1 "$res/kunit.txt"))"
	fi
	while read -r verdict name; do
		case $verdict in
		PASSED) echo "ok $t: kunit $name" ;;
		SKIPPED) echo "ok $t: kunit $name # SKIP" ;;
		*) echo "not ok $t: kunit $name # $verdict" ;;
		esac
	done <"$res/kunit.cases"
else
	echo "ok $t: KUnit # SKIP no KUnit suite in this kernel's config"
fi

gtap=$res/guest/guest.tap
if [ ! -f "$gtap" ]; then
	echo "not ok $t: in-guest tests ran # no guest.tap in the guest's results"
	# The guest also printed its TAP on the console: recover what the
	# tests said before it stopped, so a hang still names the tests.
	gtap=$res/console.tap
	tr -d '\r' <"$console" | sed -n '/^TAP version 13/,$p' |
		grep -E '^(1\.\.|ok |not ok |# )' >"$gtap"
	[ -s "$gtap" ] || exit 0
fi
plan=$(sed -n 's/^1\.\.\([0-9]*\)/\1/p' "$gtap")
seen=$(grep -cE '^(ok|not ok) ' "$gtap")
[ "$plan" = "$seen" ] ||
	echo "not ok $t: in-guest TAP complete # plan 1..$plan, $seen results"
# A failed test's verdict carries its last FAIL line, so that the run's
# summary (and a CI log) says why, not only which.
awk -v t="$t" '
/^# / { if ($0 ~ /FAIL/) why = substr($0, 3) }
/^(ok|not ok) [0-9]+ / {
	v = ($1 == "not") ? "not ok" : "ok"
	line = $0
	sub(/^(ok|not ok) [0-9]+ /, "", line)
	if (v == "not ok" && why != "")
		line = line " (" why ")"
	print v " " t ": " line
	why = ""
}' "$gtap"

# irqlat's JSON (tests/guest/40-irqlat.sh): parsed here, where Python is.
n=$(ls "$res"/guest/irqlat/*.json 2>/dev/null | wc -l)
if grep -qE '^ok [0-9]+ 40-irqlat' "$gtap" && [ "$n" != 4 ]; then
	echo "not ok $t: irqlat JSON # 40-irqlat passed but left $n JSON files, want 4"
fi
for j in "$res"/guest/irqlat/*.json; do
	[ -f "$j" ] || continue
	python3 "$TOP/bench/report.py" check "$j" | sed -E "s/^(ok|not ok) /\1 $t: irqlat JSON /"
done
