# GPIO line events on IHM, with unmodified programs on gpio-sim edges:
# Debian's gpiomon (libgpiod 1.6, uAPI v1, ppoll()), the kernel's
# tools/gpio/gpio-event-mon (uAPI v2, blocking read()) and gpio-wait (uAPI
# v2 in read(), poll(), select(), epoll_wait(), on one line or two).  Each
# runs at SCHED_FIFO 80 and at SCHED_OTHER; every edge is raised once the
# reader is armed (sleeping in its wait), then the test waits for its run.
#   - every edge is delivered once: as many events as edges, in order,
#     rising and falling alternating, sequence numbers contiguous;
#   - SCHED_FIFO 80: every handler ran in the program (the map's migrated
#     count, and irq_migrate_handler_entry naming its pid);
#   - SCHED_OTHER: none did; each run is a fallback of reason less urgent
#     (fallback_prio, and irq_migrate_fallback naming its pid).
# Then the races: the line files closed under an epoll_wait() armed on
# them, the reader killed while armed, the lines reconfigured while armed.
. /ihm/tests/lib.sh
kconfig GPIO_CDEV_MIGRATE || fail "CONFIG_GPIO_CDEV_MIGRATE is not set"
modprobe gpio-sim || fail "modprobe gpio-sim"
map=/sys/kernel/irq_migrate
[ -e $map/version ] || insmod /lib/modules/ihm/irq_migrate_sysfs.ko || fail "insmod irq_migrate_sysfs.ko"
sim=/sys/kernel/config/gpio-sim/ihm
mkdir $sim $sim/bank0 || fail "configfs: no gpio-sim chip"
echo 4 >$sim/bank0/num_lines && echo 1 >$sim/live || fail "gpio-sim chip not live"
chip=$(cat $sim/bank0/chip_name) dev=$(cat $sim/dev_name)
# Edges per program: fewer on a debug kernel (KASAN), where each costs
# seconds under TCG; every path below is still taken on every program.
N=${IHM_GPIO_EDGES:-12}
kconfig KASAN && N=${IHM_GPIO_EDGES:-4}
lv0=down lv1=down

# toggle OFFSET: the next edge on the line (rising first).
toggle() {
	eval "v=\$lv$1"
	if [ "$v" = down ]; then v=up; else v=down; fi
	eval "lv$1=$v"
	echo "pull-$v" >/sys/devices/platform/$dev/$chip/sim_gpio$1/pull || fail "pull-$v on line $1"
}
# The helpers below poll sysfs many times per edge: they read files with
# the shell's own read and return in variables, as a fork costs tens of ms
# on a debug kernel under TCG.
# dirs LABEL: the map's directories of the irqs LABEL's requests hold, in D,
# and their number in ND.
dirs() {
	D= ND=0
	for d in $map/[0-9]*; do
		# (2> first: a failed < is reported on the stderr of the moment.)
		read -r name 2>/dev/null <$d/name || continue
		[ "$name" = "$1" ] && D="$D $d" ND=$((ND + 1))
	done
}
# total FILE: FILE summed over D, in sum.
total() {
	sum=0
	for d in $D; do
		read -r v 2>/dev/null <$d/$1 || v=0
		sum=$((sum + v))
	done
}
# until_true SECONDS CMD...: poll CMD every 10 ms.
until_true() {
	t=$(($1 * 100))
	shift
	while ! "$@"; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.01
	done
}
in_map() { dirs "$1"; [ $ND -eq "$2" ]; }
map_empty() { ! ls -d $map/[0-9]* >/dev/null 2>&1; }
# armed_at_least N: N irqs of the map (any holder) have a waiter armed.
armed_at_least() {
	k=0
	for d in $map/[0-9]*; do
		read -r v 2>/dev/null <$d/armed && [ "$v" -ge 1 ] && k=$((k + 1))
	done
	[ $k -ge "$1" ]
}
armed_all() { total armed; [ "$sum" = "$ND" ]; }
# slept_since N: the program's main thread has slept more than N times
# (voluntary switches, in sw): it read the last event and waits again.
slept_since() {
	while read -r k v; do
		[ "$k" = voluntary_ctxt_switches: ] && sw=$v && break
	done </proc/$pid/status
	[ "$sw" -gt "$1" ]
}
ran() { total migrated; m=$sum; total fallback; [ $((m + sum)) -ge "$1" ]; }
printed() { [ "$(grep -c "$1" /tmp/gpio.out)" -ge "$2" ]; }
stopped() { ! kill -0 $pid 2>/dev/null; }

