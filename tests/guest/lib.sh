# SPDX-License-Identifier: GPL-2.0
# Sourced by the in-guest tests.  A test's exit status is its verdict:
# 0 pass, 4 skip (kselftest's KSFT_SKIP), anything else fail.
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }
kconfig() { zcat /proc/config.gz | grep -qx "CONFIG_$1=y"; }
# The test driver, loaded once per boot.
load_ihm_test() {
	[ -e /dev/ihm_test ] && return 0
	insmod /lib/modules/ihm/ihm_test.ko || fail "insmod ihm_test.ko failed"
}
# uio_edu: the edu device the test driver left (it takes the first one),
# unbound or on uio_pci_generic, in dev (its sysfs directory) and bdf.
uio_edu() {
	dev=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] || continue
		[ -e "$d/driver" ] && [ "$(basename "$(readlink "$d/driver")")" != uio_pci_generic ] && continue
		dev=$d
	done
	[ -n "$dev" ] || fail "no edu device left for uio_pci_generic (the guest needs two)"
	bdf=${dev##*/}
}
# intx_routed BDF: skip (exit 4) when the kernel found no route for the PCI
# device's INTx (ACPI "PCI INT A: no GSI", seen on the x86_64 debug
# kernel): its interrupts cannot come, and the kernel said why.
intx_routed() {
	why=$(dmesg | grep " $1: PCI INT [A-D]: no GSI" | tail -1 | sed 's/^\[[^]]*\] //')
	[ -z "$why" ] || skip "$1: no interrupt to test, the kernel routed none for its INTx ($why)"
}
# trace_on EVENT...: an empty ftrace buffer recording only EVENTs
# (SYSTEM/NAME or SYSTEM), whatever an earlier test left; trace_off stops
# it and disables every event, so the next test starts from the same state.
TR=/sys/kernel/tracing
trace_on() {
	[ -d $TR/events ] || mount -t tracefs nodev $TR || fail "cannot mount tracefs"
	echo 0 >$TR/tracing_on && echo 0 >$TR/events/enable && echo >$TR/trace || fail "cannot reset ftrace"
	for e in "$@"; do
		[ -w $TR/events/$e/enable ] || fail "no $e tracepoint"
		echo 1 >$TR/events/$e/enable
	done
	echo 1 >$TR/tracing_on
}
trace_off() {
	echo 0 >$TR/tracing_on
	echo 0 >$TR/events/enable
}
# kselftest_gpio TEST: run one of the kernel's GPIO selftests through
# kselftest's own runner; its TAP in /results/gpio-TEST.tap.  Exits 0 only
# when it reported ok, and neither failed nor skipped.
kselftest_gpio() {
	[ -x /ihm/kselftest/run_kselftest.sh ] || fail "the GPIO selftests are not installed"
	kconfig GPIO_CDEV_MIGRATE || fail "CONFIG_GPIO_CDEV_MIGRATE is not set"
	cd /ihm/kselftest || fail "no /ihm/kselftest"
	./run_kselftest.sh -t "gpio:$1" >/tmp/ksft.tap 2>&1
	rc=$?
	cat /tmp/ksft.tap
	cp /tmp/ksft.tap "/results/gpio-$1.tap"
	[ $rc -eq 0 ] || fail "run_kselftest.sh exited $rc"
	grep -q "^ok [0-9]* selftests: gpio: $1\$" /tmp/ksft.tap || fail "$1 did not report ok"
	grep -q '^not ok\|# SKIP' /tmp/ksft.tap && fail "$1 failed or skipped"
	exit 0
}
