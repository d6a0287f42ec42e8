#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# splat-scan.sh CONSOLE_LOG: print the first kernel splat of a guest console
# (file:line: text) and exit 1, or exit 0 when there is none.  A splat is
# anything a kernel checker prints when it finds a bug: BUG/WARNING (which
# covers lockdep, DEBUG_ATOMIC_SLEEP, KASAN, debugobjects and list
# debugging), oopses, hung tasks, soft lockups and RCU stalls.
log=$1
[ -f "$log" ] || { echo "splat-scan: no console log '$log'" >&2; exit 2; }
pattern='(BUG:|WARNING:|Oops|Internal error:|Unable to handle kernel|general protection fault|Kernel panic|KASAN:|UBSAN:|scheduling while atomic|possible recursive locking|circular locking dependency|inconsistent lock state|blocked for more than [0-9]+ seconds|rcu: INFO: .* detected stalls|rcu_.* detected stalls|soft lockup|hard LOCKUP|ODEBUG:|list_(add|del) corruption|Call trace:|Call Trace:)'
hit=$(grep -a -n -m1 -E "$pattern" "$log" | tr -d '\r')
[ -z "$hit" ] && exit 0
echo "$log:${hit%%:*}: ${hit#*:}"
exit 1
