# UIO on IHM under stress, on the edu device of 60 (uio_pci_generic): a
# SCHED_FIFO 80 edu-uio reader, in read() or in epoll_wait() by round,
# while the irq's mode flips between thread, urgent and migrate, CPU 1
# goes offline and online, a second, passive reader is killed while armed,
# and the device is unbound from uio_pci_generic under the armed reader
# (free_irq() with a waiter armed; its read() fails with EIO) and bound
# again (the irq requested again).  Checks, each round: every interrupt the
# device counted as an event is one handler run the map counted, in a
# reader or in the irq threads (nothing lost, nothing doubled); edu-uio
# read one new event per wait, each with its DMA interrupt, until the
# unbind; no kernel splat (the host scans the console).
. /ihm/tests/lib.sh
kconfig UIO_MIGRATE || fail "CONFIG_UIO_MIGRATE is not set"
modprobe uio_pci_generic || fail "modprobe uio_pci_generic"
map=/sys/kernel/irq_migrate
[ -e $map/version ] || insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod irq_migrate_sysfs.ko"
drv=/sys/bus/pci/drivers/uio_pci_generic
uio_edu
bind() {
	echo uio_pci_generic >"$dev/driver_override"
	[ -e "$dev/driver" ] || echo "$bdf" >/sys/bus/pci/drivers_probe || fail "cannot bind $bdf"
	i=0
	until [ -d "$dev/uio" ] && irq=$(cat "$dev/irq") && [ -d $map/$irq ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "$bdf: bound, but its irq is not migrated"; sleep 0.05
	done
	uio=$(ls "$dev/uio")
}
# The device's events and the map's runs since bind(), compared at unbind.
counts() {
	read -r ev <"/sys/class/uio/$uio/event"
	read -r m <$map/$irq/migrated
	read -r f <$map/$irq/fallback
}
armed() { read -r a <$map/$irq/armed; [ "$a" -ge 1 ]; }
until_true() {
	t=$(($1 * 20))
	shift
	while ! "$@"; do
		t=$((t - 1)); [ $t -gt 0 ] || return 1; sleep 0.05
	done
}
cpu1=/sys/devices/system/cpu/cpu1/online
ROUNDS=${IHM_UIO_ROUNDS:-3} STEPS=6
kconfig KASAN && ROUNDS=${IHM_UIO_ROUNDS:-1} STEPS=3
bind
intx_routed "$bdf"
total=0
for r in $(seq "$ROUNDS"); do
	how=read
	[ $((r % 2)) = 0 ] && how=epoll
	bind
	counts
	ev0=$ev runs0=$((m + f))
	chrt -f 80 edu-uio $how "$bdf" 1000000 >/tmp/s.out 2>&1 &
	p1=$!
	until_true 10 armed || fail "round $r: the reader never armed"
	for step in $(seq $STEPS); do
		for mode in thread urgent migrate; do
			echo $mode >$map/$irq/mode || fail "round $r: cannot set mode $mode"
			sleep 0.2
		done
		[ -w $cpu1 ] && { echo 0 >$cpu1; sleep 0.1; echo 1 >$cpu1; }
		# A second reader, passive (it neither raises nor acknowledges),
		# which the hard irq may claim, killed while armed.
		chrt -f 80 dd if="/dev/$uio" of=/dev/null bs=4 2>/dev/null &
		p3=$!
		sleep 0.3
		kill -9 $p3
		wait $p3 2>/dev/null
	done
	kill -0 $p1 2>/dev/null || fail "round $r: the reader died: $(tail -2 /tmp/s.out)"
	# Quiet (the reader stopped, its last DMA interrupt in): every event
	# the device counted is one handler run the map counted.
	kill -STOP $p1
	sleep 0.5
	counts
	evn=$((ev - ev0)) runs=$((m + f - runs0))
	[ "$evn" -ge 1 ] || fail "round $r: no interrupt"
	[ "$evn" = "$runs" ] || fail "round $r: $evn events, $runs handler runs"
	total=$((total + evn))
	kill -CONT $p1
	# Unbound under the armed reader: free_irq() with a waiter armed.
	until_true 10 armed || fail "round $r: not armed again before the unbind"
	echo "$bdf" >$drv/unbind || fail "round $r: cannot unbind $bdf"
	wait $p1
	rc=$?
	grep -q '^EVENT' /tmp/s.out || fail "round $r: the reader read no event"
	[ $rc = 1 ] && tail -1 /tmp/s.out | grep -q 'read: Input/output error' ||
		fail "round $r: the reader ended with $rc, not EIO: $(tail -1 /tmp/s.out)"
	echo "round $r ($how): irq $irq, $evn interrupts, each one handler run ($(grep -c '^EVENT' /tmp/s.out) read by edu-uio in order); unbound under the armed reader, which got EIO"
	echo >"$dev/driver_override"
done
# Bound again for whatever comes next, as 60 found it.
bind
echo "$total interrupts in $ROUNDS rounds"
exit 0
