#!/usr/bin/env python3
"""Sample service data for the bundled constitutions, financial year 2025-26.

    python3 scripts/gen-sample-data.py            # write every area's data and README
    python3 scripts/gen-sample-data.py --check    # re-read the files, recompute the verdicts,
                                                  # print a table and compare with the design
    python3 scripts/gen-sample-data.py --check --engine
                                                  # also run `constitution audit` on each area
                                                  # and compare its verdicts, cell by cell

For each constitution in `constitutions/<area>.lc` this writes one file per declared record
kind to `constitutions/<area>/data/2025-26/<record>.{csv,json,ndjson}`, and a README saying
what each file holds, which groups are built to pass and to fail, and which rows are
deliberately malformed.

The data is made up. It uses real ward names but no names of people: councillors are
`CLLR-07`, young people and households are keys. Every area has its own fixed seed, so two
runs write byte-identical files. Python 3.11 standard library only.

How the data is shaped, so that the audit's default period is the financial year:
- every date a duty uses to place a record in the period (its `per … of` date, or the
  record's first required date) lies in 1 April 2025 .. 31 March 2026, and some record falls
  on each of those two days;
- case exports are taken as at 31 March 2026: an answer, a move-on or a completion after that
  day is not yet known and is left empty (the constitutions judge open cases at
  `period.end`). Spending and contracts files are the published files, downloaded after the
  last quarter's publication, so their `published` dates can fall in April or May 2026.

The checker (`--check`) does not use the engine: it reads the constitution's records and
duties (so the populations, groupings, periods, minimums and requirements come from the
`.lc` text), evaluates each duty's test with a hand translation into Python, and applies the
verdict rules of docs/language.md. It judges the version of each constitution in force on
31 March 2026. It also computes what the engine's current evaluation order gives (a record
with a problem in any field the duty reads is unusable even when the `where` filter would
leave it out), and shows where the two differ.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FY_START = date(2025, 4, 1)
FY_END = date(2026, 3, 31)
FY_LABEL = "2025-26"
MAX_FILE_BYTES = 1_500_000
AREAS = ["lambeth", "oldham", "plymouth", "stevenage", "liverpool"]
# One fixed seed per area: its adoption date.
SEEDS = {
    "lambeth": 20250514,
    "oldham": 20250716,
    "plymouth": 20250620,
    "stevenage": 20250924,
    "liverpool": 20251001,
}
QUARTERS = {
    1: (date(2025, 4, 1), date(2025, 6, 30)),
    2: (date(2025, 7, 1), date(2025, 9, 30)),
    3: (date(2025, 10, 1), date(2025, 12, 31)),
    4: (date(2026, 1, 1), date(2026, 3, 31)),
}
MONTHS = [date(2025 + (m < 4), m, 1) for m in [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]]


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def quarter_of(d: date) -> int:
    for q, (a, b) in QUARTERS.items():
        if a <= d <= b:
            return q
    raise ValueError(d)


# ------------------------------------------------------------------------------------------
# Reading the constitutions: records, duties, calendar closures, amendments.

@dataclass
class FieldDecl:
    name: str
    type: str  # text integer number money percent date boolean enum
    optional: bool = False
    key: bool = False
    values: list[str] = field(default_factory=list)


@dataclass
class RecordDecl:
    name: str
    fields: list[FieldDecl]

    def field(self, name: str) -> FieldDecl:
        return next(f for f in self.fields if f.name == name)

    @property
    def key(self) -> str:
        return next(f.name for f in self.fields if f.key)


@dataclass
class DutyDecl:
    path: str
    clauses: dict[str, str]  # slot -> text after the keyword

    @property
    def record(self) -> str:
        return self.over.split()[0]

    @property
    def over(self) -> str:
        return self.clauses["over"]

    @property
    def where(self) -> str | None:
        parts = self.over.split(" where ", 1)
        return parts[1] if len(parts) == 2 else None

    @property
    def test_kind(self) -> str:
        return "each" if "each" in self.clauses else "measure"

    @property
    def test(self) -> str:
        return self.clauses.get("each") or self.clauses.get("measure", "")

    @property
    def group(self) -> str | None:
        return self.clauses.get("per_group")

    @property
    def period(self) -> tuple[str, str] | None:
        p = self.clauses.get("per_period")
        if not p:
            return None
        unit, _, fld = p.split()
        return unit, fld

    @property
    def minimum(self) -> int:
        m = self.clauses.get("minimum")
        return int(m.split()[0]) if m else 0

    @property
    def allow_empty(self) -> bool:
        return "not_applicable" in self.clauses

    @property
    def review_after(self) -> int | None:
        r = self.clauses.get("review")
        return int(r.split()[0]) if r else None

    @property
    def require(self) -> str:
        return self.clauses["require"]


@dataclass
class Constitution:
    area: str
    records: dict[str, RecordDecl]
    duties: dict[str, DutyDecl]  # in force on FY_END, in file order
    closed: list[date]


def _strip_comment(line: str) -> str:
    out, quoted, i = [], False, 0
    while i < len(line):
        c = line[i]
        if c == "\\" and quoted:
            out.append(line[i:i + 2])
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        if not quoted and line.startswith("//", i):
            break
        out.append(c)
        i += 1
    return "".join(out).rstrip()


def _braces(line: str) -> int:
    depth, quoted = 0, False
    for c in re.sub(r'\\.', "", line):
        if c == '"':
            quoted = not quoted
        elif not quoted and c == "{":
            depth += 1
        elif not quoted and c == "}":
            depth -= 1
    return depth


TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|,')


def _parse_fields(body: str) -> list[FieldDecl]:
    toks = TOKEN.findall(body)
    fields, i = [], 0
    while i < len(toks):
        name = toks[i]
        i += 1
        if toks[i] == "one" and toks[i + 1] == "of":
            i += 2
            values = [toks[i].strip('"')]
            i += 1
            while i < len(toks) and toks[i] == ",":
                values.append(toks[i + 1].strip('"'))
                i += 2
            f = FieldDecl(name, "enum", values=values)
        else:
            f = FieldDecl(name, toks[i])
            i += 1
        while i < len(toks) and toks[i] in ("optional", "key"):
            setattr(f, toks[i], True)
            i += 1
        while i < len(toks) and toks[i].startswith('"'):
            i += 1
        fields.append(f)
    return fields


CLAUSE_SLOTS = {
    "description": "description", "owed": "owed", "basis": "basis", "over": "over",
    "each": "each", "measure": "measure", "require": "require", "minimum": "minimum",
    "not": "not_applicable", "on": None, "per": None,
}


def _parse_clauses(lines: list[str]) -> dict[str, str]:
    clauses: dict[str, str] = {}
    current = None
    for line in lines:
        words = line.split()
        if not words:
            continue
        first = words[0]
        if first in CLAUSE_SLOTS and not (first == "not" and words[1:2] != ["applicable"]):
            rest = line.strip()[len(first):].strip()
            if first == "per":
                slot = "per_period" if " of " in rest else "per_group"
            elif first == "on":
                slot = "review" if rest.split()[0].isdigit() else "refer"
                if slot == "review":
                    rest = rest.split()[0]
            else:
                slot = CLAUSE_SLOTS[first]
            if slot in ("each", "measure"):
                clauses.pop("each", None)
                clauses.pop("measure", None)
            clauses[slot] = rest
            current = slot
        elif current:
            clauses[current] += " " + line.strip()
    return clauses


def load_constitution(area: str, on: date = FY_END) -> Constitution:
    text = (ROOT / "constitutions" / f"{area}.lc").read_text(encoding="utf-8")
    lines = [_strip_comment(l) for l in text.splitlines()]
    records: dict[str, RecordDecl] = {}
    duties: dict[str, DutyDecl] = {}
    closed: list[date] = []
    amendments: list[tuple[date, int, list]] = []
    i, n = 0, len(lines)
    right = None

    def block(start: int) -> tuple[list[str], int]:
        depth, j, body = _braces(lines[start]), start + 1, []
        while depth > 0 and j < n:
            depth += _braces(lines[j])
            if depth > 0:
                body.append(lines[j])
            j += 1
        return body, j

    while i < n:
        words = lines[i].split()
        if not words:
            i += 1
            continue
        if words[0] == "record":
            body, i = block(i)
            records[words[1]] = RecordDecl(words[1], _parse_fields("\n".join(body)))
            continue
        if words[0] == "calendar" and lines[i].rstrip().endswith("{"):
            body, i = block(i)
            closed += [date.fromisoformat(b.split()[1]) for b in body if b.split()[:1] == ["closed"]]
            continue
        if words[0] == "right" or words[0] == "accountability":
            right = words[1] if words[0] == "right" else "accountability"
            i += 1
            continue
        if words[0] == "duty" and right:
            body, i = block(i)
            duties[f"{right}.{words[1]}"] = DutyDecl(f"{right}.{words[1]}", _parse_clauses(body))
            continue
        if words[0] == "amendment":
            eff = date.fromisoformat(re.search(r"effective (\d{4}-\d\d-\d\d)", lines[i]).group(1))
            body, i = block(i)
            changes, j = [], 0
            while j < len(body):
                w = body[j].split()
                if w[:2] in (["amend", "duty"], ["add", "duty"]):
                    depth, k, inner = _braces(body[j]), j + 1, []
                    while depth > 0:
                        depth += _braces(body[k])
                        if depth > 0:
                            inner.append(body[k])
                        k += 1
                    changes.append((w[0], w[2], _parse_clauses(inner)))
                    j = k
                    continue
                if w[:2] == ["repeal", "duty"]:
                    changes.append(("repeal", w[2], {}))
                j += 1
            amendments.append((eff, len(amendments), changes))
            continue
        if words[0] == "test":
            _, i = block(i)
            continue
        i += 1
    for eff, _, changes in sorted(amendments):
        if eff > on:
            continue
        for kind, path, clauses in changes:
            if kind == "amend":
                duties[path].clauses.update(clauses)
            elif kind == "add":
                duties[path] = DutyDecl(path, clauses)
            else:
                duties.pop(path, None)
    return Constitution(area, records, duties, closed)


# ------------------------------------------------------------------------------------------
# Working days: the union of the UK's bank holidays, weekends, and local closure days.

class Calendar:
    def __init__(self, closed: list[date] = ()):
        data = json.loads((ROOT / "data" / "uk-bank-holidays.json").read_text())
        self.off = {date.fromisoformat(e["date"]) for div in data.values() for e in div["events"]}
        self.off |= set(closed)

    def working(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.off

    def wd(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (negative when b < a)."""
        if b < a:
            return -self.wd(b, a)
        n, d = 0, a
        while d < b:
            d += timedelta(days=1)
            n += self.working(d)
        return n

    def add(self, a: date, n: int) -> date:
        """The n-th working day after `a` (`a` itself for n = 0)."""
        d = a
        while n > 0:
            d += timedelta(days=1)
            n -= self.working(d)
        return d

    def next_working(self, d: date) -> date:
        while not self.working(d):
            d += timedelta(days=1)
        return d


# ------------------------------------------------------------------------------------------
# Values as written in the files.

class Money(int):
    """An amount in pence."""


@dataclass(frozen=True)
class Raw:
    """A value written exactly as given: how a malformed cell is put in a file."""
    text: str | None  # None: JSON null


@dataclass
class FileStyle:
    fmt: str = "csv"            # csv, json, ndjson
    dates: str = "iso"          # iso: 2025-04-03, uk: 03/04/2025
    booleans: str = "yesno"     # yesno, truefalse
    money: str = "pound"        # pound: £1,234.50, plain: 1234.50
    newline: str = "\n"
    bom: bool = False


def fmt_money(p: int, style: str) -> str:
    sign = "-" if p < 0 else ""
    pounds, pence = divmod(abs(p), 100)
    if style == "pound":
        return f"{sign}£{pounds:,}.{pence:02d}"
    return f"{sign}{pounds}.{pence:02d}"


def fmt_number(x: float) -> str:
    s = f"{x:.1f}"
    return s


def cell_text(v, f: FieldDecl, st: FileStyle) -> str:
    if isinstance(v, Raw):
        return v.text or ""
    if v is None:
        return ""
    if f.type == "date":
        return v.isoformat() if st.dates == "iso" else v.strftime("%d/%m/%Y")
    if f.type == "boolean":
        return ("yes" if v else "no") if st.booleans == "yesno" else ("true" if v else "false")
    if f.type == "money":
        return fmt_money(v, st.money)
    if f.type in ("number", "percent"):
        return fmt_number(v)
    return str(v)


def json_value(v, f: FieldDecl, st: FileStyle):
    if isinstance(v, Raw):
        return v.text
    if v is None:
        return None
    if f.type == "boolean":
        return bool(v)
    if f.type == "integer":
        return int(v)
    if f.type in ("number", "percent"):
        return round(float(v), 1)
    return cell_text(v, f, st)


def render(rows: list[dict], rec: RecordDecl, st: FileStyle) -> bytes:
    names = [f.name for f in rec.fields]
    for r in rows:
        assert list(r) == names, (rec.name, list(r), names)
    if st.fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator=st.newline)
        w.writerow(names)
        for r in rows:
            w.writerow([cell_text(r[f.name], f, st) for f in rec.fields])
        text = buf.getvalue()
    else:
        objs = [json.dumps({f.name: json_value(r[f.name], f, st) for f in rec.fields},
                           ensure_ascii=False, separators=(",", ":")) for r in rows]
        text = ("[\n" + ",\n".join(objs) + "\n]\n") if st.fmt == "json" else "".join(o + "\n" for o in objs)
    return (("\ufeff" if st.bom else "") + text).encode("utf-8")


def ext(st: FileStyle) -> str:
    return st.fmt


# ------------------------------------------------------------------------------------------
# Reading the files back, typed by the declarations (what the engine's readers should do).

# As src/data.rs reads values: these spellings are empty; enumerations ignore case.
MISSING_WORDS = {"", "NA", "N/A", "n/a", "null", "NULL", "-"}


class Problem(str):
    """A value that cannot be read: the record is unusable for duties that read the field."""


def parse_value(raw, f: FieldDecl):
    if raw is None or (isinstance(raw, str) and raw.strip() in MISSING_WORDS):
        return None if f.optional else Problem("missing")
    if isinstance(raw, str):
        raw = raw.strip()
    if f.type == "boolean":
        if isinstance(raw, bool):
            return raw
        low = str(raw).strip().lower()
        if low in ("yes", "true", "y", "1"):
            return True
        if low in ("no", "false", "n", "0"):
            return False
        return Problem(f"not yes/no: {raw!r}")
    if f.type == "integer":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.0)?|-?\d+(\.0)?", raw.strip()):
            return int(raw.strip().replace(",", "").removesuffix(".0"))
        return Problem(f"not a whole number: {raw!r}")
    if f.type in ("number", "percent"):
        try:
            return Fraction(str(raw).strip().rstrip("%").strip().replace(",", ""))
        except ValueError:
            return Problem(f"not a number: {raw!r}")
    if f.type == "money":
        m = re.fullmatch(r"(-?)£?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d?))?", str(raw).strip())
        if not m:
            return Problem(f"not money: {raw!r}")
        p = int(m.group(3).replace(",", "")) * 100 + int((m.group(4) or "0").ljust(2, "0"))
        if m.group(1) or m.group(2):
            p = -p
        return Money(p)
    if f.type == "date":
        s = str(raw).strip()
        try:
            if re.fullmatch(r"\d{4}-\d\d-\d\d", s):
                return date.fromisoformat(s)
            m = re.fullmatch(r"(\d\d?)/(\d\d?)/(\d{4})", s)
            if m:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
        return Problem(f"not a date: {raw!r}")
    if f.type == "enum":
        raw = str(raw).strip()
        if raw in f.values:
            return raw
        folded = [v for v in f.values if v.lower() == raw.lower()]
        return folded[0] if folded else Problem(f"not one of the listed values: {raw!r}")
    return str(raw)


def read_records(path: Path, rec: RecordDecl) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    elif path.suffix == ".json":
        rows = json.loads(text)
    else:
        rows = [json.loads(l) for l in text.splitlines() if l.strip()]
    out = []
    for raw in rows:
        assert set(raw) == {f.name for f in rec.fields}, (path, set(raw))
        out.append({f.name: parse_value(raw[f.name], f) for f in rec.fields})
    return out


def data_dir(area: str) -> Path:
    return ROOT / "constitutions" / area / "data" / FY_LABEL


# ------------------------------------------------------------------------------------------
# The verdict rules of docs/language.md ("Verdicts"), applied to the files.

IDENT = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*')


def idents(text: str | None) -> set[str]:
    return {t for t in IDENT.findall(text or "") if not t.startswith('"')}


class Unreadable(Exception):
    """A condition needed a field whose value could not be read."""


class R(dict):
    """A record whose fields read as attributes (None when missing); reading a field whose
    value could not be read raises `Unreadable`."""

    def __getattr__(self, name):
        v = self.get(name)
        if isinstance(v, Problem):
            raise Unreadable(name)
        return v


def bucket(unit: str, d: date) -> str:
    fy = d.year if d.month >= 4 else d.year - 1
    label = f"{fy}-{(fy + 1) % 100:02d}"
    if unit == "month":
        return f"{d.year}-{d.month:02d}"
    if unit == "quarter":
        return f"{label} Q{((d.month + 8) % 12) // 3 + 1}"
    return label


def display(v) -> str:
    if v is None or isinstance(v, Problem):
        return "missing"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


@dataclass
class Tr:
    """A duty's `where` and test, translated by hand from the .lc text."""
    test: object               # each: R -> bool; measure: list[R] -> (kind, Fraction) | None
    where: object = None       # R -> bool


@dataclass
class Cell:
    considered: int = 0
    passing: int = 0
    unusable: int = 0
    records: list = field(default_factory=list)
    failing: list = field(default_factory=list)
    unusable_keys: list = field(default_factory=list)
    verdict: str = ""
    cause: str = ""
    measured: str = ""


@dataclass
class DutyResult:
    path: str
    verdict: str
    cause: str
    cells: dict
    review: bool
    excluded: dict


def threshold(req: str):
    m = re.fullmatch(r"(at least|at most|more than|less than) (-?[£\d,.]+)(%?)", req)
    op, num, pct = m.groups()
    return op, Fraction(num.replace("£", "").replace(",", "")), bool(pct)


def judge(duty: DutyDecl, cell: Cell, measure) -> None:
    in_scope = cell.considered + cell.unusable
    if cell.considered == 0:
        if cell.unusable:
            cell.verdict, cell.cause = "insufficient_evidence", "too_many_unusable"
        elif duty.allow_empty:
            cell.verdict = "not_applicable"
        else:
            cell.verdict, cell.cause = "insufficient_evidence", "no_records"
        return
    if cell.considered < duty.minimum:
        cell.verdict, cell.cause = "insufficient_evidence", "too_few_records"
        return
    if cell.unusable * 10 > in_scope:
        cell.verdict, cell.cause = "insufficient_evidence", "too_many_unusable"
        return
    req = duty.require
    if duty.test_kind == "each":
        p, n = cell.passing, cell.considered
        cell.measured = f"{float(Fraction(100 * p, n)):.1f}% ({p} of {n})"
        if req == "every":
            ok = p == n
        elif req == "no":
            ok = p == 0
        else:
            op, t, _ = threshold(req)
            ok = {"at least": p * 100 >= t * n, "at most": p * 100 <= t * n,
                  "more than": p * 100 > t * n, "less than": p * 100 < t * n}[op]
    else:
        got = measure(cell.records)
        if got is None:
            cell.verdict, cell.cause = "insufficient_evidence", "undecided"
            return
        kind, value = got
        op, t, pct = threshold(req)
        if kind == "ratio" and pct:
            t = t / 100
        cell.measured = (f"{float(value * 100):.2f}%" if kind == "ratio" else
                         f"{float(value):.2f}%" if kind == "percent" else f"{float(value):g}")
        ok = {"at least": value >= t, "at most": value <= t,
              "more than": value > t, "less than": value < t}[op]
    cell.verdict = "met" if ok else "breached"


def adjacent(unit: str, a: str, b: str) -> bool:
    if unit == "quarter":
        fa, qa = a.split(" Q")
        fb, qb = b.split(" Q")
        ia = int(fa[:4]) * 4 + int(qa)
        return int(fb[:4]) * 4 + int(qb) == ia + 1
    if unit == "month":
        ya, ma = map(int, a.split("-"))
        yb, mb = map(int, b.split("-"))
        return yb * 12 + mb == ya * 12 + ma + 1
    return int(b[:4]) == int(a[:4]) + 1


@dataclass
class Plan:
    """What a duty reads, from its .lc text."""
    record: RecordDecl
    where_fields: set
    needs: set
    slot: str


def plan_of(con: Constitution, duty: DutyDecl) -> Plan:
    rec = con.records[duty.record]
    names = {f.name for f in rec.fields}
    where_fields = idents(duty.where) & names
    slot = duty.period[1] if duty.period else next(
        f.name for f in rec.fields if f.type == "date" and not f.optional)
    needs = where_fields | (idents(duty.test) & names) | {slot}
    if duty.group:
        needs.add(duty.group)
    if duty.period:
        needs.add(duty.period[1])
    return Plan(rec, where_fields, needs, slot)


def classify(duty: DutyDecl, plan: Plan, tr: Tr, r: R):
    """(status, cell) of one record for one duty: status is `outside`, `filtered`,
    `unusable`, `pass` or `fail` (or `use` for a measure); cell is None when the record
    cannot be placed in a group or period (the engine counts it for the duty as a whole)."""
    v = r[plan.slot]
    if isinstance(v, date) and not (FY_START <= v <= FY_END):
        return "outside", None
    g = r[duty.group] if duty.group else None
    pv = r[duty.period[1]] if duty.period else None
    placed = (not duty.group or not (g is None or isinstance(g, Problem))) and \
        (not duty.period or isinstance(pv, date))
    cell = (display(g) if duty.group else None, bucket(duty.period[0], pv) if duty.period else None) if placed else None
    broken = {k for k in plan.needs if isinstance(r[k], Problem)}
    # The filter first: a record outside the population is not unusable for this duty,
    # whatever else is wrong with it. The filter is read left to right, so an unreadable
    # field only matters when the filter cannot be decided without it.
    if tr.where:
        try:
            inside = tr.where(r)
        except Unreadable:
            return "unusable", cell
        if not inside:
            return "filtered", cell
    if broken:
        return "unusable", cell
    if duty.test_kind == "measure":
        return "use", cell
    return ("pass" if tr.test(r) else "fail"), cell


def evaluate(con: Constitution, duty: DutyDecl, tr: Tr, rows: list[dict]) -> DutyResult:
    plan = plan_of(con, duty)
    cells: dict = {}
    unplaced = Cell()
    excluded = {"outside_period": 0, "filtered_out": 0, "unplaced": 0}
    for raw in rows:
        r = R(raw)
        status, key = classify(duty, plan, tr, r)
        if status == "outside":
            excluded["outside_period"] += 1
            continue
        if status == "filtered":
            excluded["filtered_out"] += 1
            continue
        cell = cells.setdefault(key, Cell()) if key is not None else unplaced
        if status == "unusable":
            cell.unusable += 1
            cell.unusable_keys.append(display(r[plan.record.key]))
            if key is None:
                excluded["unplaced"] += 1
            continue
        assert key is not None
        cell.considered += 1
        if status == "pass":
            cell.passing += 1
        elif status == "fail":
            cell.failing.append(display(r[plan.record.key]))
        else:
            cell.records.append(r)
    measure = tr.test if duty.test_kind == "measure" else None
    for c in cells.values():
        judge(duty, c, measure)
    verdicts = [c.verdict for c in cells.values()]
    cause = ""
    if not cells:
        judge(duty, unplaced, measure)
        verdict, cause = unplaced.verdict, unplaced.cause
    elif "breached" in verdicts:
        verdict = "breached"
    elif all(v == "not_applicable" for v in verdicts):
        verdict = "not_applicable"
    elif all(v in ("met", "not_applicable") for v in verdicts):
        verdict = "met"
    else:
        verdict = "insufficient_evidence"
        causes = [c.cause for c in cells.values() if c.cause]
        cause = causes[0] if len(set(causes)) == 1 else "undecided"
    review = False
    if duty.review_after and duty.period:
        by_group: dict = {}
        for (g, p), c in cells.items():
            by_group.setdefault(g, []).append((p, c.verdict))
        for seq in by_group.values():
            seq.sort()
            run, prev = 0, None
            for p, v in seq:
                if v != "breached":
                    run = 0
                elif prev is not None and prev[1] == "breached" and adjacent(duty.period[0], prev[0], p):
                    run += 1
                else:
                    run = 1
                prev = (p, v)
                review |= run >= duty.review_after
    return DutyResult(duty.path, verdict, cause, cells, review, excluded)


# Helpers for the translations.
E = FY_END


def ow(a, b):
    return b if a is None else a


def share(recs, pred):
    n = len(recs)
    return ("percent", Fraction(100 * sum(1 for r in recs if pred(r)), n)) if n else None


def ratio(num, den):
    return ("ratio", Fraction(num) / Fraction(den)) if den else None


