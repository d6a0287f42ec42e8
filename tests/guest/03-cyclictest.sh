# cyclictest runs a measuring thread on each CPU.  The run is bounded by
# time (-D), not by loops: with -l the run ends once a thread has done its
# loops, and on a KASAN kernel under TCG the second thread was seen to start
# only after the first had done 200 (CI, x86_64-debug, "thread 1 measured
# nothing").  Three seconds give both threads time to start and measure.
. /ihm/tests/lib.sh
out=$(cyclictest -m -p90 -i1000 -d0 -D3 -t2 -q --json=/tmp/ct.json 2>&1) || fail "cyclictest failed: $out"
echo "$out"
for t in 0 1; do
	echo "$out" | grep -qE "^T: $t .* C: *[1-9][0-9]* " || fail "thread $t measured nothing"
done
grep -q '"num_threads": 2' /tmp/ct.json || fail "--json output lacks num_threads 2"
