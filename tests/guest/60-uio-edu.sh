# UIO on IHM: the guest's second edu device bound to uio_pci_generic (INTx,
# IRQF_SHARED, its handler force-threaded on PREEMPT_RT), driven from user
# space by edu-uio, which raises each interrupt through a DMA transfer and
# waits for it in read() or in epoll_wait(), then acknowledges the device
# and re-enables INTx as a real UIO driver does.
#   - every interrupt is read once: N waits, each returning one new event
#     (edu-uio checks the count), and the device's event count up by N;
#   - SCHED_FIFO 80: every handler ran in the program (the map's migrated
#     count, and irq_migrate_handler_entry naming its pid);
#   - SCHED_OTHER: none did; each run is a fallback of reason less urgent;
#   - mode thread at SCHED_FIFO 80: none did; each run is a fallback of
#     reason mode, and the map's mode switch is put back;
#   - irqlat --source uio on the device: counts and formats (below).
. /ihm/tests/lib.sh
kconfig UIO_MIGRATE || fail "CONFIG_UIO_MIGRATE is not set"
modprobe uio_pci_generic || fail "modprobe uio_pci_generic"
map=/sys/kernel/irq_migrate
[ -e $map/version ] || insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod irq_migrate_sysfs.ko"
uio_edu
if [ ! -e "$dev/driver" ]; then
	echo uio_pci_generic >"$dev/driver_override" &&
		echo "$bdf" >/sys/bus/pci/drivers_probe || fail "cannot bind $bdf to uio_pci_generic"
fi
[ -d "$dev/uio" ] || fail "$bdf: uio_pci_generic made no uio device"
intx_routed "$bdf"
uio=$(ls "$dev/uio")
irq=$(cat "$dev/irq")
[ -d $map/$irq ] || fail "$bdf: irq $irq is not migrated (not in $map)"
read -r name <$map/$irq/name
echo "$bdf: /dev/$uio, irq $irq ($name), INTx"
# Fewer on a debug kernel (KASAN), where each interrupt's path costs tens
# of ms under TCG; every path below is still taken.
N=${IHM_UIO_IRQS:-10} L=20
kconfig KASAN && N=${IHM_UIO_IRQS:-4} L=6

get() { read -r v <$map/$irq/$1; echo "$v"; }
# run HOW POLICY: N interrupts through edu-uio HOW under POLICY; the counts
# of the map and of the uio device before and after, in d_FILE.
run() {
	how=$1 policy=$2
	for f in migrated fallback fallback_prio fallback_mode; do eval "b_$f=\$(get $f)"; done
	read -r ev0 <"/sys/class/uio/$uio/event"
	trace_on irq_migrate
	if [ "$policy" = other ]; then
		chrt -o 0 edu-uio "$how" "$bdf" "$N" >/tmp/uio.out 2>&1 &
	else
		chrt -f 80 edu-uio "$how" "$bdf" "$N" >/tmp/uio.out 2>&1 &
	fi
	pid=$!
	wait $pid
	rc=$?
	trace_off
	[ $rc = 0 ] || fail "edu-uio $how ($policy) exited $rc: $(tail -2 /tmp/uio.out)"
	read -r ev1 <"/sys/class/uio/$uio/event"
	for f in migrated fallback fallback_prio fallback_mode; do eval "d_$f=\$((\$(get $f) - b_$f))"; done
	k=$(grep -c "^EVENT" /tmp/uio.out)
	[ "$k" = "$N" ] || fail "edu-uio $how ($policy): $k events read for $N interrupts"
	[ $((ev1 - ev0)) = "$N" ] || fail "edu-uio $how ($policy): the event count went from $ev0 to $ev1 for $N interrupts"
	[ $((d_migrated + d_fallback)) = "$N" ] ||
		fail "edu-uio $how ($policy): $d_migrated + $d_fallback runs for $N interrupts"
	t_run=$(grep -c "irq_migrate_handler_entry:.* pid=$pid\$" $TR/trace)
	echo "edu-uio $how ($policy, mode $(get mode)): $N interrupts, $d_migrated runs in the program ($t_run trace events name pid $pid), $d_fallback in the irq thread ($d_fallback_prio less urgent, $d_fallback_mode mode thread)"
}

