#!/usr/bin/env python3
"""The four benchmark duties (bench/bench.lc) as DuckDB and Polars queries.

One run of one engine on one case, in a fresh process (so that thread settings and peak
memory are its own):

  peers.py --engine duckdb|polars --case C1|C2|C3|C4 --format csv|ndjson --data DIR
           [--threads N] [--dirty] [--answer FILE]

prints one JSON line {"seconds": …} (the query from reading the files to the result in
memory, after the interpreter and the library are loaded) and, with --answer, writes the
answer (per group: n, passing, unusable, sorted offender ids, verdict) for bench/run to
compare with our engine's.

The rules are the engine's, spelled out (src/calendar.rs, src/eval.rs, src/data.rs):
- working_days(a, b) counts the working days in (a, b]: weekends and every UK bank holiday
  (all three divisions of data/uk-bank-holidays.json: `calendar uk`) are not working days.
  The calendar covers 2019-01-01 to 2027-12-31; a date outside it makes a record unusable.
- An open request (no `responded`) is judged at the period's end: `responded otherwise
  period.end`; an open placement likewise (`left otherwise period.end`).
- A record is in the period when its first required date (received, polled, placed) is.
- Dirty values: surrounding spaces are trimmed; "", NA, N/A, n/a, null, NULL and - are
  missing; dates are ISO (2025-04-01) or UK (01/04/2025); yes/no is true/false, yes/no, y/n,
  1/0 in any case. A required value that is missing or malformed, or an optional one that is
  malformed, makes the record unusable for a duty that reads it (the group field included);
  an unusable record with no readable group belongs to no ward. A filter reads left to
  right: `a and b` is out of the population when `a` is false, whatever `b` holds.
- A cell (a ward, or the whole) with n judged records, p passing and u unusable: no verdict
  (insufficient_evidence) when n == 0 or 10·u > n + u; else 90% means 100·p >= 90·n, and
  `every` means p == n.
"""

import argparse
import datetime as dt
import json
import os
import pathlib
import sys
import time

PERIOD = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
CAL_FIRST, CAL_LAST = dt.date(2019, 1, 1), dt.date(2027, 12, 31)
MISSING = ["", "NA", "N/A", "n/a", "null", "NULL", "-"]
HERE = pathlib.Path(__file__).resolve().parent
HOLIDAYS_JSON = HERE.parent / "data" / "uk-bank-holidays.json"

# Columns of each record kind as the generator writes them (CSV readers need them all).
COLUMNS = {
    "foi_request": ["id", "ward", "received", "responded", "regime", "category", "channel",
                    "pages"],
    "election_result": ["contest", "ward", "polled", "electorate", "votes_cast"],
    "housing_placement": ["household", "ward", "family", "accommodation", "placed", "left"],
}
CASE_RECORD = {"C1": "foi_request", "C2": "foi_request", "C3": "election_result",
               "C4": "housing_placement"}
# Our duty id for each case.
CASE_DUTY = {"C1": "information.foi_overall", "C2": "information.foi_by_ward",
             "C3": "accountability.turnout_by_ward", "C4": "home.family_bed_and_breakfast"}


def holidays():
    data = json.loads(HOLIDAYS_JSON.read_text())
    return sorted({e["date"] for division in data.values() for e in division["events"]})


def calendar_rows():
    """(date, working days from the calendar's first day up to and including date)."""
    hol = {dt.date.fromisoformat(h) for h in holidays()}
    rows, cum, d = [], 0, CAL_FIRST
    while d <= CAL_LAST:
        if d.weekday() < 5 and d not in hol:
            cum += 1
        rows.append((d, cum))
        d += dt.timedelta(days=1)
    return rows


def judge(n, p, u, rule):
    if n == 0:
        return "insufficient_evidence" if u > 0 else (
            "not_applicable" if rule == "every_or_empty" else "insufficient_evidence")
    if u * 10 > n + u:
        return "insufficient_evidence"
    if rule == "90%":
        return "met" if p * 100 >= 90 * n else "breached"
    return "met" if p == n else "breached"


RULE = {"C1": "90%", "C2": "90%", "C3": "every", "C4": "every_or_empty"}


