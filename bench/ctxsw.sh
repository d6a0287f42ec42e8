#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest: context switches per interrupt on an idle system, mode
# THREAD against MIGRATE.  irqlat (pinned to CPU 0, SCHED_FIFO 90) reads N
# interrupts of the timer source under trace-cmd; the switches that serve
# an interrupt are those into the reader and into the irq thread.
# Prints one line per mode and writes /results/ctxsw.txt.
n=${1:-500}
[ -e /dev/ihm_test ] || insmod /lib/modules/ihm/ihm_test.ko || exit 1
cd /tmp || exit 1
for mode in thread migrate; do
	trace-cmd record -q -e sched:sched_switch -o /tmp/$mode.dat \
		irqlat -q -l "$n" -i 2000 -a 0 --mode $mode >/tmp/$mode.txt 2>&1 || exit 1
	trace-cmd report -i /tmp/$mode.dat >/tmp/$mode.rep 2>/dev/null || exit 1
	reader=$(grep -cE '(==> |next_comm=)irqlat[: ]' /tmp/$mode.rep)
	thread=$(grep -cE '(==> |next_comm=)irq/[0-9]+-ihm_test' /tmp/$mode.rep)
	echo "ctxsw $mode: $n interrupts, $reader switches into the reader, $thread into the irq thread, $(( (reader + thread) * 100 / n ))/100 per interrupt" |
		tee -a /results/ctxsw.txt
	grep '^#' /tmp/$mode.txt | tee -a /results/ctxsw.txt
done
