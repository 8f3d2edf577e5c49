#!/usr/bin/env python3
"""The benchmark: our engine against DuckDB and Polars on the same data, same answers.

Run through bench/run (which prepares the virtual environment and the binary). Steps:
1. generate the data (bench/gen.py, seeded) at the size asked, clean and dirty, once;
2. compare every engine's answer on every case, format and variant (per group: n, passing,
   unusable, verdict, sorted offender ids): any difference stops the run, before timing;
3. (not with --smoke) time each engine: a warm-up, then the median of 5 runs, at 1 thread
   and at all cores, with records/s, MB/s and peak RSS; our time over each peer's;
4. write bench/results/<timestamp>.md and .json, and print one JSON line with the ratios.
"""

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402

CASES = ["C1", "C2", "C3", "C4"]
FORMATS = ["ndjson", "csv"]
PEERS = ["duckdb", "polars"]
PERIOD = "2025-04-01..2026-03-31"
CONSTITUTION = HERE / "bench.lc"
ALL = os.cpu_count() or 1


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def data_dir(size, dirty):
    d = HERE / "data" / (size + ("-dirty" if dirty else ""))
    stamp = d / "STAMP"
    gen = (HERE / "gen.py").read_bytes()
    want = f"{len(gen)}:{hash_bytes(gen)}"
    if not (stamp.exists() and stamp.read_text() == want):
        log(f"generating {size}{' dirty' if dirty else ''} data in {d} …")
        if d.exists():
            shutil.rmtree(d)
        cmd = [sys.executable, str(HERE / "gen.py"), "--size", size, "--out", str(d)]
        subprocess.run(cmd + (["--dirty"] if dirty else []), check=True)
        stamp.write_text(want)
    return d


def hash_bytes(b):
    import hashlib
    return hashlib.sha256(b).hexdigest()[:16]


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run_rss(cmd, env=None):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout text); its CPU time (user +
    system) is left in run_rss.cpu. Peak RSS comes from GNU time when installed: a child
    forked from this (large) Python process would report this process's size as its peak."""
    started = time.perf_counter()
    out_path = HERE / "results" / ".stdout"
    err_path = HERE / "results" / ".stderr"
    rss_path = HERE / "results" / ".rss"
    full = [GNU_TIME, "-f", "%M", "-o", str(rss_path)] + list(map(str, cmd)) if GNU_TIME else cmd
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        p = subprocess.Popen(full, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}):\n"
                           f"{err_path.read_text(errors='replace')[-2000:]}")
    run_rss.cpu = usage.ru_utime + usage.ru_stime
    rss_kb = usage.ru_maxrss
    if GNU_TIME:
        rss_kb = int(rss_path.read_text().strip().splitlines()[-1])
    return wall, rss_kb / 1024, out_path.read_text()


def files_for(case, fmt, data):
    record = peers.CASE_RECORD[case]
    return [data / f"{record}.{fmt}"]


def case_constitution(case, tmp):
    """bench.lc with only the case's duty, for timing: each engine computes that case alone
    (the answers are compared on the whole constitution, and again on this one)."""
    keep = peers.CASE_DUTY[case].split(".")[1]
    lines = CONSTITUTION.read_text().splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.startswith("    duty ") and not line.startswith(f"    duty {keep} "):
            skipping = True
        if not skipping:
            out.append(line)
        elif line == "    }\n":
            skipping = False
    path = tmp / f"bench-{case}.lc"
    path.write_text("".join(out))
    return path


def ours_cmd(binary, case, fmt, data, threads, report, failing=1000000000, constitution=None):
    cmd = [binary, "audit", str(constitution or CONSTITUTION), "--period", PERIOD,
           "--format", "json",
           "--failing", str(failing), "--threads", str(threads), "--out", str(report)]
    for f in files_for(case, fmt, data):
        cmd += ["--data", str(f)]
    return cmd


