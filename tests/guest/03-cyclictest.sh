# cyclictest runs a measuring thread pinned on each CPU (-a -t2), for a
# time (-D), and each must have measured.  On a KASAN kernel under TCG one
# loop of the measuring thread takes longer than 1 ms: at -i1000 a late
# thread never sleeps, so a SCHED_FIFO 90 thread that shared its CPU was
# starved and measured nothing (CI, x86_64-debug; here arm64-debug: thread
# 0 avg 1118 us, 1951 loops in 3 s; thread 1, 0).  Debug kernels get a
# 10 ms interval; pinning makes each thread's count a statement about its
# own CPU.
. /ihm/tests/lib.sh
interval=1000 secs=3
kconfig KASAN && interval=10000 secs=5
out=$(cyclictest -m -a -p90 -i$interval -d0 -D$secs -t2 -q --json=/tmp/ct.json 2>&1) ||
	fail "cyclictest failed: $out"
echo "$out"
for t in 0 1; do
	echo "$out" | grep -qE "^T: $t .* C: *[1-9][0-9]* " || fail "thread $t measured nothing"
done
grep -q '"num_threads": 2' /tmp/ct.json || fail "--json output lacks num_threads 2"
