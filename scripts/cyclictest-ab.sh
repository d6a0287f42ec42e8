#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cyclictest on the unpatched and the patched kernel, same config, same
# machine, back to back: ROUNDS rounds of (unpatched, patched) boots under
# -icount shift=ICOUNT, each running cyclictest -m -p90 -i1000 -l LOOPS -t2.
# Shows that the series costs nothing when no migrated irq is in use.
#
#   cyclictest-ab.sh [ARCH]      (ROUNDS=3 LOOPS=10000 ICOUNT=3)
. "$(dirname "$0")/lib.sh"

arch=${1:-arm64}
case "$arch" in arm64 | x86_64) ;; *) die "unknown arch '$arch': use arm64 or x86_64" ;; esac
rounds=${ROUNDS:-3} loops=${LOOPS:-10000} icount=${ICOUNT:-3}
res=$BUILD/results/ab-$arch-$(date +%Y%m%d-%H%M%S)
mkdir -p "$res"

stage "source: unpatched tree" "$TOP/scripts/ksrc.sh" "$TREE_BASE" --base || exit 1
stage "source: patched tree" "$TOP/scripts/ksrc.sh" "$TREE_IHM" || exit 1
for t in "$arch-unpatched" "$arch"; do
	stage "kernel $t" "$TOP/scripts/build-kernel.sh" "$t" || exit 1
	stage "modules $t" "$TOP/scripts/modules.sh" "$t" || exit 1
done
stage "initramfs $arch" "$TOP/scripts/initramfs.sh" "$arch" || exit 1

for r in $(seq 1 "$rounds"); do
	for t in "$arch-unpatched" "$arch"; do
		stage "round $r: cyclictest on $t" "$TOP/scripts/boot.sh" "$t" cyclictest \
			"$res/$t-$r" --icount "$icount" --append "ihm.loops=$loops" ||
			die "cyclictest boot of $t failed (see $res/$t-$r/console.log)"
		"$TOP/scripts/splat-scan.sh" "$res/$t-$r/console.log" >/dev/null ||
			die "splat in $res/$t-$r/console.log"
	done
done

# One row per boot: avg and max of each thread (us), from cyclictest -h's footer.
{
	printf '%-18s %5s %9s %9s %9s %9s\n' kernel round avg0 avg1 max0 max1
	for r in $(seq 1 "$rounds"); do
		for t in "$arch-unpatched" "$arch"; do
			h=$res/$t-$r/guest/cyclictest.hist
			avg=$(sed -n 's/^# Avg Latencies: *//p' "$h")
			max=$(sed -n 's/^# Max Latencies: *//p' "$h")
			# shellcheck disable=SC2086
			printf '%-18s %5s %9s %9s %9s %9s\n' "$t" "$r" $avg $max
		done
	done
} | tee "$res/summary.txt"
log "results: $res"
