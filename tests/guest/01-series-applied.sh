# The booted kernel carries the series: its config option and its exported
# request function are there.
. /ihm/tests/lib.sh
kconfig IRQ_MIGRATE || fail "CONFIG_IRQ_MIGRATE=y not in /proc/config.gz"
grep -qw request_migrated_irq /proc/kallsyms || fail "request_migrated_irq not in /proc/kallsyms"
grep -w request_migrated_irq /proc/kallsyms
