# cyclictest runs a measuring thread on each CPU; the run ends when the
# first thread has done its 200 loops (cyclictest stops them all then).
. /ihm/tests/lib.sh
out=$(cyclictest -m -p90 -i1000 -d0 -l200 -t2 -q --json=/tmp/ct.json 2>&1) || fail "cyclictest failed: $out"
echo "$out"
for t in 0 1; do
	echo "$out" | grep -qE "^T: $t .* C: *[1-9][0-9]* " || fail "thread $t measured nothing"
done
echo "$out" | grep -qE "^T: [01] .* C: *200 " || fail "no thread completed its 200 loops"
grep -q '"num_threads": 2' /tmp/ct.json || fail "--json output lacks num_threads 2"
