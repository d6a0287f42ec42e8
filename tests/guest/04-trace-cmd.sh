# trace-cmd records the scheduler and irq tracepoints the bench relies on.
# The interrupts traced are the test driver's fake irq (fired on demand),
# so the check does not depend on which device irqs an arch happens to
# take (x86's local APIC timer, for one, emits no irq_handler_entry).
. /ihm/tests/lib.sh
load_ihm_test
cd /tmp || fail "no /tmp"
trace-cmd record -q -e sched:sched_switch -e sched:sched_wakeup -e irq -o /tmp/t.dat \
	ihm-test direct timer thread 5 >/tmp/rec.log 2>&1 || fail "trace-cmd record failed: $(tail -3 /tmp/rec.log)"
trace-cmd report -i /tmp/t.dat >/tmp/rep.txt 2>&1 || fail "trace-cmd report failed"
grep -q 'sched_switch:' /tmp/rep.txt || fail "no sched_switch event recorded"
grep -q 'irq_handler_entry:.*name=ihm_test' /tmp/rep.txt || fail "no irq_handler_entry event of ihm_test recorded"
echo "$(grep -c sched_switch: /tmp/rep.txt) sched_switch, $(grep -c irq_handler_entry: /tmp/rep.txt) irq_handler_entry events"
