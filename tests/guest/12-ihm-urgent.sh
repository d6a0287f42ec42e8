# Direct interrupt scheduling (mode URGENT): taken when it should be (the
# reader last ran on CPU 1 and is woken on CPU 0, which took the interrupt),
# declined when it must be (a higher priority runs on CPU 0, the reader may
# not run there, mode MIGRATE, nobody armed); see ihm-test urgent.  The
# irq_migrate_urgent records, written by each reader as it resumes, must
# match: five taken, each run on the interrupt's CPU (woken there: no IPI,
# no migration) and picked through the runqueue hint; five declined_prio,
# five declined_affinity; none for mode MIGRATE or with nobody armed.
. /ihm/tests/lib.sh
load_ihm_test
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs nodev $tr || fail "cannot mount tracefs"
ev=$tr/events/irq_migrate/irq_migrate_urgent/enable
[ -w $ev ] || fail "no irq_migrate_urgent tracepoint"
echo 0 >$tr/tracing_on; echo >$tr/trace; echo 1 >$ev; echo 1 >$tr/tracing_on
out=$(ihm-test urgent 2>&1); rc=$?
echo 0 >$tr/tracing_on; echo 0 >$ev
grep 'irq_migrate_urgent:' $tr/trace >/tmp/urgent.trace
echo "$out"
[ $rc -eq 4 ] && skip "$out"
[ $rc -eq 0 ] || fail "$(echo "$out" | grep -m1 FAIL)"
n() { grep -c -- "$1" /tmp/urgent.trace; }
sed -e "s/^.*irq_migrate_urgent: //" -e "s/target=[0-9]* //" /tmp/urgent.trace | sort | uniq -c
[ "$(n ' taken ')" -eq 5 ] || fail "$(n ' taken ') taken records, want 5"
[ "$(n 'irq_cpu=0 run_cpu=0 taken pick=hint')" -eq 5 ] ||
	fail "a taken path not run on CPU 0 or not picked by the hint: $(grep ' taken ' /tmp/urgent.trace | grep -v 'irq_cpu=0 run_cpu=0 taken pick=hint' | head -1)"
[ "$(n ' declined_prio ')" -eq 5 ] || fail "$(n ' declined_prio ') declined_prio records, want 5"
[ "$(n ' declined_affinity ')" -eq 5 ] || fail "$(n ' declined_affinity ') declined_affinity records, want 5"
[ "$(wc -l </tmp/urgent.trace)" -eq 15 ] || fail "$(wc -l </tmp/urgent.trace) urgent records, want 15"