# run LABEL POLICY PATTERN FIN CMD...: N edges on lines 0 (and 1,
# alternating, when CMD holds two lines) for CMD started under POLICY
# (fifo|other); PATTERN matches one printed event.  The counts are read once
# the reader sleeps again after the last edge, so it has read every event;
# then FIN ends it: term (SIGTERM, it flushes its output) or edge (one more,
# its last, for a program told to stop after N + 1 events).  Leaves the
# output in /tmp/gpio.out.
run() {
	label=$1 policy=$2 pat=$3 fin=$4
	shift 4
	trace_on irq_migrate
	if [ $policy = fifo ]; then
		chrt -f 80 "$@" >/tmp/gpio.out 2>&1 &
	else
		chrt -o 0 "$@" >/tmp/gpio.out 2>&1 &
	fi
	pid=$!
	lines=1
	case "$*" in *" 0 1") lines=2 ;; esac
	until_true 10 in_map "$label" $lines ||
		fail "$label ($policy): $lines irqs not in the map: $(cat /tmp/gpio.out)"
	i=0
	# Each edge once the last one is read and the program sleeps again,
	# armed: after the run, a waiter passed over (SCHED_OTHER) is still
	# armed until the irq thread's wakeup reaches it.
	while [ $i -lt $N ]; do
		until_true 10 armed_all || fail "$label ($policy): not armed before edge $((i + 1)) (armed $sum)"
		slept_since -1
		sw0=$sw
		toggle $((i % lines))
		i=$((i + 1))
		until_true 10 ran $i || fail "$label ($policy): edge $i not handled"
		until_true 10 slept_since $sw0 || fail "$label ($policy): not waiting again after edge $i"
	done
	until_true 10 armed_all || fail "$label ($policy): not armed again after the last edge"
	total migrated; mig=$sum
	total fallback; fb=$sum
	total fallback_prio; fbp=$sum
	want=$N
	if [ $fin = edge ]; then
		want=$((N + 1))
		toggle 0
	else
		kill -TERM $pid
	fi
	until_true 10 stopped || fail "$label ($policy): did not stop"
	wait $pid
	trace_off
	n=$(grep -c "$pat" /tmp/gpio.out)
	[ "$n" = $want ] || fail "$label ($policy): $n events for $want edges: $(tail -3 /tmp/gpio.out)"
	[ $((mig + fb)) = $N ] || fail "$label ($policy): $mig + $fb runs for $N edges"
	if [ $policy = fifo ]; then
		[ "$mig" = $N ] || fail "$label (SCHED_FIFO 80): $mig of $N runs in the program ($fb in the irq thread)"
		k=$(grep -c "irq_migrate_handler_entry:.* pid=$pid\$" $TR/trace)
		[ "$k" = $want ] || fail "$label (SCHED_FIFO 80): $k handler_entry events name pid $pid, want $want"
	else
		[ "$mig" = 0 ] && [ "$fbp" = $N ] ||
			fail "$label (SCHED_OTHER): $mig runs in the program, $fbp of $N less urgent"
		k=$(grep -c "irq_migrate_fallback:.*reason=less_urgent pid=$pid\$" $TR/trace)
		[ "$k" = $want ] || fail "$label (SCHED_OTHER): $k fallback events name pid $pid, want $want"
	fi
	echo "$label ($policy): $N edges, $mig runs in the program, $fb in the irq thread ($fbp less urgent); $n events, $k trace events name pid $pid"
}

# check_alternate NAME PATTERN FIELD LINES: on each line the events
# alternate rising and falling, as the pulls did (FIELD 0: the whole line).
check_alternate() {
	grep "$2" /tmp/gpio.out | awk -v f="$3" -v lines="$4" '
		{ l = lines > 1 ? $2 : 0; e = tolower($f) ~ /rising/ ? "rising" : "falling"
		  if (e == last[l]) { print "event " NR " is " e " again"; exit 1 }
		  last[l] = e }' ||
		fail "$1: edges out of order: $(grep "$2" /tmp/gpio.out | head -4)"
}
# gpio-wait: seqno and line_seqno contiguous from 1 on each line.
check_seqnos() {
	awk '/^EVENT/ { n[$2]++; if ($3 != n[$2] || $4 != n[$2]) { print "line " $2 " event " n[$2] ": seqno " $3 " line_seqno " $4; exit 1 } }' \
		/tmp/gpio.out || fail "$1: sequence numbers not contiguous"
}

