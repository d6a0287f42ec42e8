# Semantics 1 and 2 with a user-space waiter (SCHED_FIFO 50) on the
# timer-fired fake irq:
# in mode migrate every handler runs in the reader that waited for it; in
# mode thread none does; the driver's counts equal genirq's.
. /ihm/tests/lib.sh
load_ihm_test
ihm-test direct timer migrate 50 || fail "mode migrate"
ihm-test direct timer urgent 20 || fail "mode urgent"
ihm-test direct timer thread 20 || fail "mode thread"
# The priority rule: a SCHED_OTHER reader is passed over, in both modes.
ihm-test direct timer migrate 20 other || fail "SCHED_OTHER reader, mode migrate"
ihm-test direct timer urgent 10 other || fail "SCHED_OTHER reader, mode urgent"