def answer(case, groups, unplaced):
    """The comparable answer from per-group (n, passing, unusable, offenders) rows: one
    entry per group (ward, or "*" for the whole of an ungrouped duty) and "(overall)"."""
    rule = RULE[case]
    out = {}
    total = [0, 0, unplaced]
    verdicts = []
    for group, n, p, u, offenders in groups:
        key = "*" if group is None else group
        v = judge(n, p, u, rule)
        verdicts.append(v)
        out[key] = {"n": n, "passing": p, "unusable": u, "verdict": v,
                    "offenders": sorted(offenders)}
        total[0] += n
        total[1] += p
        total[2] += u
    overall = judge(total[0], total[1], total[2], rule)
    if verdicts:
        if "breached" in verdicts:
            overall = "breached"
        elif all(v == "not_applicable" for v in verdicts):
            overall = "not_applicable"
        elif all(v in ("met", "not_applicable") for v in verdicts):
            overall = "met"
        else:
            overall = "insufficient_evidence"
    elif rule == "every_or_empty" and total[2] == 0:
        overall = "not_applicable"
    out["(overall)"] = {"n": total[0], "passing": total[1], "unusable": total[2],
                        "verdict": overall}
    return out


# ---------------------------------------------------------------------------------------
# DuckDB

def duckdb_run(case, fmt, data, threads, dirty):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    started = time.perf_counter()
    hol = ", ".join(f"(DATE '{h}')" for h in holidays())
    con.execute(f"""
        CREATE TEMP TABLE cal AS
        WITH hol(h) AS (VALUES {hol})
        SELECT d::DATE AS d,
               sum(CASE WHEN isodow(d) <= 5 AND d::DATE NOT IN (SELECT h FROM hol)
                        THEN 1 ELSE 0 END) OVER (ORDER BY d) AS cum
        FROM generate_series(DATE '{CAL_FIRST}', DATE '{CAL_LAST}', INTERVAL 1 DAY) t(d)
    """)
    con.execute(f"""
        CREATE MACRO miss(x) AS (x IS NULL OR trim(x) IN ({", ".join(repr(m) for m in MISSING)}));
        CREATE MACRO pdate(x) AS CAST(coalesce(try_strptime(trim(x), '%Y-%m-%d'),
                                               try_strptime(trim(x), '%d/%m/%Y')) AS DATE);
        CREATE MACRO pbool(x) AS CASE WHEN lower(trim(x)) IN ('true','yes','y','1') THEN true
                                      WHEN lower(trim(x)) IN ('false','no','n','0') THEN false END;
    """)
    record = CASE_RECORD[case]
    path = os.path.join(data, f"{record}.{fmt}")
    typed = {
        "foi_request": {"id": "VARCHAR", "ward": "VARCHAR", "received": "DATE",
                        "responded": "DATE", "regime": "VARCHAR", "category": "VARCHAR",
                        "channel": "VARCHAR", "pages": "INTEGER"},
        "election_result": {"contest": "VARCHAR", "ward": "VARCHAR", "polled": "DATE",
                            "electorate": "BIGINT", "votes_cast": "BIGINT"},
        "housing_placement": {"household": "VARCHAR", "ward": "VARCHAR", "family": "BOOLEAN",
                              "accommodation": "VARCHAR", "placed": "DATE", "left": "DATE"},
    }[record]
    wanted = {"C1": ["id", "received", "responded"],
              "C2": ["id", "ward", "received", "responded"],
              "C3": ["contest", "ward", "polled", "electorate", "votes_cast"],
              "C4": ["household", "family", "accommodation", "placed", "left"]}[case]
    types = {c: ("VARCHAR" if dirty else t) for c, t in typed.items()}
    if fmt == "csv":
        cols = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in COLUMNS[record]) + "}"
        source = f"read_csv('{path}', header = true, columns = {cols}, auto_detect = false)"
    else:
        cols = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in wanted) + "}"
        source = (f"read_json('{path}', format = 'newline_delimited', columns = {cols})")
    end = f"DATE '{PERIOD[1]}'"
    start = f"DATE '{PERIOD[0]}'"
    if dirty:
        # Each field as (value, bad): bad when required and missing, or present and malformed.
        def date_f(c, required):
            bad = (f"(miss({c}) OR pdate({c}) IS NULL)" if required
                   else f"(NOT miss({c}) AND pdate({c}) IS NULL)")
            return f"CASE WHEN miss({c}) THEN NULL ELSE pdate({c}) END", bad

        def int_f(c):
            v = f"TRY_CAST(trim({c}) AS BIGINT)"
            return v, f"(miss({c}) OR {v} IS NULL)"

        def text_f(c):
            return f"CASE WHEN miss({c}) THEN NULL ELSE trim({c}) END", f"miss({c})"

        def bool_f(c):
            return f"pbool({c})", f"(miss({c}) OR pbool({c}) IS NULL)"
    else:
        def date_f(c, required):
            return c, "false"

        def int_f(c):
            return c, "false"

        def text_f(c):
            return c, "false"

        def bool_f(c):
            return c, "false"
    if case in ("C1", "C2"):
        rec, rec_bad = date_f("received", True)
        resp, resp_bad = date_f("responded", False)
        ward, ward_bad = text_f("ward") if case == "C2" else ("NULL", "false")
        rows = f"""
            SELECT id AS key, {ward} AS grp, {rec} AS day,
                   ({rec_bad} OR {resp_bad} OR {ward_bad}) AS bad,
                   {rec} AS a, coalesce({resp}, {end}) AS b
            FROM {source}"""
        test = "(cb.cum - ca.cum) <= 20"
        joins = "LEFT JOIN cal ca ON ca.d = r.a LEFT JOIN cal cb ON cb.d = r.b"
        usable = "NOT r.bad AND ca.cum IS NOT NULL AND cb.cum IS NOT NULL"
    elif case == "C3":
        polled, polled_bad = date_f("polled", True)
        ward, ward_bad = text_f("ward")
        elec, elec_bad = int_f("electorate")
        votes, votes_bad = int_f("votes_cast")
        rows = f"""
            SELECT contest AS key, {ward} AS grp, {polled} AS day,
                   ({polled_bad} OR {ward_bad} OR {elec_bad} OR {votes_bad}) AS bad,
                   {elec} AS electorate, {votes} AS votes
            FROM {source}"""
        test = "r.votes * 10 >= r.electorate * 4"
        joins = ""
        usable = "NOT r.bad"
    else:
        placed, placed_bad = date_f("placed", True)
        left, left_bad = date_f('"left"', False)  # LEFT is a keyword in SQL
        fam, fam_bad = bool_f("family")
        acc, acc_bad = text_f("accommodation")
        # The filter's fields first: a record the filter cannot read is unusable; one it
        # excludes is out of the population whatever else is wrong with it.
        rows = f"""
            SELECT household AS key, NULL AS grp, {placed} AS day,
                   ({placed_bad} OR {left_bad}) AS bad, {fam_bad} OR {acc_bad} AS filter_bad,
                   {fam_bad} AS fam_bad, {acc_bad} AS acc_bad,
                   {fam} AS family, {acc} AS acc,
                   ({left} IS NULL AND NOT {left_bad}) AS open, {left} AS left_day,
                   {placed} AS placed_day
            FROM {source}"""
        test = (f"(CASE WHEN r.open THEN {end} ELSE r.left_day END) - r.placed_day <= 42")
        joins = ""
        usable = "NOT r.bad"
    population = f"(r.day IS NULL OR r.day BETWEEN {start} AND {end})"
    if case == "C4":
        # The filter reads left to right (`accommodation == … and family`): an unreadable
        # field makes the record unusable only when the filter needs it to decide.
        population += (" AND (r.acc_bad OR (lower(r.acc) = 'bed_and_breakfast'"
                       " AND (r.fam_bad OR r.family)))")
        usable = "NOT r.filter_bad AND " + usable
    query = f"""
        WITH r AS ({rows})
        SELECT grp,
               count(*) FILTER (WHERE {usable}) AS n,
               count(*) FILTER (WHERE {usable} AND {test}) AS p,
               count(*) FILTER (WHERE NOT ({usable})) AS u,
               list(key) FILTER (WHERE {usable} AND NOT ({test})) AS offenders
        FROM r {joins}
        WHERE {population}
        GROUP BY grp
    """
    result = con.execute(query).fetchall()
    seconds = time.perf_counter() - started
    return seconds, result