for policy in fifo other; do
	run gpiomon $policy '^event:' term gpiomon $chip 0
	check_alternate "gpiomon ($policy)" '^event:' 2 1
	# It stops after -c events, its output buffered until then.
	run gpio-event-mon $policy '^GPIO EVENT' edge gpio-event-mon -n $chip -o 0 -r -f -c $((N + 1))
	check_alternate "gpio-event-mon ($policy)" '^GPIO EVENT' 0 1
	for how in read poll select epoll; do
		offs="0 1"
		[ $how = read ] && offs=0
		# shellcheck disable=SC2086
		run gpio-wait $policy '^EVENT' term gpio-wait $how $chip $offs
		check_seqnos "gpio-wait $how ($policy)"
		check_alternate "gpio-wait $how ($policy)" '^EVENT' 5 2
	done
done

# The line files closed from another thread under an armed epoll_wait():
# line release frees the irqs with the waiter armed on them.
gpio-wait epoll $chip 0 1 >/tmp/gpio.out 2>&1 &
pid=$!
until_true 10 armed_at_least 2 || fail "close: not armed"
kill -USR1 $pid
until_true 10 printed CLOSED 1 || fail "close: the files were not closed"
until_true 10 map_empty || fail "close: irqs left in the map"
kill -TERM $pid
wait $pid || fail "close: gpio-wait exited $?: $(cat /tmp/gpio.out)"

# The reader killed while armed: the run claimed for it, if any, is not lost.
chrt -f 80 gpio-wait poll $chip 0 1 >/tmp/gpio.out 2>&1 &
pid=$!
until_true 10 armed_at_least 2 || fail "kill: not armed"
toggle 0
kill -KILL $pid
wait $pid
until_true 10 map_empty || fail "kill: irqs left in the map"

# The lines reconfigured while armed (GPIO_V2_LINE_SET_CONFIG_IOCTL frees
# the irq and requests it again): rising edges only, then both; every edge
# the configuration asks for is delivered once, in order.
[ $lv0 = down ] || toggle 0
chrt -f 80 gpio-wait poll $chip 0 >/tmp/gpio.out 2>&1 &
pid=$!
until_true 10 in_map gpio-wait 1 || fail "reconfigure: the line's irq not in the map"
until_true 10 armed_all || fail "reconfigure: not armed"
# One edge at a time: gpio-sim, like a real line, merges an edge raised
# while the previous one is still pending into it.
toggle 0
until_true 10 printed '^EVENT' 1 || fail "reconfigure: the first edge before, no event"
toggle 0
until_true 10 printed '^EVENT' 2 || fail "reconfigure: 2 edges before, $(grep -c '^EVENT' /tmp/gpio.out) events"
kill -USR2 $pid
until_true 10 printed 'CONFIG rising' 1 || fail "reconfigure: not to rising"
# The falling edges raise no interrupt now: nothing to wait for after them.
toggle 0
until_true 10 printed '^EVENT' 3 || fail "reconfigure: a rising edge after, $(grep -c '^EVENT' /tmp/gpio.out) events"
toggle 0
toggle 0
until_true 10 printed '^EVENT' 4 || fail "reconfigure: 2 rising edges after, $(grep -c '^EVENT' /tmp/gpio.out) events"
toggle 0
kill -USR2 $pid
until_true 10 printed 'CONFIG both' 1 || fail "reconfigure: not back to both"
# The poll() in progress stays unarmed (its action was freed): no wait
# for armed here, the edge may go to the irq thread.
sleep 0.2
toggle 0
until_true 10 printed '^EVENT' 5 || fail "reconfigure: the edge after, $(grep -c '^EVENT' /tmp/gpio.out) events"
sleep 0.2
kill -TERM $pid
wait $pid
n=$(grep -c '^EVENT' /tmp/gpio.out)
[ "$n" = 5 ] || fail "reconfigure: $n events for 5 edges reported: $(cat /tmp/gpio.out)"
awk '/^EVENT/ { n++; if ($4 != n) exit 1 }' /tmp/gpio.out ||
	fail "reconfigure: line_seqno not contiguous: $(grep EVENT /tmp/gpio.out)"
[ "$(grep '^EVENT' /tmp/gpio.out | awk '{ print $5 }' | tr '\n' ' ')" = "rising falling rising rising rising " ] ||
	fail "reconfigure: edges $(grep '^EVENT' /tmp/gpio.out | awk '{ print $5 }' | tr '\n' ' ')"

echo 0 >$sim/live
rmdir $sim/bank0 $sim
exit 0