def translations(area: str, cal: Calendar) -> dict[str, Tr]:
    wd = cal.wd
    d = timedelta
    if area == "lambeth":
        return {
            "home.family_bed_and_breakfast": Tr(
                lambda r: ow(r.left, E) - r.placed <= d(weeks=6),
                lambda r: r.accommodation == "bed_and_breakfast" and r.family),
            "home.relief_within_56_days": Tr(
                lambda r: ow(r.duty_ended, E) - r.duty_started <= d(56), lambda r: r.duty == "relief"),
            "home.prevention_outcomes": Tr(
                lambda r: r.outcome in ("stayed_in_home", "moved_to_new_home"),
                lambda r: r.duty == "prevention" and r.outcome is not None),
            "education.offer_on_offer_day": Tr(
                lambda r: r.offered is not None and r.offered <= r.offer_day, lambda r: r.on_time),
            "education.preference_met": Tr(
                lambda r: r.preference is not None and r.preference <= 6, lambda r: r.on_time),
            "education.ehc_plan_20_weeks": Tr(
                lambda r: r.decided_no or ow(r.issued, E) - r.requested <= d(weeks=20),
                lambda r: not r.exception),
            "skills.participation_16_17": Tr(
                lambda r: r.activity in ("education", "employment", "training"), lambda r: r.age in (16, 17)),
            "skills.activity_known": Tr(lambda r: r.activity == "not_known", lambda r: r.age in (16, 17)),
            "environment.no2_annual_mean": Tr(lambda r: r.no2_annual_mean <= 40, lambda r: r.data_capture >= 75),
            "environment.no2_hourly": Tr(
                lambda r: r.hourly_exceedances <= 18, lambda r: r.hourly_exceedances is not None),
            "environment.flytipping_cleared": Tr(lambda r: wd(r.reported, ow(r.cleared, E)) <= 2),
            "information.foi_in_time": Tr(
                lambda r: wd(r.received, ow(r.responded, E)) - ow(r.fee_wait_days, 0) <= 20,
                lambda r: r.regime == "foia"),
            "information.eir_in_time": Tr(
                lambda r: wd(r.received, ow(r.responded, E)) <= 20
                or (r.extended and wd(r.received, ow(r.responded, E)) <= 40),
                lambda r: r.regime == "eir"),
            "information.spending_published": Tr(
                lambda r: r.published is not None and r.published <= r.paid + d(123),
                lambda r: r.amount > 500_00),
            "information.spending_described": Tr(
                lambda r: r.purpose is not None and r.category is not None, lambda r: r.amount > 500_00),
            "consulted.formative_stage": Tr(lambda r: r.formative and r.reasons_given),
            "consulted.adequate_time": Tr(
                lambda r: r.closed - r.opened >= d(weeks=12)
                or (r.ward is not None and r.closed - r.opened >= d(weeks=6))),
            "consulted.response_published": Tr(
                lambda r: r.response_published is not None and r.response_published <= r.closed + d(weeks=12),
                lambda r: r.closed <= E - d(weeks=12)),
            "cooperative_commissioning.co_produced": Tr(
                lambda r: r.co_produced and r.resident_panel >= 1, lambda r: r.annual_value >= 100_000_00),
            "cooperative_commissioning.young_people_decide": Tr(
                lambda r: ow(r.young_panel, 0) >= 2, lambda r: r.youth_service),
            "cooperative_commissioning.outcomes_published": Tr(lambda r: r.outcomes_public),
            "accountability.public_interest_test": Tr(
                lambda r: r.closer_answer is not None and r.by_those_answer is not None),
            "accountability.public_interest_published": Tr(
                lambda r: r.answers_published is not None and wd(r.decided, r.answers_published) <= 5),
            "accountability.turnout_benchmark": Tr(
                lambda r: r.votes_cast >= r.electorate * Fraction(4, 10)),
            "accountability.statutory_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=26), lambda r: not r.approved_absence),
            "accountability.attendance_threshold": Tr(
                lambda r: r.meetings_attended >= r.meetings_summoned * Fraction(3, 4),
                lambda r: r.meetings_summoned > 0),
            "accountability.annual_reports": Tr(
                lambda r: r.annual_report is not None and r.annual_report >= E - d(weeks=52)),
            "accountability.relationships_asked": Tr(lambda r: r.asked, lambda r: r.vulnerable),
            "accountability.social_prescribing_offered": Tr(
                lambda r: r.offered_referral, lambda r: r.vulnerable and r.asked),
        }
    if area == "oldham":
        return {
            "home.family_bed_and_breakfast": Tr(
                lambda r: ow(r.moved_on, E) - r.placed <= d(weeks=6),
                lambda r: r.setting == "bed_and_breakfast" and r.household_type in ("family", "pregnant")),
            "home.relief_within_56_days": Tr(
                lambda r: ow(r.duty_ended, E) - r.duty_started <= d(56), lambda r: r.duty == "relief"),
            "home.prevention_success": Tr(
                lambda rs: share(rs, lambda r: r.outcome == "accommodation_secured"),
                lambda r: r.duty == "prevention" and r.duty_ended is not None),
            "education.offer_on_offer_day": Tr(lambda r: r.offered is not None and r.offered <= r.offer_day),
            "education.first_preference": Tr(lambda rs: share(rs, lambda r: r.preference == 1)),
            "education.in_year_outcome": Tr(lambda r: wd(r.applied, ow(r.outcome_sent, E)) <= 15),
            "skills.neet_rate": Tr(lambda rs: ratio(sum(r.neet for r in rs) + sum(r.not_known for r in rs),
                                                    sum(r.cohort for r in rs))),
            "skills.businesses_still_trading": Tr(
                lambda r: ow(r.trading_after_12, False), lambda r: r.support_ended <= E - d(weeks=52)),
            "skills.women_led_enterprise": Tr(lambda r: r.women_led),
            "environment.no2_annual_mean": Tr(lambda r: r.no2_annual_mean <= 40, lambda r: r.data_capture >= 75),
            "environment.street_cleanliness": Tr(lambda r: r.litter in ("A", "B+", "B")),
            "information.foi_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20, lambda r: r.regime == "foia"),
            "information.eir_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20
                or (r.complex and wd(r.received, ow(r.answered, E)) <= 40),
                lambda r: r.regime == "eir"),
            "information.spending_published": Tr(
                lambda r: r.published is not None and r.published <= r.paid + d(61),
                lambda r: r.amount > 500_00),
            "consulted.formative_and_long_enough": Tr(
                lambda r: r.formative and r.closed - r.opened >= d(weeks=8)),
            "consulted.youth_council_asked": Tr(lambda r: r.youth_consulted, lambda r: r.affects_young),
            "consulted.response_published": Tr(
                lambda r: r.response_published is not None and r.response_published <= r.closed + d(weeks=12),
                lambda r: r.closed <= E - d(weeks=12)),
            "youth_voice.executive_replies": Tr(lambda r: ow(r.executive_reply, E) - r.tabled <= d(weeks=8)),
            "youth_voice.youth_turnout": Tr(lambda rs: ("number", Fraction(sum(r.votes_cast for r in rs)))),
            "accountability.public_interest_test": Tr(lambda r: r.closer_considered and r.by_them_considered),
            "accountability.turnout_benchmark": Tr(lambda r: r.turnout >= 40),
            "accountability.statutory_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=26), lambda r: not r.approved_absence),
            "accountability.attendance_threshold": Tr(
                lambda r: r.meetings_attended >= r.meetings_summoned * Fraction(8, 10),
                lambda r: r.meetings_summoned > 0),
            "accountability.annual_reports": Tr(
                lambda r: r.annual_report is not None and r.annual_report >= E - d(weeks=52)),
            "accountability.relationships_asked": Tr(lambda r: r.asked),
            "accountability.isolated_offered_help": Tr(
                lambda r: r.offered_referral, lambda r: r.asked and ow(r.isolated, False)),
            "home.no_bed_and_breakfast_16_17": Tr(
                lambda r: r.setting != "bed_and_breakfast", lambda r: r.household_type == "young_person_16_17"),
        }
    if area == "plymouth":
        return {
            "home.family_bed_and_breakfast": Tr(
                lambda r: ow(r.left, E) - r.placed <= d(weeks=6), lambda r: r.with_family),
            "home.plan_within_10_days": Tr(
                lambda r: wd(r.assessed, ow(r.plan_agreed, E)) <= 10, lambda r: r.assessed is not None),
            "home.duties_within_56_days": Tr(lambda r: ow(r.duty_ended, E) - r.duty_started <= d(56)),
            "education.offer_on_offer_day": Tr(lambda r: r.offered is not None and r.offered <= r.offer_day),
            "education.ehc_within_20_weeks": Tr(
                lambda r: ow(r.concluded, E) - r.requested <= d(weeks=20), lambda r: not r.exception),
            "skills.participation": Tr(lambda rs: share(
                rs, lambda r: r.status in ("education", "apprenticeship", "employment_with_training"))),
            "skills.apprenticeships_achieved": Tr(
                lambda r: ow(r.achieved, False), lambda r: r.planned_end <= E),
            "environment.no2_annual_mean": Tr(lambda r: r.no2_annual_mean <= 40, lambda r: r.data_capture >= 75),
            "environment.bathing_water": Tr(lambda r: r.classification != "poor"),
            "information.foi_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20
                or (r.regime == "eir" and r.extended and wd(r.received, ow(r.answered, E)) <= 40)),
            "information.spending_published": Tr(
                lambda r: r.published is not None and r.published <= r.paid + d(123),
                lambda r: r.amount > 500_00),
            "information.contracts_published": Tr(
                lambda r: r.published is not None and r.published <= r.awarded + d(123),
                lambda r: r.value > 5_000_00),
            "consulted.formative_and_adequate": Tr(
                lambda r: r.formative and (r.closed - r.opened >= d(weeks=12)
                                           or (not r.statutory and r.closed - r.opened >= d(weeks=4)))),
            "consulted.response_published": Tr(
                lambda rs: share(rs, lambda r: r.response_published is not None
                                 and r.response_published <= r.closed + d(weeks=12)),
                lambda r: r.closed <= E - d(weeks=12)),
            "warm_home.advice_contact": Tr(lambda r: wd(r.referred, ow(r.contacted, E)) <= 5),
            "warm_home.fuel_poor_helped": Tr(
                lambda r: r.help_given is not None and r.help_given - r.referred <= d(90),
                lambda r: r.fuel_poor and r.referred <= E - d(90)),
            "accountability.public_interest_test": Tr(
                lambda r: r.closer_answer is not None and r.by_affected_answer is not None),
            "accountability.turnout_benchmark": Tr(lambda rs: ratio(sum(r.votes_cast for r in rs),
                                                                   sum(r.electorate for r in rs))),
            "accountability.statutory_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=26), lambda r: not r.approved_absence),
            "accountability.attendance_threshold": Tr(
                lambda r: r.meetings_attended >= r.meetings_summoned * Fraction(3, 4),
                lambda r: r.meetings_summoned > 0),
            "accountability.annual_reports": Tr(
                lambda r: r.annual_report is not None and r.annual_report >= E - d(weeks=52)),
            "accountability.relationships_asked": Tr(lambda r: r.asked),
            "accountability.social_prescribing": Tr(lambda r: r.offered, lambda r: r.asked),
        }
    if area == "stevenage":
        return {
            "home.family_bed_and_breakfast": Tr(
                lambda r: ow(r.left, E) - r.placed <= d(weeks=6),
                lambda r: r.with_children and r.setting == "bed_and_breakfast"),
            "home.relief_within_56_days": Tr(
                lambda r: ow(r.duty_ended, E) - r.duty_started <= d(56), lambda r: r.duty == "relief"),
            "home.emergency_repairs": Tr(
                lambda r: ow(r.completed, E) - r.reported <= d(1), lambda r: r.priority == "emergency"),
            "home.routine_repairs": Tr(
                lambda r: ow(r.completed, E) - r.reported <= d(28), lambda r: r.priority == "routine"),
            "education.offer_on_offer_day": Tr(
                lambda r: r.offered is not None and r.offered <= r.offer_day, lambda r: r.on_time),
            "education.preference_met": Tr(
                lambda r: r.preference is not None, lambda r: r.on_time and r.phase == "primary"),
            "education.secondary_preference_met": Tr(
                lambda r: r.preference is not None, lambda r: r.on_time and r.phase == "secondary"),
            "skills.not_known": Tr(lambda rs: ratio(sum(r.not_known for r in rs), sum(r.cohort for r in rs))),
            "skills.neet": Tr(lambda rs: ratio(sum(r.neet for r in rs), sum(r.cohort for r in rs))),
            "skills.apprenticeships_from_regeneration": Tr(
                lambda r: r.apprentices >= Fraction(r.value, 1_000_000_00), lambda r: r.value >= 1_000_000_00),
            "skills.local_jobs": Tr(lambda rs: ratio(sum(r.local_hires for r in rs), sum(r.new_hires for r in rs)),
                                    lambda r: r.new_hires > 0),
            "environment.asb_high_risk": Tr(
                lambda r: wd(r.reported, ow(r.first_response, E)) <= 1, lambda r: r.risk == "high"),
            "environment.asb_other": Tr(
                lambda r: wd(r.reported, ow(r.first_response, E)) <= 5, lambda r: r.risk != "high"),
            "environment.missed_bins": Tr(lambda r: wd(r.reported, ow(r.put_right, E)) <= 2),
            "information.foi_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20, lambda r: r.regime == "foia"),
            "information.eir_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20
                or (r.extended and wd(r.received, ow(r.answered, E)) <= 40),
                lambda r: r.regime == "eir"),
            "information.spending_published": Tr(
                lambda r: r.published is not None and r.published <= r.paid + d(123),
                lambda r: r.amount > 500_00),
            "consulted.formative_stage": Tr(lambda r: r.formative and r.closed - r.opened >= d(weeks=6)),
            "consulted.tenants_consulted": Tr(
                lambda r: r.tenants_written_to and r.formative, lambda r: r.topic == "housing_management"),
            "consulted.response_published": Tr(
                lambda r: r.response_published is not None and r.response_published <= r.closed + d(weeks=12),
                lambda r: r.closed <= E - d(weeks=12)),
            "joined_up_services.referral_acted_on": Tr(lambda r: wd(r.received, ow(r.contacted, E)) <= 3),
            "joined_up_services.social_care_referrals": Tr(
                lambda r: wd(r.received, ow(r.contacted, E)) <= 3,
                lambda r: r.referrer in ("adult_social_care", "childrens_services")),
            "joined_up_services.joint_decisions_open": Tr(
                lambda r: r.borough_view and r.county_view and r.minutes_published is not None
                and wd(r.meeting, r.minutes_published) <= 10),
            "accountability.public_interest_test": Tr(
                lambda r: r.closer_answer is not None and r.by_them_answer is not None),
            "accountability.turnout_benchmark": Tr(lambda r: r.votes_cast * 10 >= r.electorate * 4),
            "accountability.statutory_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=26), lambda r: not r.approved_absence),
            "accountability.regular_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=13), lambda r: not r.approved_absence),
            "accountability.annual_reports": Tr(
                lambda r: r.annual_report is not None and r.annual_report >= E - d(weeks=52)),
            "accountability.relationships_asked": Tr(lambda r: r.asked),
            "accountability.social_prescribing": Tr(lambda r: r.offered, lambda r: r.asked),
        }
    if area == "liverpool":
        return {
            "home.family_bed_and_breakfast": Tr(
                lambda r: ow(r.left, E) - r.placed <= d(weeks=6),
                lambda r: r.family and r.setting == "bed_and_breakfast"),
            "home.prevention_in_56_days": Tr(
                lambda r: r.duty_ended is not None and r.duty_ended - r.duty_started <= d(56)
                and ow(r.home_kept, False),
                lambda r: r.duty_started <= E - d(56)),
            "home.disrepair_inspected": Tr(lambda r: wd(r.received, ow(r.inspected, E)) <= 10),
            "education.offer_on_offer_day": Tr(lambda r: r.offered is not None and r.offered <= r.offer_day),
            "education.ehc_review_decided": Tr(lambda r: ow(r.decision_sent, E) - r.meeting <= d(weeks=4)),
            "skills.participation": Tr(lambda r: r.status == "participating"),
            "skills.adult_achievement": Tr(
                lambda r: r.outcome == "achieved", lambda r: r.outcome != "continuing" and r.planned_end <= E),
            "environment.recycling_rate": Tr(lambda rs: ratio(
                sum(r.recycled for r in rs) + sum(r.composted for r in rs), sum(r.collected for r in rs))),
            "environment.compost_bins_delivered": Tr(lambda r: wd(r.ordered, ow(r.delivered, E)) <= 10),
            "environment.no2_annual_mean": Tr(lambda r: r.no2_annual_mean <= 40, lambda r: r.data_capture >= 75),
            "information.foi_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20, lambda r: r.regime == "foia"),
            "information.eir_in_time": Tr(
                lambda r: wd(r.received, ow(r.answered, E)) <= 20
                or (r.extended and wd(r.received, ow(r.answered, E)) <= 40),
                lambda r: r.regime == "eir"),
            "information.spending_published": Tr(
                lambda r: r.published is not None and r.published <= r.paid + d(123),
                lambda r: r.amount > 500_00),
            "consulted.formative_stage": Tr(lambda r: r.formative and r.closed - r.opened >= d(weeks=6)),
            "consulted.neighbourhood_reach": Tr(
                lambda rs: ratio(sum(r.responses for r in rs), sum(r.households_invited for r in rs)),
                lambda r: r.neighbourhood is not None),
            "consulted.response_published": Tr(
                lambda r: r.response_published is not None and r.response_published <= r.closed + d(weeks=12),
                lambda r: r.closed <= E - d(weeks=12)),
            "neighbourhood_say.awards_published": Tr(
                lambda r: r.published is not None and r.published - r.decided <= d(weeks=4)),
            "neighbourhood_say.residents_choose": Tr(lambda r: r.residents_chose),
            "accountability.public_interest_test": Tr(
                lambda r: r.closer_answer is not None and r.by_them_answer is not None),
            "accountability.turnout_benchmark": Tr(lambda rs: ratio(sum(r.votes_cast for r in rs),
                                                                   sum(r.electorate for r in rs))),
            "accountability.ward_turnout": Tr(lambda r: r.votes_cast >= r.electorate * Fraction(4, 10)),
            "accountability.statutory_attendance": Tr(
                lambda r: r.last_attended > E - d(weeks=26), lambda r: not r.approved_absence),
            "accountability.visible_councillors": Tr(lambda r: r.surgeries_held >= 6),
            "accountability.annual_reports": Tr(
                lambda r: r.annual_report is not None and r.annual_report >= E - d(weeks=52)),
            "accountability.relationships_asked": Tr(lambda r: r.asked),
            "accountability.social_prescribing": Tr(lambda r: r.offered, lambda r: r.asked),
        }
    raise KeyError(area)


# ------------------------------------------------------------------------------------------
# Generation.

@dataclass
class Malformed:
    record: str
    index: int      # row index in the file (the key may be the broken field)
    key: str
    field: str
    text: str | None
    why: str


class Area:
    """One area's data set being built."""

    def __init__(self, name: str):
        self.name = name
        self.con = load_constitution(name)
        self.cal = Calendar(self.con.closed)
        self.rng = random.Random(SEEDS[name])
        self.files: dict[str, tuple[list[dict], FileStyle]] = {}
        self.malformed: list[Malformed] = []
        self.notes: dict[str, str] = {}   # record -> one line for the README

    # --- dates ---
    def day(self, a: date, b: date, weekend: float = 0.0) -> date:
        """A random day in a..b: a working day, or any day with probability `weekend`."""
        span = (b - a).days
        if not any(self.cal.working(a + timedelta(days=i)) for i in range(span + 1)):
            weekend = 1.0
        while True:
            d = a + timedelta(days=self.rng.randrange(span + 1))
            if self.cal.working(d) or self.rng.random() < weekend:
                return d

    def qday(self, q: int, weekend: float = 0.0, latest: date | None = None) -> date:
        a, b = QUARTERS[q]
        return self.day(a, min(b, latest or b), weekend)

    def add_wd(self, d: date, n: int) -> date:
        return self.cal.add(d, n)

    @staticmethod
    def cap(d: date | None) -> date | None:
        """As known in an export taken at the end of 31 March 2026."""
        return d if d is not None and d <= FY_END else None

    # --- counts ---
    def alloc(self, total: int, weights: dict, minimum: int = 0) -> dict:
        s = sum(weights.values())
        return {k: max(minimum, round(total * w / s)) for k, w in weights.items()}

    def nfail(self, n: int, lo: float, hi: float) -> int:
        a, b = math.ceil(n * lo), math.floor(n * hi)
        return self.rng.randint(a, max(a, b))

    def flags(self, n: int, k: int) -> list[bool]:
        out = [True] * k + [False] * (n - k)
        self.rng.shuffle(out)
        return out

    def jitter(self, keys, lo=0.8, hi=1.2) -> dict:
        return {k: self.rng.uniform(lo, hi) for k in keys}

    # --- rows and files ---
    def row(self, record: str, **values) -> dict:
        rec = self.con.records[record]
        names = [f.name for f in rec.fields]
        assert set(values) == set(names), (record, set(values) ^ set(names))
        return {n: values[n] for n in names}

    def put(self, record: str, rows: list[dict], style: FileStyle, note: str,
            order: str | None = None, key_fmt=None) -> list[dict]:
        """Stores a file's rows, sorted by `order` and keyed by `key_fmt(i, row)`."""
        if order:
            rows.sort(key=lambda r: (r[order], r.get("_tie", 0)))
        rec = self.con.records[record]
        if key_fmt:
            for i, r in enumerate(rows):
                r[rec.key] = key_fmt(i, r)
        for r in rows:
            r.pop("_tie", None)
        keys = [r[rec.key] for r in rows]
        assert len(set(keys)) == len(keys), f"{record}: duplicate keys"
        self.files[record] = (rows, style)
        self.notes[record] = note
        return rows

    def corrupt(self, record: str, pred, fld: str, text: str | None, why: str, count: int = 1,
                spread=None, across: bool = False) -> None:
        """Breaks `count` rows that satisfy `pred`: sets `fld` to `text` as written. With
        `spread` (row -> group), no two broken rows fall in the same group."""
        rows, _ = self.files[record]
        key = self.con.records[record].key
        taken = {m.index for m in self.malformed if m.record == record}
        used = {spread(rows[m.index]) for m in self.malformed if m.record == record} if spread and across else set()
        cands = [i for i, r in enumerate(rows) if i not in taken and pred(r)]
        self.rng.shuffle(cands)
        done = 0
        for i in cands:
            if done == count:
                break
            r = rows[i]
            if spread:
                tag = spread(r)
                if tag in used:
                    continue
                used.add(tag)
            k = r[key]
            r[fld] = Raw(text)
            self.malformed.append(Malformed(record, i, k if fld != key else "", fld, text, why))
            done += 1
        assert done == count, (record, fld, done, count)

    def write(self) -> None:
        out = data_dir(self.name)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.iterdir():
            if old.suffix in (".csv", ".json", ".ndjson"):
                old.unlink()
        assert set(self.files) == set(self.con.records), set(self.files) ^ set(self.con.records)
        for record, (rows, st) in self.files.items():
            data = render(rows, self.con.records[record], st)
            assert len(data) < MAX_FILE_BYTES, (record, len(data))
            (out / f"{record}.{ext(st)}").write_bytes(data)

    # --- shared shapes ---
    def answer_days(self, fail: bool, limit: int = 20, extended_ok: int | None = None) -> int:
        """Working days to answer: within `limit` when passing, beyond it when failing."""
        if fail:
            return self.rng.randint(limit + 1, limit + 18)
        return max(1, min(limit, round(self.rng.triangular(2, limit + 1, limit - 3))))

    def wd_case(self, start: date, fail: bool, limit: int, open_share: float = 0.1) -> date | None:
        """An end date `limit` working days or fewer after `start` (or more, when failing),
        as known on 31 March 2026. Failing cases must start early enough to be late by then."""
        if fail and self.rng.random() < open_share:
            return None
        return self.cap(self.add_wd(start, self.answer_days(fail, limit)))

    def late_enough(self, limit_wd: int) -> date:
        """The last start day from which a case still open on 31 March is late."""
        d = FY_END
        while self.cal.wd(d, FY_END) <= limit_wd + 1:
            d -= timedelta(days=1)
        return d


SUPPLIER_A = ["Thameside", "Northgate", "Riverside", "Parkway", "Oakfield", "Kestrel", "Beacon",
              "Harbour", "Meridian", "Greenway", "Ashdown", "Crescent", "Foundry", "Linden", "Quayside"]
SUPPLIER_B = ["Facilities", "Care Services", "Building Services", "Consulting", "Supplies",
              "Fleet Services", "Housing Partnership", "IT Solutions", "Landscapes", "Print",
              "Security", "Training", "Environmental", "Legal Services", "Catering"]
SUPPLIER_C = ["Ltd", "Ltd", "LLP", "CIC", "plc", "Ltd"]


def suppliers(rng: random.Random, n: int) -> list[str]:
    out = set()
    while len(out) < n:
        out.add(f"{rng.choice(SUPPLIER_A)} {rng.choice(SUPPLIER_B)} {rng.choice(SUPPLIER_C)}")
    return sorted(out)


def keyed(rows: list[dict], keyfield: str, datefield: str, fmt: str, group=None) -> list[dict]:
    """Sorts rows by date and numbers them per calendar year (and per `group(row)`)."""
    rows.sort(key=lambda r: r[datefield])
    counters: dict = {}
    for r in rows:
        d = r[datefield]
        g = group(r) if group else None
        counters[(d.year, g)] = counters.get((d.year, g), 0) + 1
        r[keyfield] = fmt.format(y=d.year, yy=d.year % 100, n=counters[(d.year, g)], g=g)
    return rows


def fy_keyed(rows: list[dict], keyfield: str, datefield: str, fmt: str) -> list[dict]:
    """Sorts rows by date and numbers them through the year."""
    rows.sort(key=lambda r: r[datefield])
    for i, r in enumerate(rows, 1):
        r[keyfield] = fmt.format(n=i)
    return rows


def pseudonyms(rng: random.Random, n: int, prefix: str) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add(f"{prefix}{rng.randrange(16 ** 6):06X}")
    ids = sorted(out)
    rng.shuffle(ids)
    return ids


def weighted(rng: random.Random, table: dict):
    x, acc = rng.random() * sum(table.values()), 0.0
    for k, w in table.items():
        acc += w
        if x < acc:
            return k
    return k


def exact_mix(rng: random.Random, n: int, table: dict) -> list:
    """n values in the proportions of `table`, rounded so the counts are exact, shuffled."""
    s = sum(table.values())
    counts = {k: math.floor(n * w / s) for k, w in table.items()}
    rest = n - sum(counts.values())
    for k in sorted(table, key=lambda k: -(n * table[k] / s - counts[k]))[:rest]:
        counts[k] += 1
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


# ------------------------------------------------------------------------------------------
# Lambeth: 25 wards (2022 boundaries), FOI judged per directorate.