for how in read epoll; do
	run $how fifo
	[ "$d_migrated" = "$N" ] && [ "$t_run" = "$N" ] ||
		fail "edu-uio $how (SCHED_FIFO 80): $d_migrated of $N runs in the program, $t_run trace events name it"
	run $how other
	[ "$d_migrated" = 0 ] && [ "$d_fallback_prio" = "$N" ] ||
		fail "edu-uio $how (SCHED_OTHER): $d_migrated runs in the program, $d_fallback_prio of $N less urgent"
done
echo thread >$map/$irq/mode || fail "cannot set mode thread"
run read fifo
echo migrate >$map/$irq/mode || fail "cannot set mode migrate back"
[ "$d_migrated" = 0 ] && [ "$d_fallback_mode" = "$N" ] ||
	fail "edu-uio read (mode thread): $d_migrated runs in the program, $d_fallback_mode of $N in mode thread"

# irqlat --source uio, the bench's tool on the same device: every
# interrupt it raised is read or counted missed, the handlers ran where the
# mode says, the switches it counts include the irq threads' in mode
# thread, and bad options get one line.  Formats and counts, no timing.
read -r aff0 </proc/irq/$irq/smp_affinity_list
for wait in read epoll; do
	for mode in thread migrate; do
		out=/tmp/irqlat-uio-$wait-$mode.txt
		irqlat -m -q -p 90 -i 4999 -l $L --irq-cpu 0 --mode $mode --source uio --uio "$bdf" \
			--wait $wait >$out 2>&1 || fail "irqlat $wait $mode: exited $?: $(tail -2 $out)"
		cat $out
		n=$(sed -n 's/^# irqlat mode '$mode' source uio: \([0-9]*\) samples.*/\1/p' $out)
		missed=$(sed -n 's/^# irqlat mode .* samples (\([0-9]*\) missed).*/\1/p' $out)
		inw=$(sed -n 's/^# irqlat .*, \([0-9]*\) ran in the waiter$/\1/p' $out)
		fires=$(sed -n 's/^# driver: \([0-9]*\) fires, .*/\1/p' $out)
		sw2=$(sed -n 's/^# context switches per interrupt: 0:[0-9]* 1:[0-9]* 2:\([0-9]*\) 3+:\([0-9]*\)$/\1 \2/p' $out)
		[ "$fires" = $L ] || fail "irqlat $wait $mode: $fires interrupts raised, want $L"
		[ -n "$n" ] && [ $((n + missed)) = $L ] || fail "irqlat $wait $mode: $n samples and $missed missed of $L"
		[ -n "$sw2" ] || fail "irqlat $wait $mode: no context switch line"
		# shellcheck disable=SC2086
		set -- $sw2
		if [ $mode = thread ]; then
			[ "$inw" = 0 ] || fail "irqlat $wait thread: $inw ran in the waiter"
			[ $(($1 + $2)) = "$n" ] || fail "irqlat $wait thread: $(($1 + $2)) of $n interrupts counted 2+ switches"
		else
			[ "$inw" != 0 ] || fail "irqlat $wait migrate: none ran in the waiter"
		fi
	done
done
[ "$(cat $map/$irq/mode)" = migrate ] || fail "irqlat left irq $irq in mode $(cat $map/$irq/mode)"
read -r aff1 </proc/irq/$irq/smp_affinity_list
[ "$aff1" = "$aff0" ] || fail "irqlat --irq-cpu 0 left irq $irq's affinity at $aff1, was $aff0"
for bad in "--source uio" "--uio $bdf" "--source uio --uio $bdf --mode hardirq" \
	"--source uio --uio $bdf --wait poll" "--source uio --uio 0000:00:1f.7 -l 1"; do
	# shellcheck disable=SC2086
	irqlat $bad >/tmp/bad.txt 2>&1
	rc=$?
	case "$bad" in *1f.7*) want=1 ;; *) want=2 ;; esac
	[ $rc = $want ] || fail "irqlat $bad: exit $rc, want $want: $(cat /tmp/bad.txt)"
	[ "$(wc -l </tmp/bad.txt)" = 1 ] || fail "irqlat $bad: $(wc -l </tmp/bad.txt) lines: $(cat /tmp/bad.txt)"
done
exit 0
