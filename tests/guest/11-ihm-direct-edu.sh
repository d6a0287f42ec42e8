# The same on QEMU's edu PCI device: a real emulated interrupt (MSI).
. /ihm/tests/lib.sh
load_ihm_test
ihm-test direct edu migrate 50 || fail "mode migrate"
ihm-test direct edu thread 20 || fail "mode thread"