LAMBETH_WARDS = {
    "Brixton Acre Lane": "BAL", "Brixton North": "BRN", "Brixton Rush Common": "BRC",
    "Brixton Windrush": "BRX", "Clapham Common & Abbeville": "CCA", "Clapham East": "CLE",
    "Clapham Park": "CLP", "Clapham Town": "CLT", "Herne Hill & Loughborough Junction": "HHL",
    "Kennington": "KEN", "Knight's Hill": "KNH", "Myatt's Fields": "MYF", "Oval": "OVL",
    "St Martin's": "STM", "Stockwell East": "SKE", "Stockwell West & Larkhall": "SKW",
    "Streatham Common & Vale": "SCV", "Streatham Hill East": "SHE",
    "Streatham Hill West & Thornton": "SHW", "Streatham St Leonard's": "SSL",
    "Streatham Wells": "STR", "Vauxhall": "VXL", "Waterloo & South Bank": "WSB",
    "West Dulwich": "WDU", "West Norwood": "WNO",
}
LAMBETH_DIRECTORATES = {
    "Housing": 330, "Children's Services": 230, "Adults and Health": 180,
    "Residents' Services": 300, "Finance and Resources": 220,
    "Sustainable Growth and Opportunity": 140, "Chief Executive's Office": 48,
}
QW_EVEN = {1: .25, 2: .24, 3: .26, 4: .25}


def gen_foi(a: Area, record: str, groups: dict, bad: dict, *, group_field: str | None,
            answer_field: str, eir: dict, eir_bad: dict = None, extended_field: str = "extended",
            fee_field: str | None = None, review: bool = False, neighbourhoods: list | None = None,
            good=(.01, .07), eir_fail=(0, .05), qw=QW_EVEN, extra: dict | None = None) -> list[dict]:
    """FOI and EIR requests: `groups` maps a group (or None) to FOIA requests a year; `bad`
    maps (group, quarter) to the failing share range; `eir` maps group to EIR requests per
    quarter."""
    rng, rows = a.rng, []
    eir_bad = eir_bad or {}

    def make(g, regime, received, resp, ext, fee=None):
        v = {"reference": None, "regime": regime, "received": received, answer_field: resp,
             extended_field: ext}
        if group_field:
            v[group_field] = g
        if fee_field:
            v[fee_field] = fee
        if review:
            ra = rd = None
            if regime == "foia" and resp and rng.random() < .04:
                ra = a.cap(a.cal.next_working(resp + timedelta(days=rng.randint(3, 25))))
                rd = a.cap(a.add_wd(ra, rng.randint(5, 30))) if ra else None
            v["review_asked"], v["review_done"] = ra, rd
        if neighbourhoods is not None:
            v["neighbourhood"] = rng.choice(neighbourhoods) if rng.random() < .65 else None
        if extra:
            v.update(extra)
        return a.row(record, **v)

    late = a.late_enough(20)
    for g, total in groups.items():
        for q, n in a.alloc(total, qw).items():
            lo, hi = bad.get((g, q), good)
            for fail in a.flags(n, a.nfail(n, lo, hi)):
                received = a.qday(q, weekend=.04, latest=late if fail and q == 4 else None)
                resp = a.wd_case(received, fail, 20)
                fee = None
                if fee_field and not fail and rng.random() < .025:
                    fee = rng.randint(4, 15)
                    resp = a.cap(a.add_wd(received, fee + rng.randint(8, 20)))
                rows.append(make(g, "foia", received, resp, False, fee))
    late40 = a.late_enough(40)
    for g, per_q in eir.items():
        for q in QUARTERS:
            n = per_q[q - 1] if isinstance(per_q, (list, tuple)) else per_q
            lo, hi = eir_bad.get(q, eir_fail)
            for fail in a.flags(n, a.nfail(n, lo, hi)):
                ext = rng.random() < .12
                received = a.qday(q, weekend=.03, latest=(late40 if ext else late) if fail and q == 4 else None)
                if fail:
                    days = rng.randint(41, 55) if ext else rng.randint(21, 36)
                else:
                    days = rng.randint(21, 40) if ext else a.answer_days(False)
                rows.append(make(g, "eir", received, a.cap(a.add_wd(received, days)), ext))
    return rows


def gen_lambeth(a: Area) -> None:
    rng, W = a.rng, list(LAMBETH_WARDS)
    ww = a.jitter(W)

    # --- foi_request ---
    rows = gen_foi(
        a, "foi_request",
        LAMBETH_DIRECTORATES,
        {("Housing", 1): (.16, .20), ("Housing", 2): (.13, .17)},
        group_field="directorate", answer_field="responded", fee_field="fee_wait_days", review=True,
        eir={"Residents' Services": [28, 26, 29, 27], "Sustainable Growth and Opportunity": [12, 11, 13, 12]})
    rows.append(a.row("foi_request", reference=None, directorate="Residents' Services", regime="foia",
                      received=FY_START, responded=a.add_wd(FY_START, 12), fee_wait_days=None,
                      extended=False, review_asked=None, review_done=None))
    rows.append(a.row("foi_request", reference=None, directorate="Housing", regime="foia",
                      received=FY_END, responded=None, fee_wait_days=None, extended=False,
                      review_asked=None, review_done=None))
    rows.sort(key=lambda r: r["received"])
    counters: dict = {}
    for r in rows:
        k = (r["regime"], r["received"].year)
        counters[k] = counters.get(k, 0) + 1
        r["reference"] = (f"FOI-{k[1]}-{counters[k]:05d}" if k[0] == "foia" else f"EIR-{k[1]}-{counters[k]:04d}")
    a.put("foi_request", rows, FileStyle(), "FOI and EIR requests received in the year, with answers known on 31 March 2026")
    a.corrupt("foi_request", lambda r: r["directorate"] == "Housing" and r["regime"] == "foia" and r["received"].month in (1, 2)
              and r["responded"] is not None, "responded", "31/02/2026", "impossible date")
    a.corrupt("foi_request", lambda r: r["directorate"] == "Residents' Services" and quarter_of(r["received"]) == 2,
              "regime", "FOI", "value not in the list (`foia` or `eir`)")
    a.corrupt("foi_request", lambda r: r["regime"] == "foia" and quarter_of(r["received"]) == 2
              and r["directorate"] != "Housing",
              "extended", "", "blank required field on an FOI request (only EIR duties read `extended`)", count=2)

    # --- housing_placement ---
    rows = []
    fam_bb = {1: 11, 2: 13, 3: 12, 4: 10}
    long_stays = {2: [49, 53], 3: [45]}
    for q in QUARTERS:
        stays = long_stays.get(q, []) + [rng.randint(5, 40) for _ in range(fam_bb[q] - len(long_stays.get(q, [])))]
        for stay in stays:
            latest = date(2025, 9, 10) if stay > 42 and q == 2 else date(2025, 11, 15) if stay > 42 else None
            placed = a.qday(q, weekend=.15, latest=latest)
            rows.append(a.row("housing_placement", household=None, ward=weighted(rng, ww), family=True,
                              accommodation="bed_and_breakfast", placed=placed,
                              left=a.cap(placed + timedelta(days=stay))))
        for acc, fam_share, n, lo, hi in (("bed_and_breakfast", 0, 12, 3, 120), ("hostel", .15, 18, 20, 300),
                                          ("nightly_let", .6, 15, 20, 240), ("self_contained", .7, 10, 60, 420)):
            for _ in range(n):
                placed = a.qday(q, weekend=.1)
                rows.append(a.row("housing_placement", household=None, ward=weighted(rng, ww),
                                  family=rng.random() < fam_share, accommodation=acc, placed=placed,
                                  left=a.cap(placed + timedelta(days=rng.randint(lo, hi)))))
    keyed(rows, "household", "placed", "HL-{y}-{n:04d}")
    a.put("housing_placement", rows, FileStyle(dates="uk"), "households placed in bed and breakfast and other temporary accommodation during the year")
    a.corrupt("housing_placement", lambda r: r["accommodation"] == "hostel" and not r["family"]
              and quarter_of(r["placed"]) == 1 and r["left"] is not None,
              "left", "31/02/2026", "impossible date on a single adult's hostel placement (outside the family B&B duty)")

    # --- homelessness_case ---
    rows = []
    relief = a.alloc(2700, {(w, q): ww[w] * QW_EVEN[q] for w in W for q in QUARTERS}, minimum=14)
    bad = {("Brixton North", 2): (.17, .22), ("Brixton North", 3): (.17, .22), ("Streatham Hill East", 3): (.17, .22)}
    late = FY_END - timedelta(days=60)
    for (w, q), n in relief.items():
        lo, hi = bad.get((w, q), (.02, .06))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            started = a.qday(q, weekend=.02, latest=late if fail and q == 4 else None)
            if fail:
                ended = None if rng.random() < .15 else started + timedelta(days=rng.randint(57, 95))
            else:
                ended = started + timedelta(days=56 if rng.random() < .3 else rng.randint(14, 55))
            ended = a.cap(ended)
            outcome = weighted(rng, {"moved_to_new_home": 45, "contact_lost": 12, "other": 43}) if ended else None
            rows.append(a.row("homelessness_case", case_ref=None, ward=w, duty="relief", duty_started=started,
                              duty_ended=ended, outcome=outcome))
    for q in QUARTERS:
        prev = []
        for _ in range(575):
            started = a.qday(q, weekend=.02)
            ended = a.cap(started + timedelta(days=rng.randint(10, 56) if rng.random() < .85 else rng.randint(57, 110)))
            prev.append([started, ended])
        ended_rows = [p for p in prev if p[1]]
        outcomes = exact_mix(rng, len(ended_rows), {"stayed_in_home": 30, "moved_to_new_home": 35.5,
                                                    "contact_lost": 14, "other": 20.5})
        for p, o in zip(ended_rows, outcomes):
            p.append(o)
        for p in prev:
            rows.append(a.row("homelessness_case", case_ref=None, ward=weighted(rng, ww), duty="prevention",
                              duty_started=p[0], duty_ended=p[1], outcome=p[2] if len(p) > 2 else None))
    keyed(rows, "case_ref", "duty_started", "HRA-{yy}-{n:05d}")
    a.put("homelessness_case", rows, FileStyle(fmt="ndjson"), "prevention and relief duties that started in the year")
    a.corrupt("homelessness_case", lambda r: r["duty"] == "prevention" and r["outcome"] == "moved_to_new_home",
              "outcome", "moved_to_new_hom", "value not in the list (truncated)", count=3,
              spread=lambda r: quarter_of(r["duty_started"]))
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief" and r["duty_ended"] is not None
              and r["ward"] not in ("Brixton North", "Streatham Hill East"),
              "duty_ended", "31/02/2026", "impossible date", count=2, spread=lambda r: r["ward"])
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief" and r["ward"] not in ("Brixton North", "Streatham Hill East"),
              "duty", None, "required field is null", count=2, spread=lambda r: r["ward"])

    # --- school_admission ---
    rows = []
    pref_bad = {"Streatham Hill West & Thornton": .075, "Clapham Town": .07}
    for phase, offer_day, total in (("primary", date(2025, 4, 16), 2750), ("secondary", date(2026, 3, 2), 2550)):
        for w, n in a.alloc(total, ww).items():
            on_time = exact_mix(rng, n, {True: 95, False: 5})
            k = len([x for x in on_time if x])
            miss = round(k * pref_bad.get(w, rng.uniform(.01, .03)))
            nopref = a.flags(k, miss)
            j = 0
            for ot in on_time:
                if ot:
                    pref = None if nopref[j] else weighted(rng, {1: 66, 2: 15, 3: 8, 4: 5, 5: 3.5, 6: 2.5})
                    j += 1
                    offered = offer_day
                else:
                    pref = None if rng.random() < .4 else weighted(rng, {1: 40, 2: 20, 3: 15, 4: 10, 5: 8, 6: 7})
                    offered = a.cap(a.add_wd(offer_day, rng.randint(5, 45)))
                rows.append(a.row("school_admission", application=None, ward=w, phase=phase, on_time=ot,
                                  offer_day=offer_day, offered=offered, preference=pref))
    rng.shuffle(rows)
    keyed(rows, "application", "offer_day", "ADM-{g}-{n:05d}",
          group=lambda r: "P25" if r["phase"] == "primary" else "S26")
    a.put("school_admission", rows, FileStyle(booleans="truefalse"),
          "reception (offer day 16 April 2025) and secondary (offer day 2 March 2026) applications from Lambeth homes")
    a.corrupt("school_admission", lambda r: True, "phase", "secondry", "value not in the list (typo); no duty reads `phase`", count=3)
    a.corrupt("school_admission", lambda r: r["on_time"], "on_time", "", "blank required field", count=3,
              spread=lambda r: r["ward"])
    a.corrupt("school_admission", lambda r: r["on_time"] and r["ward"] not in pref_bad, "offered", "31/02/2026",
              "impossible date", count=2, spread=lambda r: r["ward"])

    # --- ehc_plan ---
    rows = []
    ehc_fail = {1: .10, 2: .20, 3: .09, 4: 0}
    for q, n in {1: 220, 2: 210, 3: 220, 4: 210}.items():
        exc = exact_mix(rng, n, {True: 7, False: 93})
        judged = [i for i, x in enumerate(exc) if not x]
        fails = set(rng.sample(judged, round(len(judged) * ehc_fail[q])))
        for i, exception in enumerate(exc):
            fail = i in fails
            requested = a.qday(q, latest=date(2025, 11, 10) if fail and q == 3 else None)
            decided_no = not fail and rng.random() < .2
            if decided_no:
                issued = None
            elif fail:
                issued = a.cap(requested + timedelta(days=rng.randint(141, 230)))
            else:
                issued = a.cap(requested + timedelta(days=rng.randint(75, 140)))
            if exception:
                issued = a.cap(requested + timedelta(days=rng.randint(120, 200)))
            rows.append(a.row("ehc_plan", request_ref=None, ward=weighted(rng, ww), requested=requested,
                              issued=issued, decided_no=decided_no, exception=exception))
    keyed(rows, "request_ref", "requested", "EHC-{yy}-{n:04d}")
    a.put("ehc_plan", rows, FileStyle(dates="uk"), "requests for an EHC needs assessment received in the year")
    a.corrupt("ehc_plan", lambda r: quarter_of(r["requested"]) == 2 and not r["exception"], "exception", "",
              "blank required field")
    a.corrupt("ehc_plan", lambda r: quarter_of(r["requested"]) == 1 and r["issued"] is not None, "issued",
              "31/02/2026", "impossible date")

    # --- participation ---
    rows = []
    part_bad = {("Myatt's Fields", 3), ("Myatt's Fields", 4), ("Brixton North", 2), ("Stockwell East", 4)}
    cells = a.alloc(5300, {(w, q): ww[w] * {1: .22, 2: .24, 3: .29, 4: .25}[q] for w in W for q in QUARTERS}, minimum=34)
    ids = iter(pseudonyms(rng, sum(cells.values()) + 400, "YP-"))
    for (w, q), n in cells.items():
        k = a.nfail(n, .08, .11) if (w, q) in part_bad else a.nfail(n, 0, .04)
        for fail in a.flags(n, k):
            activity = ("not_known" if rng.random() < .3 else "neet") if fail else \
                weighted(rng, {"education": 88, "training": 7, "employment": 5})
            rows.append(a.row("participation", young_person=next(ids), ward=w, age=rng.choice([16, 17]),
                              activity=activity, recorded=a.qday(q)))
    for _ in range(230):
        q = rng.choice([1, 2, 4])
        rows.append(a.row("participation", young_person=next(ids), ward=weighted(rng, ww),
                          age=18 if q < 4 else 15,
                          activity=weighted(rng, {"education": 80, "employment": 8, "training": 5, "neet": 5, "not_known": 2}),
                          recorded=a.qday(q)))
    rows.sort(key=lambda r: (r["recorded"], r["young_person"]))
    a.put("participation", rows, FileStyle(),
          "one row per young person tracked, with the activity last confirmed (ages 15 and 18 are outside the duties)")
    a.corrupt("participation", lambda r: r["age"] in (16, 17), "age", "N/A", "`N/A` in a whole-number field",
              count=4, spread=lambda r: (r["ward"], quarter_of(r["recorded"])))
    a.corrupt("participation", lambda r: r["age"] in (16, 17) and r["activity"] == "education", "activity", "not in EET",
              "value not in the list (another system's code)", count=3, spread=lambda r: (r["ward"], quarter_of(r["recorded"])),
              across=True)
    a.corrupt("participation", lambda r: True, "young_person", "", "blank key (no duty reads it)", count=2)

    # --- air_quality ---
    rows = []
    ye = date(2025, 12, 31)
    autos = {"LB-BRX-01": ("Brixton Windrush", 43.2, 96.0, 3), "LB-VXL-01": ("Vauxhall", 37.8, 94.0, 0),
             "LB-STR-01": ("Streatham Wells", 29.4, 92.0, 0), "LB-WSB-01": ("Waterloo & South Bank", 33.0, 97.0, 1)}
    for site, (w, mean, cap, hours) in autos.items():
        rows.append(a.row("air_quality", site=site, ward=w, year_end=ye, no2_annual_mean=mean, data_capture=cap,
                          hourly_exceedances=hours))
    fixed = {"LB-STR-04": ("Streatham Wells", 31.7, 91.0), "LB-VXL-03": ("Vauxhall", 41.6, 92.0),
             "LB-KEN-02": ("Kennington", 42.0, 68.0), "LB-WNO-03": ("West Norwood", 27.9, 58.0)}
    for site, (w, mean, cap) in fixed.items():
        rows.append(a.row("air_quality", site=site, ward=w, year_end=ye, no2_annual_mean=mean, data_capture=cap,
                          hourly_exceedances=None))
    taken = set(autos) | set(fixed)
    for w, code in LAMBETH_WARDS.items():
        busy = w in ("Brixton Windrush", "Vauxhall", "Kennington", "Waterloo & South Bank", "Oval", "Stockwell East")
        for i in range(1, 6 if busy else 4):
            site = f"LB-{code}-{i:02d}"
            if site in taken:
                continue
            taken.add(site)
            mean = round(rng.uniform(31, 38.9) if busy else rng.uniform(19, 34), 1)
            rows.append(a.row("air_quality", site=site, ward=w, year_end=ye, no2_annual_mean=mean,
                              data_capture=round(rng.uniform(83, 100), 1), hourly_exceedances=None))
    rows.append(a.row("air_quality", site="LB-CLT-04", ward="Clapham Town", year_end=ye, no2_annual_mean=Raw("N/A"),
                      data_capture=45.0, hourly_exceedances=None))
    rows.sort(key=lambda r: r["site"])
    a.put("air_quality", rows, FileStyle(), "one row per NO2 monitoring site for calendar year 2025 (Annual Status Report)")
    i = next(i for i, r in enumerate(rows) if r["site"] == "LB-CLT-04")
    a.malformed.append(Malformed("air_quality", i, "LB-CLT-04", "no2_annual_mean", "N/A",
                                 "`N/A` in a number field, at a tube with 45% data capture (outside the duty)"))

    # --- flytip ---
    rows = []
    fly = a.alloc(9400, {(w, q): ww[w] * {1: .24, 2: .26, 3: .26, 4: .24}[q] for w in W for q in QUARTERS}, minimum=22)
    fly[("West Dulwich", 1)] = 14
    fly_bad = {("Herne Hill & Loughborough Junction", 3): (.13, .16), ("Stockwell West & Larkhall", 3): (.12, .15),
               ("Stockwell West & Larkhall", 4): (.12, .14)}
    late = a.late_enough(2)
    for (w, q), n in fly.items():
        lo, hi = fly_bad.get((w, q), (.01, .06))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            reported = a.qday(q, weekend=.15, latest=late if fail and q == 4 else None)
            if fail:
                cleared = None if rng.random() < .05 else a.add_wd(reported, rng.randint(3, 8))
            else:
                cleared = a.add_wd(reported, weighted(rng, {0: 35, 1: 40, 2: 25}))
            rows.append(a.row("flytip", report_ref=None, ward=w, reported=reported, cleared=a.cap(cleared)))
    keyed(rows, "report_ref", "reported", "FT-{yy}-{n:06d}")
    a.put("flytip", rows, FileStyle(dates="uk", newline="\r\n"), "reports of fly-tipping on public land in the year")
    a.corrupt("flytip", lambda r: r["cleared"] is not None and (r["ward"], quarter_of(r["reported"])) not in fly_bad
              and (r["ward"], quarter_of(r["reported"])) != ("West Dulwich", 1),
              "cleared", "31/02/2026", "impossible date", count=18, spread=lambda r: (r["ward"], quarter_of(r["reported"])))
    a.corrupt("flytip", lambda r: r["ward"] == "Streatham Wells", "ward", "Streatham Well", "ward name misspelt")
    a.corrupt("flytip", lambda r: r["ward"] == "Streatham Common & Vale", "reported", "31/02/2026",
              "impossible date in the field that places the report in a quarter")
    a.corrupt("flytip", lambda r: r["ward"] == "Oval" and quarter_of(r["reported"]) == 2, "ward", "",
              "blank ward (the field that places the report in a group)")

    # --- spending ---
    gen_spending(a, "spending", 9000, FileStyle(), departments=list(LAMBETH_DIRECTORATES),
                 published={1: date(2025, 7, 29), 2: date(2025, 10, 28), 3: date(2026, 1, 27), 4: date(2026, 4, 28)},
                 key="LBL-{yy}-{n:06d}", described={1: .006, 2: .003, 3: .004, 4: .002},
                 note="payments in the year, as in the quarterly Transparency Code files (Q4 published 28 April 2026)")
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "amount", "N/A", "`N/A` in a money field", count=3,
              spread=lambda r: quarter_of(r["paid"]))
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "published", "31/02/2026", "impossible date", count=2,
              spread=lambda r: quarter_of(r["paid"]))
    a.corrupt("spending", lambda r: True, "beneficiary", "", "blank required field (no duty reads it)", count=10)

    # --- consultation ---
    rows = []
    for q, n in {1: 11, 2: 10, 3: 13, 4: 10}.items():
        for i in range(n):
            wide = rng.random() < .4 and not (q == 4 and i > 0)
            if q == 4 and i == 0:
                wide = True
                opened = date(2026, 1, 5)
                length = 84
            else:
                length = rng.randint(84, 98) if wide else rng.randint(42, 63)
                opened = a.qday(q, latest=min(QUARTERS[q][1], FY_END - timedelta(days=length)))
            closed = opened + timedelta(days=length)
            rows.append(a.row("consultation", reference=None, ward=None if wide else weighted(rng, ww),
                              opened=opened, closed=closed, formative=True, reasons_given=True,
                              response_published=None))
    keyed(rows, "reference", "opened", "LBL-CONS-{y}-{n:02d}")
    q3 = [r for r in rows if quarter_of(r["opened"]) == 3]
    q3[4]["formative"] = False
    late_one = next(r for r in rows if quarter_of(r["closed"]) == 2)
    for r in rows:
        if r["closed"] <= E - timedelta(weeks=12):
            gap = 101 if r is late_one else rng.randint(20, 80)
        else:
            gap = rng.randint(20, 70)
        r["response_published"] = a.cap(a.cal.next_working(r["closed"] + timedelta(days=gap)))
    a.put("consultation", rows, FileStyle(), "consultations that opened and closed in the year (empty ward: borough-wide)")

    # --- commission ---
    rows = []
    big = ["Supported housing for young people", "Domestic abuse refuge and outreach", "Street cleansing (north)",
           "Adventure playgrounds", "Carers' support service", "Home care (south locality)", "Youth clubs: Brixton and Stockwell",
           "Employment support for disabled residents", "Floating housing support", "Mental health recovery college",
           "Food poverty partnership", "Youth violence prevention programme", "Library digital inclusion",
           "Reablement service", "Family hubs: early help", "Advice services partnership", "Community safety wardens",
           "Parks maintenance (Streatham)", "Substance misuse treatment", "Holiday activities and food programme",
           "Children's centres (Norwood)", "Day opportunities for adults with learning disabilities",
           "Youth mentoring", "Homelessness outreach", "Sexual health services", "Leaving care support",
           "Facilities management: civic buildings"]
    youth = {"Supported housing for young people", "Adventure playgrounds", "Youth clubs: Brixton and Stockwell",
             "Youth violence prevention programme", "Holiday activities and food programme", "Youth mentoring",
             "Leaving care support", "Family hubs: early help"}
    for service in big:
        fm = service.startswith("Facilities")
        awarded = a.day(FY_START, FY_END)
        rows.append(a.row("commission", reference=None, service=service, awarded=awarded,
                          annual_value=Money(340_000_00 if fm else rng.randrange(100_000, 2_400_000, 500) * 100),
                          youth_service=service in youth, co_produced=not fm, resident_panel=0 if fm else rng.randint(1, 4),
                          young_panel=rng.randint(2, 4) if service in youth else None,
                          outcomes_public=True))
    grants = ["Community grant: " + x for x in ("tenants' association", "food bank", "men's shed", "community garden",
              "youth football", "after-school club", "lunch club", "arts festival", "sensory play group",
              "digital skills drop-in", "refugee welcome", "mutual aid network", "street party fund", "repair cafe",
              "homework club", "walking group", "youth radio", "allotment society", "reading group", "choir",
              "boxing club", "parents' forum", "dementia cafe", "bike workshop", "coding club", "music studio",
              "community fridge", "ESOL conversation club", "estate clean-up days", "skate park group",
              "youth council events", "summer holiday club", "faith forum", "hardship fund partner",
              "neighbourhood watch", "wellbeing walks", "youth-led film project", "community kitchen",
              "older people's exercise", "library friends", "young carers' activities", "playground friends",
              "local history society")]
    for service in grants:
        yth = any(w in service for w in ("youth", "after-school", "homework", "coding", "young", "skate", "summer", "play"))
        rows.append(a.row("commission", reference=None, service=service, awarded=a.day(FY_START, FY_END),
                          annual_value=Money(rng.randrange(2_000, 95_000, 250) * 100), youth_service=yth,
                          co_produced=rng.random() < .5, resident_panel=rng.randint(0, 3),
                          young_panel=rng.randint(2, 3) if yth else None, outcomes_public=True))
    keyed(rows, "reference", "awarded", "COM-{yy}-{n:03d}")
    for r in rng.sample([r for r in rows if r["annual_value"] < 100_000_00], 2):
        r["outcomes_public"] = False
    a.put("commission", rows, FileStyle(fmt="json"), "contracts and grants awarded in the year (contracts register, JSON)")
    a.corrupt("commission", lambda r: r["annual_value"] < 100_000_00 and not r["youth_service"], "resident_panel", "N/A",
              "`N/A` in a whole-number field, on a grant under £100,000 (outside the co-production duty)")

    # --- decision ---
    rows = []
    closer = ["No: a borough-wide policy that has to be set for the whole of Lambeth",
              "Yes: delegated to the ward panel", "In part: local priorities set by the neighbourhood forum",
              "No: a statutory function of the council", "Yes: the tenants' and residents' association decides the detail",
              "No: a contract award under the procurement rules"]
    by_those = ["Residents co-designed the options", "No: the decision needs professional judgement",
                "In part: users sat on the evaluation panel", "Yes: decided by a residents' vote",
                "No: but those affected were consulted first", "In part: young people chose between two designs"]
    kd_dates = sorted(a.day(FY_START, date(2025, 7, 15)) for _ in range(40)) + [date(2025, 7, 16)] + \
        sorted(a.day(date(2025, 7, 17), FY_END) for _ in range(90))
    for i, dd in enumerate(kd_dates, 1):
        rows.append(a.row("decision", reference=f"KD-2025-{i:03d}", decided=dd,
                          maker="cabinet" if i == 41 else weighted(rng, {"cabinet": 45, "cabinet_member": 50, "full_council": 5}),
                          closer_answer="Delegated to the Brixton neighbourhood forum" if i == 41 else rng.choice(closer),
                          by_those_answer=None if i == 41 else rng.choice(by_those),
                          answers_published=date(2025, 7, 18) if i == 41 else min(FY_END, a.add_wd(dd, rng.randint(0, 4)))))
    od_dates = sorted(a.day(FY_START, FY_END) for _ in range(95))
    for i, dd in enumerate(od_dates, 1):
        rows.append(a.row("decision", reference=f"OD-2025-{i:03d}", decided=dd, maker="officer",
                          closer_answer=rng.choice(closer), by_those_answer=rng.choice(by_those),
                          answers_published=min(FY_END, a.add_wd(dd, rng.randint(0, 5)))))
    rows.sort(key=lambda r: (r["decided"], r["reference"]))
    for q in QUARTERS:
        late_rows = rng.sample([r for r in rows if quarter_of(r["decided"]) == q and r["reference"] != "KD-2025-041"
                                and r["decided"] < date(2026, 3, 9)], 2 if q == 3 else 1)
        for j, r in enumerate(late_rows):
            r["answers_published"] = None if j else a.cap(a.add_wd(r["decided"], rng.randint(7, 12)))
    a.put("decision", rows, FileStyle(fmt="json"), "key (KD) and officer (OD) decisions in the year, from the committee system (JSON)")
    a.corrupt("decision", lambda r: r["maker"] == "cabinet" and r["reference"] != "KD-2025-041", "maker", "cabinet member",
              "value not in the list (space for underscore); no duty reads `maker`")

    # --- election_result ---
    rows = [a.row("election_result", contest="Streatham Common & Vale 2025-10-16", ward="Streatham Common & Vale",
                  polled=date(2025, 10, 16), electorate=11842, votes_cast=3031),
            a.row("election_result", contest="Oval 2026-02-12", ward="Oval", polled=date(2026, 2, 12),
                  electorate=10967, votes_cast=2874)]
    a.put("election_result", rows, FileStyle(), "by-elections in the year (the borough's next full elections are on 7 May 2026)")

    # --- councillor ---
    gen_councillors(a, W, seats={w: (3 if i < 13 else 2) for i, w in enumerate(sorted(W, key=lambda _: rng.random()))},
                    key="CLLR-{n:02d}",
                    absent={"Clapham Park": date(2025, 9, 17)}, approved={"Stockwell East": date(2025, 8, 14)},
                    low_attendance=["Knight's Hill", "Oval", "West Norwood"], ratio=Fraction(3, 4),
                    no_report=["Vauxhall", "Brixton North", "Streatham Wells", "Kennington"],
                    old_report={"Clapham Town": date(2025, 3, 20)})

    # --- service_contact ---
    rows = []
    vul = a.alloc(4100, {(w, q): ww[w] * QW_EVEN[q] for w in W for q in QUARTERS}, minimum=24)
    sc_bad = {("Vauxhall", 1): (.14, .20), ("Vauxhall", 2): (.14, .20), ("Streatham St Leonard's", 1): (.14, .20)}
    services = {"adult_social_care": 18, "housing": 22, "libraries": 12, "customer_centre": 20,
                "health_visiting": 9, "mental_health": 9, "neighbourhood_policing": 10}
    by_q: dict = {q: [] for q in QUARTERS}
    for (w, q), n in vul.items():
        lo, hi = sc_bad.get((w, q), (.02, .07))
        for not_asked in a.flags(n, a.nfail(n, lo, hi)):
            r = a.row("service_contact", contact_ref=None, ward=w, service=weighted(rng, services),
                      contact_date=a.qday(q, weekend=.03), vulnerable=True, asked=not not_asked, offered_referral=False)
            rows.append(r)
            if not not_asked:
                by_q[q].append(r)
        for _ in range(round(n * 1.2)):
            asked = rng.random() < .3
            rows.append(a.row("service_contact", contact_ref=None, ward=w, service=weighted(rng, services),
                              contact_date=a.qday(q, weekend=.03), vulnerable=False, asked=asked,
                              offered_referral=asked and rng.random() < .2))
    for q, asked_rows in by_q.items():
        for r, off in zip(asked_rows, exact_mix(rng, len(asked_rows), {True: 89, False: 11})):
            r["offered_referral"] = off
    keyed(rows, "contact_ref", "contact_date", "SC-{yy}-{n:06d}")
    a.put("service_contact", rows, FileStyle(), "contacts between public servants and residents, with the relationship questions")
    spread = lambda r: (r["ward"], quarter_of(r["contact_date"]))
    a.corrupt("service_contact", lambda r: True, "service", "housing options", "value not in the list; no duty reads `service`", count=5)
    a.corrupt("service_contact", lambda r: r["vulnerable"] and (r["ward"], quarter_of(r["contact_date"])) not in sc_bad,
              "vulnerable", "", "blank required field", count=6, spread=spread, across=True)
    a.corrupt("service_contact", lambda r: r["vulnerable"] and r["asked"] and (r["ward"], quarter_of(r["contact_date"])) not in sc_bad,
              "asked", "unknown", "not yes/no", count=6, spread=spread, across=True)


