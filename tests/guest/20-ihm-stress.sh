# Stress: readers leaving at random moments, killed and respawned, modes
# flipping, free/request cycles, CPU 1 going offline and online, reader and
# irq affinity changing, on both sources; at least 100k timer interrupts
# (20k on KASAN kernels, see below).  Zero lost or doubled runs is checked
# at every free by ihm-test, zero splats by the host.  For the edu device
# the kernel's promise is checked (every hard irq is followed by a run);
# fires of the device that raised no hard irq at all are reported: on
# x86_64 under TCG whole request cycles see no MSI while CPU 1 cycles
# offline and the irq's affinity moves (cause not established; the series
# cannot suppress a hard irq, and the timer source, strict, shows none).
. /ihm/tests/lib.sh
load_ihm_test
cpu1=/sys/devices/system/cpu/cpu1/online
[ -w $cpu1 ] || fail "$cpu1 is not writable (CPU hotplug)"
# CPU 1 offline and online; meanwhile the readers' affinity and the edu
# irq's affinity move between the CPUs (failures while CPU 1 is offline
# are expected and ignored).
(
	m=1
	while [ ! -e /tmp/stress-done ]; do
		echo 0 >$cpu1; sleep 0.3; echo 1 >$cpu1
		for p in $(pidof ihm-test); do taskset -p $m "$p" >/dev/null 2>&1; done
		for irq in $(sed -n 's/^ *\([0-9]*\):.*ihm_test$/\1/p' /proc/interrupts); do
			echo $m >/proc/irq/$irq/smp_affinity 2>/dev/null
		done
		m=$((m % 3 + 1))
		sleep 0.7
	done
) &
hp=$!
# A KASAN/lockdep kernel under TCG runs three to five times slower (on
# arm64, 450 timer interrupts a second were seen): it must reach 20k
# interrupts and gets twice the time (ihm-test's cap is 4 x SECONDS), a
# normal kernel 100k.  Its edu source fires every 1000 us, not 200: at
# 200 us its irq thread never caught up, so every hard irq found the thread
# already woken, no reader was ever handed a run (seen: 13754 hard irqs,
# 0 in readers), and the stress proved nothing about migration.
want=100000 secs=${IHM_STRESS_SECONDS:-15} edu_period=200 edu_secs=5
if kconfig KASAN; then
	want=20000 secs=${IHM_STRESS_SECONDS:-30} edu_period=1000 edu_secs=10
fi
out=$(ihm-test stress timer 100 "$secs" 4 $want 2>&1); rc=$?
echo "timer: $out"
out2=$(ihm-test stress edu $edu_period $edu_secs 2 2>&1); rc2=$?
echo "edu: $out2"
touch /tmp/stress-done
wait $hp
echo 1 >$cpu1
[ $rc -eq 0 ] || fail "timer stress: $(echo "$out" | grep -m1 FAIL)"
[ $rc2 -eq 0 ] || [ $rc2 -eq 4 ] || fail "edu stress: $(echo "$out2" | grep -m1 FAIL)"
fires=$(echo "$out" | sed -n 's/^\([0-9]*\) fires.*/\1/p')
[ "${fires:-0}" -ge $want ] || fail "only ${fires:-0} timer interrupts, want $want"