def ours_answer(report_path, case):
    report = json.loads(pathlib.Path(report_path).read_text())
    duties = [d for r in report["rights"] for d in r["duties"]]
    duties += (report.get("accountability") or {}).get("duties", [])
    duty = next(d for d in duties if d["id"] == peers.CASE_DUTY[case])
    out = {}
    for g in duty["groups"]:
        key = "*" if g["group"] is None else g["group"]
        first = g["failing"]["first"]
        assert g["failing"]["total"] == len(first), "offender list capped"
        out[key] = {"n": g["counts"]["considered"], "passing": g["counts"]["passing"],
                    "unusable": g["counts"]["unusable"], "verdict": g["verdict"],
                    "offenders": sorted(first)}
    c = duty["counts"]
    out["(overall)"] = {"n": c["considered"], "passing": c["passing"],
                        "unusable": c["unusable"], "verdict": duty["verdict"]}
    return out


def peer_cmd(engine, case, fmt, data, threads, dirty, answer=None):
    cmd = [sys.executable, str(HERE / "peers.py"), "--engine", engine, "--case", case,
           "--format", fmt, "--data", str(data), "--threads", str(threads)]
    if dirty:
        cmd.append("--dirty")
    if answer:
        cmd += ["--answer", str(answer)]
    return cmd


def differences(a, b, limit=5):
    out = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            out.append(f"group {key!r} only in {'first' if key in a else 'second'}")
            continue
        for field in sorted(set(a[key]) | set(b[key])):
            x, y = a[key].get(field), b[key].get(field)
            if x != y:
                if field == "offenders":
                    only_a, only_b = sorted(set(x) - set(y)), sorted(set(y) - set(x))
                    out.append(f"{key}: offenders differ: {len(only_a)} only ours "
                               f"{only_a[:3]}, {len(only_b)} only theirs {only_b[:3]}")
                else:
                    out.append(f"{key}: {field} {x!r} != {y!r}")
    return out[:limit]


def compare(binary, size, tmp):
    """Every engine's answer on every case, format and variant; returns rows of the table."""
    rows = []
    ok = True
    for dirty in (False, True):
        data = data_dir(size, dirty)
        for case in CASES:
            for fmt in FORMATS:
                report = tmp / f"ours-{case}-{fmt}.json"
                answers = {}
                for threads in sorted({1, ALL}):
                    run_rss(ours_cmd(binary, case, fmt, data, threads, report))
                    answers[f"ours/{threads}t"] = ours_answer(report, case)
                if not dirty:
                    (tmp / f"ours-{case}-{fmt}-clean.json").write_text(
                        json.dumps(answers["ours/1t"]))
                for engine in PEERS:
                    path = tmp / f"{engine}-{case}-{fmt}.json"
                    run_rss(peer_cmd(engine, case, fmt, data, ALL, dirty, path))
                    answers[engine] = json.loads(path.read_text())
                base = answers["ours/1t"]
                verdict = "identical"
                for name, ans in answers.items():
                    diff = differences(base, ans)
                    if diff:
                        ok = False
                        verdict = "DIFFERENT"
                        log(f"MISMATCH {case} {fmt} {'dirty' if dirty else 'clean'}: "
                            f"ours/1t vs {name}:")
                        for d in diff:
                            log("   ", d)
                overall = base["(overall)"]
                groups = len(base) - 1
                offenders = sum(len(v.get("offenders", [])) for v in base.values())
                rows.append({"case": case, "format": fmt, "variant": "dirty" if dirty else "clean",
                             "groups": groups, "n": overall["n"], "passing": overall["passing"],
                             "unusable": overall["unusable"], "verdict": overall["verdict"],
                             "offenders": offenders, "engines": sorted(answers),
                             "result": verdict})
                log(f"  {case} {fmt:6} {'dirty' if dirty else 'clean'}: {verdict} "
                    f"({groups} groups, n={overall['n']}, {overall['verdict']}, "
                    f"{offenders} offenders) across {', '.join(sorted(answers))}")
    return ok, rows


def median_runs(cmd, runs, seconds_from_stdout=False, env=None):
    """A warm-up, then `runs` runs: (median seconds, median process wall, max peak RSS MB).
    The median CPU time of the process (user + system) is left in median_runs.cpu."""
    run_rss(cmd, env)
    times, walls, rss, cpu = [], [], [], []
    for _ in range(runs):
        wall, peak, out = run_rss(cmd, env)
        walls.append(wall)
        rss.append(peak)
        cpu.append(run_rss.cpu)
        times.append(json.loads(out.strip().splitlines()[-1])["seconds"]
                     if seconds_from_stdout else wall)
    median_runs.cpu = statistics.median(cpu)
    return statistics.median(times), statistics.median(walls), max(rss)