SPEND_PURPOSES = {
    "Housing": ["Temporary accommodation", "Responsive repairs", "Void works", "Damp and mould works", "Security services"],
    "Children's Services": ["Foster care allowance", "Home to school transport", "Residential placement", "Legal fees", "Family support"],
    "Adults and Health": ["Residential care placement", "Home care", "Direct payment", "Equipment", "Supported living"],
    "Residents' Services": ["Waste collection contract", "Street cleansing", "Parks maintenance", "Library stock", "Vehicle hire"],
    "Finance and Resources": ["Software licences", "Audit fees", "Energy", "Insurance premium", "Agency staff"],
    "Sustainable Growth and Opportunity": ["Construction works", "Professional fees", "Employment support grant", "Planning appeal costs", "Surveys"],
    "Chief Executive's Office": ["Printing", "Communications", "Legal fees", "Subscriptions", "Consultancy"],
}
PURPOSE_CATEGORY = {
    "Temporary accommodation": "Third Party Payments", "Responsive repairs": "Premises-Related Expenditure",
    "Void works": "Premises-Related Expenditure", "Damp and mould works": "Premises-Related Expenditure",
    "Security services": "Premises-Related Expenditure", "Foster care allowance": "Transfer Payments",
    "Home to school transport": "Transport-Related Expenditure", "Residential placement": "Third Party Payments",
    "Legal fees": "Supplies and Services", "Family support": "Third Party Payments",
    "Residential care placement": "Third Party Payments", "Home care": "Third Party Payments",
    "Direct payment": "Transfer Payments", "Equipment": "Supplies and Services", "Supported living": "Third Party Payments",
    "Waste collection contract": "Third Party Payments", "Street cleansing": "Third Party Payments",
    "Parks maintenance": "Premises-Related Expenditure", "Library stock": "Supplies and Services",
    "Vehicle hire": "Transport-Related Expenditure", "Software licences": "Supplies and Services",
    "Audit fees": "Supplies and Services", "Energy": "Premises-Related Expenditure",
    "Insurance premium": "Supplies and Services", "Agency staff": "Employees", "Construction works": "Capital",
    "Professional fees": "Supplies and Services", "Employment support grant": "Transfer Payments",
    "Planning appeal costs": "Supplies and Services", "Surveys": "Supplies and Services",
    "Printing": "Supplies and Services", "Communications": "Supplies and Services",
    "Subscriptions": "Supplies and Services", "Consultancy": "Supplies and Services",
}
SERCOP = ["Employees", "Premises-Related Expenditure", "Transport-Related Expenditure", "Supplies and Services",
          "Third Party Payments", "Transfer Payments", "Capital"]


def gen_spending(a: Area, record: str, n: int, style: FileStyle, *, published, key: str, note: str,
                 departments: list | None = None, described: dict | None = None,
                 late_lines: list = (), unpublished: dict | None = None) -> list[dict]:
    """Payments: `published` maps a quarter to its publication day, or is a function of the
    payment day. `late_lines`: (count, first paid, last paid, published) overrides;
    `unpublished`: quarter -> lines never published."""
    rng = a.rng
    names = {f.name for f in a.con.records[record].fields}
    sups = suppliers(rng, 260)
    rows = []
    for _ in range(n):
        paid = a.day(FY_START, FY_END)
        x = rng.random()
        if x < .01:
            amount = -rng.randrange(600_00, 20_000_00)
        elif x < .02:
            amount = 500_00
        else:
            amount = min(2_500_000_00, max(500_01, round(math.exp(rng.gauss(7.8, 1.3)) * 100)))
        dept = rng.choice(departments) if departments else None
        v = {"transaction": None, "paid": paid, "amount": Money(amount),
             "published": published(paid) if callable(published) else published[quarter_of(paid)]}
        if "department" in names:
            v["department"] = dept
        if "service" in names:
            v["service"] = dept
        if "beneficiary" in names:
            v["beneficiary"] = "REDACTED - personal data" if rng.random() < .06 else rng.choice(sups)
        if "purpose" in names:
            v["purpose"] = rng.choice(SPEND_PURPOSES.get(dept, ["Services"]))
        if "category" in names:
            v["category"] = PURPOSE_CATEGORY.get(v.get("purpose"), "Supplies and Services")
        rows.append(a.row(record, **v))
    rows.sort(key=lambda r: r["paid"])
    for count, first, last, pub in late_lines:
        for r in rng.sample([r for r in rows if first <= r["paid"] <= last and r["amount"] > 500_00], count):
            r["published"] = pub
    for q, count in (unpublished or {}).items():
        for r in rng.sample([r for r in rows if quarter_of(r["paid"]) == q and r["amount"] > 500_00], count):
            r["published"] = None
    for q, share_missing in (described or {}).items():
        over = [r for r in rows if quarter_of(r["paid"]) == q and r["amount"] > 500_00]
        for r in rng.sample(over, round(len(over) * share_missing)):
            r["purpose" if rng.random() < .6 else "category"] = None
    for i, r in enumerate(rows, 1):
        r["transaction"] = key.format(yy=r["paid"].year % 100, n=i)
    return a.put(record, rows, style, note)


def gen_councillors(a: Area, wards: list, *, seats: dict, key: str, absent: dict = None, approved: dict = None,
                    stale: dict = None, low_attendance: list = (), ratio: Fraction = Fraction(3, 4),
                    no_report: list = (), old_report: dict = None, low_surgeries: list = (),
                    fixed: dict = None) -> list[dict]:
    """One row per councillor; the first seat of a ward named in a list gets that trait."""
    rng, rows, n = a.rng, [], 0
    names = {f.name for f in a.con.records["councillor"].fields}
    absent, approved, stale, old_report, fixed = absent or {}, approved or {}, stale or {}, old_report or {}, fixed or {}
    for w in sorted(wards):
        for seat in range(seats[w]):
            n += 1
            first = seat == 0
            last = a.day(date(2026, 2, 9), date(2026, 3, 26))
            appr = False
            if first and w in absent:
                last = absent[w]
            elif first and w in approved:
                last, appr = approved[w], True
            elif first and w in stale:
                last = stale[w]
            v = {"member": key.format(n=n), "ward": w, "last_attended": last, "approved_absence": appr}
            if "meetings_summoned" in names:
                summoned = rng.randint(12, 26)
                if first and (w in low_attendance or w in absent or w in approved):
                    attended = math.floor(summoned * rng.uniform(.3, .68))
                else:
                    attended = min(summoned, math.ceil(summoned * ratio) + rng.randint(0, summoned))
                v["meetings_summoned"], v["meetings_attended"] = summoned, attended
            if "surgeries_held" in names:
                v["surgeries_held"] = rng.randint(2, 5) if first and w in low_surgeries else rng.randint(6, 24)
            if first and w in no_report:
                v["annual_report"] = None
            elif first and w in old_report:
                v["annual_report"] = old_report[w]
            else:
                v["annual_report"] = a.day(date(2025, 5, 1), date(2025, 10, 31))
            rows.append(a.row("councillor", **v))
    for w, (member, values) in fixed.items():
        r = next(r for r in rows if r["ward"] == w)
        swap_key(rows, "member", r, member)
        r.update(values)
    return a.put("councillor", rows, FileStyle(), f"{len(rows)} councillors, one row each (made-up ids; no names)")


# ------------------------------------------------------------------------------------------
# Oldham: six district partnerships of 20 wards; most duties per district.

OLDHAM_DISTRICTS = {
    "Chadderton": ["Chadderton Central", "Chadderton North", "Chadderton South"],
    "Failsworth and Hollinwood": ["Failsworth East", "Failsworth West", "Hollinwood"],
    "Oldham East": ["Alexandra", "St James'", "St Mary's", "Waterhead"],
    "Oldham West": ["Coldhurst", "Medlock Vale", "Werneth"],
    "Royton, Shaw and Crompton": ["Crompton", "Royton North", "Royton South", "Shaw"],
    "Saddleworth and Lees": ["Saddleworth North", "Saddleworth South", "Saddleworth West and Lees"],
}
OLDHAM_CODES = {
    "Alexandra": "ALEX", "Chadderton Central": "CHAC", "Chadderton North": "CHAN", "Chadderton South": "CHAS",
    "Coldhurst": "COLD", "Crompton": "CROM", "Failsworth East": "FAIE", "Failsworth West": "FAIW",
    "Hollinwood": "HOLL", "Medlock Vale": "MEDV", "Royton North": "ROYN", "Royton South": "ROYS",
    "Saddleworth North": "SADN", "Saddleworth South": "SADS", "Saddleworth West and Lees": "SADW",
    "Shaw": "SHAW", "St James'": "STJA", "St Mary's": "STMA", "Waterhead": "WATE", "Werneth": "WERN",
}
OLDHAM_SERVICES = {
    "Children's Services": 220, "Adult Social Care": 110, "Housing": 90, "Environmental Services": 170,
    "Highways": 120, "Finance": 140, "Planning": 95, "Corporate Services": 85, "Public Health": 48,
}
DISTRICT_PREFIX = {"Chadderton": "CH", "Failsworth and Hollinwood": "FH", "Oldham East": "OE",
                   "Oldham West": "OW", "Royton, Shaw and Crompton": "RS", "Saddleworth and Lees": "SL"}


def swap_key(rows: list[dict], keyfield: str, row: dict, wanted: str) -> None:
    """Gives `row` the key `wanted` (as in the constitution's tests), swapping with its holder."""
    other = next((r for r in rows if r[keyfield] == wanted), None)
    if other is not None:
        other[keyfield] = row[keyfield]
    row[keyfield] = wanted


def schedule(a: Area, per_q: dict, length, ok, tries: int = 400, early: int = 0, early_length=None):
    """Consultation dates: (opened, closed) per quarter, redrawn until `ok(pairs)` holds.
    `early` more open in April and close within the first quarter."""
    for _ in range(tries):
        pairs = []
        for _ in range(early):
            days = early_length()
            opened = a.day(FY_START, QUARTERS[1][1] - timedelta(days=days))
            pairs.append((opened, opened + timedelta(days=days)))
        for q, n in per_q.items():
            for _ in range(n):
                days = length()
                latest = min(QUARTERS[q][1], FY_END - timedelta(days=days))
                if latest < QUARTERS[q][0]:
                    continue
                opened = a.qday(q, latest=latest)
                pairs.append((opened, opened + timedelta(days=days)))
        if ok(pairs):
            return sorted(pairs)
    raise RuntimeError("no consultation schedule found")


def closes_ok(pairs, need: int = 5) -> bool:
    """At least `need` consultations close in each of Q1-Q3 and none on 1-6 January."""
    due = [c for _, c in pairs]
    return all(sum(1 for c in due if quarter_of(c) == q) >= need for q in (1, 2, 3)) and \
        not any(date(2026, 1, 1) <= c <= date(2026, 1, 6) for c in due)


