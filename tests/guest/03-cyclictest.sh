# cyclictest runs a measuring thread pinned on each CPU (-a -t2) for a
# number of loops (-l), and each must have measured all of them.  On KASAN
# kernels under TCG the second thread was seen to start seconds after the
# first: unpinned at -i1000 for 3 s, 1951 loops against 0 (arm64-debug; CI
# had it on x86_64-debug), and the first thread averaged 1118 us, later
# than its interval; pinned at -i10000 for 5 s, 500 against 169; and once,
# with the host loaded, 844 against 0 in 10 s.  So the run is counted in
# loops, not in time: cyclictest ends when both threads have done theirs,
# however late one starts.  Debug kernels get a 10 ms interval; pinning
# makes each thread's count a statement about its own CPU.
. /ihm/tests/lib.sh
interval=1000 loops=2000
kconfig KASAN && interval=10000 loops=300
out=$(cyclictest -m -a -p90 -i$interval -d0 -l$loops -t2 -q --json=/tmp/ct.json 2>&1) ||
	fail "cyclictest failed: $out"
echo "$out"
for t in 0 1; do
	echo "$out" | grep -qE "^T: $t .* C: *$loops " || fail "thread $t did not measure its $loops loops"
done
grep -q '"num_threads": 2' /tmp/ct.json || fail "--json output lacks num_threads 2"