def compile_seconds(binary, constitution, data, report, runs):
    """Median seconds to parse, check and compile `constitution`, from `audit --timings`."""
    cmd = [str(binary), "audit", str(constitution), "--period", PERIOD, "--format", "json",
           "--out", str(report), "--data", str(data), "--timings"]
    took = []
    for i in range(runs + 1):
        err = subprocess.run(cmd, check=True, capture_output=True, text=True).stderr
        line = next(l for l in err.splitlines() if l.startswith("timings: "))
        stages = {k.strip(): v for k, v in re.findall(r"([a-z ]+?) ([0-9.]+) ms", line)}
        if i > 0:  # the first run warms up
            took.append((float(stages["parse"]) + float(stages["check and compile"])) / 1e3)
    return statistics.median(took)


def load():
    return os.getloadavg()


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024 // 1024} GB"
                break
    except OSError:
        pass
    import duckdb
    import polars
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": ALL, "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "polars": polars.__version__, "rustc": rustc}


def fifty_duty_constitution(path):
    """bench.lc with 50 duties: the FOI duty repeated under the information right."""
    text = CONSTITUTION.read_text()
    marker = '    duty foi_overall "'
    at = text.index(marker)
    end = text.index("    }\n", at) + len("    }\n")
    duty = text[at:end]
    extra = "".join("\n" + duty.replace("duty foi_overall", f"duty foi_copy_{i}")
                    for i in range(46))
    path.write_text(text[:end] + extra + text[end:])