def gen_oldham(a: Area) -> None:
    rng = a.rng
    D = list(OLDHAM_DISTRICTS)
    ward_district = {w: d for d, ws in OLDHAM_DISTRICTS.items() for w in ws}
    W = list(ward_district)
    dw = {"Chadderton": 1.0, "Failsworth and Hollinwood": .95, "Oldham East": 1.25, "Oldham West": 1.35,
          "Royton, Shaw and Crompton": 1.0, "Saddleworth and Lees": .6}

    # --- information_request ---
    rows = gen_foi(a, "information_request", OLDHAM_SERVICES,
                   {("Children's Services", 3): (.14, .19), ("Children's Services", 4): (.14, .19)},
                   group_field="service", answer_field="answered", extended_field="complex",
                   eir={"Environmental Services": [6, 6, 4, 7], "Planning": [4, 4, 2, 4], "Highways": [2, 1, 1, 2]},
                   eir_fail=(0, 0))
    rows.append(a.row("information_request", reference=None, service="Finance", regime="foia", received=FY_START,
                      answered=a.add_wd(FY_START, 15), complex=False))
    rows.append(a.row("information_request", reference=None, service="Highways", regime="foia", received=FY_END,
                      answered=None, complex=False))
    keyed(rows, "reference", "received", "IR-{y}-{n:04d}")
    a.put("information_request", rows, FileStyle(dates="uk"), "FOI and EIR requests received in the year (answers known on 31 March 2026)")
    a.corrupt("information_request", lambda r: r["regime"] == "foia" and r["answered"] is not None
              and r["service"] in ("Environmental Services", "Finance"), "answered", "31/02/2026", "impossible date",
              count=2, spread=lambda r: r["service"])
    a.corrupt("information_request", lambda r: r["regime"] == "foia" and quarter_of(r["received"]) == 1
              and r["service"] == "Housing", "complex", "", "blank required field on an FOI request (only the EIR duty reads `complex`)")

    # --- temporary_accommodation ---
    rows = []
    for q in QUARTERS:
        for d in D:
            for _ in range(max(1, round(dw[d] * 3.4 + rng.uniform(-1, 1)))):
                long_one = (d, q) == ("Oldham West", 3) and not any(r.get("_long") for r in rows)
                stay = 52 if long_one else rng.randint(4, 40)
                placed = a.qday(q, weekend=.1, latest=date(2025, 11, 5) if long_one else None)
                r = a.row("temporary_accommodation", placement=None, district=d,
                          household_type="pregnant" if rng.random() < .12 else "family", setting="bed_and_breakfast",
                          placed=placed, moved_on=a.cap(placed + timedelta(days=stay)))
                if long_one:
                    r["_long"] = True
                rows.append(r)
        for ht, setting, n, lo, hi in (("single_adult", "bed_and_breakfast", 15, 3, 120), ("single_adult", "hostel", 22, 20, 250),
                                       ("couple", "hostel", 6, 20, 200), ("family", "dispersed", 30, 60, 400),
                                       ("pregnant", "dispersed", 3, 60, 300), ("family", "refuge", 4, 20, 180),
                                       ("young_person_16_17", "hostel", 2, 20, 150), ("young_person_16_17", "dispersed", 1, 30, 200)):
            for _ in range(n):
                placed = a.qday(q, weekend=.1)
                rows.append(a.row("temporary_accommodation", placement=None, district=weighted(rng, dw),
                                  household_type=ht, setting=setting, placed=placed,
                                  moved_on=a.cap(placed + timedelta(days=rng.randint(lo, hi)))))
    yp = a.row("temporary_accommodation", placement=None, district="Oldham West", household_type="young_person_16_17",
               setting="bed_and_breakfast", placed=date(2026, 1, 12), moved_on=date(2026, 1, 14))
    rows.append(yp)
    for r in rows:
        r.pop("_long", None)
    keyed(rows, "placement", "placed", "TA-{yy}-{n:04d}")
    swap_key(rows, "placement", yp, "TA-26-0031")
    a.put("temporary_accommodation", rows, FileStyle(), "placements in temporary accommodation made in the year")
    a.corrupt("temporary_accommodation", lambda r: r["household_type"] == "single_adult" and r["setting"] == "bed_and_breakfast"
              and quarter_of(r["placed"]) == 3 and r["district"] not in ("Oldham West",),
              "setting", "B&B", "value not in the list (`B&B` for `bed_and_breakfast`)")

    # --- homelessness_case ---
    rows = []
    relief = a.alloc(1400, {(d, q): dw[d] * QW_EVEN[q] for d in D for q in QUARTERS}, minimum=12)
    late = FY_END - timedelta(days=60)
    for (d, q), n in relief.items():
        for fail in a.flags(n, a.nfail(n, .04, .10)):
            started = a.qday(q, weekend=.02, latest=late if fail and q == 4 else None)
            ended = (None if rng.random() < .15 else started + timedelta(days=rng.randint(57, 100))) if fail else \
                started + timedelta(days=56 if rng.random() < .3 else rng.randint(10, 55))
            ended = a.cap(ended)
            rows.append(a.row("homelessness_case", case_ref=None, district=d, duty="relief", duty_started=started,
                              duty_ended=ended, outcome=weighted(rng, {"accommodation_secured": 40, "contact_lost": 15,
                                                                       "refused": 5, "other": 40}) if ended else None))
    secured = {1: 59.5, 2: 52, 3: 60.5, 4: 58.5}
    for q in QUARTERS:
        cases = []
        for _ in range(310):
            started = a.qday(q, weekend=.02)
            cases.append([started, a.cap(started + timedelta(days=rng.randint(10, 56) if rng.random() < .8 else rng.randint(57, 120)))])
        ended = [c for c in cases if c[1]]
        mix = exact_mix(rng, len(ended), {"accommodation_secured": secured[q], "contact_lost": 15, "refused": 5,
                                          None: 4, "other": 76 - secured[q]})
        for c, o in zip(ended, mix):
            c.append(o)
        for c in cases:
            rows.append(a.row("homelessness_case", case_ref=None, district=weighted(rng, dw), duty="prevention",
                              duty_started=c[0], duty_ended=c[1], outcome=c[2] if len(c) > 2 else None))
    keyed(rows, "case_ref", "duty_started", "HC-{yy}-{n:05d}")
    a.put("homelessness_case", rows, FileStyle(booleans="truefalse"), "prevention and relief duties that started in the year")
    a.corrupt("homelessness_case", lambda r: r["duty"] == "prevention" and r["outcome"] == "accommodation_secured",
              "outcome", "accomodation_secured", "value not in the list (misspelt)", count=3,
              spread=lambda r: quarter_of(r["duty_started"]))
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief", "duty", "relief duty", "value not in the list",
              count=2, spread=lambda r: r["district"])
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief" and r["duty_ended"] is not None, "duty_ended",
              "31/02/2026", "impossible date", count=2, spread=lambda r: r["district"])

    # --- school_admission ---
    rows = []
    first = {"Oldham West": .81, "Chadderton": .835}
    for phase, offer_day, total in (("primary", date(2025, 4, 16), 3100), ("secondary", date(2026, 3, 2), 3300)):
        for d, n in a.alloc(total, dw).items():
            share1 = first.get(d, rng.uniform(.865, .92))
            prefs = exact_mix(rng, n, {1: share1, 2: (1 - share1) * .55, 3: (1 - share1) * .3, None: (1 - share1) * .15})
            for p in prefs:
                rows.append(a.row("school_admission", application=None, district=d, phase=phase, offer_day=offer_day,
                                  offered=offer_day, preference=p))
    rng.shuffle(rows)
    keyed(rows, "application", "offer_day", "OMBC-{g}-{n:05d}", group=lambda r: "R25" if r["phase"] == "primary" else "Y7-26")
    a.put("school_admission", rows, FileStyle(),
          "normal-round applications: reception (offer day 16 April 2025) and year 7 (offer day 2 March 2026)")
    a.corrupt("school_admission", lambda r: True, "phase", "primry", "value not in the list (misspelt); no duty reads `phase`", count=4)
    a.corrupt("school_admission", lambda r: True, "offered", "31/02/2026", "impossible date", count=3)

    # --- in_year_admission ---
    rows = []
    iy = a.alloc(1700, {(d, q): dw[d] * {1: .22, 2: .34, 3: .24, 4: .20}[q] for d in D for q in QUARTERS}, minimum=12)
    iy_bad = {("Oldham East", 2): (.10, .13), ("Oldham West", 2): (.10, .13)}
    late = a.late_enough(15)
    for (d, q), n in iy.items():
        lo, hi = iy_bad.get((d, q), (0, .035))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            applied = a.qday(q, weekend=.05, latest=late if fail and q == 4 else None)
            rows.append(a.row("in_year_admission", application=None, district=d, applied=applied,
                              outcome_sent=a.wd_case(applied, fail, 15, open_share=.05)))
    keyed(rows, "application", "applied", "IYA-{yy}-{n:04d}")
    a.put("in_year_admission", rows, FileStyle(dates="uk"), "in-year applications to change school made in the year")
    a.corrupt("in_year_admission", lambda r: r["outcome_sent"] is not None and (r["district"], quarter_of(r["applied"])) not in iy_bad,
              "outcome_sent", "31/02/2026", "impossible date", count=3, spread=lambda r: (r["district"], quarter_of(r["applied"])))
    a.corrupt("in_year_admission", lambda r: True, "application", "", "blank key (no duty reads it)")

    # --- neet_return ---
    rows = []
    nk_rate = {9: .031, 10: .022, 11: .014}
    hot = {("Oldham West", 9): .047, ("Oldham West", 10): .05, ("Oldham West", 11): .056, ("Oldham East", 9): .036}
    cohorts = {w: rng.randint(280, 420) for w in W}
    for m in MONTHS:
        for w in W:
            d = ward_district[w]
            c = cohorts[w] + rng.randint(-6, 6)
            neet_r = hot.get((d, m.month), rng.uniform(.022, .03))
            rows.append(a.row("neet_return", row_ref=f"{OLDHAM_CODES[w]}-{m:%Y-%m}", ward=w, district=d, month_start=m,
                              cohort=c, neet=round(c * neet_r), not_known=round(c * nk_rate.get(m.month, rng.uniform(.005, .011)))))
    a.put("neet_return", rows, FileStyle(fmt="json"), "the County-style monthly return: 20 wards x 12 months (JSON)")
    i = next(i for i, r in enumerate(rows) if r["row_ref"] == "SADW-2025-12")
    rows[i]["neet"] = Raw("N/A")
    a.malformed.append(Malformed("neet_return", i, "SADW-2025-12", "neet", "N/A",
                                 "`N/A` in a whole-number field: one of the district's three ward returns for the month"))

    # --- enterprise_support ---
    rows = [a.row("enterprise_support", client=None, district=weighted(rng, dw),
                  support_ended=a.day(date(2025, 4, 2), FY_END), women_led=wl, trading_after_12=None)
            for wl in exact_mix(rng, 160, {True: 46, False: 54})]
    keyed(rows, "client", "support_ended", "ES-{yy}-{n:03d}")
    a.put("enterprise_support", rows, FileStyle(), "people whose start-up support ended in the year (follow-up calls not yet due)")
    a.corrupt("enterprise_support", lambda r: True, "women_led", "", "blank required field")

    # --- air_quality ---
    rows = []
    for d in D:
        for i in range(1, {"Oldham West": 10, "Oldham East": 9}.get(d, 6) + 1):
            rows.append(a.row("air_quality", site=f"OL-{DISTRICT_PREFIX[d]}-{i:02d}", district=d, year_end=date(2025, 12, 31),
                              no2_annual_mean=round(rng.uniform(24, 38.4) if d in ("Oldham West", "Oldham East") else rng.uniform(14, 33), 1),
                              data_capture=round(rng.uniform(80, 100), 1)))
    r = next(r for r in rows if r["site"] == "OL-OW-04")
    r["no2_annual_mean"], r["data_capture"] = 41.0, 62.0
    a.put("air_quality", rows, FileStyle(), "one row per NO2 monitoring site for calendar year 2025")

    # --- cleanliness_survey ---
    rows = []
    windows = {1: (date(2025, 5, 12), date(2025, 6, 20)), 2: (date(2025, 7, 7), date(2025, 8, 29)),
               3: (date(2025, 10, 13), date(2025, 11, 28)), 4: (date(2026, 2, 2), date(2026, 3, 13))}
    lbad = {("Failsworth and Hollinwood", 2): (.13, .17), ("Failsworth and Hollinwood", 3): (.13, .17)}
    for d in D:
        ws = OLDHAM_DISTRICTS[d]
        for q, (x, y) in windows.items():
            n = 14 * len(ws) + rng.randint(-2, 4)
            lo, hi = lbad.get((d, q), (.02, .07))
            for j, fail in enumerate(a.flags(n, a.nfail(n, lo, hi))):
                grade = weighted(rng, {"B-": 6, "C": 3, "D": 1}) if fail else weighted(rng, {"A": 30, "B+": 40, "B": 30})
                rows.append(a.row("cleanliness_survey", transect=f"{DISTRICT_PREFIX[d]}-{q - 1}{j + 1:03d}", ward=ws[j % len(ws)],
                                  district=d, surveyed=a.day(x, y), litter=grade))
    rows.sort(key=lambda r: (r["surveyed"], r["transect"]))
    a.put("cleanliness_survey", rows, FileStyle(dates="uk"), "street transects surveyed in four tranches")
    a.corrupt("cleanliness_survey", lambda r: (r["district"], quarter_of(r["surveyed"])) not in lbad, "litter", "B -",
              "value not in the list (stray space)", count=2, spread=lambda r: (r["district"], quarter_of(r["surveyed"])))

    # --- spending ---
    def monthly(paid: date) -> date:
        nxt = month_end(paid) + timedelta(days=24)
        return a.cal.next_working(nxt)
    gen_spending(a, "spending", 9000, FileStyle(money="plain"), published=monthly, key="OMBC-{yy}-{n:06d}",
                 departments=list(OLDHAM_SERVICES), note="payments in the year, published monthly (March lines published April 2026)")
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "amount", "N/A", "`N/A` in a money field", count=3,
              spread=lambda r: r["paid"].month)
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "published", "31/02/2026", "impossible date", count=2,
              spread=lambda r: r["paid"].month)

    # --- consultation ---
    pairs = schedule(a, {1: 2, 2: 7, 3: 8, 4: 6}, lambda: rng.randint(56, 84), closes_ok,
                     early=5, early_length=lambda: rng.randint(56, 63))
    rows = []
    for opened, closed in pairs:
        young = rng.random() < .4
        rows.append(a.row("consultation", reference=None, district=None if rng.random() < .45 else weighted(rng, dw),
                          opened=opened, closed=closed, formative=True, affects_young=young, youth_consulted=young,
                          response_published=a.cap(a.cal.next_working(closed + timedelta(days=rng.randint(20, 80))))))
    keyed(rows, "reference", "opened", "OMBC-C-{y}-{n:02d}")
    a.put("consultation", rows, FileStyle(), "consultations that opened and closed in the year (empty district: borough-wide)")

    # --- youth_motion ---
    tabled = [date(2025, 4, 9), date(2025, 5, 21), date(2025, 6, 18), date(2025, 7, 9), date(2025, 7, 9),
              date(2025, 9, 10), date(2025, 9, 10), date(2025, 10, 15), date(2025, 11, 12), date(2025, 12, 10),
              date(2026, 1, 14), date(2026, 2, 25), date(2026, 3, 11)]
    rows = []
    for i, t in enumerate(tabled):
        reply = date(2025, 11, 19) if i == 6 else (None if t == date(2026, 3, 11) else
                                                   a.cal.next_working(t + timedelta(days=rng.randint(21, 52))))
        rows.append(a.row("youth_motion", reference=None, tabled=t, kind="challenge" if i == 6 else rng.choice(["resolution", "challenge"]),
                          executive_reply=reply))
    keyed(rows, "reference", "tabled", "YC-{y}-{n:02d}")
    a.put("youth_motion", rows, FileStyle(), "Youth Council resolutions and challenges tabled at Full Council")

    # --- youth_election ---
    rows, places = [], []
    for d in D:
        for i in range(1, 4 if d != "Saddleworth and Lees" else 3):
            places.append((f"{d} secondary school {i}", d, rng.randint(700, 1700)))
        places.append((f"{d} youth centre", d, rng.randint(150, 420)))
    places.append(("Oldham town centre college", "Oldham West", 2400))
    weights = [e * rng.uniform(.2, .4) for _, _, e in places]
    votes = [math.floor(9412 * w / sum(weights)) for w in weights]
    votes[0] += 9412 - sum(votes)
    for (p, d, e), v in zip(places, votes):
        rows.append(a.row("youth_election", polling_place=p, district=d, polled=a.day(date(2026, 3, 9), date(2026, 3, 13)),
                          eligible=e, votes_cast=min(v, e)))
    a.put("youth_election", rows, FileStyle(), "Youth Council election, 9-13 March 2026, by polling place")

    # --- decision ---
    rows = [a.row("decision", reference=None, decided=a.day(FY_START, FY_END), closer_considered=True, by_them_considered=True)
            for _ in range(182)]
    keyed(rows, "reference", "decided", "DEC-{y}-{n:03d}")
    a.put("decision", rows, FileStyle(), "executive and delegated decisions in the year")
    a.corrupt("decision", lambda r: True, "closer_considered", "", "blank required field")

    # --- election_result ---
    a.put("election_result", [], FileStyle(), "no ward contests in the year (metropolitan boroughs did not poll in May 2025)")

    # --- councillor ---
    gen_councillors(a, W, seats={w: 3 for w in W}, key="CLLR-{n:02d}", ratio=Fraction(4, 5),
                    low_attendance=["Coldhurst", "Hollinwood", "Shaw", "St Mary's", "Failsworth West"])

    # --- frontline_contact ---
    rows = []
    svc = {"adult social care": 20, "housing": 22, "libraries": 10, "community health": 18,
           "neighbourhood policing": 10, "early help": 12, "customer services": 8}
    for (d, q), n in a.alloc(6600, {(d, q): dw[d] * QW_EVEN[q] for d in D for q in QUARTERS}, minimum=40).items():
        for not_asked in a.flags(n, a.nfail(n, .01, .04)):
            isolated = None if not_asked else rng.random() < .15
            rows.append(a.row("frontline_contact", contact_ref=None, district=d, service=weighted(rng, svc),
                              contact_date=a.qday(q, weekend=.03), asked=not not_asked, isolated=isolated,
                              offered_referral=bool(isolated) or (not not_asked and rng.random() < .1)))
    t1 = a.row("frontline_contact", contact_ref=None, district="Chadderton", service="libraries", contact_date=date(2025, 11, 4),
               asked=True, isolated=True, offered_referral=False)
    t2 = a.row("frontline_contact", contact_ref=None, district="Chadderton", service="housing", contact_date=date(2025, 11, 5),
               asked=False, isolated=None, offered_referral=False)
    rows += [t1, t2]
    keyed(rows, "contact_ref", "contact_date", "FC-{yy}-{n:04d}")
    swap_key(rows, "contact_ref", t1, "FC-25-3310")
    swap_key(rows, "contact_ref", t2, "FC-25-3311")
    a.put("frontline_contact", rows, FileStyle(fmt="ndjson"), "contacts with potentially vulnerable residents (NDJSON)")
    spread = lambda r: (r["district"], quarter_of(r["contact_date"]))
    a.corrupt("frontline_contact", lambda r: r["asked"] and r["contact_ref"] not in ("FC-25-3310",), "asked", None,
              "required field is null", count=5, spread=spread)
    a.corrupt("frontline_contact", lambda r: r["asked"] and r["isolated"] is False, "isolated", "maybe", "not yes/no",
              count=3, spread=spread)


# ------------------------------------------------------------------------------------------
# Plymouth: 20 wards; FOI and EIR in one duty at 95%.

PLYMOUTH_WARDS = ["Budshead", "Compton", "Devonport", "Drake", "Efford and Lipson", "Eggbuckland", "Ham",
                  "Honicknowle", "Moor View", "Peverell", "Plympton Chaddlewood", "Plympton Erle",
                  "Plympton St Mary", "Plymstock Dunstone", "Plymstock Radford", "Southway", "St Budeaux",
                  "St Peter and the Waterfront", "Stoke", "Sutton and Mount Gould"]


