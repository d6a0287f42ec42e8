#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main command (make run): from nothing to the comparison table.
# Installs what is missing, imports the source, builds the patched kernel
# and the same config without the series for ARCH, boots the patched one
# under QEMU to run the bench (scripts/guest/payload-bench: irqlat in every
# mode, idle and under hackbench, waiter on the interrupt's CPU and on the
# other; cyclictest; a trace), boots the unpatched one for cyclictest, and
# prints the table (bench/report.py), with histograms, plots, CSV and JSON
# in the results directory.
#
# Environment: ARCH=arm64 (default) or x86_64; ICOUNT=N to run under
# -icount shift=N,sleep=off (3 models a ~125-MIPS embedded core);
# LOOPS=N interrupts per irqlat run (default 2000); SOURCE=timer|edu|gpio|uio
# (gpio, uio: the GPIO or UIO bench alone); KSRC.
. "$(dirname "$0")/lib.sh"

arch=${ARCH:-arm64}
case "$arch" in arm64 | x86_64) ;; *) die "ARCH=$arch: use arm64 or x86_64" ;; esac
case "${ICOUNT:-}" in '' | [0-9] | 10) ;; *) die "ICOUNT=$ICOUNT: use a shift from 0 to 10" ;; esac
case "${LOOPS:-2000}" in *[!0-9]* | 0) die "LOOPS=$LOOPS: use a positive number" ;; esac
case "${SOURCE:-timer}" in timer | edu | gpio | uio) ;; *) die "SOURCE=$SOURCE: use timer, edu, gpio or uio" ;; esac
loops=${LOOPS:-2000}

res=$BUILD/results/run-$arch-$(date +%Y%m%d-%H%M%S)
mkdir -p "$res"
ln -sfn "$(basename "$res")" "$BUILD/results/latest"
stage "setup: host packages" "$TOP/scripts/setup.sh" || exit 1
stage "source: v6.12.y tree with the series" "$TOP/scripts/ksrc.sh" "$TREE_IHM" || exit 1
stage "source: the same tree without it" "$TOP/scripts/ksrc.sh" "$TREE_BASE" --base || exit 1
for t in "$arch" "$arch-unpatched"; do
	stage "kernel $t" "$TOP/scripts/build-kernel.sh" "$t" || exit 1
	stage "modules $t" "$TOP/scripts/modules.sh" "$t" || exit 1
done
stage "initramfs $arch" "$TOP/scripts/initramfs.sh" "$arch" || exit 1

append="ihm.loops=$loops ihm.source=${SOURCE:-timer}"
# shellcheck disable=SC2086
stage "boot $arch${ICOUNT:+ -icount shift=$ICOUNT}: irqlat in every mode, cyclictest, trace" \
	"$TOP/scripts/boot.sh" "$arch" bench "$res/patched" --timeout "${IHM_TIMEOUT:-1800}" \
	${ICOUNT:+--icount "$ICOUNT"} --append "$append" ||
	die "the bench boot failed: $(tail -3 "$res/patched/guest/payload.log" 2>/dev/null) (see $res/patched/console.log)"
bench=$res/patched/guest/bench
# The GPIO and UIO benches are irqlat alone: no cyclictest to compare, no
# unpatched boot.
case "${SOURCE:-timer}" in gpio | uio)
	src=$SOURCE
	what="$loops edges per run (gpio-sim)"
	[ "$src" = uio ] && what="$loops interrupts per run (edu on uio_pci_generic, INTx)"
	s=$("$TOP/scripts/splat-scan.sh" "$res/patched/console.log") || die "kernel splat in the bench boot: $s"
	stage "report: the $src table" python3 "$TOP/bench/report.py" "$src-table" "$bench" >/dev/null || exit 1
	{
		echo "irqlat --source $src on $arch${ICOUNT:+ (-icount shift=$ICOUNT)}, $what"
		echo "kernel: $(sed -n 's/^kernel: //p' "$res/patched/guest/payload.log")"
		[ -n "${ICOUNT:-}" ] ||
			echo "note: free-running TCG; the figures include the host's scheduling of QEMU's vCPU threads (ICOUNT=3 for steady ones)"
		echo
		cat "$bench/table.txt"
	} | tee "$res/table.txt"
	log "results: $res (table.txt; bench/: $src-*.txt, $src-*.json, summary.csv)"
	exit 0
	;;
esac
# shellcheck disable=SC2086
stage "boot $arch-unpatched: cyclictest" \
	"$TOP/scripts/boot.sh" "$arch-unpatched" cyclictest "$res/unpatched" \
	--timeout "${IHM_TIMEOUT:-900}" ${ICOUNT:+--icount "$ICOUNT"} --append "ihm.loops=$loops" ||
	die "the unpatched boot failed (see $res/unpatched/console.log)"
for b in patched unpatched; do
	s=$("$TOP/scripts/splat-scan.sh" "$res/$b/console.log") || die "kernel splat in the $b boot: $s"
done

cp "$res/unpatched/guest/cyclictest.json" "$bench/cyclictest-unpatched.json"
cp "$res/unpatched/guest/cyclictest.hist" "$bench/cyclictest-unpatched.hist"
stage "report: table, CSV, JSON, plots" python3 "$TOP/bench/report.py" table "$bench" >/dev/null ||
	exit 1
{
	echo "irqlat and cyclictest on $arch${ICOUNT:+ (-icount shift=$ICOUNT)}, $loops interrupts per run, source ${SOURCE:-timer}"
	echo "kernel: $(sed -n 's/^kernel: //p' "$res/patched/guest/payload.log")"
	[ -n "${ICOUNT:-}" ] ||
		echo "note: free-running TCG; the figures include the host's scheduling of QEMU's vCPU threads (ICOUNT=3 for steady ones)"
	echo
	cat "$bench/table.txt"
} | tee "$res/table.txt"
log "results: $res (table.txt; bench/: histograms, *.png, summary.csv, summary.json, trace-*.txt)"
