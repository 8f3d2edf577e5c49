#!/usr/bin/env python3
"""Where our engine's time goes on one benchmark case: reading, parsing, evaluating,
reporting (Linux perf, sampling the whole `constitution audit` process).

  bench/profile.py [--size 1m] [--case C2] [--format ndjson|csv] [--threads 1]

Needs `perf` and the release binary (bench/run builds it). Every sampled function is put in
one stage by its name; what fits none (memcpy, malloc, ...) is shown as "memory and libc".
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import harness  # noqa: E402

STAGES = [
    ("reading (I/O, SHA-256, pieces)",
     r"sha2::|Pieces|read_pieces|data::record_ends|data::count_newlines|copy_to_iter|copy_folio|filemap|_raw_spin|folio|"
     r"do_syscall|entry_SYSCALL|vfs_read|ksys_read|from_utf8|clear_page|exc_page_fault|"
     r"page_fault|memcg|lru|rmqueue|alloc_pages"),
    ("parsing (CSV/NDJSON to typed values)",
     r"constitution::data::|serde_json::de|serde_json::read|csv::|csv_core::|time::|"
     r"memchr|trim_matches|CharSearcher|arcstr::|drop_in_place<constitution::data::Row>"),
    ("evaluating (duties, cells)",
     r"constitution::eval::|constitution::calendar::|btree|read_part|Arc<T,A>::drop_slow"),
    ("reporting (report, JSON out)",
     r"constitution::report::|constitution::render::|serde_json::ser|to_json|"
     r"constitution::audit::build_report|fmt::"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1m")
    ap.add_argument("--case", default="C2")
    ap.add_argument("--format", default="ndjson")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", str(HERE.parent / "target")), "release",
        "constitution"))
    args = ap.parse_args()
    data = harness.data_dir(args.size, False)
    tmp = HERE / "results" / ".tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    out = tmp / "perf.data"
    cmd = harness.ours_cmd(args.binary, args.case, args.format, data, args.threads,
                           tmp / "profile.json")
    subprocess.run(["perf", "record", "-F", "2000", "-o", str(out), "--"] + cmd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = subprocess.run(["perf", "report", "-i", str(out), "--no-children", "--stdio",
                             "--sort", "sym"], capture_output=True, text=True).stdout
    totals = {name: 0.0 for name, _ in STAGES}
    other = 0.0
    tops = {name: [] for name, _ in STAGES}
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[.\]\s+(.*)", line)
        if not m:
            continue
        pct, sym = float(m.group(1)), m.group(2).strip()
        for name, pattern in STAGES:
            if re.search(pattern, sym):
                totals[name] += pct
                tops[name].append((pct, sym))
                break
        else:
            other += pct
            tops.setdefault("memory and libc", []).append((pct, sym))
    totals["memory and libc (malloc, memcpy, memcmp, ...)"] = other
    print(f"{args.case} {args.format} {args.size}, {args.threads} thread(s): "
          f"share of CPU samples by stage")
    for name, pct in totals.items():
        print(f"  {pct:5.1f}%  {name}")
    print("top functions:")
    every = sorted((p, s) for v in tops.values() for p, s in v)[::-1][:12]
    for pct, sym in every:
        print(f"  {pct:5.1f}%  {sym[:110]}")


if __name__ == "__main__":
    main()
