# irqlat, the bench's tool, in every mode for a hundred interrupts:
# its histogram (cyclictest's format) adds up, the counts agree (loops
# asked = samples read + missed = handler runs the driver counted = fires), the
# mode is applied while it runs and gone with the irq when it exits, and a
# bad option changes nothing.  The JSON goes to /results for the host,
# which parses it (scripts/results.sh).  Not the latency figures: that is
# bench/, not a test.
. /ihm/tests/lib.sh
load_ihm_test
insmod /lib/modules/ihm/irq_migrate_sysfs.ko 2>/dev/null
map=/sys/kernel/irq_migrate
[ -d $map ] || fail "irq_migrate_sysfs.ko not loaded"
# A period far above TCG's usual worst latencies (15 ms seen on x86_64,
# more with KASAN), so that the waiter reads nearly every interrupt.  A
# miss (the waiter read the next interrupt's sample: a latency above the
# period, 31 ms seen on an overloaded host) is timing, not correctness:
# the check is that every interrupt is accounted for, read or missed.
loops=100 period=50000
kconfig KASAN && period=100000
mkdir -p /results/irqlat

for mode in thread migrate urgent hardirq; do
	out=/results/irqlat/$mode.txt
	irqlat -m -q -p 90 -a 0 -l $loops -i $period -h 1000 --mode $mode \
		--json=/results/irqlat/$mode.json >$out 2>&1 &
	pid=$!
	# While it runs, the map shows the mode (the floor is no migrated irq).
	i=0
	until grep -q ihm_test /proc/interrupts; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "$mode: irqlat did not request the irq"; sleep 0.05
	done
	if [ $mode = hardirq ]; then
		ls $map/[0-9]*/name >/dev/null 2>&1 && fail "hardirq: the floor shows as a migrated irq"
	else
		# The mode is set right after the request: give it a moment.
		i=0
		until [ "$(cat $map/[0-9]*/mode 2>/dev/null)" = $mode ]; do
			i=$((i + 1))
			[ $i -lt 40 ] || fail "$mode: the map shows mode '$(cat $map/[0-9]*/mode)' while irqlat runs"
			sleep 0.05
		done
	fi
	wait $pid || fail "$mode: irqlat exited $?: $(cat $out)"
	cat $out | grep '^#' | grep -v '^# Histogram' | grep -v '^0'

	# The histogram: one row per us, rows plus overflows = samples.
	rows=$(grep -cE '^[0-9]{6} [0-9]{6}$' $out)
	[ "$rows" = 1000 ] || fail "$mode: $rows histogram rows, want 1000"
	sum=$(awk '/^[0-9]{6} [0-9]{6}$/ { s += $2 } END { print s + 0 }' $out)
	over=$(sed -n 's/^# Histogram Overflows: 0*\([0-9]\)/\1/p' $out)
	total=$(sed -n 's/^# Total: 0*\([0-9]\)/\1/p' $out)
	[ "$sum" = "$total" ] || fail "$mode: histogram rows sum to $sum, # Total says $total"
	samples=$(sed -n 's/^# irqlat .*: \([0-9]*\) samples.*/\1/p' $out)
	[ $((sum + over)) = "$samples" ] || fail "$mode: histogram $sum + $over overflows != $samples samples"

	# The counts: asked = samples + missed = runs = fires.
	set -- $(sed -n 's/^# driver: \([0-9]*\) fires, \([0-9]*\) hard irqs, \([0-9]*\) runs.*/\1 \2 \3/p' $out)
	missed=$(sed -n 's/^# irqlat .* samples (\([0-9]*\) missed).*/\1/p' $out)
	[ $((samples + missed)) = $loops ] || fail "$mode: $samples samples + $missed missed, asked $loops"
	[ "$1" = $loops ] && [ "$3" = $loops ] || fail "$mode: driver counted $1 fires and $3 runs, asked $loops"
	# Where the handler ran: the waiter for migrate/urgent, never for thread.
	inw=$(sed -n 's/.*, \([0-9]*\) ran in the waiter$/\1/p' $out)
	case $mode in
	thread | hardirq) [ "$inw" = 0 ] || fail "$mode: $inw runs in the waiter" ;;
	*) [ "$inw" -gt 0 ] || fail "$mode: no run in the waiter" ;;
	esac

	# Gone with the irq: not in /proc/interrupts, not in the map.
	grep -q ihm_test /proc/interrupts && fail "$mode: the irq is still requested after irqlat"
	ls $map/[0-9]* >/dev/null 2>&1 && fail "$mode: the map still lists an irq after irqlat"
done

# Bad options: one line, exit 2, nothing requested.
for bad in "--mode fast" "-t 2" "-D 5x" "-i 0" "--source nic" "-p 100"; do
	# shellcheck disable=SC2086
	irqlat $bad >/tmp/bad.txt 2>&1
	rc=$?
	[ $rc = 2 ] || fail "irqlat $bad: exit $rc, want 2"
	[ "$(wc -l </tmp/bad.txt)" = 1 ] || fail "irqlat $bad: $(wc -l </tmp/bad.txt) lines: $(cat /tmp/bad.txt)"
	grep -q ihm_test /proc/interrupts && fail "irqlat $bad requested the irq"
done
echo "4 modes x $loops interrupts: histograms, counts and modes agree; 6 bad options refused"
