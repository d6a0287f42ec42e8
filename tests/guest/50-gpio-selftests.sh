# The kernel's own GPIO selftests (tools/testing/selftests/gpio), as
# kselftest installs and runs them: gpio-mockup.sh (gpio-mockup-cdev on
# the character device) and gpio-sim.sh, with the edge interrupts of the
# character device migrated (CONFIG_GPIO_CDEV_MIGRATE).  They are a peer's
# suite: every one must pass; a skip fails here, it would prove nothing.
. /ihm/tests/lib.sh
[ -x /ihm/kselftest/run_kselftest.sh ] || fail "the GPIO selftests are not installed"
kconfig GPIO_CDEV_MIGRATE || fail "CONFIG_GPIO_CDEV_MIGRATE is not set"
cd /ihm/kselftest || fail "no /ihm/kselftest"
./run_kselftest.sh -c gpio >/tmp/gpio-kselftest.tap 2>&1
rc=$?
cat /tmp/gpio-kselftest.tap
cp /tmp/gpio-kselftest.tap /results/gpio-kselftest.tap
[ $rc -eq 0 ] || fail "run_kselftest.sh exited $rc"
n=$(grep -c '^ok [0-9]* selftests: gpio:' /tmp/gpio-kselftest.tap)
[ "$n" = 2 ] || fail "$n of 2 GPIO selftests reported ok"
grep -q '^not ok\|# SKIP' /tmp/gpio-kselftest.tap && fail "a GPIO selftest failed or skipped"
exit 0