def gen_plymouth(a: Area) -> None:
    rng, W = a.rng, PLYMOUTH_WARDS
    ww = a.jitter(W)
    for w in ("Plympton Chaddlewood", "Plympton Erle", "Drake"):
        ww[w] *= .7

    # --- info_request ---
    rows = gen_foi(a, "info_request", {None: 1130}, {(None, 3): (.065, .08)}, group_field=None,
                   answer_field="answered", eir={None: 30}, good=(.01, .03), eir_fail=(0, .03))
    rows.append(a.row("info_request", reference=None, regime="foia", received=FY_START,
                      answered=a.add_wd(FY_START, 9), extended=False))
    keyed(rows, "reference", "received", "PCC-IR-{yy}-{n:05d}")
    a.put("info_request", rows, FileStyle(), "FOI and EIR requests received in the year (answers known on 31 March 2026)")
    a.corrupt("info_request", lambda r: r["answered"] is not None and quarter_of(r["received"]) != 3, "answered",
              "31/02/2026", "impossible date", count=2, spread=lambda r: quarter_of(r["received"]))
    a.corrupt("info_request", lambda r: r["regime"] == "eir" and quarter_of(r["received"]) == 1, "regime", "eir.",
              "value not in the list (stray full stop)")
    a.corrupt("info_request", lambda r: r["regime"] == "foia" and quarter_of(r["received"]) == 2, "extended", "",
              "blank required field (the one information duty reads `extended`)")

    # --- spending ---
    gen_spending(a, "spending", 8500, FileStyle(dates="uk", money="plain"), key="PCC-AP-{yy}-{n:06d}",
                 published={1: date(2025, 7, 31), 2: date(2025, 10, 30), 3: date(2026, 1, 29), 4: date(2026, 4, 30)},
                 note="payments in the year as published quarterly (Q4 published 30 April 2026)")
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "amount", "N/A", "`N/A` in a money field", count=3,
              spread=lambda r: quarter_of(r["paid"]))
    a.corrupt("spending", lambda r: r["amount"] > 500_00, "published", "TBC", "not a date", count=2,
              spread=lambda r: quarter_of(r["paid"]))

    # --- contract ---
    rows = []
    for _ in range(420):
        awarded = a.day(FY_START, FY_END)
        small = rng.random() < .4
        value = rng.randrange(500, 5000, 10) * 100 if small else min(3_000_000_00, round(math.exp(rng.gauss(10.5, 1.2)) * 100) + 5_000_00)
        pub = None if small and rng.random() < .7 else a.cal.next_working(awarded + timedelta(days=rng.randint(10, 75)))
        rows.append(a.row("contract", reference=None, awarded=awarded, value=Money(value), published=pub))
    for i, r in enumerate(sorted(rows, key=lambda r: r["awarded"])):
        r["reference"] = f"PO-{r['awarded'].year % 100}-{7100 + i:04d}"
    for r in rng.sample([r for r in rows if quarter_of(r["awarded"]) == 2 and r["value"] > 5_000_00], 3):
        r["published"] = None
    rows.append(a.row("contract", reference="PO-25-8812", awarded=date(2025, 7, 14), value=Money(3_200_00), published=None))
    rows.sort(key=lambda r: (r["awarded"], r["reference"]))
    a.put("contract", rows, FileStyle(), "contracts and purchase orders awarded in the year (register published quarterly)")
    a.corrupt("contract", lambda r: quarter_of(r["awarded"]) == 1 and r["value"] > 5_000_00, "value", "N/A",
              "`N/A` in a money field")

    # --- bed_and_breakfast ---
    rows = []
    for q in QUARTERS:
        for fam, n, lo, hi in ((True, rng.randint(11, 14), 3, 40), (False, 33, 3, 150)):
            for _ in range(n):
                placed = a.qday(q, weekend=.12)
                rows.append(a.row("bed_and_breakfast", household=None, ward=weighted(rng, ww), with_family=fam,
                                  placed=placed, left=a.cap(placed + timedelta(days=rng.randint(lo, hi)))))
    keyed(rows, "household", "placed", "PCC-H-{yy}-{n:04d}")
    a.put("bed_and_breakfast", rows, FileStyle(), "households placed in bed and breakfast in the year")

    # --- homelessness_case ---
    rows = []
    cells = a.alloc(3200, {(w, q): ww[w] * QW_EVEN[q] for w in W for q in QUARTERS}, minimum=16)
    plan_bad = {("Stoke", 2): (.16, .2), ("Devonport", 3): (.16, .2)}
    q56 = {q: [] for q in QUARTERS}
    late_plan = a.late_enough(10)
    for (w, q), n in cells.items():
        lo, hi = plan_bad.get((w, q), (0, .05))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            started = a.qday(q, weekend=.02, latest=date(2026, 2, 20) if fail and q == 4 else None)
            assessed = a.cap(a.add_wd(started, rng.randint(0, 8)))
            if assessed is None or rng.random() < .04 and not fail:
                assessed, plan = None, None
            else:
                plan = a.wd_case(assessed, fail, 10, open_share=.2) if assessed <= late_plan or not fail else None
            r = a.row("homelessness_case", case_ref=None, ward=w, duty=weighted(rng, {"prevention": 53, "relief": 47}),
                      duty_started=started, assessed=assessed, plan_agreed=plan, duty_ended=None)
            rows.append(r)
            q56[q].append(r)
    for q, rs in q56.items():
        for r, fail in zip(rs, a.flags(len(rs), a.nfail(len(rs), .11, .15))):
            if fail:
                ended = None if rng.random() < .3 else r["duty_started"] + timedelta(days=rng.randint(57, 110))
                if q == 4 and (FY_END - r["duty_started"]).days <= 56:
                    ended = r["duty_started"] + timedelta(days=rng.randint(10, 56))
            else:
                ended = r["duty_started"] + timedelta(days=rng.randint(10, 56))
            r["duty_ended"] = a.cap(ended)
    keyed(rows, "case_ref", "duty_started", "PCC-HA-{yy}-{n:05d}")
    a.put("homelessness_case", rows, FileStyle(), "prevention and relief cases opened in the year")
    a.corrupt("homelessness_case", lambda r: r["plan_agreed"] is not None and (r["ward"], quarter_of(r["duty_started"])) not in plan_bad,
              "plan_agreed", "31/02/2026", "impossible date", count=4, spread=lambda r: (r["ward"], quarter_of(r["duty_started"])))
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief", "duty", "releif",
              "value not in the list (misspelt); no Plymouth duty reads `duty`", count=2)

    # --- school_admission ---
    rows = []
    for offer_day, total, tag in ((date(2025, 4, 16), 2750, "R25"), (date(2026, 3, 2), 2850, "Y7-26")):
        for w, n in a.alloc(total, ww).items():
            rows += [a.row("school_admission", application=tag, ward=w, offer_day=offer_day, offered=offer_day) for _ in range(n)]
    rng.shuffle(rows)
    keyed(rows, "application", "offer_day", "PCC-{g}-{n:05d}", group=lambda r: r["application"])
    a.put("school_admission", rows, FileStyle(), "reception and year 7 applications, offer days 16 April 2025 and 2 March 2026")
    a.corrupt("school_admission", lambda r: True, "offered", "31/02/2026", "impossible date", count=3)
    a.corrupt("school_admission", lambda r: True, "ward", "", "blank required field (no duty reads `ward`)", count=2)

    # --- ehc_request ---
    rows = []
    ehc_fail = {1: .32, 2: .39, 3: .29, 4: 0}
    for q in QUARTERS:
        exc = exact_mix(rng, 160, {True: 6, False: 94})
        judged = [i for i, x in enumerate(exc) if not x]
        fails = set(rng.sample(judged, round(len(judged) * ehc_fail[q])))
        for i, exception in enumerate(exc):
            fail = i in fails
            requested = a.qday(q, latest=date(2025, 11, 10) if fail and q == 3 else None)
            days = rng.randint(141, 240) if fail or exception and rng.random() < .5 else rng.randint(60, 140)
            rows.append(a.row("ehc_request", request_ref=None, ward=weighted(rng, ww), requested=requested,
                              concluded=a.cap(requested + timedelta(days=days)), exception=exception))
    keyed(rows, "request_ref", "requested", "PCC-EHC-{yy}-{n:04d}")
    a.put("ehc_request", rows, FileStyle(dates="uk"), "requests for an EHC needs assessment received in the year")
    a.corrupt("ehc_request", lambda r: quarter_of(r["requested"]) == 4, "exception", "", "blank required field")
    a.corrupt("ehc_request", lambda r: quarter_of(r["requested"]) == 1 and r["concluded"] is not None, "concluded",
              "31/02/2026", "impossible date")

    # --- young_person ---
    rows = []
    yp_bad = {("Devonport", 2), ("Devonport", 3), ("Stoke", 3)}
    cells = a.alloc(5200, {(w, q): ww[w] * {1: .22, 2: .24, 3: .29, 4: .25}[q] for w in W for q in QUARTERS}, minimum=34)
    ids = iter(pseudonyms(rng, sum(cells.values()), "PYP-"))
    for (w, q), n in cells.items():
        k = a.nfail(n, .085, .11) if (w, q) in yp_bad else a.nfail(n, .01, .045)
        for fail in a.flags(n, k):
            status = weighted(rng, {"employment_without_training": 30, "neet": 50, "not_known": 20}) if fail else \
                weighted(rng, {"education": 80, "apprenticeship": 9, "employment_with_training": 11})
            rows.append(a.row("young_person", young_person=next(ids), ward=w, checked=a.qday(q), status=status))
    rows.sort(key=lambda r: (r["checked"], r["young_person"]))
    a.put("young_person", rows, FileStyle(), "one row per 16 or 17 year old, with the status last checked")
    a.corrupt("young_person", lambda r: r["status"] == "education", "status", "NEET (not available)", "value not in the list (another system's code)",
              count=6, spread=lambda r: (r["ward"], quarter_of(r["checked"])))
    a.corrupt("young_person", lambda r: True, "young_person", "", "blank key (no duty reads it)", count=3)

    # --- apprenticeship ---
    rows = []
    for ach in exact_mix(rng, 140, {True: 96, False: 32, None: 12}):
        planned_end = a.day(FY_START, FY_END)
        rows.append(a.row("apprenticeship", learner=None, ward=weighted(rng, ww),
                          started=planned_end - timedelta(days=rng.choice([365, 455, 548, 730]) + rng.randint(-10, 10)),
                          planned_end=planned_end, achieved=ach))
    fy_keyed(rows, "learner", "planned_end", "PCC-APP-{n:03d}")
    a.put("apprenticeship", rows, FileStyle(booleans="truefalse"),
          "council-funded apprentices whose planned end falls in the year (empty `achieved`: end-point assessment not recorded)")

    # --- air_quality ---
    rows, n = [], 0
    for w in W:
        for _ in range(4 if w in ("St Peter and the Waterfront", "Drake", "Stoke", "Sutton and Mount Gould", "Peverell") else 2):
            n += 1
            busy = w in ("St Peter and the Waterfront", "Drake", "Sutton and Mount Gould")
            rows.append(a.row("air_quality", site=f"PCC-NO2-{n:02d}", ward=w, year_end=date(2025, 12, 31),
                              no2_annual_mean=round(rng.uniform(28, 37.5) if busy else rng.uniform(13, 30), 1),
                              data_capture=round(rng.uniform(80, 100), 1)))
    exeter = next(r for r in rows if r["ward"] == "St Peter and the Waterfront")
    exeter["no2_annual_mean"], exeter["data_capture"] = 41.3, 91.0
    a.put("air_quality", rows, FileStyle(fmt="json"), "one row per NO2 monitoring site for calendar year 2025 (JSON)")

    # --- bathing_water ---
    a.put("bathing_water", [a.row("bathing_water", site=s, season_end=date(2025, 9, 30), classification=c)
                            for s, c in (("Plymouth Hoe East", "sufficient"), ("Plymouth Hoe West", "excellent"),
                                         ("Firestone Bay", "good"))],
          FileStyle(), "2025 bathing season classifications (site list illustrative)")

    # --- energy_referral ---
    rows = []
    qw = {1: .15, 2: .15, 3: .35, 4: .35}
    cells = a.alloc(3600, {(w, q): ww[w] * qw[q] for w in W for q in QUARTERS}, minimum=14)
    adv_bad = {("Stoke", 3): (.14, .18), ("Efford and Lipson", 3): (.14, .18), ("Ham", 3): (.14, .18)}
    thin = {"Plympton Chaddlewood", "Plympton Erle", "Plympton St Mary", "Plymstock Dunstone", "Plymstock Radford", "Compton"}
    late5 = a.late_enough(5)
    for (w, q), n in cells.items():
        lo, hi = adv_bad.get((w, q), (0, .06))
        if q in (1, 2):
            fp = rng.randint(5, 8) if w in thin else rng.randint(10, max(10, round(n * .5)))
        elif q == 3:
            fp = max(12, round(n * .45))
        else:
            fp = round(n * .45)
        fp = min(fp, n)
        fp_flags = a.flags(n, fp)
        fp_idx = [i for i, x in enumerate(fp_flags) if x]
        unhelped = set(rng.sample(fp_idx, a.nfail(len(fp_idx), .12, .25))) if q < 4 else set()
        for i, fail in enumerate(a.flags(n, a.nfail(n, lo, hi))):
            referred = a.qday(q, weekend=.05, latest=late5 if fail and q == 4 else None)
            contacted = a.wd_case(referred, fail, 5, open_share=.1)
            fuel_poor = fp_flags[i]
            if fuel_poor and i in unhelped:
                help_given = None if rng.random() < .5 else referred + timedelta(days=rng.randint(91, 150))
            elif fuel_poor or rng.random() < .3:
                help_given = referred + timedelta(days=rng.randint(15, 90))
            else:
                help_given = None
            rows.append(a.row("energy_referral", referral=None, ward=w, referred=referred, contacted=contacted,
                              fuel_poor=fuel_poor, help_given=a.cap(help_given)))
    keyed(rows, "referral", "referred", "WH-{yy}-{n:05d}")
    a.put("energy_referral", rows, FileStyle(fmt="ndjson"), "referrals for energy advice and warm-home help (NDJSON)")
    a.corrupt("energy_referral", lambda r: r["contacted"] is not None and (r["ward"], quarter_of(r["referred"])) not in adv_bad
              and not r["fuel_poor"] and quarter_of(r["referred"]) in (3, 4), "contacted", "31/02/2026", "impossible date",
              count=4, spread=lambda r: (r["ward"], quarter_of(r["referred"])))
    big = sorted(W, key=lambda w: -ww[w])[:8]
    a.corrupt("energy_referral", lambda r: quarter_of(r["referred"]) == 3 and r["ward"] in big, "fuel_poor", None,
              "required field is null", count=3, spread=lambda r: r["ward"])

    # --- consultation ---
    rows = []
    stat = lambda: rng.random() < .3
    pairs = []
    for q, n in {1: 8, 2: 7, 3: 8, 4: 7}.items():
        for _ in range(n):
            s = stat()
            days = rng.randint(84, 98) if s else rng.randint(28, 70)
            latest = min(QUARTERS[q][1], FY_END - timedelta(days=days))
            if latest < QUARTERS[q][0]:
                s, days = False, rng.randint(28, 45)
                latest = min(QUARTERS[q][1], FY_END - timedelta(days=days))
            opened = a.qday(q, latest=latest)
            pairs.append((opened, opened + timedelta(days=days), s))
    pairs.sort()
    due = [p for p in pairs if p[1] <= E - timedelta(weeks=12)]
    late_one = due[len(due) // 2]
    for opened, closed, s in pairs:
        gap = 95 if (opened, closed, s) == late_one else rng.randint(20, 80)
        rows.append(a.row("consultation", reference=None, opened=opened, closed=closed, statutory=s, formative=True,
                          response_published=a.cap(a.cal.next_working(closed + timedelta(days=gap)))))
    keyed(rows, "reference", "opened", "PCC-CONS-{y}-{n:02d}")
    a.put("consultation", rows, FileStyle(), "consultations that opened and closed in the year")

    # --- decision ---
    rows = []
    answers = ["Yes: delegated to the neighbourhood forum", "No: a city-wide policy", "In part: options set locally",
               "No: a statutory function", "Yes: decided by the ward councillors with residents"]
    affected = ["Residents voted on the options", "No: needs professional judgement", "In part: users on the panel",
                "No: but those affected were consulted", "Yes: residents chose by vote"]
    for _ in range(250):
        decided = a.day(FY_START, FY_END)
        pre = decided < date(2025, 6, 20) and rng.random() < .7
        rows.append(a.row("decision", reference=None, decided=decided, closer_answer=None if pre else rng.choice(answers),
                          by_affected_answer=None if pre else rng.choice(affected)))
    t = a.row("decision", reference=None, decided=date(2025, 8, 12),
              closer_answer="Yes: delegated to the Devonport neighbourhood forum",
              by_affected_answer="In part: residents chose the play equipment by vote")
    rows.append(t)
    keyed(rows, "reference", "decided", "PCC-D-{y}-{n:03d}")
    swap_key(rows, "reference", t, "PCC-D-2025-118")
    a.put("decision", rows, FileStyle(), "decisions in the year (the constitution was adopted on 20 June 2025)")

    # --- election_result ---
    a.put("election_result", [
        a.row("election_result", contest="Peverell 2025-11-06", ward="Peverell", polled=date(2025, 11, 6),
              electorate=10950, votes_cast=3390),
        a.row("election_result", contest="Budshead 2026-02-05", ward="Budshead", polled=date(2026, 2, 5),
              electorate=8700, votes_cast=2250)], FileStyle(), "by-elections in the year (no scheduled city elections in 2025)")

    # --- councillor ---
    gen_councillors(a, W, seats={w: 2 if w in ("Drake", "Plympton Chaddlewood", "Plympton Erle") else 3 for w in W},
                    key="CLLR-{n:02d}", approved={"Compton": date(2025, 7, 23)}, ratio=Fraction(3, 4),
                    low_attendance=["Stoke", "Honicknowle"],
                    no_report=["Budshead", "Ham", "Moor View", "Southway", "Eggbuckland"])

    # --- wellbeing_contact ---
    rows = []
    for q in QUARTERS:
        n = 1250
        asked = [not x for x in a.flags(n, a.nfail(n, .06, .08))]
        k = sum(asked)
        offered = iter(exact_mix(rng, k, {True: 87.5 if q == 1 else rng.uniform(91, 93), False: 12.5 if q == 1 else 8}))
        for was_asked in asked:
            rows.append(a.row("wellbeing_contact", contact_ref=None, ward=weighted(rng, ww),
                              service=weighted(rng, {"council": 40, "livewell": 30, "hospital": 18, "police": 12}),
                              contact_date=a.qday(q, weekend=.05), asked=was_asked,
                              offered=next(offered) if was_asked else False))
    keyed(rows, "contact_ref", "contact_date", "WB-{yy}-{n:05d}")
    a.put("wellbeing_contact", rows, FileStyle(), "contacts with potentially vulnerable residents")


# ------------------------------------------------------------------------------------------
# Stevenage: 13 wards (2024 boundaries); two tiers; Christmas closure days in the calendar.

STEVENAGE_WARDS = ["Bandley Hill and Poplars", "Bedwell", "Chells", "Longmeadow", "Manor", "Martins Wood",
                   "Old Town", "Pin Green", "Roebuck", "St Nicholas", "Shephall", "Symonds Green", "Woodfield"]


STEVENAGE_CODES = {"Bandley Hill and Poplars": "BHP", "Bedwell": "BED", "Chells": "CHE", "Longmeadow": "LON",
                   "Manor": "MAN", "Martins Wood": "MAR", "Old Town": "OLD", "Pin Green": "PIN", "Roebuck": "ROE",
                   "St Nicholas": "STN", "Shephall": "SHE", "Symonds Green": "SYM", "Woodfield": "WOO"}


def gen_stevenage(a: Area) -> None:
    rng, W = a.rng, STEVENAGE_WARDS
    ww = a.jitter(W, .85, 1.15)

    # --- foi_request ---
    rows = gen_foi(a, "foi_request", {None: 560}, {}, group_field=None, answer_field="answered",
                   eir={None: [14, 15, 13, 16]}, good=(.01, .06), eir_fail=(0, .0))
    rows.append(a.row("foi_request", reference=None, regime="foia", received=FY_START, answered=a.add_wd(FY_START, 7),
                      extended=False))
    rows.append(a.row("foi_request", reference=None, regime="foia", received=FY_END, answered=None, extended=False))
    keyed(rows, "reference", "received", "SBC-FOI-{yy}-{n:04d}")
    a.put("foi_request", rows, FileStyle(), "FOI and EIR requests to the Borough received in the year")
    a.corrupt("foi_request", lambda r: r["regime"] == "foia" and r["answered"] is not None, "answered", "31/02/2026",
              "impossible date", count=2, spread=lambda r: quarter_of(r["received"]))

    # --- spending ---
    gen_spending(a, "spending", 5000, FileStyle(dates="uk", newline="\r\n", bom=True), key="SBC-{yy}-{n:05d}",
                 published={1: date(2025, 7, 30), 2: date(2025, 10, 29), 3: date(2026, 1, 28), 4: date(2026, 4, 29)},
                 unpublished={1: 6},
                 note="payments in the year as published quarterly; an Excel export (UTF-8 byte-order mark, CRLF line ends)")
    a.corrupt("spending", lambda r: r["amount"] > 500_00 and r["published"] is not None, "amount", "N/A",
              "`N/A` in a money field", count=2, spread=lambda r: quarter_of(r["paid"]))

    # --- temporary_accommodation ---
    rows = []
    for q in QUARTERS:
        for kids, setting, n, lo, hi in ((False, "bed_and_breakfast", 8, 3, 90), (False, "hostel", 9, 20, 200),
                                         (True, "council_temporary", 12, 40, 300), (False, "council_temporary", 3, 40, 200),
                                         (True, "private_leased", 5, 60, 400), (False, "private_leased", 2, 60, 300)):
            for _ in range(n):
                placed = a.qday(q, weekend=.08)
                rows.append(a.row("temporary_accommodation", placement=None, ward=weighted(rng, ww), with_children=kids,
                                  setting=setting, placed=placed, left=a.cap(placed + timedelta(days=rng.randint(lo, hi)))))
    keyed(rows, "placement", "placed", "SBC-TA-{yy}-{n:03d}")
    a.put("temporary_accommodation", rows, FileStyle(), "placements in temporary accommodation made in the year (no family in B&B)")
    a.corrupt("temporary_accommodation", lambda r: r["setting"] == "hostel" and not r["with_children"] and r["left"] is not None,
              "left", "31/02/2026", "impossible date on a single adult's hostel placement (outside the family B&B duty)")

    # --- homelessness_case ---
    rows = []
    late = FY_END - timedelta(days=60)
    for q in QUARTERS:
        for duty, n in (("relief", 100), ("prevention", 125)):
            for fail in a.flags(n, a.nfail(n, .03, .07)):
                started = a.qday(q, weekend=.02, latest=late if fail and q == 4 else None)
                ended = (None if rng.random() < .2 else started + timedelta(days=rng.randint(57, 100))) if fail else \
                    started + timedelta(days=rng.randint(10, 56))
                rows.append(a.row("homelessness_case", case_ref=None, ward=weighted(rng, ww), duty=duty,
                                  duty_started=started, duty_ended=a.cap(ended)))
    keyed(rows, "case_ref", "duty_started", "SBC-HC-{yy}-{n:04d}")
    a.put("homelessness_case", rows, FileStyle(), "prevention and relief cases opened in the year")
    a.corrupt("homelessness_case", lambda r: r["duty"] == "relief" and r["duty_ended"] is not None, "duty_ended",
              "31/02/2026", "impossible date")

    # --- repair ---
    rows = []
    em = a.alloc(4300, {(w, q): ww[w] * {1: .23, 2: .22, 3: .28, 4: .27}[q] for w in W for q in QUARTERS}, minimum=30)
    em_bad = {("Bedwell", 3): (.035, .045), ("Bedwell", 4): (.035, .045), ("Shephall", 3): (.035, .045)}
    for (w, q), n in em.items():
        lo, hi = em_bad.get((w, q), (0, .012))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            reported = a.qday(q, weekend=.25, latest=date(2026, 3, 25) if fail and q == 4 else None)
            done = (None if rng.random() < .15 else reported + timedelta(days=rng.randint(2, 4))) if fail else \
                reported + timedelta(days=weighted(rng, {0: 60, 1: 40}))
            rows.append(a.row("repair", job=None, ward=w, priority="emergency", reported=reported, completed=a.cap(done)))
    for q in QUARTERS:
        n = 2550
        for fail in a.flags(n, a.nfail(n, .04, .08)):
            reported = a.qday(q, latest=date(2026, 2, 27) if fail and q == 4 else None)
            done = (None if rng.random() < .2 else reported + timedelta(days=rng.randint(29, 60))) if fail else \
                reported + timedelta(days=rng.randint(3, 28))
            rows.append(a.row("repair", job=None, ward=weighted(rng, ww), priority="routine", reported=reported,
                              completed=a.cap(done)))
        for _ in range(1250):
            reported = a.qday(q, weekend=.05)
            rows.append(a.row("repair", job=None, ward=weighted(rng, ww), priority="urgent", reported=reported,
                              completed=a.cap(reported + timedelta(days=rng.randint(1, 9)))))
    keyed(rows, "job", "reported", "RJ{yy}{n:05d}")
    a.put("repair", rows, FileStyle(dates="uk"), "repairs to council homes reported in the year")
    spread = lambda r: (r["ward"], quarter_of(r["reported"]))
    a.corrupt("repair", lambda r: r["completed"] is not None and r["priority"] != "urgent" and spread(r) not in em_bad,
              "completed", "31/02/2026", "impossible date", count=20, spread=spread)
    a.corrupt("repair", lambda r: r["priority"] == "emergency" and spread(r) not in em_bad, "priority", "emergancy",
              "value not in the list (misspelt)", count=10, spread=spread)

    # --- school_admission ---
    rows = []
    sec_bad = {"Shephall": .14, "Bedwell": .12}
    for phase, offer_day, total, tag in (("primary", date(2025, 4, 16), 1000, "R25"), ("secondary", date(2026, 3, 2), 1000, "Y7-26")):
        for w, n in a.alloc(total, ww).items():
            on_time = exact_mix(rng, n, {True: 95, False: 5})
            k = sum(on_time)
            miss = round(k * (sec_bad.get(w, rng.uniform(.03, .07)) if phase == "secondary" else rng.uniform(.01, .035)))
            nopref = iter(a.flags(k, miss))
            for ot in on_time:
                pref = (None if next(nopref) else weighted(rng, {1: 75, 2: 15, 3: 10})) if ot else \
                    (None if rng.random() < .5 else rng.randint(1, 3))
                rows.append(a.row("school_admission", application=tag, ward=w, phase=phase, on_time=ot, offer_day=offer_day,
                                  offered=offer_day if ot else a.cap(a.add_wd(offer_day, rng.randint(5, 40))),
                                  preference=pref))
    rng.shuffle(rows)
    keyed(rows, "application", "offer_day", "HCC-{g}-{n:04d}", group=lambda r: r["application"])
    a.put("school_admission", rows, FileStyle(), "applications from Stevenage homes coordinated by the County")
    a.corrupt("school_admission", lambda r: r["on_time"] and r["ward"] not in sec_bad, "on_time", "", "blank required field",
              count=2, spread=lambda r: r["ward"])
    a.corrupt("school_admission", lambda r: r["phase"] == "secondary" and r["ward"] not in sec_bad, "phase", "secondry",
              "value not in the list (misspelt)", count=2, spread=lambda r: r["ward"])

    # --- participation_return ---
    rows = []
    cohorts = {w: rng.randint(180, 240) for w in W}
    nk_hot = {(w, 9) for w in ("Bedwell", "Shephall", "Pin Green", "St Nicholas", "Roebuck")} | {("Bedwell", 10), ("Bedwell", 11)}
    for m in MONTHS:
        for w in W:
            c = cohorts[w] + rng.randint(-4, 4)
            cap3 = math.floor(c * .03)
            if (w, m.month) in nk_hot:
                nk = cap3 + rng.randint(2, 3)
            elif m.month in (9, 10):
                nk = rng.randint(cap3 - 3, cap3 - 1)
            else:
                nk = rng.randint(1, max(1, cap3 - 3))
            neet = rng.randint(math.floor(c * .02), math.floor(c * .04) - 1)
            rows.append(a.row("participation_return", row_ref=f"HCC-{STEVENAGE_CODES[w]}-{m:%Y-%m}", ward=w,
                              month_start=m, cohort=c, neet=neet, not_known=nk))
    a.put("participation_return", rows, FileStyle(), "the County's monthly return for Stevenage wards: 13 wards x 12 months")

    # --- regeneration_contract ---
    rc = [("SG1-PLOT-A", date(2025, 6, 12), 3_500_000, 2, 14, 30), ("GARAGES-REFURB", date(2025, 5, 14), 450_000, 0, 4, 6),
          ("HRA-NEWBUILD-01", date(2025, 7, 22), 2_100_000, 3, 18, 29), ("LEISURE-CENTRE-DESIGN", date(2025, 8, 27), 1_200_000, 2, 8, 12),
          ("SG1-PLOT-B", date(2025, 9, 3), 4_200_000, 5, 26, 44), ("TC-PUBLIC-REALM", date(2025, 10, 8), 900_000, 1, 9, 15),
          ("HRA-NEWBUILD-02", date(2025, 11, 18), 1_600_000, 2, 12, 20), ("SG1-PLOT-C", date(2026, 1, 21), 6_800_000, 7, 31, 58),
          ("SG1-PLOT-D", date(2026, 3, 4), 5_300_000, 6, 0, 0)]
    a.put("regeneration_contract", [a.row("regeneration_contract", reference=r, awarded=d, value=Money(v * 100), apprentices=ap,
                                          local_hires=lh, new_hires=nh) for r, d, v, ap, lh, nh in rc],
          FileStyle(), "construction contracts awarded in the year, with social value returns")

    # --- asb_case ---
    rows = []
    for q in QUARTERS:
        for _ in range(16):
            reported = a.qday(q, weekend=.25)
            rows.append(a.row("asb_case", case_ref=None, ward=weighted(rng, ww), risk="high", reported=reported,
                              first_response=a.cap(a.add_wd(reported, rng.randint(0, 1)))))
    asb_bad = {("Bedwell", 2): (.10, .14)}
    late = a.late_enough(5)
    for (w, q), n in a.alloc(1186, {(w, q): ww[w] * QW_EVEN[q] for w in W for q in QUARTERS}).items():
        lo, hi = asb_bad.get((w, q), (0, .04))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            reported = a.qday(q, weekend=.25, latest=late if fail and q == 4 else None)
            rows.append(a.row("asb_case", case_ref=None, ward=w, risk=weighted(rng, {"medium": 32, "standard": 68}),
                              reported=reported, first_response=a.wd_case(reported, fail, 5, open_share=.1)))
    t = a.row("asb_case", case_ref=None, ward="Bedwell", risk="high", reported=date(2025, 12, 24), first_response=date(2026, 1, 2))
    rows.append(t)
    keyed(rows, "case_ref", "reported", "ASB-{yy}-{n:04d}")
    swap_key(rows, "case_ref", t, "ASB-25-1290")
    a.put("asb_case", rows, FileStyle(fmt="ndjson"), "anti-social behaviour reports in the year (NDJSON)")
    a.corrupt("asb_case", lambda r: r["risk"] != "high" and r["first_response"] is not None and (r["ward"], quarter_of(r["reported"])) not in asb_bad,
              "first_response", "31/02/2026", "impossible date", count=3, spread=lambda r: r["ward"])

    # --- missed_collection ---
    rows = []
    mbad = {(w, 12) for w in ("Bedwell", "Chells", "Shephall", "Pin Green", "Symonds Green", "St Nicholas")} | {("Pin Green", 7)}
    mw = {m: (1.35 if m.month == 12 else 1.0) for m in MONTHS}
    late = a.late_enough(2)
    for (w, m), n in a.alloc(6800, {(w, m): ww[w] * mw[m] for w in W for m in MONTHS}, minimum=22).items():
        lo, hi = (.08, .12) if (w, m.month) in mbad else (0, .04)
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            reported = a.day(m, min(month_end(m), late) if fail and m.month == 3 else month_end(m), weekend=.1)
            rows.append(a.row("missed_collection", report_ref=None, ward=w, reported=reported,
                              put_right=a.wd_case(reported, fail, 2, open_share=.05)))
    keyed(rows, "report_ref", "reported", "MC-{yy}-{n:05d}")
    a.put("missed_collection", rows, FileStyle(dates="uk"), "reported missed bin collections in the year")
    a.corrupt("missed_collection", lambda r: r["put_right"] is not None and (r["ward"], r["reported"].month) not in mbad,
              "put_right", "31/02/2026", "impossible date", count=15, spread=lambda r: (r["ward"], r["reported"].month))

    # --- consultation ---
    rows = []
    specs = [("borough", "housing_management", True), ("borough", "housing_management", True),
             ("borough", "housing_management", False), ("borough", "housing_management", True),
             ("borough", "planning", True), ("borough", "planning", True), ("borough", "budget", True),
             ("borough", "services", True), ("county", "services", True), ("county", "services", True),
             ("county", "budget", True), ("county", "planning", True), ("joint", "services", True),
             ("joint", "housing_management", True), ("borough", "services", True), ("county", "services", True)]
    pairs = schedule(a, {1: 4, 2: 4, 3: 4, 4: 4}, lambda: rng.randint(42, 84), lambda p: True)
    for (opened, closed), (by, topic, written) in zip(pairs, specs):
        rows.append(a.row("consultation", reference=None, by=by, topic=topic, opened=opened, closed=closed, formative=True,
                          tenants_written_to=written if topic == "housing_management" else False,
                          response_published=a.cap(a.cal.next_working(closed + timedelta(days=rng.randint(20, 80))))))
    keyed(rows, "reference", "opened", "STV-CONS-{y}-{n:02d}")
    a.put("consultation", rows, FileStyle(), "consultations by the Borough, the County or the Joint Committee, opened and closed in the year")

    # --- duty_to_refer ---
    rows = []
    refs = {"adult_social_care": 15, "childrens_services": 12, "hospital": 25, "probation": 18, "jobcentre": 15, "other": 15}
    late = a.late_enough(3)
    for q in QUARTERS:
        n = 120
        kinds = exact_mix(rng, n, refs)
        others = [i for i, k in enumerate(kinds) if k not in ("adult_social_care", "childrens_services")]
        k = a.nfail(n, .08, .11) if q in (2, 3) else a.nfail(n, 0, .03)
        fails = set(rng.sample(others, k))
        for i, kind in enumerate(kinds):
            fail = i in fails
            received = a.qday(q, weekend=.02, latest=late if fail and q == 4 else None)
            rows.append(a.row("duty_to_refer", referral=None, ward=weighted(rng, ww), referrer=kind, received=received,
                              contacted=a.wd_case(received, fail, 3, open_share=.05)))
    cs = next(r for r in rows if r["referrer"] == "childrens_services" and quarter_of(r["received"]) == 2 and r["contacted"])
    cs["contacted"] = a.add_wd(cs["received"], 5)
    keyed(rows, "referral", "received", "DTR-{yy}-{n:04d}")
    a.put("duty_to_refer", rows, FileStyle(), "duty-to-refer referrals received in the year")
    a.corrupt("duty_to_refer", lambda r: quarter_of(r["received"]) == 1 and r["contacted"] is not None
              and r["referrer"] in ("jobcentre", "other"), "contacted", "31/02/2026", "impossible date")
    a.corrupt("duty_to_refer", lambda r: quarter_of(r["received"]) == 1 and r["referrer"] == "hospital", "referrer", "NHS hospital",
              "value not in the list")

    # --- joint_item ---
    rows = []
    for meeting in (date(2025, 6, 12), date(2025, 9, 11), date(2025, 11, 13), date(2026, 1, 22), date(2026, 3, 12)):
        minutes = date(2025, 11, 24) if meeting == date(2025, 11, 13) else a.add_wd(meeting, rng.randint(4, 9))
        for i in range(1, rng.randint(4, 6) + 1):
            rows.append(a.row("joint_item", item=f"JC-{meeting:%Y-%m}-{i:02d}", meeting=meeting, minutes_published=minutes,
                              borough_view=True, county_view=True))
    a.put("joint_item", rows, FileStyle(fmt="json"), "items decided by the Stevenage Joint Committee at its five meetings (JSON)")

    # --- decision ---
    rows = []
    ans = ["Yes: delegated to the neighbourhood", "No: a borough-wide policy", "In part: local options",
           "No: a statutory function", "Yes: tenants decide the detail"]
    them = ["Residents chose between options", "No: needs professional judgement", "In part: tenants on the panel",
            "No: but those affected were consulted"]
    for by, n in (("borough", 150), ("county", 60), ("joint", 22)):
        for _ in range(n):
            decided = a.day(FY_START, FY_END)
            skip = by == "county" and decided < date(2025, 10, 1) and rng.random() < .6
            rows.append(a.row("decision", reference=None, by=by, decided=decided, closer_answer=rng.choice(ans),
                              by_them_answer=None if skip else rng.choice(them)))
    keyed(rows, "reference", "decided", "STV-D-{y}-{n:03d}")
    a.put("decision", rows, FileStyle(), "decisions of either council affecting Stevenage, and of the Joint Committee")

    # --- election_result ---
    a.put("election_result", [], FileStyle(), "no borough ward contests in the year (next borough elections May 2026)")

    # --- councillor ---
    gen_councillors(a, W, seats={w: 3 for w in W}, key="CLLR-{n:03d}", absent={"Pin Green": date(2025, 9, 11)},
                    approved={"Manor": date(2025, 10, 2)},
                    stale={"Longmeadow": date(2025, 12, 4), "Woodfield": date(2025, 11, 20)})

    # --- resident_contact ---
    rows = []
    for q in QUARTERS:
        n = 800
        asked = [not x for x in a.flags(n, a.nfail(n, .04, .07))]
        offered = iter(exact_mix(rng, sum(asked), {True: rng.uniform(88, 91), False: 10}))
        for was in asked:
            rows.append(a.row("resident_contact", contact_ref=None, ward=weighted(rng, ww),
                              body=weighted(rng, {"borough": 45, "county": 30, "nhs": 15, "police": 10}),
                              contact_date=a.qday(q, weekend=.04), asked=was, offered=next(offered) if was else False))
    keyed(rows, "contact_ref", "contact_date", "RC-{yy}-{n:04d}")
    a.put("resident_contact", rows, FileStyle(), "contacts with potentially vulnerable residents")


# ------------------------------------------------------------------------------------------
# Liverpool: 64 wards (2023) in five neighbourhood areas (an illustrative lookup).

LIVERPOOL_NEIGHBOURHOODS = {
    "North": ["Anfield", "County", "Walton", "Orrell Park", "Fazakerley East", "Fazakerley North", "Fazakerley West",
              "Clubmoor East", "Clubmoor West", "Norris Green", "Croxteth", "Croxteth Country Park", "Everton East",
              "Everton North", "Everton West", "Kirkdale East", "Kirkdale West", "Vauxhall", "Sandhills",
              "Tuebrook Larkhill"],
    "Central": ["City Centre North", "City Centre South", "Waterfront North", "Waterfront South", "Canning",
                "Brownlow Hill", "Toxteth", "Princes Park", "Dingle", "Edge Hill", "Kensington & Fairfield"],
    "East": ["West Derby Deysbrook", "West Derby Leyfield", "West Derby Muirhead", "Knotty Ash & Dovecot Park",
             "Yew Tree", "Stoneycroft", "Old Swan East", "Old Swan West", "Tuebrook Breckside Park", "Broadgreen",
             "Childwall", "Belle Vale", "Gateacre"],
    "South Central": ["Aigburth", "St Michael's", "Festival Gardens", "Greenbank Park", "Sefton Park", "Smithdown",
                      "Penny Lane", "Wavertree Garden Suburb", "Wavertree Village", "Mossley Hill", "Church", "Arundel"],
    "South": ["Allerton", "Calderstones", "Springwood", "Garston", "Grassendale & Cressington", "Speke",
              "Much Woolton & Hunts Cross", "Woolton Village"],
}
LIVERPOOL_MULTI = {"Norris Green": 3, "City Centre South": 3, "Kensington & Fairfield": 3,
                   **{w: 2 for w in ("Anfield", "Belle Vale", "Brownlow Hill", "Canning", "Childwall", "City Centre North",
                                     "Everton North", "Kirkdale East", "Speke", "Toxteth", "Walton", "Garston",
                                     "Old Swan West", "Dingle", "Yew Tree")}}


def gen_liverpool(a: Area) -> None:
    rng = a.rng
    NB = list(LIVERPOOL_NEIGHBOURHOODS)
    ward_nb = {w: n for n, ws in LIVERPOOL_NEIGHBOURHOODS.items() for w in ws}
    W = list(ward_nb)
    assert len(W) == 64 and sum(LIVERPOOL_MULTI.get(w, 1) for w in W) == 85
    nw = {"North": 1.3, "Central": .9, "East": 1.1, "South Central": .9, "South": .8}

    # --- foi_request ---
    rows = gen_foi(a, "foi_request", {None: 1550}, {(None, 1): (.19, .22), (None, 2): (.16, .19)}, group_field=None,
                   answer_field="answered", eir={None: [36, 38, 37, 39]}, neighbourhoods=NB,
                   good=(.09, .12), eir_fail=(0, .08))
    rows.append(a.row("foi_request", reference=None, regime="foia", neighbourhood=None, received=FY_START,
                      answered=a.add_wd(FY_START, 18), extended=False))
    keyed(rows, "reference", "received", "LCC-FOI-{y}-{n:05d}")
    a.put("foi_request", rows, FileStyle(), "FOI and EIR requests received in the year (answers known on 31 March 2026)")
    a.corrupt("foi_request", lambda r: r["regime"] == "foia" and r["answered"] is not None, "answered", "31/02/2026",
              "impossible date", count=3, spread=lambda r: quarter_of(r["received"]))
    a.corrupt("foi_request", lambda r: r["regime"] == "foia" and quarter_of(r["received"]) == 3, "regime", "foi",
              "value not in the list (`foia` or `eir`)")
    a.corrupt("foi_request", lambda r: r["regime"] == "foia" and quarter_of(r["received"]) == 4, "extended", "",
              "blank required field on an FOI request (only the EIR duty reads `extended`)")

    # --- spending ---
    gen_spending(a, "spending", 12000, FileStyle(), key="LCC-{yy}-{n:06d}",
                 published={1: date(2025, 7, 24), 2: date(2025, 10, 23), 3: date(2026, 1, 22), 4: date(2026, 4, 23)},
                 late_lines=[(14, date(2025, 10, 1), date(2025, 10, 31), date(2026, 3, 5))],
                 note="payments in the year as published quarterly (Q4 published 23 April 2026)")
    a.corrupt("spending", lambda r: r["amount"] > 500_00 and r["published"] != date(2026, 3, 5), "amount", "N/A",
              "`N/A` in a money field", count=5, spread=lambda r: r["paid"].month)
    a.corrupt("spending", lambda r: r["amount"] > 500_00 and r["published"] != date(2026, 3, 5), "published", "31/02/2026",
              "impossible date", count=3, spread=lambda r: quarter_of(r["paid"]))

    # --- placement ---
    rows = []
    long = {("Central", 2): [47, 50], ("Central", 3): [46], ("North", 3): [55]}
    for q in QUARTERS:
        for nb in NB:
            n = round(nw[nb] * 12) + (12 if (nb, q) == ("Central", 3) else 0)
            stays = long.get((nb, q), []) + [rng.randint(3, 40) for _ in range(n - len(long.get((nb, q), [])))]
            for stay in stays:
                placed = a.qday(q, weekend=.12, latest=QUARTERS[q][1] - timedelta(days=60) if stay > 42 else None)
                rows.append(a.row("placement", placement=None, neighbourhood=nb, family=True, setting="bed_and_breakfast",
                                  placed=placed, left=a.cap(placed + timedelta(days=stay))))
        for fam, setting, n, lo, hi in ((False, "bed_and_breakfast", 40, 3, 120), (False, "hostel", 35, 20, 250),
                                        (True, "hostel", 8, 20, 120), (True, "self_contained", 40, 60, 400),
                                        (False, "self_contained", 12, 60, 400)):
            for _ in range(n):
                placed = a.qday(q, weekend=.1)
                rows.append(a.row("placement", placement=None, neighbourhood=weighted(rng, nw), family=fam, setting=setting,
                                  placed=placed, left=a.cap(placed + timedelta(days=rng.randint(lo, hi)))))
    keyed(rows, "placement", "placed", "LCC-TA-{yy}-{n:04d}")
    a.put("placement", rows, FileStyle(), "temporary accommodation placements made in the year")
    a.corrupt("placement", lambda r: r["family"] and r["setting"] == "bed_and_breakfast" and r["neighbourhood"] == "Central"
              and quarter_of(r["placed"]) == 3, "family", "", "blank required field")

    # --- prevention_case ---
    rows = []
    prev_bad = {("North", 3): .51}
    for q in QUARTERS:
        for nb in NB:
            n = round(nw[nb] * 150)
            share = prev_bad.get((nb, q), rng.uniform(.58, .64))
            latest = date(2026, 2, 3)
            cases = [a.qday(q, weekend=.02, latest=latest if q == 4 else None) for _ in range(n)]
            good = set(rng.sample(range(n), round(n * share)))
            for i, started in enumerate(cases):
                if i in good:
                    ended, kept = started + timedelta(days=rng.randint(10, 56)), True
                else:
                    kind = rng.random()
                    if kind < .45:
                        ended, kept = started + timedelta(days=rng.randint(10, 56)), False
                    elif kind < .8:
                        ended, kept = started + timedelta(days=rng.randint(57, 120)), rng.random() < .5
                    else:
                        ended, kept = None, None
                ended = a.cap(ended)
                rows.append(a.row("prevention_case", case_ref=None, neighbourhood=nb, duty_started=started, duty_ended=ended,
                                  home_kept=kept if ended else None))
    keyed(rows, "case_ref", "duty_started", "LCC-PR-{yy}-{n:05d}")
    a.put("prevention_case", rows, FileStyle(), "prevention duties that started in the year (none after 3 February 2026)")
    spread = lambda r: (r["neighbourhood"], quarter_of(r["duty_started"]))
    a.corrupt("prevention_case", lambda r: r["home_kept"] is not None and spread(r) not in prev_bad, "home_kept", "unknown",
              "not yes/no", count=4, spread=spread)
    a.corrupt("prevention_case", lambda r: r["duty_ended"] is not None and spread(r) not in prev_bad, "duty_ended",
              "31/02/2026", "impossible date", count=3, spread=spread)

    # --- disrepair_complaint ---
    rows = []
    dbad = {("North", 2): (.14, .17), ("North", 3): (.12, .15), ("East", 4): (.12, .15)}
    late = a.late_enough(10)
    for (nb, q), n in a.alloc(1900, {(nb, q): nw[nb] * {1: .22, 2: .22, 3: .27, 4: .29}[q] for nb in NB for q in QUARTERS}).items():
        lo, hi = dbad.get((nb, q), (.01, .06))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            received = a.qday(q, weekend=.05, latest=late if fail and q == 4 else None)
            rows.append(a.row("disrepair_complaint", complaint=None, neighbourhood=nb, received=received,
                              inspected=a.wd_case(received, fail, 10)))
    keyed(rows, "complaint", "received", "DR-{yy}-{n:04d}")
    a.put("disrepair_complaint", rows, FileStyle(fmt="ndjson"), "private tenants' complaints of disrepair received in the year (NDJSON)")
    a.corrupt("disrepair_complaint", lambda r: r["inspected"] is not None and (r["neighbourhood"], quarter_of(r["received"])) not in dbad,
              "inspected", "31/02/2026", "impossible date", count=4,
              spread=lambda r: (r["neighbourhood"], quarter_of(r["received"])))

    # --- school_admission ---
    rows = []
    for offer_day, total, tag in ((date(2025, 4, 16), 5300, "R25"), (date(2026, 3, 2), 5100, "Y7-26")):
        for nb, n in a.alloc(total, nw).items():
            rows += [a.row("school_admission", application=tag, neighbourhood=nb, offer_day=offer_day, offered=offer_day)
                     for _ in range(n)]
    for r in rng.sample([r for r in rows if r["application"] == "Y7-26"], 3):
        r["offered"] = date(2026, 3, 3)
    rng.shuffle(rows)
    keyed(rows, "application", "offer_day", "LCC-{g}-{n:05d}", group=lambda r: r["application"])
    a.put("school_admission", rows, FileStyle(dates="uk"), "reception and year 7 applications, offer days 16/04/2025 and 02/03/2026")
    a.corrupt("school_admission", lambda r: r["offered"] == r["offer_day"], "offered", "31/02/2026", "impossible date", count=10)
    a.corrupt("school_admission", lambda r: True, "neighbourhood", "", "blank required field (no duty reads it)", count=10)

    # --- ehc_review ---
    rows = []
    good_nb = {"South", "South Central"}
    late = FY_END - timedelta(days=35)
    for (nb, q), n in a.alloc(4200, {(nb, q): nw[nb] * QW_EVEN[q] for nb in NB for q in QUARTERS}).items():
        lo, hi = (.02, .07) if nb in good_nb else (.14, .22)
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            meeting = a.qday(q, latest=late if fail and q == 4 else None)
            sent = (None if rng.random() < .2 else meeting + timedelta(days=rng.randint(29, 80))) if fail else \
                meeting + timedelta(days=rng.randint(5, 28))
            rows.append(a.row("ehc_review", review=None, neighbourhood=nb, meeting=meeting, decision_sent=a.cap(sent)))
    keyed(rows, "review", "meeting", "LCC-AR-{yy}-{n:05d}")
    a.put("ehc_review", rows, FileStyle(), "annual reviews of EHC plans held in the year")
    a.corrupt("ehc_review", lambda r: r["decision_sent"] is not None, "decision_sent", "31/02/2026", "impossible date",
              count=8, spread=lambda r: (r["neighbourhood"], quarter_of(r["meeting"])))

    # --- participation ---
    rows = []
    pbad = {("North", 2): (.085, .095), ("North", 3): (.082, .09)}
    cells = a.alloc(9000, {(nb, q): nw[nb] * {1: .22, 2: .24, 3: .29, 4: .25}[q] for nb in NB for q in QUARTERS})
    ids = iter(pseudonyms(rng, sum(cells.values()), "LYP-"))
    for (nb, q), n in cells.items():
        lo, hi = pbad.get((nb, q), (.05, .07))
        for fail in a.flags(n, a.nfail(n, lo, hi)):
            rows.append(a.row("participation", young_person=next(ids), neighbourhood=nb, checked=a.qday(q),
                              status=weighted(rng, {"neet": 70, "not_known": 30}) if fail else "participating"))
    rows.sort(key=lambda r: (r["checked"], r["young_person"]))
    a.put("participation", rows, FileStyle(dates="uk"), "one row per 16 or 17 year old, with the status last checked")
    a.corrupt("participation", lambda r: r["status"] == "participating", "status", "EET",
              "value not in the list (another system's code)", count=10, spread=lambda r: (r["neighbourhood"], quarter_of(r["checked"])))
    a.corrupt("participation", lambda r: True, "young_person", "", "blank key (no duty reads it)", count=5)

    # --- adult_learner ---
    rows = []
    for nb in NB:
        n = round(nw[nb] * 620)
        done = exact_mix(rng, n, {"achieved": rng.uniform(87, 90), "not_achieved": 5, "withdrawn": 5, "continuing": 4})
        for o in done:
            rows.append(a.row("adult_learner", learner=None, neighbourhood=nb, planned_end=a.day(FY_START, FY_END), outcome=o))
    keyed(rows, "learner", "planned_end", "LCR-AS-{yy}-{n:05d}")
    a.put("adult_learner", rows, FileStyle(), "adult skills enrolments with a planned end in the year")
    a.corrupt("adult_learner", lambda r: r["outcome"] == "achieved", "outcome", "acheived", "value not in the list (misspelt)",
              count=5, spread=lambda r: r["neighbourhood"])

    # --- waste_tonnage ---
    rows = []
    rate = {"North": (.195, .215), "Central": (.17, .19), "East": (.255, .27), "South Central": (.27, .29), "South": (.29, .31)}
    for m in MONTHS:
        for nb in NB:
            collected = round(nw[nb] * rng.uniform(2300, 2700), 1)
            lo, hi = rate[nb]
            garden = m.month in (4, 5, 6, 7, 8, 9)
            r = rng.uniform(lo, hi) - (0 if garden else .035 if nb == "East" else .01)
            composted = round(collected * (rng.uniform(.04, .07) if garden else rng.uniform(.005, .015)), 1)
            recycled = round(collected * r - composted, 1)
            rows.append(a.row("waste_tonnage", row_ref=f"{nb.replace(' ', '')[:6].upper()}-{m:%Y-%m}", neighbourhood=nb,
                              month_start=m, collected=collected, recycled=recycled, composted=composted))
    a.put("waste_tonnage", rows, FileStyle(fmt="json"), "household waste tonnages by neighbourhood and month (JSON)")

    # --- compost_bin ---
    rows = []
    qw = {1: .45, 2: .30, 3: .10, 4: .15}
    for (nb, q), n in a.alloc(900, {(nb, q): nw[nb] * qw[q] * (.35 if nb == "Central" else 1) for nb in NB for q in QUARTERS}).items():
        for fail in a.flags(n, a.nfail(n, 0, .04)):
            ordered = a.qday(q, weekend=.2, latest=a.late_enough(10) if fail and q == 4 else None)
            rows.append(a.row("compost_bin", order_ref=None, neighbourhood=nb, ordered=ordered,
                              delivered=a.wd_case(ordered, fail, 10)))
    keyed(rows, "order_ref", "ordered", "CB-{yy}-{n:04d}")
    a.put("compost_bin", rows, FileStyle(), "home compost bins ordered in the year")
    a.corrupt("compost_bin", lambda r: r["neighbourhood"] == "South" and quarter_of(r["ordered"]) == 1 and r["delivered"],
              "delivered", "31/02/2026", "impossible date", count=2)

    # --- air_quality ---
    rows, n = [], 0
    for nb in NB:
        for _ in range({"Central": 18, "North": 16}.get(nb, 12)):
            n += 1
            rows.append(a.row("air_quality", site=f"LCC-DT-{n:03d}", neighbourhood=nb, year_end=date(2025, 12, 31),
                              no2_annual_mean=round(rng.uniform(24, 38.6) if nb == "Central" else rng.uniform(14, 34), 1),
                              data_capture=round(rng.uniform(78, 100), 1)))
    for r, v in zip([r for r in rows if r["neighbourhood"] == "Central"][:2], (42.4, 40.8)):
        r["no2_annual_mean"] = v
    a.put("air_quality", rows, FileStyle(), "one row per NO2 monitoring site for calendar year 2025")

    # --- consultation ---
    rows = []
    pairs = schedule(a, {1: 5, 2: 9, 3: 10, 4: 8}, lambda: rng.randint(42, 84), closes_ok,
                     early=5, early_length=lambda: rng.randint(42, 56))
    reach = {"North": (.06, .085), "Central": (.10, .14), "East": (.11, .15), "South Central": (.12, .18), "South": (.12, .17)}
    for opened, closed in pairs:
        nb = None if rng.random() < .3 else weighted(rng, nw)
        invited = rng.randint(400, 4000) if nb else rng.randint(20000, 60000)
        lo, hi = reach[nb] if nb else (.02, .05)
        rows.append(a.row("consultation", reference=None, neighbourhood=nb, opened=opened, closed=closed, formative=True,
                          households_invited=invited, responses=round(invited * rng.uniform(lo, hi)),
                          response_published=a.cap(a.cal.next_working(closed + timedelta(days=rng.randint(20, 80))))))
    keyed(rows, "reference", "opened", "LCC-CONS-{y}-{n:02d}")
    a.put("consultation", rows, FileStyle(), "consultations that opened and closed in the year (empty neighbourhood: city-wide)")

    # --- neighbourhood_award ---
    rows = []
    for _ in range(320):
        w = rng.choice(W)
        decided = a.day(FY_START, FY_END)
        rows.append(a.row("neighbourhood_award", award=None, ward=w, neighbourhood=ward_nb[w], decided=decided,
                          amount=Money(rng.randrange(250, 10_000, 50) * 100), residents_chose=rng.random() < .62,
                          published=a.cal.next_working(decided + timedelta(days=rng.randint(3, 25)))))
    t = a.row("neighbourhood_award", award=None, ward="Anfield", neighbourhood="North", decided=date(2025, 10, 6),
              amount=Money(2_400_00), residents_chose=True, published=date(2025, 11, 17))
    rows.append(t)
    keyed(rows, "award", "decided", "NB-{yy}-{n:04d}")
    swap_key(rows, "award", t, "NB-25-0077")
    a.put("neighbourhood_award", rows, FileStyle(), "neighbourhood budget awards decided in the year (publication dates from the web page, to April 2026)")
    a.corrupt("neighbourhood_award", lambda r: True, "amount", "N/A", "`N/A` in a money field (no duty reads `amount`)")

    # --- decision ---
    rows = []
    for _ in range(262):
        decided = a.day(FY_START, FY_END)
        pre = decided < date(2025, 10, 1) and rng.random() < .7
        rows.append(a.row("decision", reference=None, decided=decided,
                          closer_answer=None if pre else rng.choice(["Yes: delegated to the neighbourhood", "No: a city-wide decision",
                                                                     "In part: ward councillors decide the detail"]),
                          by_them_answer=None if pre else rng.choice(["Residents voted on the options", "No: but residents were consulted",
                                                                      "In part: users on the panel"])))
    keyed(rows, "reference", "decided", "LCC-DEC-{y}-{n:03d}")
    a.put("decision", rows, FileStyle(), "decisions in the year (the constitution was adopted on 1 October 2025)")

    # --- election_result ---
    a.put("election_result", [], FileStyle(), "no ward contests in the year (all-out elections in 2023 and 2027)")

    # --- councillor ---
    gen_councillors(a, W, seats={w: LIVERPOOL_MULTI.get(w, 1) for w in W}, key="CLLR-{n:03d}",
                    approved={"Speke": date(2025, 7, 9)}, low_surgeries=["Croxteth", "Fazakerley West", "Old Swan East", "Waterfront South"],
                    no_report=["Walton", "Stoneycroft", "Garston"],
                    fixed={"Princes Park": ("CLLR-041", {"last_attended": date(2025, 11, 26), "approved_absence": False,
                                                         "surgeries_held": 11, "annual_report": date(2025, 6, 30)})})

    # --- public_contact ---
    rows = []
    for (nb, q), n in a.alloc(8000, {(nb, q): nw[nb] * QW_EVEN[q] for nb in NB for q in QUARTERS}).items():
        asked = [not x for x in a.flags(n, a.nfail(n, .03, .07))]
        off_share = .86 if (nb, q) == ("East", 4) else rng.uniform(.92, .95)
        offered = iter(exact_mix(rng, sum(asked), {True: off_share, False: 1 - off_share}))
        for was in asked:
            rows.append(a.row("public_contact", contact_ref=None, neighbourhood=nb,
                              service=weighted(rng, {"adult social care": 25, "housing": 25, "libraries": 10, "community health": 20,
                                                     "neighbourhood policing": 10, "customer services": 10}),
                              contact_date=a.qday(q, weekend=.03), asked=was, offered=next(offered) if was else False))
    keyed(rows, "contact_ref", "contact_date", "PC-{yy}-{n:05d}")
    a.put("public_contact", rows, FileStyle(), "contacts with potentially vulnerable residents")


# ------------------------------------------------------------------------------------------
# The design: the verdict each duty is built to reach, the cells built to breach, and why.
# `--check` fails when the files say otherwise.

GENERATORS = {"lambeth": gen_lambeth, "oldham": gen_oldham, "plymouth": gen_plymouth,
              "stevenage": gen_stevenage, "liverpool": gen_liverpool}

B, M, I, NA = "breached", "met", "insufficient_evidence", "not_applicable"
DESIGN: dict[str, dict[str, tuple[str, str, str]]] = {
    "lambeth": {
        "home.family_bed_and_breakfast": (B, "Q2; Q3", "three families stayed 45-53 days; two breached quarters in a row call in a review"),
        "home.relief_within_56_days": (B, "Brixton North Q2; Brixton North Q3; Streatham Hill East Q3", "17-22% of relief duties ran past 56 days there; 94-98% elsewhere"),
        "home.prevention_outcomes": (M, "", "about 65% of ended prevention duties kept or found a home (target 60%)"),
        "education.offer_on_offer_day": (M, "", "every on-time applicant offered on the national offer day"),
        "education.preference_met": (B, "Clapham Town; Streatham Hill West & Thornton", "7-7.5% of on-time applicants there got none of their preferences"),
        "education.ehc_plan_20_weeks": (B, "Q2", "80% within 20 weeks in Q2 (summer); Q4 requests are not yet 20 weeks old"),
        "skills.participation_16_17": (B, "Brixton North Q2; Myatt's Fields Q3; Myatt's Fields Q4; Stockwell East Q4", "8-11% NEET or not known there; Myatt's Fields twice running"),
        "skills.activity_known": (M, "", "not known stays near 1% in every quarter"),
        "environment.no2_annual_mean": (B, "Brixton Windrush; Vauxhall", "LB-BRX-01 at 43.2 and LB-VXL-03 at 41.6 µg/m³; LB-KEN-02 (42.0) left out at 68% data capture"),
        "environment.no2_hourly": (M, "", "four automatic monitors, 0-3 hours over 200 µg/m³"),
        "environment.flytipping_cleared": (B, "Herne Hill & Loughborough Junction Q3; Stockwell West & Larkhall Q3; Stockwell West & Larkhall Q4", "12-16% cleared late there; West Dulwich Q1 (14 reports) is too few to judge"),
        "information.foi_in_time": (B, "Housing Q1; Housing Q2", "Housing 80-87% on time in Q1-Q2 (review called in), then recovers; Chief Executive's Office is below the 20-request minimum each quarter"),
        "information.eir_in_time": (M, "", "EIR answered within 20 days, or 40 when extended"),
        "information.spending_published": (M, "", "each quarter's file published within 123 days of payment"),
        "information.spending_described": (M, "", "99.4% or more of lines have purpose and category"),
        "consulted.formative_stage": (B, "Q3", "one Q3 consultation opened after the decision was in the budget"),
        "consulted.adequate_time": (M, "", "borough-wide consultations run 12+ weeks, ward ones 6+"),
        "consulted.response_published": (B, "Q2", "one response published 101 days after closing"),
        "cooperative_commissioning.co_produced": (B, "all", "a £340,000 facilities management contract was not co-produced"),
        "cooperative_commissioning.young_people_decide": (M, "", "every youth service panel had 2-4 young people"),
        "cooperative_commissioning.outcomes_published": (M, "", "68 of 70 commissions published their outcomes first"),
        "accountability.public_interest_test": (B, "Q2", "KD-2025-041 (the constitution's own test case) skipped the second question"),
        "accountability.public_interest_published": (M, "", "one or two late publications a quarter, still 95%+"),
        "accountability.turnout_benchmark": (B, "Oval; Streatham Common & Vale", "two by-elections at 25.6% and 26.2%"),
        "accountability.statutory_attendance": (B, "Clapham Park", "one member last attended on 17 September 2025 with no approved reason"),
        "accountability.attendance_threshold": (B, "Clapham Park; Knight's Hill; Oval; Stockwell East; West Norwood", "five members below 75%, including one on approved leave (the threshold has no exception)"),
        "accountability.annual_reports": (B, "Brixton North; Clapham Town; Kennington; Streatham Wells; Vauxhall", "four reports missing, one from March 2025 (too old)"),
        "accountability.relationships_asked": (B, "Streatham St Leonard's Q1; Vauxhall Q1; Vauxhall Q2", "14-20% of vulnerable residents not asked there; Vauxhall twice running"),
        "accountability.social_prescribing_offered": (M, "", "89% of those asked were offered social prescribing"),
    },
    "oldham": {
        "home.family_bed_and_breakfast": (B, "Oldham West Q3", "one family stayed 52 days"),
        "home.relief_within_56_days": (M, "", "90-96% within 56 days in every district and quarter"),
        "home.prevention_success": (B, "Q2", "52% secured accommodation in Q2 (target 55%)"),
        "education.offer_on_offer_day": (M, "", "every offer sent on the offer day"),
        "education.first_preference": (B, "Chadderton; Oldham West", "first preferences 83.5% and 81% there"),
        "education.in_year_outcome": (B, "Oldham East Q2; Oldham West Q2", "the September rush: 87-90% within 15 working days"),
        "skills.neet_rate": (B, "Oldham East Sep 2025; Oldham West Sep 2025; Oldham West Oct 2025; Oldham West Nov 2025", "not known peaks in the autumn; Oldham West three months running calls in a review"),
        "skills.businesses_still_trading": (I, "", "cannot be judged from one year: see the notes"),
        "skills.women_led_enterprise": (M, "", "46% of supported businesses women-led"),
        "environment.no2_annual_mean": (M, "", "highest 38.4 µg/m³; OL-OW-04 (41.0) left out at 62% capture"),
        "environment.street_cleanliness": (B, "Failsworth and Hollinwood Q2; Failsworth and Hollinwood Q3", "13-17% of transects below grade B there, two tranches running"),
        "information.foi_in_time": (B, "Children's Services Q3; Children's Services Q4", "Children's Services 81-86% on time in Q3-Q4 (review called in); Public Health is below the 15-request minimum"),
        "information.eir_in_time": (I, "", "only 7 EIR requests in Q3, under the minimum of 10; the other quarters are met"),
        "information.spending_published": (M, "", "every month published by the 24th of the next"),
        "consulted.formative_and_long_enough": (M, "", "all formative and open 8-12 weeks"),
        "consulted.youth_council_asked": (M, "", "the Youth Council was asked on every consultation affecting the young"),
        "consulted.response_published": (M, "", "every response within 12 weeks"),
        "youth_voice.executive_replies": (B, "all", "YC-2025-07 (the constitution's test case) waited ten weeks"),
        "youth_voice.youth_turnout": (B, "all", "9,412 young people voted, short of 10,000"),
        "accountability.public_interest_test": (M, "", "both questions recorded on every readable decision"),
        "accountability.turnout_benchmark": (NA, "", "no ward contests in 2025-26"),
        "accountability.statutory_attendance": (M, "", "every member attended within six months"),
        "accountability.attendance_threshold": (B, "Coldhurst; Failsworth West; Hollinwood; Shaw; St Mary's", "five members below 80%"),
        "accountability.annual_reports": (M, "", "every member published a report"),
        "accountability.relationships_asked": (M, "", "96-99% asked in every district and quarter"),
        "accountability.isolated_offered_help": (B, "Chadderton Q3", "FC-25-3310 (the constitution's test case) was isolated and not offered help"),
        "home.no_bed_and_breakfast_16_17": (B, "Q4", "TA-26-0031, a 16 year old, spent two nights in B&B in January 2026"),
    },
    "plymouth": {
        "home.family_bed_and_breakfast": (M, "", "every family out of B&B within 40 days"),
        "home.plan_within_10_days": (B, "Devonport Q3; Stoke Q2", "16-20% of plans late there"),
        "home.duties_within_56_days": (M, "", "85-89% of duties ended within 56 days"),
        "education.offer_on_offer_day": (M, "", "every offer sent on the offer day"),
        "education.ehc_within_20_weeks": (B, "Q1; Q2; Q3", "61-71% within 20 weeks for three quarters running: review called in"),
        "skills.participation": (B, "Devonport Q2; Devonport Q3; Stoke Q3", "participation 89-91.5% there"),
        "skills.apprenticeships_achieved": (M, "", "96 of 140 achieved (68.6%); 12 without a recorded result count as not achieved"),
        "environment.no2_annual_mean": (B, "St Peter and the Waterfront", "one roadside site at 41.3 µg/m³"),
        "environment.bathing_water": (M, "", "Hoe East sufficient, the others good or excellent (sufficient would breach the amended 2026 duty)"),
        "information.foi_in_time": (B, "Q3", "about 92.5% on time in Q3 against Plymouth's 95%"),
        "information.spending_published": (M, "", "each quarter published within 123 days"),
        "information.contracts_published": (B, "Q2", "three contracts over £5,000 never reached the register"),
        "consulted.formative_and_adequate": (M, "", "all formative; statutory ones 12+ weeks"),
        "consulted.response_published": (M, "", "one late response of about 20 (95%)"),
        "warm_home.advice_contact": (B, "Efford and Lipson Q3; Ham Q3; Stoke Q3", "the winter surge: 14-18% contacted late there"),
        "warm_home.fuel_poor_helped": (I, "", "every judged ward-quarter is met, but summer referrals in six wards are under the minimum of 10"),
        "accountability.public_interest_test": (B, "Q1", "decisions before adoption (20 June 2025) mostly lack the answers"),
        "accountability.turnout_benchmark": (B, "Budshead; Peverell", "two by-elections at 25.9% and 31.0%"),
        "accountability.statutory_attendance": (M, "", "the one long absence had an approved reason"),
        "accountability.attendance_threshold": (B, "Compton; Honicknowle; Stoke", "three members below 75% (one on approved leave)"),
        "accountability.annual_reports": (B, "all", "five members published no report"),
        "accountability.relationships_asked": (M, "", "92-94% asked each quarter"),
        "accountability.social_prescribing": (B, "Q1", "87.5% of those asked were offered help in Q1"),
    },
    "stevenage": {
        "home.family_bed_and_breakfast": (NA, "", "no household with children was placed in B&B"),
        "home.relief_within_56_days": (M, "", "93-97% within 56 days"),
        "home.emergency_repairs": (B, "Bedwell Q3; Bedwell Q4; Shephall Q3", "about 96% done by the next day there (target 98%); Bedwell twice running"),
        "home.routine_repairs": (M, "", "92-96% within 28 days"),
        "education.offer_on_offer_day": (M, "", "every on-time offer on the day"),
        "education.preference_met": (M, "", "96.5% or more of primary applicants got a preference"),
        "education.secondary_preference_met": (B, "Bedwell; Shephall", "12-14% of secondary applicants there got no preference"),
        "skills.not_known": (B, "Bedwell Sep 2025; Bedwell Oct 2025; Bedwell Nov 2025; Pin Green Sep 2025; Roebuck Sep 2025; Shephall Sep 2025; St Nicholas Sep 2025", "not known above 3% in September; Bedwell three months running"),
        "skills.neet": (M, "", "NEET under 4% in every ward and month"),
        "skills.apprenticeships_from_regeneration": (B, "all", "SG1-PLOT-A (the constitution's test case): £3.5m, two apprentices"),
        "skills.local_jobs": (M, "", "57% of new starters local"),
        "environment.asb_high_risk": (M, "", "every high-risk report answered by the next working day, ASB-25-1290 over Christmas included"),
        "environment.asb_other": (B, "Bedwell Q2", "10-14% answered late in Bedwell in Q2; some small ward-quarters are under the minimum"),
        "environment.missed_bins": (B, "Bedwell Dec 2025; Chells Dec 2025; Pin Green Jul 2025; Pin Green Dec 2025; Shephall Dec 2025; St Nicholas Dec 2025; Symonds Green Dec 2025", "the Christmas backlog in six wards, and Pin Green in July"),
        "information.foi_in_time": (M, "", "94-99% on time each quarter"),
        "information.eir_in_time": (M, "", "every EIR request in time"),
        "information.spending_published": (B, "Q1", "six Q1 payments never published"),
        "consulted.formative_stage": (M, "", "all formative and 6+ weeks"),
        "consulted.tenants_consulted": (B, "all", "one housing management consultation did not write to tenants"),
        "consulted.response_published": (M, "", "every response within 12 weeks"),
        "joined_up_services.referral_acted_on": (B, "Q2; Q3", "8-11% of referrals contacted late in Q2-Q3: review called in"),
        "joined_up_services.social_care_referrals": (B, "Q2", "one children's services referral contacted on the fifth working day"),
        "joined_up_services.joint_decisions_open": (M, "", "both views recorded, minutes within 10 working days"),
        "accountability.public_interest_test": (B, "Q1; Q2", "County decisions before October lack the second answer: review called in"),
        "accountability.turnout_benchmark": (NA, "", "no borough contests in 2025-26"),
        "accountability.statutory_attendance": (B, "all", "a Pin Green member last attended on 11 September 2025"),
        "accountability.regular_attendance": (B, "Longmeadow; Pin Green; Woodfield", "three members not seen since before 30 December 2025"),
        "accountability.annual_reports": (M, "", "every member published a report"),
        "accountability.relationships_asked": (M, "", "93-96% asked each quarter"),
        "accountability.social_prescribing": (M, "", "about 90% offered"),
    },
    "liverpool": {
        "home.family_bed_and_breakfast": (B, "Central Q2; Central Q3; North Q3", "four families stayed 46-55 days; Central twice running"),
        "home.prevention_in_56_days": (B, "North Q3", "51% in North in Q3 (target 55%)"),
        "home.disrepair_inspected": (B, "East Q4; North Q2; North Q3", "12-17% inspected late there; North twice running"),
        "education.offer_on_offer_day": (B, "all", "three secondary offers went out on 3 March 2026, a day late"),
        "education.ehc_review_decided": (B, "Central Q1; Central Q2; Central Q3; Central Q4; East Q1; East Q2; East Q3; East Q4; North Q1; North Q2; North Q3; North Q4", "78-86% within four weeks outside the south; South and South Central are met"),
        "skills.participation": (B, "North Q2; North Q3", "about 91% participating in North"),
        "skills.adult_achievement": (M, "", "about 88-92% of finished learners achieved"),
        "environment.recycling_rate": (B, "Central Q1; Central Q2; Central Q3; Central Q4; East Q3; East Q4; North Q1; North Q2; North Q3; North Q4", "North and Central never reach 25% (review after four quarters); East only in the garden-waste season"),
        "environment.compost_bins_delivered": (I, "", "every judged cell met, but Central took too few winter orders to judge"),
        "environment.no2_annual_mean": (B, "Central", "two city-centre sites at 42.4 and 40.8 µg/m³"),
        "information.foi_in_time": (B, "Q1; Q2", "79-84% on time before the recovery plan took hold: review called in"),
        "information.eir_in_time": (M, "", "92% or more in time"),
        "information.spending_published": (B, "Q3", "14 October payments published on 5 March 2026"),
        "consulted.formative_stage": (M, "", "all formative and 6+ weeks"),
        "consulted.neighbourhood_reach": (B, "North", "North heard from about 7% of households invited"),
        "consulted.response_published": (M, "", "every response within 12 weeks"),
        "neighbourhood_say.awards_published": (B, "North Q3", "NB-25-0077 (the constitution's test case) published after six weeks"),
        "neighbourhood_say.residents_choose": (M, "", "about 60% of awards chosen by residents"),
        "accountability.public_interest_test": (B, "Q1; Q2", "decisions before adoption (1 October 2025) mostly lack the answers: review called in"),
        "accountability.turnout_benchmark": (NA, "", "no contests: all-out elections in 2023 and 2027"),
        "accountability.ward_turnout": (NA, "", "no contests"),
        "accountability.statutory_attendance": (M, "", "the one long absence had an approved reason"),
        "accountability.visible_councillors": (B, "Croxteth; Fazakerley West; Old Swan East; Waterfront South", "four members held fewer than six surgeries"),
        "accountability.annual_reports": (B, "all", "three members published no report"),
        "accountability.relationships_asked": (M, "", "93-97% asked"),
        "accountability.social_prescribing": (B, "East Q4", "86% offered in East in Q4"),
    },
}

NOTES = {
    "lambeth": [
        "No scheduled elections fall in the year (the borough's next are on 7 May 2026); `election_result` holds two made-up by-elections.",
        "FOI is judged per directorate. The Chief Executive's Office gets about 12 requests a quarter, under the minimum of 20, so its cells are `insufficient_evidence`; the duty is breached in Housing all the same.",
        "About 2.5% of FOI requests waited for a fees notice (`fee_wait_days`); they are on time only because the constitution stops the clock, as s.10(2) does.",
        "`review_asked`/`review_done` are filled for about 4% of answered requests, but only the internal review duty added from 1 April 2026 reads them: it is not in force in this period, nor is the 95% FOI standard.",
        "The councillor on approved leave (Stockwell East) is outside `statutory_attendance` but still fails `attendance_threshold`, which has no exception for approved absence.",
        "`spending.csv` is the published Transparency Code file, so the fourth quarter's `published` date is 28 April 2026, after the period.",
        "The flytip row with an impossible `reported` date and the one with a blank ward cannot be placed in a quarter or a ward: they are unusable for the duty as a whole and belong to no ward-quarter cell.",
    ],
    "oldham": [
        "`skills.businesses_still_trading` cannot be judged from a one-year data set: it looks only at support that ended at least 52 weeks before the end of the period (on or before 1 April 2025), while `per year of support_ended` also requires that date to fall in the period. Only support ending on exactly 1 April 2025 could qualify, and none does, so the duty is `insufficient_evidence` (no records). It needs a two-year audit, or a filter on a follow-up date.",
        "The duty `home.no_bed_and_breakfast_16_17` was added by amendment from 1 January 2026. The audit uses the version in force on the last day of the period, so it is judged over the whole year; the only 16 or 17 year old placed in B&B (TA-26-0031) was placed after it took effect.",
        "Metropolitan boroughs did not poll in May 2025 and no by-election is included, so `election_result.csv` has a header and no rows: the turnout duty is `not_applicable`.",
        "`neet_return` row SADW-2025-12 has `N/A` for `neet`. One of the three ward returns for Saddleworth and Lees in December 2025 is unusable, more than one in ten, so that cell is deliberately `insufficient_evidence`.",
        "The `B&B` typo in `setting` is on a single adult's placement, but the family B&B filter reads `setting`, so the record is unusable for that duty in Royton, Shaw and Crompton Q3, a cell with only a few family placements: that cell becomes `insufficient_evidence`. The duty is breached in Oldham West all the same.",
        "Youth motions YC-2025-07 and frontline contacts FC-25-3310/3311 are the records of the constitution's own tests.",
    ],
    "plymouth": [
        "The amendments of 1 April 2026 (bathing waters must be good) and 1 October 2026 (advice line moves to Plymouth Energy Community, three working days) are not in force in this period. Plymouth Hoe East is `sufficient`: met now, breached under the amended duty.",
        "`warm_home.fuel_poor_helped` only judges referrals made by 31 December 2025 (90 days before the end of the period). Summer referrals in Compton and the Plympton and Plymstock wards are under 10 per ward and quarter, so those cells are `insufficient_evidence`; every judged cell is met.",
        "The constitution was adopted on 20 June 2025; about 70% of decisions before then have no answers to the public interest questions.",
        "Two made-up by-elections; there were no scheduled city elections in 2025.",
        "The bathing water site list is illustrative. PO-25-8812 and PCC-D-2025-118 are the records of the constitution's tests.",
        "`apprenticeship.started` goes back to 2023; it is not a date any duty uses to place a record, so it does not widen the default period.",
    ],
    "stevenage": [
        "The calendar closes the council on 29-31 December 2025. ASB-25-1290 (the constitution's test case), reported on 24 December and answered on 2 January, took one working day only because of those closure days; the generator counts working days with them throughout (FOI, ASB, bins, referrals, minutes).",
        "`spending.csv` is an Excel export: it starts with a UTF-8 byte order mark and ends lines with CRLF.",
        "No household with children was placed in B&B, so the family B&B duty is `not_applicable`. One single adult's hostel placement has an impossible `left` date; it is outside the duty's population and must not change that verdict.",
        "No borough contests in the year (the next borough elections are in May 2026): `election_result.csv` has a header and no rows.",
        "Wards are the 2024 boundaries (13 wards of three members). SG1-PLOT-A and JC-2025-11-03 are the records of the constitution's tests.",
    ],
    "liverpool": [
        "The five neighbourhood areas and the ward-to-neighbourhood lookup are illustrative; the 64 ward names are the 2023 wards (46 single-member, 15 two-member and 3 three-member wards; which wards have more than one member is illustrative).",
        "All-out elections were in 2023 and are next in 2027: `election_result.csv` has a header and no rows, so both turnout duties are `not_applicable`.",
        "The constitution was adopted on 1 October 2025; about 70% of earlier decisions lack the public interest answers.",
        "`neighbourhood_award.published` comes from the web page, read after the period, so March awards have April publication dates.",
        "NB-25-0077 and CLLR-041 are the records of the constitution's tests.",
    ],
}

TITLES = {"lambeth": "London Borough of Lambeth", "oldham": "Oldham", "plymouth": "Plymouth",
          "stevenage": "Stevenage", "liverpool": "Liverpool"}


def labels(res: "DutyResult", verdict: str) -> list[str]:
    """The cells of a duty with this verdict, in group then period order."""
    keys = sorted((k for k, c in res.cells.items() if c.verdict == verdict), key=lambda k: (k[0] or "", k[1] or ""))
    return [cell_label(k) for k in keys]


def cell_label(key) -> str:
    g, p = key
    parts = []
    if g is not None:
        parts.append(g)
    if p is not None:
        if " Q" in p:
            parts.append(p.split(" ")[1])
        elif re.fullmatch(r"\d{4}-\d\d", p) and int(p[5:]) != (int(p[:4]) + 1) % 100:
            parts.append(date(int(p[:4]), int(p[5:]), 1).strftime("%b %Y"))
    return " ".join(parts) or "all"


@dataclass
class AreaCheck:
    area: str
    con: Constitution
    rows: dict            # record -> parsed rows
    results: dict         # duty -> DutyResult
    span: tuple
    high_unusable: list   # (duty, cell label, unusable, in scope)


def check_area(area: str, con: Constitution | None = None) -> AreaCheck:
    con = con or load_constitution(area)
    cal = Calendar(con.closed)
    tr = translations(area, cal)
    assert set(tr) == set(con.duties), set(tr) ^ set(con.duties)
    files = {p.stem: p for p in data_dir(area).iterdir() if p.suffix in (".csv", ".json", ".ndjson")}
    assert set(files) == set(con.records), set(files) ^ set(con.records)
    rows = {rec: read_records(files[rec], con.records[rec]) for rec in con.records}
    results, lo, hi, high = {}, None, None, []
    for path, duty in con.duties.items():
        res = evaluate(con, duty, tr[path], rows[duty.record])
        results[path] = res
        slot = plan_of(con, duty).slot
        for r in rows[duty.record]:
            v = r[slot]
            if isinstance(v, date):
                lo, hi = min(lo or v, v), max(hi or v, v)
        for k, c in res.cells.items():
            if c.unusable and c.unusable * 20 > c.unusable + c.considered:
                high.append((path, cell_label(k), c.unusable, c.unusable + c.considered))
    return AreaCheck(area, con, rows, results, (lo, hi), high)


def effects(ac: AreaCheck, m: Malformed) -> str:
    """What a malformed row does, duty by duty (by the rules of the checker)."""
    tr = translations(ac.area, Calendar(ac.con.closed))
    r = R(ac.rows[m.record][m.index])
    hit, outside, asis = [], [], []
    for path, duty in ac.con.duties.items():
        if duty.record != m.record:
            continue
        plan = plan_of(ac.con, duty)
        if m.field not in plan.needs:
            continue
        status, cell = classify(duty, plan, tr[path], r)
        if status == "unusable":
            hit.append(f"`{path.split('.', 1)[1]}`" + ("" if cell is not None else " (in no cell)"))
        elif status in ("filtered", "outside"):
            outside.append(f"`{path.split('.', 1)[1]}`")
        else:
            asis.append(f"`{path.split('.', 1)[1]}`" + (f" (a group of its own, `{display(r[m.field])}`)" if m.field == duty.group else ""))
    if hit:
        text = "unusable for " + ", ".join(hit)
        if outside:
            text += "; outside the population of " + ", ".join(outside)
        return text
    if asis:
        return "read as written by " + ", ".join(asis)
    if outside:
        return "outside the population of " + ", ".join(outside) + ": no effect"
    return "no duty reads this field"


def location(record: str, st: FileStyle, index: int) -> str:
    if st.fmt == "csv":
        return f"line {index + 2}"
    if st.fmt == "ndjson":
        return f"line {index + 1}"
    return f"record {index + 1}"


def human_size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def readme(a: Area, ac: AreaCheck) -> str:
    area, con = a.name, a.con
    out = [f"# Sample service data: {TITLES[area]}, {FY_LABEL}", ""]
    out += [f"Made-up service data for `constitutions/{area}.lc`, one file per record kind it declares, covering "
            "the financial year 1 April 2025 to 31 March 2026. Written by `scripts/gen-sample-data.py` "
            f"(seed {SEEDS[area]}); do not edit by hand: change the script and run it again "
            "(`--check` recomputes every verdict below from these files).", "",
            "```sh",
            f"constitution audit constitutions/{area}.lc --data constitutions/{area}/data/{FY_LABEL}/",
            "```", "",
            f"Every date a duty uses to place a record in the period lies between {ac.span[0]} and {ac.span[1]}, so "
            "the default period is the financial year and the audit uses the version of the constitution in force "
            "on 31 March 2026. Case exports are as known on 31 March 2026: an answer, move-on or completion after "
            "that day is empty, and the constitution judges the case as open at the end of the period. Names of "
            "people never appear: records are identified by made-up keys.", ""]
    out += ["## Files", "", "| file | rows | size | format | what it holds |", "|---|---:|---:|---|---|"]
    for rec in con.records:
        rows, st = a.files[rec]
        size = len(render(rows, con.records[rec], st))
        fmt = {"csv": "CSV", "json": "JSON array", "ndjson": "NDJSON"}[st.fmt]
        bits = [fmt]
        if st.fmt == "csv" or any(f.type == "date" for f in con.records[rec].fields):
            bits.append("dates " + ("DD/MM/YYYY" if st.dates == "uk" else "ISO"))
        if any(f.type == "money" for f in con.records[rec].fields) and st.fmt == "csv":
            bits.append("money " + ("`£1,234.50`" if st.money == "pound" else "`1234.50`"))
        if any(f.type == "boolean" for f in con.records[rec].fields) and st.fmt == "csv":
            bits.append("`yes`/`no`" if st.booleans == "yesno" else "`true`/`false`")
        if st.bom:
            bits.append("BOM")
        if st.newline == "\r\n":
            bits.append("CRLF")
        out.append(f"| `{rec}.{st.fmt}` | {len(rows):,} | {human_size(size)} | {', '.join(bits)} | {a.notes[rec]} |")
    counts: dict = {}
    for res in ac.results.values():
        counts[res.verdict] = counts.get(res.verdict, 0) + 1
    out += ["", "## Verdicts built into the data", "",
            "By the verdict rules of `docs/language.md`, recomputed from the files by `--check`: "
            + ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(counts.items())) + ".", "",
            "| duty | verdict | breached in | review | why |", "|---|---|---|---|---|"]
    for path, res in ac.results.items():
        design = DESIGN[area][path]
        breached = "; ".join(labels(res, "breached"))
        undecided = labels(res, "insufficient_evidence")
        why = design[2]
        if undecided and res.verdict != "insufficient_evidence":
            why += f" (insufficient evidence in {', '.join(undecided)})"
        elif res.verdict == "insufficient_evidence" and res.cause:
            why += f" (cause: {res.cause.replace('_', ' ')}" + (f"; {', '.join(undecided)}" if undecided else "") + ")"
        out.append(f"| `{path}` | {res.verdict.replace('_', ' ')} | {breached or '-'} | {'yes' if res.review else '-'} | {why} |")
    out += ["", "## Deliberately malformed rows", "",
            "About 0.3% of rows or fewer per file, as real exports have. Each is unusable only for the duties "
            "that read the broken field; no group or period gets more than one in twenty unusable unless listed "
            "under the notes.", "",
            "| file | rows | where | keys | field | written as | problem | effect |", "|---|---:|---|---|---|---|---|---|"]
    groups: dict = {}
    for m in sorted(a.malformed, key=lambda m: (list(con.records).index(m.record), m.index)):
        groups.setdefault((m.record, m.field, m.text, m.why, effects(ac, m)), []).append(m)
    for (record, fld, text, why, effect), ms in groups.items():
        st = a.files[record][1]
        shown = "null" if text is None else ("(empty)" if text == "" else f"`{text}`")
        where = ", ".join(location(record, st, m.index) for m in ms[:3]) + (f" and {len(ms) - 3} more" if len(ms) > 3 else "")
        keys = ", ".join(m.key or "(blank)" for m in ms[:3]) + (", …" if len(ms) > 3 else "")
        out.append(f"| `{record}.{st.fmt}` | {len(ms)} | {where} | {keys} | `{fld}` | {shown} | {why} | {effect} |")
    out += ["", "## Notes", ""] + [f"- {n}" for n in NOTES[area]]
    if ac.high_unusable:
        out.append("- Groups where more than one record in twenty is unusable: " + "; ".join(
            f"`{p.split('.', 1)[1]}` {lab} ({u} of {n})" for p, lab, u, n in ac.high_unusable) + ".")
    return "\n".join(out) + "\n"


