# The booted kernel is a PREEMPT_RT kernel.
. /ihm/tests/lib.sh
uname -v | grep -q PREEMPT_RT || fail "uname -v lacks PREEMPT_RT: $(uname -v)"
kconfig PREEMPT_RT || fail "CONFIG_PREEMPT_RT=y not in /proc/config.gz"
kconfig HIGH_RES_TIMERS || fail "CONFIG_HIGH_RES_TIMERS=y not in /proc/config.gz"
echo "$(uname -r) $(uname -v)"
