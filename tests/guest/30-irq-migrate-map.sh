# The companion module: /sys/kernel/irq_migrate agrees with the test
# driver (ihm-map), shows an irq requested before the module was loaded,
# drops it when freed, and survives being unloaded and loaded again while
# interrupts flow and irqs are requested and freed.
. /ihm/tests/lib.sh
load_ihm_test
map=/sys/kernel/irq_migrate
insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod irq_migrate_sysfs.ko"
[ "$(cat $map/version)" = 1 ] || fail "version is not 1"
out=$(ihm-map 2>&1) || fail "the map disagrees with the driver: $(echo "$out" | grep -m1 FAIL)"
echo "$out"

# Loaded after the request: the replay creates the directory.  irqlat
# holds the irq until it is told to stop (it frees it on SIGTERM).
rmmod irq_migrate_sysfs || fail "rmmod"
irqlat -q -l 1000000 -i 1000 >/tmp/irqlat.txt 2>&1 &
lat=$!
i=0
until grep -q ihm_test /proc/interrupts; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "irqlat did not request the irq"; sleep 0.1
done
insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod after the request"
n=$(ls -d $map/[0-9]* 2>/dev/null | wc -l)
[ "$n" = 1 ] || fail "$n irq directories after loading with one migrated irq"
[ "$(cat $map/[0-9]*/name)" = ihm_test ] || fail "name of the replayed irq"
irq-migrate-map | tee /results/irq-migrate-map.txt
grep -q ihm_test /results/irq-migrate-map.txt || fail "viewer does not list ihm_test"
kill -TERM $lat
wait $lat
[ $? -eq 130 ] || fail "irqlat did not stop cleanly: $(cat /tmp/irqlat.txt)"
n=$(ls -d $map/[0-9]* 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "$n irq directories left after the free"

# Unload and load under traffic, with request/free cycles underneath.
ihm-test stress timer 200 8 2 >/tmp/stress.txt 2>&1 &
st=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	rmmod irq_migrate_sysfs || fail "rmmod under traffic ($i)"
	insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod under traffic ($i)"
	irq-migrate-map >/dev/null 2>&1
	sleep 0.4
done
wait $st || fail "stress while loading and unloading: $(cat /tmp/stress.txt)"
n=$(ls -d $map/[0-9]* 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "$n stale irq directories"
rmmod irq_migrate_sysfs || fail "final rmmod"
[ ! -e $map ] || fail "$map left after rmmod"
irq-migrate-map >/tmp/v.txt 2>&1 && fail "viewer succeeded without the module"
grep -q "not found" /tmp/v.txt || fail "viewer's message: $(cat /tmp/v.txt)"
cat /tmp/stress.txt
