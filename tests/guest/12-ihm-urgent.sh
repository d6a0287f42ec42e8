# Direct interrupt scheduling (mode URGENT): taken when it should be (the
# reader last ran on CPU 1 and is woken on CPU 0, which took the interrupt),
# declined when it must be (a higher priority runs on CPU 0, the reader may
# not run there, mode MIGRATE, nobody armed); see ihm-test urgent.
. /ihm/tests/lib.sh
load_ihm_test
out=$(ihm-test urgent 2>&1); rc=$?
echo "$out"
[ $rc -eq 4 ] && skip "$out"
[ $rc -eq 0 ] || fail "$(echo "$out" | grep -m1 FAIL)"
