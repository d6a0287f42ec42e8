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
