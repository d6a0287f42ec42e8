#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built kernel target under QEMU (TCG) and run a payload in it:
#
#   boot.sh TARGET PAYLOAD RESULTDIR [--timeout S] [--icount N] [--append ARGS]
#
# The guest gets 2 vCPUs, two of QEMU's edu PCI devices (the first for the
# test driver and the bench, the second for uio_pci_generic) and a
# virtio-serial port on which its /init sends /results as a tar when the
# payload is done.
# RESULTDIR is emptied first and receives console.log (the serial console),
# qemu.log, and the guest's /results.  Exit status: the payload's; 124 when
# the guest did not finish (timeout, panic, no results), with one line why.
. "$(dirname "$0")/lib.sh"

target=$1 payload=$2 res=$3
check_target "$target"
[ -n "$payload" ] && [ -n "$res" ] || die "usage: boot.sh TARGET PAYLOAD RESULTDIR [--timeout S] [--icount N] [--append ARGS]"
shift 3
timeout=${IHM_TIMEOUT:-600} icount= append=
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout=$2; shift 2 ;;
	--icount) icount=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	*) die "boot.sh: unknown option '$1'" ;;
	esac
done
case "$timeout" in '' | *[!0-9]*) die "--timeout takes seconds, not '$timeout'" ;; esac
case "$icount" in *[!0-9]*) die "--icount takes a shift (0-10), not '$icount'" ;; esac

arch=$(target_arch "$target")
out=$OUT/$target
img=$out/$(kernel_image "$target")
[ -f "$out/.ihm-built" ] && [ -f "$img" ] ||
	die "$target is not built (or its last build failed): run 'make kernels'"
[ -f "$BUILD/initramfs/$arch.cpio.gz" ] || die "no initramfs for $arch: run 'make initramfs'"
[ -f "$out/modules.cpio.gz" ] || die "no modules for $target: run 'make modules'"

rm -rf "$res"
mkdir -p "$res/guest"
# The kernel concatenates cpio archives: userland, then this kernel's modules.
cat "$BUILD/initramfs/$arch.cpio.gz" "$out/modules.cpio.gz" >"$res/initrd.cpio.gz"

cmdline="panic=-1 ihm.payload=$payload $append"
case "$arch" in
arm64)
	need qemu-system-aarch64 qemu-system-arm
	qemu=(qemu-system-aarch64 -M virt,gic-version=3,its=on -cpu cortex-a53)
	cmdline="console=ttyAMA0 $cmdline"
	;;
x86_64)
	need qemu-system-x86_64 qemu-system-x86
	qemu=(qemu-system-x86_64 -M pc -cpu max)
	cmdline="console=ttyS0 $cmdline"
	;;
esac
qemu+=(-accel tcg -smp 2 -m 1024 -display none -monitor none -no-reboot
	-kernel "$img" -initrd "$res/initrd.cpio.gz" -append "$cmdline"
	-serial "file:$res/console.log"
	-nic none
	-device edu
	-device edu
	-device virtio-serial-pci
	-chardev "file,id=results,path=$res/results.tar"
	-device virtserialport,chardev=results,name=results)
[ -n "$icount" ] && qemu+=(-icount "shift=$icount,sleep=off")

echo "${qemu[*]}" >"$res/qemu.cmd"
timeout -k 10 "$timeout" "${qemu[@]}" >"$res/qemu.log" 2>&1
qrc=$?

why=
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	why="guest did not finish within ${timeout}s"
elif [ $qrc -ne 0 ]; then
	why="qemu failed (rc=$qrc): $(head -1 "$res/qemu.log")"
fi
panic=$(grep -m1 -a 'Kernel panic - not syncing' "$res/console.log" 2>/dev/null | tr -d '\r')
[ -n "$panic" ] && why="guest panicked: ${panic#*] }"
if [ -z "$why" ] && ! tar -xf "$res/results.tar" -C "$res/guest" 2>/dev/null; then
	why="guest sent no readable results"
fi
if [ -z "$why" ] && [ ! -f "$res/guest/status" ]; then
	why="guest results carry no exit status"
fi
if [ -n "$why" ]; then
	printf 'error: %s: %s (console: %s)\n' "$target" "$why" "$res/console.log" >&2
	exit 124
fi
exit "$(cat "$res/guest/status")"