def wasm_ratio(case, fmt, data, native_seconds, runs):
    """Our wasm build under Node on the same audit, as a ratio to native; None when the
    package is not built."""
    runner = HERE / "wasm_audit.mjs"
    pkg = ROOT / "pkg"
    node = shutil.which("node")
    if not (node and runner.exists() and any(pkg.glob("**/*.wasm"))):
        return None, "the wasm package (pkg/) is not built: run scripts/build-wasm first"
    files = files_for(case, fmt, data)
    cmd = [node, str(runner), str(CONSTITUTION), PERIOD] + [str(f) for f in files]
    try:
        seconds, _, rss = median_runs(cmd, runs, seconds_from_stdout=True)
    except (RuntimeError, ValueError, KeyError) as e:
        return None, f"the wasm run failed: {str(e).splitlines()[0][:200]}"
    return seconds / native_seconds, f"{seconds:.3f} s under Node ({rss:.0f} MB peak RSS)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1m", help="100k, 1m or 10m")
    ap.add_argument("--smoke", action="store_true",
                    help="100k, the correctness comparison only, no timings")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--cases", default=",".join(CASES))
    args = ap.parse_args()
    size = "100k" if args.smoke else args.size.lower()
    cases = args.cases.split(",")
    tmp = HERE / "results" / ".tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    load_before = load()
    log(f"comparing answers at {size} (load average {load_before[0]:.2f}) …")
    ok, comparison = compare(args.binary, size, tmp)
    if not ok:
        log("the engines' answers differ: no timings are reported")
        sys.exit(1)
    if args.smoke:
        print(json.dumps({"smoke": True, "size": size, "compared": len(comparison),
                          "identical": ok}))
        return

    data = data_dir(size, False)
    timings = []
    for case in cases:
        for fmt in FORMATS:
            files = files_for(case, fmt, data)
            megabytes = sum(f.stat().st_size for f in files) / 1e6
            records = sum(1 for _ in open(files[0], "rb")) - (1 if fmt == "csv" else 0)
            for threads in sorted({1, ALL}):
                row = {"case": case, "format": fmt, "threads": threads, "records": records,
                       "megabytes": round(megabytes, 1)}
                report = tmp / "timed.json"
                only = case_constitution(case, tmp)
                s, wall, rss = median_runs(
                    ours_cmd(args.binary, case, fmt, data, threads, report, constitution=only),
                    args.runs)
                timed_answer = ours_answer(report, case)
                reference = tmp / f"ours-{case}-{fmt}-clean.json"
                if json.loads(reference.read_text()) != timed_answer:
                    log(f"MISMATCH: the timed run of {case} {fmt} gave a different answer")
                    sys.exit(1)
                row["ours"] = {"seconds": s, "rss_mb": rss, "cpu_seconds": median_runs.cpu}
                for engine in PEERS:
                    s2, wall2, rss2 = median_runs(
                        peer_cmd(engine, case, fmt, data, threads, False), args.runs,
                        seconds_from_stdout=True)
                    row[engine] = {"seconds": s2, "process_seconds": wall2, "rss_mb": rss2}
                    row[f"ours_over_{engine}"] = s / s2
                for name in ["ours"] + PEERS:
                    t = row[name]["seconds"]
                    row[name]["records_per_s"] = records / t
                    row[name]["mb_per_s"] = megabytes / t
                timings.append(row)
                log(f"  {case} {fmt:6} {threads}t: ours {s:.3f}s ({rss:.0f} MB), "
                    f"duckdb {row['duckdb']['seconds']:.3f}s, polars "
                    f"{row['polars']['seconds']:.3f}s -> ours/duckdb "
                    f"{row['ours_over_duckdb']:.2f}, ours/polars {row['ours_over_polars']:.2f}")

    # Slope: our C2 NDJSON single-thread time against size (log-log; 1.0 is linear), over
    # 100k, the size run and every other size whose data is already generated.
    slope_points = {}
    for s in ["100k", "1m", "10m"]:
        if s != size and s != "100k" and not (HERE / "data" / s / "STAMP").exists():
            continue
        d = data_dir(s, False)
        only = case_constitution("C2", tmp)
        t, _, rss = median_runs(ours_cmd(args.binary, "C2", "ndjson", d, 1, tmp / "s.json",
                                         constitution=only), args.runs if s != "10m" else 3)
        n = peers_records(d)
        # Memory for reading alone: the same audit listing 20 offenders per group (the
        # default) instead of every one.
        _, rss20, _ = run_rss(ours_cmd(args.binary, "C2", "ndjson", d, 1, tmp / "s.json", 20,
                                       constitution=only))
        slope_points[s] = {"records": n, "seconds": t, "cpu_seconds": median_runs.cpu,
                           "rss_mb": rss, "rss_mb_listing_20": rss20}
        log(f"  slope point {s}: {t:.3f} s, {rss:.0f} MB ({rss20:.0f} MB listing 20)")
    slope = None
    if len(slope_points) >= 2:
        import math
        points = list(slope_points.values())
        a, b = points[0], points[-1]
        slope = math.log(b["seconds"] / a["seconds"]) / math.log(b["records"] / a["records"])

    # Compiling a 50-duty constitution: the engine's own `--timings` (parse, then check and
    # compile), median of 11 runs after a warm-up, with a one-line data file.
    big = tmp / "fifty.lc"
    fifty_duty_constitution(big)
    one = tmp / "foi_request.csv"
    one.write_text("id,ward,received,responded\nFOI-1,Abbey,2025-04-01,2025-04-02\n")
    compile_s = compile_seconds(args.binary, big, one, tmp / "c.json", 11)

    head = next(r for r in timings if r["case"] == "C2" and r["format"] == "ndjson"
                and r["threads"] == 1) if "C2" in cases else timings[0]
    wasm, wasm_note = wasm_ratio(head["case"], "ndjson", data, head["ours"]["seconds"],
                                 args.runs)
    if wasm is None:
        log(f"wasm: skipped: {wasm_note}")
    load_after = load()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    csv_head = next((r for r in timings if r["case"] == head["case"] and r["format"] == "csv"
                     and r["threads"] == 1), None)
    multi = next((r for r in timings if r["case"] == head["case"]
                  and r["format"] == "ndjson" and r["threads"] == ALL), None)
    summary = {
        "case": head["case"], "size": size, "format": "ndjson", "threads": 1,
        "ours_over_duckdb": round(head["ours_over_duckdb"], 3),
        "ours_over_polars": round(head["ours_over_polars"], 3),
        "csv_ours_over_duckdb": csv_head and round(csv_head["ours_over_duckdb"], 3),
        "csv_ours_over_polars": csv_head and round(csv_head["ours_over_polars"], 3),
        "all_cores": ALL,
        "all_cores_speedup": multi and round(head["ours"]["seconds"] / multi["ours"]["seconds"], 3),
        "peak_rss_mb": round(head["ours"]["rss_mb"], 1),
        "peak_rss_mb_by_size_listing_20": {k: round(v["rss_mb_listing_20"], 1)
                                           for k, v in slope_points.items()},
        "wasm_over_native": wasm and round(wasm, 3),
        "slope": slope and round(slope, 3),
        "compile_50_duties_ms": round(compile_s * 1000, 2),
        "load": [round(load_before[0], 2), round(load_after[0], 2)],
        "results": f"bench/results/{stamp}.md",
    }
    result = {"when": stamp, "size": size, "machine": machine(),
              "load_average": {"before": load_before, "after": load_after},
              "comparison": comparison, "timings": timings, "slope_points": slope_points,
              "slope": slope, "compile_50_duties_seconds": compile_s,
              "wasm": {"ratio": wasm, "note": wasm_note}, "summary": summary}
    out_dir = HERE / "results"
    (out_dir / f"{stamp}.json").write_text(json.dumps(result, indent=1) + "\n")
    (out_dir / f"{stamp}.md").write_text(markdown(result))
    log(f"results: bench/results/{stamp}.md")
    print(markdown_table(timings))
    print(json.dumps(summary))


