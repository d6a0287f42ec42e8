# The kernel's own GPIO selftests (tools/testing/selftests/gpio), as
# kselftest installs and runs them, with the edge interrupts of the
# character device migrated (CONFIG_GPIO_CDEV_MIGRATE): here gpio-mockup.sh
# (gpio-mockup-cdev on the character device); gpio-sim.sh is 53.  They are
# a peer's suite: every one must pass; a skip fails here, it would prove
# nothing.
. /ihm/tests/lib.sh
kselftest_gpio gpio-mockup.sh
