#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test command (make check): series hygiene, the kernels of TARGETS,
# their userland, a boot of each running KUnit and the in-guest tests, and a
# splat scan of every console.  Every verdict is one TAP-style line; the run
# ends with "N passed, N failed, N skipped" and exits non-zero on any failure.
#
# Environment: TARGETS (default: all four), KSRC (see ksrc.sh),
# IHM_SERIES=hygiene (checkpatch, git am and kernel-doc of every patch, but
# no build at each prefix: the quick loop, make quick), IHM_SERIES=skip (no
# series check at all; reported as skipped),
# IHM_FAULT=warn|hang|tapfail (make the guest misbehave on purpose) or
# style|build (break the middle patch's style, or the build at its prefix),
# to prove the checks catch it, IHM_TIMEOUT (seconds per boot),
# IHM_BOOTS=serial|parallel (the guests one by one, or two at a time; by
# default the normal pair side by side, the debug ones one by one).
. "$(dirname "$0")/lib.sh"

# The whole script is read before it runs: editing it during a run cannot
# change what this run does (the scripts it calls are read as they start).
{
TARGETS=${TARGETS:-arm64 x86_64 arm64-debug x86_64-debug}
for t in $TARGETS; do check_target "$t"; done
# Once each: two boots of one target would share its result directory.
TARGETS=$(printf '%s\n' $TARGETS | awk '!seen[$0]++' | tr '\n' ' ')
case "${IHM_SERIES:-}" in '' | hygiene | skip) ;;
*) die "IHM_SERIES='$IHM_SERIES' is not one of hygiene, skip" ;; esac
case "${IHM_FAULT:-}" in '' | warn | hang | tapfail | style | build) ;;
*) die "IHM_FAULT='$IHM_FAULT' is not one of warn, hang, tapfail, style, build" ;; esac
case "${IHM_BOOTS:-parallel}" in parallel | serial) ;;
*) die "IHM_BOOTS='$IHM_BOOTS' is not one of parallel, serial" ;; esac
case "${IHM_FAULT:-}/${IHM_SERIES:-}" in
style/skip | build/skip | build/hygiene)
	die "IHM_FAULT=$IHM_FAULT needs the series check that IHM_SERIES=$IHM_SERIES leaves out" ;;
esac

t_start=$(date +%s)
run=$BUILD/results/check-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
export IHM_STAGES=$run/stages.tsv
: >"$IHM_STAGES"
ln -sfn "$(basename "$run")" "$BUILD/results/latest"
tap=$run/check.tap
: >"$tap"

# verdict LINE...: record TAP-style verdict lines read on stdin.
verdicts() { grep --line-buffered -E '^(ok|not ok) ' | tee -a "$tap"; }
ok() { echo "ok $*" | verdicts; }
notok() { echo "not ok $*" | verdicts; }

# quiet LOG CMD...: CMD's stderr goes to LOG (the stage banner does not).
quiet() {
	local l=$1
	shift
	"$@" 2>"$l"
}

finish() {
	local p f s
	p=$(grep -c '^ok ' "$tap" | tr -d ' ')
	s=$(grep -c '^ok .*# SKIP' "$tap" | tr -d ' ')
	f=$(grep -c '^not ok ' "$tap" | tr -d ' ')
	p=$((p - s))
	stage_table "$IHM_STAGES" "$t_start"
	log "results of this run: $run"
	if [ "$f" -gt 0 ]; then
		log "failed:"
		grep '^not ok ' "$tap" | sed 's/^/[ihm]   /' >&2
	fi
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
	exit $?
}

stage setup "$TOP/scripts/setup.sh" || { notok "setup # see above"; finish; }
# IHM_SERIES=skip: no series check (reported as skipped, never as passed),
# for quick runs of the guest tests on an unchanged series.
if [ "${IHM_SERIES:-}" = skip ]; then
	ok "series hygiene # SKIP IHM_SERIES=skip"
	stage "source tree with the series" "$TOP/scripts/ksrc.sh" "$TREE_IHM" ||
		{ notok "source tree # see above"; finish; }
else
	stage "source tree" "$TOP/scripts/ksrc.sh" "$TREE_IHM" --clone ||
		{ notok "source tree # see above"; finish; }
	# The bisect walk builds every prefix of the series for each arch of
	# TARGETS (normal config); its last builds are those targets'
	# kernels.  IHM_SERIES=hygiene: no walk (reported as skipped).
	walk=
	if [ "${IHM_SERIES:-}" = hygiene ]; then
		ok "series builds at every prefix # SKIP IHM_SERIES=hygiene"
	else
		for a in $ARCHES; do
			case " $TARGETS " in *" $a "* | *" $a-debug "*) walk="$walk $a" ;; esac
		done
	fi
	# shellcheck disable=SC2086
	stage "series: checkpatch, kernel-doc, apply${walk:+; build$walk at each patch}" \
		quiet "$run/series.log" "$TOP/scripts/series-check.sh" "$TREE_IHM" $walk | verdicts
	src=${PIPESTATUS[0]}
	grep -q "^not ok applies" "$tap" && finish
	# series-check.sh exits 1 after a failed verdict; 2 (or killed, or 1
	# without a verdict) when it stopped early (a dirty tree, a crash):
	# TREE is then not at the series, and nothing after it would test it.
	if [ "$src" -gt 1 ] || { [ "$src" != 0 ] && ! grep -q '^not ok ' "$tap"; }; then
		notok "series check # exited $src before its verdicts: $(grep -m1 '^error:' "$run/series.log" || tail -1 "$run/series.log")"
		finish
	fi
fi