# ---------------------------------------------------------------------------------------
# Polars

def polars_run(case, fmt, data, threads, dirty):
    import polars as pl
    started = time.perf_counter()
    cal = calendar_rows()
    cal_df = pl.DataFrame({"d": [d for d, _ in cal], "cum": [c for _, c in cal]},
                          schema={"d": pl.Date, "cum": pl.Int64})
    record = CASE_RECORD[case]
    path = os.path.join(data, f"{record}.{fmt}")
    wanted = {"C1": ["id", "received", "responded"],
              "C2": ["id", "ward", "received", "responded"],
              "C3": ["contest", "ward", "polled", "electorate", "votes_cast"],
              "C4": ["household", "family", "accommodation", "placed", "left"]}[case]
    dates = {"received", "responded", "polled", "placed", "left"}
    ints = {"electorate", "votes_cast", "pages"}
    if fmt == "csv":
        if dirty:
            lf = pl.scan_csv(path, infer_schema=False)
        else:
            overrides = {c: (pl.Date if c in dates else pl.Int64 if c in ints
                             else pl.Boolean if c == "family" else pl.String)
                         for c in COLUMNS[record]}
            if record == "housing_placement":
                overrides["family"] = pl.String
            lf = pl.scan_csv(path, schema_overrides=overrides)
        lf = lf.select(wanted)
        if not dirty and record == "housing_placement":
            lf = lf.with_columns(pl.col("family") == "yes")
    else:
        schema = {c: (pl.String if dirty or c in dates else pl.Int64 if c in ints
                      else pl.Boolean if c == "family" else pl.String) for c in wanted}
        lf = pl.scan_ndjson(path, schema=schema)
        if not dirty:
            lf = lf.with_columns([pl.col(c).str.to_date("%Y-%m-%d") for c in wanted
                                  if c in dates])
    end = pl.lit(PERIOD[1])
    if dirty:
        def miss(c):
            return pl.col(c).is_null() | pl.col(c).str.strip_chars().is_in(MISSING)

        def pdate(c):
            s = pl.col(c).str.strip_chars()
            return pl.coalesce(s.str.to_date("%Y-%m-%d", strict=False),
                               s.str.to_date("%d/%m/%Y", strict=False))

        def date_f(c, required):
            v = pl.when(miss(c)).then(None).otherwise(pdate(c))
            bad = (miss(c) | pdate(c).is_null()) if required else (~miss(c) & pdate(c).is_null())
            return v, bad

        def int_f(c):
            v = pl.col(c).str.strip_chars().cast(pl.Int64, strict=False)
            return v, miss(c) | v.is_null()

        def text_f(c):
            return pl.when(miss(c)).then(None).otherwise(pl.col(c).str.strip_chars()), miss(c)

        def bool_f(c):
            s = pl.col(c).str.strip_chars().str.to_lowercase()
            v = (pl.when(s.is_in(["true", "yes", "y", "1"])).then(True)
                 .when(s.is_in(["false", "no", "n", "0"])).then(False).otherwise(None))
            return v, miss(c) | v.is_null()
    else:
        def date_f(c, required):
            return pl.col(c), pl.lit(False)

        def int_f(c):
            return pl.col(c), pl.lit(False)

        def text_f(c):
            return pl.col(c), pl.lit(False)

        def bool_f(c):
            return pl.col(c), pl.lit(False)
    start_lit = pl.lit(PERIOD[0])
    if case in ("C1", "C2"):
        rec, rec_bad = date_f("received", True)
        resp, resp_bad = date_f("responded", False)
        ward, ward_bad = text_f("ward") if case == "C2" else (pl.lit(None, pl.String), pl.lit(False))
        r = lf.select(key=pl.col("id"), grp=ward, day=rec, bad=rec_bad | resp_bad | ward_bad,
                      a=rec, b=pl.coalesce(resp, end))
        r = r.filter(pl.col("day").is_null() | pl.col("day").is_between(start_lit, end))
        r = (r.join(cal_df.lazy().rename({"d": "a", "cum": "ca"}), on="a", how="left")
             .join(cal_df.lazy().rename({"d": "b", "cum": "cb"}), on="b", how="left"))
        usable = ~pl.col("bad") & pl.col("ca").is_not_null() & pl.col("cb").is_not_null()
        test = (pl.col("cb") - pl.col("ca")) <= 20
    elif case == "C3":
        polled, polled_bad = date_f("polled", True)
        ward, ward_bad = text_f("ward")
        elec, elec_bad = int_f("electorate")
        votes, votes_bad = int_f("votes_cast")
        r = lf.select(key=pl.col("contest"), grp=ward, day=polled,
                      bad=polled_bad | ward_bad | elec_bad | votes_bad,
                      electorate=elec, votes=votes)
        r = r.filter(pl.col("day").is_null() | pl.col("day").is_between(start_lit, end))
        usable = ~pl.col("bad")
        test = pl.col("votes") * 10 >= pl.col("electorate") * 4
    else:
        placed, placed_bad = date_f("placed", True)
        left, left_bad = date_f("left", False)
        fam, fam_bad = bool_f("family")
        acc, acc_bad = text_f("accommodation")
        r = lf.select(key=pl.col("household"), grp=pl.lit(None, pl.String), day=placed,
                      bad=placed_bad | left_bad, filter_bad=fam_bad | acc_bad,
                      fam_bad=fam_bad, acc_bad=acc_bad, family=fam,
                      acc=acc, left_day=pl.coalesce(left, end), placed_day=placed)
        # The filter reads left to right (`accommodation == … and family`): an unreadable
        # field makes the record unusable only when the filter needs it to decide.
        is_bb = pl.col("acc").str.to_lowercase() == "bed_and_breakfast"
        r = r.filter((pl.col("day").is_null() | pl.col("day").is_between(start_lit, end))
                     & (pl.col("acc_bad")
                        | (is_bb & (pl.col("fam_bad") | pl.col("family")).fill_null(False))))
        usable = ~pl.col("filter_bad") & ~pl.col("bad")
        test = (pl.col("left_day") - pl.col("placed_day")).dt.total_days() <= 42
    r = r.with_columns(usable=usable.fill_null(False), ok=test.fill_null(False))
    out = (r.group_by("grp")
           .agg(n=pl.col("usable").sum(),
                p=(pl.col("usable") & pl.col("ok")).sum(),
                u=(~pl.col("usable")).sum(),
                offenders=pl.col("key").filter(pl.col("usable") & ~pl.col("ok")))
           .collect())
    result = out.rows()
    seconds = time.perf_counter() - started
    return seconds, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True, choices=["duckdb", "polars"])
    ap.add_argument("--case", required=True, choices=["C1", "C2", "C3", "C4"])
    ap.add_argument("--format", required=True, choices=["csv", "ndjson"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dirty", action="store_true")
    ap.add_argument("--answer")
    args = ap.parse_args()
    run = duckdb_run if args.engine == "duckdb" else polars_run
    seconds, rows = run(args.case, args.format, args.data, args.threads, args.dirty)
    if args.answer:
        groups, unplaced = [], 0
        for grp, n, p, u, offenders in rows:
            if grp is None and args.case in ("C2", "C3"):
                unplaced += u  # unusable records with no readable ward
                continue
            groups.append((grp, int(n), int(p), int(u), list(offenders or [])))
        groups.sort(key=lambda g: "" if g[0] is None else g[0])
        pathlib.Path(args.answer).write_text(
            json.dumps(answer(args.case, groups, unplaced), sort_keys=True))
    print(json.dumps({"seconds": seconds}))
    sys.stdout.flush()


if __name__ == "__main__":
    if "--threads" in sys.argv:
        # Polars reads its thread count once, at import.
        os.environ["POLARS_MAX_THREADS"] = sys.argv[sys.argv.index("--threads") + 1]
    main()
