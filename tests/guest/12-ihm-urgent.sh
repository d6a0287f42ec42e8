# Direct interrupt scheduling (mode URGENT): taken when it should be (the
# reader last ran on CPU 1 and is woken on CPU 0, which took the interrupt),
# declined when it must be (a higher priority runs on CPU 0, the reader may
# not run there, mode MIGRATE, nobody armed); see ihm-test urgent.  The
# irq_migrate_urgent records, written by each reader as it resumes, must
# match: five taken, each run on the interrupt's CPU (woken there: no IPI,
# no migration) and picked through the runqueue hint; five declined_prio,
# five declined_affinity; none for mode MIGRATE or with nobody armed.
# And no IPI: inside the hard irq, between irq_migrate_wake and the
# reader's sched_wakeup (the span of try_to_wake_up(), which a tick cannot
# interrupt), CPU 0 sends no IPI for a taken path.  The same span of a
# declined_affinity wakeup (the reader allowed on CPU 1 only, CPU 1 idle)
# must show one in at least one of its five runs: the control that the
# ipi events are seen at all.
. /ihm/tests/lib.sh
load_ihm_test
trace_on irq_migrate/irq_migrate_urgent irq_migrate/irq_migrate_wake sched/sched_wakeup \
	ipi/ipi_send_cpu ipi/ipi_send_cpumask
out=$(ihm-test urgent 2>&1); rc=$?
trace_off
cat $TR/trace >/tmp/urgent.all
grep 'irq_migrate_urgent:' /tmp/urgent.all >/tmp/urgent.trace
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
# One line per wakeup made by an urgent claim on CPU 0: the reader's pid,
# the CPU it was queued on, the IPIs CPU 0 sent between the claim and it.
awk '
function num(re, len) { return match($0, re) ? substr($0, RSTART + len, RLENGTH - len) : "" }
/\[000\]/ && / irq_migrate_wake: / && /mode=urgent/ { p = num("target=[0-9]+", 7); span[p] = 1; ipis[p] = 0; next }
/\[000\]/ && / ipi_send_cpu(mask)?: / { for (p in span) ipis[p]++; next }
/ sched_wakeup: / { p = num("pid=[0-9]+", 4); if (p in span) { print p, num("target_cpu=[0-9]+", 11) + 0, ipis[p]; delete span[p] } }
' /tmp/urgent.all >/tmp/urgent.wakeups
pids() { sed -n "s/.*target=\([0-9]*\) .* $1 .*/\1/p" /tmp/urgent.trace; }
taken_ipi=0 aff_ipi=0
for p in $(pids taken); do
	w=$(grep "^$p " /tmp/urgent.wakeups) || fail "taken path of $p: no sched_wakeup after its claim"
	set -- $w
	[ "$2" -eq 0 ] || fail "taken path of $p: queued on CPU $2, not the interrupt's CPU 0"
	taken_ipi=$((taken_ipi + $3))
done
for p in $(pids declined_affinity); do
	w=$(grep "^$p " /tmp/urgent.wakeups) || fail "declined_affinity of $p: no sched_wakeup after its claim"
	set -- $w
	[ "$3" -gt 0 ] && aff_ipi=$((aff_ipi + 1))
done
echo "IPIs sent by CPU 0 while waking the reader: $taken_ipi in 5 taken paths; declined_affinity: an IPI in $aff_ipi of 5"
[ $taken_ipi -eq 0 ] || fail "$taken_ipi IPIs sent by CPU 0 while waking the readers of taken paths"
[ $aff_ipi -ge 1 ] || fail "no IPI seen in any declined_affinity wakeup to CPU 1: the IPI check is blind"