# Every target is built (again, for the walk's one: a no-op unless the
# walk's lax config check let an option pass) with every fragment value
# verified.
for t in $TARGETS; do
	if stage "kernel $t" quiet "$run/build-$t.log" "$TOP/scripts/build-kernel.sh" "$t"; then
		ok "kernel $t builds"
	else
		notok "kernel $t builds # $(tail -1 "$run/build-$t.log")"
		continue
	fi
	stage "modules $t" quiet "$run/modules-$t.log" "$TOP/scripts/modules.sh" "$t" &&
		ok "modules $t build with W=1 and sparse, no warnings" ||
		notok "modules $t build with W=1 and sparse, no warnings # $(tail -1 "$run/modules-$t.log")"
done

for a in $ARCHES; do
	case " $TARGETS " in *" $a "* | *" $a-debug "*) ;; *) continue ;; esac
	stage "initramfs $a" quiet "$run/initramfs-$a.log" "$TOP/scripts/initramfs.sh" "$a" &&
		ok "initramfs $a" || notok "initramfs $a # $(tail -1 "$run/initramfs-$a.log")"
done

# The two debug boots split the slowest tests that run no code of their
# arch's own: on arm64-debug (KASAN under TCG) the GPIO selftests took
# 297 s, 30 159 s, 40 145 s, 52 110 s, 04 97 s (2026-12-07), and the boot
# 1612 s in all in CI.  They run on x86_64-debug only when both debug
# kernels are targets, and arm64-debug reports them skipped.  60 and 61
# need PCI INTx, which x86_64-debug does not route: they stay on arm64.
X86_DEBUG_ONLY="03-cyclictest 04-trace-cmd 30-irq-migrate-map 40-irqlat 50-gpio-selftests 52-irqlat-gpio 53-gpio-sim-selftest"
debug_split=no
case " $TARGETS " in *" arm64-debug "*)
	case " $TARGETS " in *" x86_64-debug "*) debug_split=yes ;; esac ;;
esac
# The selection for arm64-debug: every test but those, as ihm.tests=.
arm64_debug_tests() {
	local t n sel=
	for t in "$TOP"/tests/guest/[0-9]*.sh; do
		n=$(basename "$t" .sh)
		case " $X86_DEBUG_ONLY " in *" $n "*) continue ;; esac
		sel="$sel${sel:+,}$n"
	done
	echo "$sel"
}

append=
case "${IHM_FAULT:-}" in warn | hang | tapfail) append="ihm.fault=$IHM_FAULT" ;; esac
# boot_one TARGET: boot it, its exit status in $run/TARGET.rc.
boot_one() {
	local t=$1 tmo=900 extra=
	# A KASAN/lockdep guest took 500 to 700 s alone (2026-12-03); it gets
	# more room so that a busy host slows it, not fails it, and so does a
	# test in it (300 s by default): the kernel's gpio-mockup.sh alone
	# takes several minutes there.
	case "$t" in *-debug) tmo=2400 extra=" ihm.test_timeout=900" ;; esac
	[ "$t" = arm64-debug ] && [ $debug_split = yes ] && extra="$extra ihm.tests=$(arm64_debug_tests)"
	stage "boot $t: KUnit and in-guest tests" quiet "$run/boot-$t.log" \
		"$TOP/scripts/boot.sh" "$t" check "$run/$t" \
		--timeout "${IHM_TIMEOUT:-$tmo}" --append "$append$extra"
	echo $? >"$run/$t.rc"
}

# The normal guests boot side by side: each is slower so, but the pair ends
# sooner (83 s against 128 s, 2 cores, 2026-12-02).  The debug ones boot one
# by one, each with both host cores: side by side, the x86_64 one's GPIO
# selftests overran their deadline in three runs of three (gpio-sim.sh took
# 415 s there, 2 minutes with the host to itself; 2026-12-03), and
# gpio-sim.sh gives a helper 0.1 s to start, a race a slower guest loses.
booted=
# A boot left running by an interrupted check is stopped with it.
trap 'kill $(jobs -p) 2>/dev/null' INT TERM
for group in normal debug unpatched; do
	for t in $TARGETS; do
		case "$t" in *-debug) g=debug ;; *-unpatched) g=unpatched ;; *) g=normal ;; esac
		[ $g = $group ] || continue
		[ -f "$OUT/$t/.ihm-built" ] && [ -f "$OUT/$t/modules.cpio.gz" ] || {
			notok "boot $t # not built"
			continue
		}
		rm -f "$run/$t.rc"
		boots=${IHM_BOOTS:-parallel}
		[ -z "${IHM_BOOTS:-}" ] && [ $group = debug ] && boots=serial
		if [ "$boots" = serial ]; then
			boot_one "$t"
		else
			boot_one "$t" &
		fi
		booted="$booted $t"
	done
	wait
done
for t in $booted; do
	res=$run/$t
	rc=$(cat "$run/$t.rc" 2>/dev/null || echo 124)
	if [ "$rc" -eq 124 ]; then
		notok "boot $t: guest finishes # $(tail -1 "$run/boot-$t.log")"
		# What the guest printed last, so a CI log alone shows where.
		log "last console lines of $t:"
		tail -n 40 "$res/console.log" | tr -d '\r' | sed 's/^/[ihm]   | /' >&2
	else
		ok "boot $t: guest finishes"
	fi
	"$TOP/scripts/results.sh" "$t" "$res" | verdicts
	if [ "$t" = arm64-debug ] && [ $debug_split = yes ]; then
		for n in $X86_DEBUG_ONLY; do
			ok "$t: $n # SKIP run on x86_64-debug only (the debug boots split the slow tests)"
		done
	fi
done
finish
}