def build(area: str) -> Area:
    a = Area(area)
    GENERATORS[area](a)
    return a


def compare_design(ac: AreaCheck) -> list[str]:
    problems = []
    for path, res in ac.results.items():
        want, cells, _ = DESIGN[ac.area][path]
        got_cells = "; ".join(labels(res, "breached"))
        if res.verdict != want:
            problems.append(f"{ac.area} {path}: designed {want}, files give {res.verdict}")
        if got_cells != cells:
            problems.append(f"{ac.area} {path}: designed breaches [{cells}], files give [{got_cells}]")
    if ac.span != (FY_START, FY_END):
        problems.append(f"{ac.area}: dates the duties use span {ac.span}, not the financial year")
    return problems


def run_engine(area: str) -> dict | None:
    cmd = ["cargo", "run", "-q", "--release", "--", "audit", f"constitutions/{area}.lc",
           "--data", f"constitutions/{area}/data/{FY_LABEL}/", "--format", "json"]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(f"  engine failed on {area} (exit {p.returncode}): {p.stderr.strip()[:500]}")
        return None
    return json.loads(p.stdout)


def compare_engine(ac: AreaCheck, report: dict) -> list[str]:
    diffs = []
    duties = {d["id"]: d for s in report["rights"] + [report["accountability"]] for d in s["duties"]}
    reviews = {r["duty"] for r in report.get("referrals", []) if r.get("independent_review")}
    if report["period"] != {"from": str(FY_START), "to": str(FY_END)}:
        diffs.append(f"period {report['period']}")
    for path, res in ac.results.items():
        d = duties.get(path)
        if d is None:
            diffs.append(f"{path}: not in the engine's report")
            continue
        if d["verdict"] != res.verdict:
            diffs.append(f"{path}: engine {d['verdict']} ({d.get('cause', '')}), checker {res.verdict} ({res.cause})")
        if (path in reviews) != res.review:
            diffs.append(f"{path}: independent review: engine {path in reviews}, checker {res.review}")
        mine = {(g, p): c for (g, p), c in res.cells.items()}
        theirs = {(c["group"], c["period"]): c for c in d["groups"]}
        for k in sorted(set(mine) | set(theirs), key=str):
            m, t = mine.get(k), theirs.get(k)
            if m is None or t is None:
                diffs.append(f"{path} {cell_label(k)}: cell only in {'engine' if m is None else 'checker'}"
                             + (f" ({t['verdict']}, {t['counts']})" if t else f" ({m.verdict})"))
                continue
            tc = t["counts"]
            if t["verdict"] != m.verdict or tc["considered"] != m.considered or tc["unusable"] != m.unusable \
                    or (ac.con.duties[path].test_kind == "each" and tc["passing"] != m.passing):
                diffs.append(f"{path} {cell_label(k)}: engine {t['verdict']} {tc['considered']}/{tc['passing']}/"
                             f"{tc['unusable']}, checker {m.verdict} {m.considered}/{m.passing}/{m.unusable} "
                             "(considered/passing/unusable)")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="re-read the files and check every designed verdict")
    ap.add_argument("--engine", action="store_true", help="with --check: also run `constitution audit` and compare")
    ap.add_argument("--area", choices=AREAS, action="append", help="only this area (repeatable)")
    args = ap.parse_args()
    areas = args.area or AREAS
    failures = []
    for area in areas:
        a = build(area)
        if not args.check:
            a.write()
            ac = check_area(area, a.con)
            (data_dir(area) / "README.md").write_text(readme(a, ac), encoding="utf-8")
            failures += compare_design(ac)
            print(f"{area}: {len(a.files)} files, {sum(len(r) for r, _ in a.files.values()):,} rows, "
                  f"{len(a.malformed)} malformed")
            continue
        for rec, (rows, st) in a.files.items():
            path = data_dir(area) / f"{rec}.{st.fmt}"
            if not path.exists() or path.read_bytes() != render(rows, a.con.records[rec], st):
                failures.append(f"{area}: {path.name} is not what the script writes (run it again)")
        ac = check_area(area, a.con)
        if (data_dir(area) / "README.md").read_text(encoding="utf-8") != readme(a, ac):
            failures.append(f"{area}: README.md is out of date (run the script again)")
        problems = compare_design(ac)
        failures += problems
        print(f"\n{TITLES[area]} ({FY_LABEL}): dates used {ac.span[0]}..{ac.span[1]}")
        print(f"  {'duty':52} {'designed':22} {'from the files':22} review  breached in")
        for path, res in ac.results.items():
            want = DESIGN[area][path][0]
            cells = "; ".join(labels(res, "breached"))
            flag = "" if want == res.verdict else "  <-- differs"
            print(f"  {path:52} {want:22} {res.verdict:22} {'yes' if res.review else '-':6}  {cells[:70]}{flag}")
        if args.engine:
            report = run_engine(area)
            if report is not None:
                diffs = compare_engine(ac, report)
                print(f"  engine: {'agrees on every duty, cell and count' if not diffs else f'{len(diffs)} differences'}")
                for dline in diffs:
                    print(f"    {dline}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nall designed verdicts hold" if args.check else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
