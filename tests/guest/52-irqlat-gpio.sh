# irqlat --source gpio on a gpio-sim line: it reads every sample it
# reports, says where each handler ran as the map counts it, frees the
# line when done, and refuses bad options with one line and exit 2, the
# line untouched.  Formats and counts only: no timing is asserted.
. /ihm/tests/lib.sh
kconfig GPIO_CDEV_MIGRATE || fail "CONFIG_GPIO_CDEV_MIGRATE is not set"
modprobe gpio-sim || fail "modprobe gpio-sim"
map=/sys/kernel/irq_migrate
[ -e $map/version ] || insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod irq_migrate_sysfs.ko"
sim=/sys/kernel/config/gpio-sim/irqlat
mkdir $sim $sim/bank0 && echo 2 >$sim/bank0/num_lines && echo 1 >$sim/live || fail "no gpio-sim chip"
line=$(cat $sim/bank0/chip_name):0
for wait in read epoll; do
	for mode in thread migrate; do
		out=/tmp/irqlat-gpio-$wait-$mode.txt
		irqlat -m -q -p 90 -i 4999 -l 40 --mode $mode --source gpio --gpio $line \
			--wait $wait >$out 2>&1 || fail "$wait $mode: irqlat exited $?: $(tail -2 $out)"
		cat $out
		n=$(sed -n 's/^# irqlat mode '$mode' source gpio: \([0-9]*\) samples.*/\1/p' $out)
		missed=$(sed -n 's/^# irqlat mode .* samples (\([0-9]*\) missed).*/\1/p' $out)
		inw=$(sed -n 's/^# irqlat .*, \([0-9]*\) ran in the waiter$/\1/p' $out)
		fires=$(sed -n 's/^# driver: \([0-9]*\) fires, .*/\1/p' $out)
		runs=$(sed -n 's/^# driver: .* \([0-9]*\) runs, .*/\1/p' $out)
		[ -n "$n" ] && [ "$n" -ge 1 ] || fail "$wait $mode: no samples line"
		[ "$fires" = 40 ] || fail "$wait $mode: $fires edges raised, want 40"
		# A sample the waiter missed (it read a later edge's) is a run too.
		[ "$n" -le 40 ] && [ "$runs" = $((n + missed)) ] ||
			fail "$wait $mode: $n samples and $missed missed, $runs handler runs"
		[ $mode = thread ] && [ "$inw" != 0 ] && fail "$wait thread: $inw ran in the waiter"
		[ $mode = migrate ] && [ "$inw" = 0 ] && fail "$wait migrate: none ran in the waiter"
		grep -q '^# latency us: min .* p50 .* p99 .* max ' $out || fail "$wait $mode: no latency line"
		ls -d $map/[0-9]* >/dev/null 2>&1 && fail "$wait $mode: an irq left in the map after irqlat"
	done
done
for bad in "--source gpio" "--gpio $line" "--source gpio --gpio $line --mode hardirq" \
	"--source gpio --gpio $line --wait poll" "--source gpio --gpio nosuchchip:0 -l 1"; do
	# shellcheck disable=SC2086
	irqlat $bad >/tmp/bad.txt 2>&1
	rc=$?
	case "$bad" in *nosuchchip*) want=1 ;; *) want=2 ;; esac
	[ $rc = $want ] || fail "irqlat $bad: exit $rc, want $want: $(cat /tmp/bad.txt)"
	[ "$(wc -l </tmp/bad.txt)" = 1 ] || fail "irqlat $bad: $(wc -l </tmp/bad.txt) lines: $(cat /tmp/bad.txt)"
done
[ "$(cat /sys/kernel/debug/gpio 2>/dev/null | grep -c irqlat)" = 0 ] || fail "a line still requested by irqlat"
echo 0 >$sim/live
rmdir $sim/bank0 $sim
exit 0