def peers_records(d):
    return sum(1 for _ in open(d / "foi_request.ndjson", "rb"))


def markdown_table(timings):
    lines = ["| case | format | threads | ours s (CPU s) | DuckDB s | Polars s | ours/DuckDB | "
             "ours/Polars | ours rec/s | ours MB/s | ours RSS MB | DuckDB RSS | Polars RSS |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in timings:
        lines.append(
            f"| {r['case']} | {r['format']} | {r['threads']} | {r['ours']['seconds']:.3f} "
            f"({r['ours'].get('cpu_seconds', 0):.2f}) | "
            f"{r['duckdb']['seconds']:.3f} | {r['polars']['seconds']:.3f} | "
            f"{r['ours_over_duckdb']:.2f} | {r['ours_over_polars']:.2f} | "
            f"{r['ours']['records_per_s'] / 1e6:.2f} M | {r['ours']['mb_per_s']:.0f} | "
            f"{r['ours']['rss_mb']:.0f} | {r['duckdb']['rss_mb']:.0f} | "
            f"{r['polars']['rss_mb']:.0f} |")
    return "\n".join(lines)


def markdown(result):
    m = result["machine"]
    s = result["summary"]
    out = [f"# Benchmark {result['when']} ({result['size']})", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}; "
           f"{m['rustc']}; Python {m['python']}, DuckDB {m['duckdb']}, Polars {m['polars']}.",
           f"Load average (1 min) {result['load_average']['before'][0]:.2f} before, "
           f"{result['load_average']['after'][0]:.2f} after.", "",
           "## Answers compared (before any timing)", "",
           "| case | format | data | groups | n | passing | unusable | verdict | offenders | "
           "result |", "|---|---|---|---|---|---|---|---|---|---|"]
    for c in result["comparison"]:
        out.append(f"| {c['case']} | {c['format']} | {c['variant']} | {c['groups']} | {c['n']} | "
                   f"{c['passing']} | {c['unusable']} | {c['verdict']} | {c['offenders']} | "
                   f"{c['result']} ({', '.join(c['engines'])}) |")
    out += ["", "## Timings (median of 5 after a warm-up)", "",
            "Ours: the whole `constitution audit` process (compile, read, evaluate, write the "
            "JSON report with every offender), on bench.lc cut to the case's one duty. DuckDB and Polars: the query in a warm "
            "process, from reading the file to the answer in memory (interpreter start and "
            "import excluded). RSS: peak resident memory of the process.", "",
            markdown_table(result["timings"]), "",
            f"Slope (log time / log records, ours, C2 NDJSON, 1 thread): {s['slope']} "
            f"from {json.dumps(result['slope_points'])}", "",
            f"Compile a 50-duty constitution: {s['compile_50_duties_ms']} ms to parse, check "
            f"and compile it (median of 11, from `constitution audit --timings`)", "",
            f"WebAssembly: {result['wasm']['note']}", "", "## Summary", "", "```",
            json.dumps(s), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()
