#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read irqlat's JSON (cyclictest's layout plus an "irqlat" object).

  report.py check FILE...   one verdict line per file: it parses, carries
                            cyclictest's keys, and its counts agree
  report.py table DIR       the comparison table of a bench run
                            (scripts/guest/payload-bench's files), written
                            to DIR/table.txt, DIR/summary.csv and
                            DIR/summary.json; gnuplot plots DIR/*.png
  report.py gpio-table DIR  the same for the GPIO bench (ihm.source=gpio):
                            DIR/table.txt and DIR/summary.csv
  report.py uio-table DIR   the same for the UIO bench (ihm.source=uio)
"""
import csv
import json
import os
import subprocess
import sys

MODES = ["thread", "migrate", "urgent", "hardirq"]
LOADS = ["idle", "hackbench"]
PLACES = ["same", "other"]
CYCLICTEST_KEYS = ["file_version", "cmdline:", "start_time", "end_time",
                   "return_code", "sysinfo", "num_threads", "thread"]


def load(path):
    with open(path) as f:
        return json.load(f)


def problems(doc):
    """What is wrong with one irqlat JSON document (empty when nothing)."""
    bad = [f"no key '{k}'" for k in CYCLICTEST_KEYS if k not in doc]
    if bad:
        return bad
    t0 = doc["thread"].get("0")
    il = doc.get("irqlat")
    if t0 is None or il is None:
        return ["no thread '0' or no 'irqlat' object"]
    cycles, n = t0["cycles"], il["samples"]
    if cycles != n:
        bad.append(f"cycles {cycles} != samples {n}")
    hist = t0.get("histogram")
    if hist is not None:
        total = sum(hist.values()) + il["overflows"]
        if total != n:
            bad.append(f"histogram {total} (with overflows) != samples {n}")
    fires = il["driver"]["fires"]
    # A GPIO line's edges closer than the irq's latency are one interrupt.
    if il.get("source") == "gpio":
        if n + il["missed"] > fires:
            bad.append(f"samples {n} + missed {il['missed']} > edges raised {fires}")
    elif n + il["missed"] != fires:
        bad.append(f"samples {n} + missed {il['missed']} != driver fires {fires}")
    drv = il["driver"]
    # The urgent path is mode URGENT's alone, and only ever for a waiter's run.
    if il["mode"] != "urgent" and drv["urgent"]:
        bad.append(f"mode {il['mode']} counted {drv['urgent']} urgent paths")
    if drv["urgent"] > drv["runs_migrated"]:
        bad.append(f"urgent {drv['urgent']} > runs in the waiter {drv['runs_migrated']}")
    if sum(il["ctxsw"].values()) != n:
        bad.append("context-switch counts do not add up to the samples")
    if n and not t0["min"] <= t0["avg"] <= t0["max"]:
        bad.append("min <= avg <= max does not hold")
    return bad


def cmd_check(paths):
    rc = 0
    for p in paths:
        try:
            bad = problems(load(p))
        except (OSError, ValueError, KeyError, TypeError) as e:
            bad = [f"does not parse: {e}"]
        name = os.path.basename(p)
        if bad:
            print(f"not ok {name} # {'; '.join(bad)}")
            rc = 1
        else:
            print(f"ok {name}")
    return rc


def ratio(a, b):
    return a / b if b else float("nan")


def row(doc):
    il = doc["irqlat"]
    lat, n, c = il["latency_us"], il["samples"], il["ctxsw"]
    return {
        "min": lat["min"], "avg": lat["avg"], "p50": lat["p50"],
        "p99": lat["p99"], "p999": lat["p999"], "max": lat["max"],
        "samples": n, "in_waiter": il["in_reader"],
        "urgent": il["driver"]["urgent"],
        "ctx1": c["1"] / n if n else 0.0, "ctx2": c["2"] / n if n else 0.0,
        "n1": c["1"], "n2": c["2"],
        "irq_p50": il["irq_to_handler_us"]["p50"],
        "tsk_p50": il["handler_to_task_us"]["p50"],
    }


def plot(d, rows):
    """One PNG per (load, placement): the four modes' histograms, log y."""
    for load_ in LOADS:
        for place in PLACES:
            series = []
            for mode in MODES:
                f = os.path.join(d, f"{load_}-{place}-{mode}.json")
                if not os.path.exists(f):
                    continue
                hist = load(f)["thread"]["0"].get("histogram", {})
                dat = f[:-5] + ".dat"
                with open(dat, "w") as out:
                    for us in sorted(hist, key=int):
                        out.write(f"{us} {hist[us]}\n")
                series.append((mode, dat))
            if not series:
                continue
            png = os.path.join(d, f"{load_}-{place}.png")
            plots = ", ".join(f"'{dat}' using 1:2 with steps title '{m}'"
                              for m, dat in series)
            gp = (f"set terminal png size 900,500\nset output '{png}'\n"
                  f"set title 'irqlat, {load_}, waiter on the {place} CPU'\n"
                  "set xlabel 'latency (us)'\nset ylabel 'interrupts'\n"
                  "set logscale y\nset yrange [0.8:*]\nset grid\n"
                  f"plot {plots}\n")
            subprocess.run(["gnuplot"], input=gp, text=True, check=True)


def cmd_table(d):
    rows = {}
    for load_ in LOADS:
        for place in PLACES:
            for mode in MODES:
                f = os.path.join(d, f"{load_}-{place}-{mode}.json")
                if os.path.exists(f):
                    rows[(load_, place, mode)] = row(load(f))
    if not rows:
        print(f"report.py: no irqlat JSON in {d}", file=sys.stderr)
        return 1
    lines = []
    hdr = (f"{'load':<10} {'waiter':<6} {'mode':<8} {'min':>7} {'avg':>7} "
           f"{'p50':>7} {'p99':>7} {'p99.9':>7} {'max':>7} {'p50/T':>6} "
           f"{'p99/T':>6} {'1sw%':>6} {'2sw%':>6} {'urg%':>6}")
    lines += ["latency from the interrupt to the waiting task, us "
              "(p50/T, p99/T: ratio to THREAD in the same row group; "
              "1sw%, 2sw%: interrupts served with 1 and 2 context switches; "
              "urg%: interrupts that took the urgent path)",
              hdr, "-" * len(hdr)]
    for (load_, place, mode), r in rows.items():
        t = rows.get((load_, place, "thread"))
        lines.append(
            f"{load_:<10} {place:<6} {mode:<8} {r['min']:7.1f} {r['avg']:7.1f} "
            f"{r['p50']:7.1f} {r['p99']:7.1f} {r['p999']:7.1f} {r['max']:7.1f} "
            f"{ratio(r['p50'], t['p50']) if t else float('nan'):6.2f} "
            f"{ratio(r['p99'], t['p99']) if t else float('nan'):6.2f} "
            f"{100 * r['ctx1']:6.1f} {100 * r['ctx2']:6.1f} "
            f"{100 * ratio(r['urgent'], r['samples']):6.1f}")
    lines += cyclictest_lines(d)
    lines.append("")
    lines += targets(rows)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(d, "table.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        keys = ["min", "avg", "p50", "p99", "p999", "max", "samples",
                "in_waiter", "n1", "n2", "urgent", "irq_p50", "tsk_p50"]
        w.writerow(["load", "waiter", "mode"] + keys)
        for (load_, place, mode), r in rows.items():
            w.writerow([load_, place, mode] + [r[k] for k in keys])
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump([dict(load=k[0], waiter=k[1], mode=k[2], **v)
                   for k, v in rows.items()], f, indent=1)
    plot(d, rows)
    return 0


def cyclictest_lines(d):
    """cyclictest on the patched kernel (feature unused) and the unpatched one."""
    out = []
    for name, what in (("cyclictest.json", "patched, no migrated irq in use"),
                       ("cyclictest-unpatched.json", "unpatched")):
        f = os.path.join(d, name)
        if not os.path.exists(f):
            continue
        th = load(f)["thread"]
        if not out:
            out = ["", "cyclictest -m -p90 -i1000 -t2, us:"]
        out.append(f"  {what:<32} " + "; ".join(
            f"T{k} min {v['min']} avg {v['avg']:.2f} max {v['max']}"
            for k, v in sorted(th.items())))
    return out


def targets(rows):
    """Issue 5's targets, each with its figures and met / NOT met."""
    out = ["targets (idle unless said; met or NOT met, from this run):"]

    def say(ok, what):
        out.append(f"  {'met    ' if ok else 'NOT met'}  {what}")

    for place in PLACES:
        t = rows.get(("idle", place, "thread"))
        m = rows.get(("idle", place, "migrate"))
        h = rows.get(("idle", place, "hardirq"))
        u = rows.get(("idle", place, "urgent"))
        if not (t and m):
            continue
        for p in ("p50", "p99"):
            cut = 1 - ratio(m[p], t[p])
            say(cut >= 0.4, f"waiter {place}: MIGRATE {p} {m[p]:.1f} vs THREAD "
                f"{t[p]:.1f} us: {100 * cut:.0f}% lower (target 40%)")
        if h:
            say(m["p50"] <= 1.3 * h["p50"], f"waiter {place}: MIGRATE p50 "
                f"{m['p50']:.1f} is {ratio(m['p50'], h['p50']):.2f}x the HARDIRQ "
                f"floor {h['p50']:.1f} (target 1.3x)")
        # Counted in integers: 1998 of 2000 is exactly 99.9%.
        say(1000 * m["n1"] >= 999 * m["samples"], f"waiter {place}: MIGRATE with "
            f"1 switch in {m['n1']} of {m['samples']} interrupts (target 99.9%)")
        say(1000 * t["n2"] >= 999 * t["samples"], f"waiter {place}: THREAD with "
            f"2 switches in {t['n2']} of {t['samples']} interrupts (target 99.9%)")
        if u and place == "other":
            say(u["p50"] < m["p50"], f"waiter other: URGENT p50 {u['p50']:.1f} "
                f"below MIGRATE {m['p50']:.1f} us")
    for place in PLACES:
        r = [rows.get(("hackbench", place, x)) for x in ("thread", "migrate")]
        if all(r):
            say(r[1]["p50"] < r[0]["p50"] and r[1]["p99"] < r[0]["p99"],
                f"hackbench, waiter {place}: MIGRATE p50/p99 {r[1]['p50']:.1f}/"
                f"{r[1]['p99']:.1f} below THREAD {r[0]['p50']:.1f}/{r[0]['p99']:.1f} us")
    return out


WAITS = ["read", "epoll"]


# Per source: the files' prefix, what one interrupt is called, what the
# latency is measured from, and MIGRATE's p50 target as a share of THREAD's.
SOURCES = {
    "gpio": ("gpio", "edge", "a GPIO edge's hard irq (its timestamp_ns)", 0.55,
             "context switches per edge: the reader's, plus one for the irq "
             "thread when it ran there"),
    "uio": ("uio", "irq", "the write that raised edu's INTx", 0.45,
            "context switches per interrupt, counted: the reader's and the "
            "irq threads' (irq/N and, force-threaded, irq/N-s)"),
}


def src_file(d, prefix, load_, place, wait, mode):
    """The waiter on CPU 1 (other) has the historical name; same adds it."""
    mid = f"{load_}-{wait}" if place == "other" else f"{load_}-{place}-{wait}"
    return os.path.join(d, f"{prefix}-{mid}-{mode}.json")


def cmd_src_table(d, src):
    """THREAD against MIGRATE and URGENT on a real device, per group."""
    prefix, unit, origin, target, swdesc = SOURCES[src]
    rows = {}
    for load_ in LOADS:
        for place in ("other", "same"):
            for wait in WAITS:
                for mode in MODES[:3]:
                    f = src_file(d, prefix, load_, place, wait, mode)
                    if os.path.exists(f):
                        doc = load(f)
                        r = row(doc)
                        r["fires"] = doc["irqlat"]["driver"]["fires"]
                        c = doc["irqlat"]["ctxsw"]
                        n = r["samples"]
                        r["sw"] = ((c["1"] + 2 * c["2"] + 3 * c["3+"]) / n
                                   if n else float("nan"))
                        rows[(load_, place, wait, mode)] = r
    if not rows:
        print(f"report.py: no {src} irqlat JSON in {d}", file=sys.stderr)
        return 1
    hdr = (f"{'load':<10} {'waiter':<6} {'wait':<6} {'mode':<8} {unit + 's':>6} "
           f"{'events':>6} {'p50':>7} {'p99':>7} {'max':>7} {'p50/T':>6} "
           f"{'p99/T':>6} {'sw/' + unit:>7} {'1sw%':>6} {'urg%':>6}")
    lines = [f"latency from {origin} to the waiting task, us (waiter: on the "
             "CPU that takes the interrupt, same, or living on the other, "
             f"other; p50/T, p99/T: ratio to THREAD in the same group; "
             f"sw/{unit}: {swdesc}; 1sw%: {unit}s served with one switch; "
             f"urg%: {unit}s that took the urgent path)",
             hdr, "-" * len(hdr)]
    for (load_, place, wait, mode), r in rows.items():
        t = rows.get((load_, place, wait, "thread"))
        n = r["samples"]
        lines.append(
            f"{load_:<10} {place:<6} {wait:<6} {mode:<8} {r['fires']:6d} {n:6d} "
            f"{r['p50']:7.1f} {r['p99']:7.1f} {r['max']:7.1f} "
            f"{ratio(r['p50'], t['p50']) if t else float('nan'):6.2f} "
            f"{ratio(r['p99'], t['p99']) if t else float('nan'):6.2f} "
            f"{r['sw']:7.2f} {100 * r['ctx1']:6.1f} "
            f"{100 * ratio(r['urgent'], n):6.1f}")
    lines += ["", "targets (met or NOT met, from this run):"]
    for (load_, place, wait, mode) in rows:
        if mode != "migrate":
            continue
        t, m = rows.get((load_, place, wait, "thread")), rows[(load_, place, wait, mode)]
        if not t:
            continue
        ok = m["p50"] <= target * t["p50"]
        lines.append(f"  {'met    ' if ok else 'NOT met'}  {load_}, waiter {place}, {wait}: "
                     f"MIGRATE p50 {m['p50']:.1f} is {ratio(m['p50'], t['p50']):.2f} of "
                     f"THREAD's {t['p50']:.1f} us (target {target})")
        ok = 1000 * m["n1"] >= 999 * m["samples"]
        lines.append(f"  {'met    ' if ok else 'NOT met'}  {load_}, waiter {place}, {wait}: "
                     f"MIGRATE with 1 switch for {m['n1']} of {m['samples']} {unit}s "
                     "(target 99.9%)")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(d, "table.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        keys = ["fires", "samples", "p50", "p99", "max", "sw", "n1", "n2", "urgent",
                "in_waiter"]
        w.writerow(["load", "waiter", "wait", "mode"] + keys)
        for (load_, place, wait, mode), r in rows.items():
            w.writerow([load_, place, wait, mode] + [r[k] for k in keys])
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "check":
        return cmd_check(argv[2:])
    if len(argv) == 3 and argv[1] == "table":
        return cmd_table(argv[2])
    if len(argv) == 3 and argv[1] in ("gpio-table", "uio-table"):
        return cmd_src_table(argv[2], argv[1].split("-")[0])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
