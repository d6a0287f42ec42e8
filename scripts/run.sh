#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main command (make run): from nothing to the demo on a booted kernel.
# Installs what is missing, imports the source, applies the series, builds
# the kernel, its modules and userland for ARCH, boots it under QEMU, shows
# it is PREEMPT_RT with the series, and runs a short cyclictest.
#
# Environment: ARCH=arm64 (default) or x86_64; ICOUNT=N to run under
# -icount shift=N,sleep=off (3 models a ~125-MIPS embedded core); KSRC.
. "$(dirname "$0")/lib.sh"

arch=${ARCH:-arm64}
case "$arch" in arm64 | x86_64) ;; *) die "ARCH=$arch: use arm64 or x86_64" ;; esac
case "${ICOUNT:-}" in '' | [0-9] | 10) ;; *) die "ICOUNT=$ICOUNT: use a shift from 0 to 10" ;; esac

res=$BUILD/results/run-$(date +%Y%m%d-%H%M%S)
stage "setup: host packages" "$TOP/scripts/setup.sh" || exit 1
stage "source: v6.12.y tree with the series" "$TOP/scripts/ksrc.sh" "$TREE_IHM" || exit 1
stage "kernel $arch" "$TOP/scripts/build-kernel.sh" "$arch" || exit 1
stage "modules $arch" "$TOP/scripts/modules.sh" "$arch" || exit 1
stage "initramfs $arch" "$TOP/scripts/initramfs.sh" "$arch" || exit 1
stage "boot $arch under QEMU${ICOUNT:+ -icount shift=$ICOUNT}: demo" \
	"$TOP/scripts/boot.sh" "$arch" demo "$res" --timeout "${IHM_TIMEOUT:-600}" \
	${ICOUNT:+--icount "$ICOUNT"}
rc=$?
mkdir -p "$BUILD/results"
ln -sfn "$(basename "$res")" "$BUILD/results/latest"
[ -f "$res/guest/payload.log" ] && sed 's/^/  | /' "$res/guest/payload.log"
if s=$("$TOP/scripts/splat-scan.sh" "$res/console.log"); then :; else
	log "kernel splat: $s"
	rc=1
fi
log "results: $res (console.log, guest/)"
exit $rc
