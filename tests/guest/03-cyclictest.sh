# cyclictest runs a measuring thread pinned on each CPU (-a -t2), for a
# time (-D), and each must have measured.  On KASAN kernels under TCG the
# second thread was seen to start seconds after the first: unpinned at
# -i1000 for 3 s, 1951 loops against 0 (arm64-debug; CI had it on
# x86_64-debug), and the first thread averaged 1118 us, later than its
# interval; pinned at -i10000 for 5 s, 500 against 169; with the host also
# building a kernel, 844 against 0 in 10 s (2026-12-07).  So debug kernels
# get a 10 ms interval and 20 s; pinning makes each thread's count a
# statement about its own CPU.  Counting loops (-l) instead does not help:
# cyclictest stops every thread when the first has done its loops (300
# against 117, x86_64-debug, 2026-12-07).
. /ihm/tests/lib.sh
interval=1000 secs=3
kconfig KASAN && interval=10000 secs=20
out=$(cyclictest -m -a -p90 -i$interval -d0 -D$secs -t2 -q --json=/tmp/ct.json 2>&1) ||
	fail "cyclictest failed: $out"
echo "$out"
for t in 0 1; do
	echo "$out" | grep -qE "^T: $t .* C: *[1-9][0-9]* " || fail "thread $t measured nothing"
done
grep -q '"num_threads": 2' /tmp/ct.json || fail "--json output lacks num_threads 2"
