#!/usr/bin/env python3
"""Seeded generator of synthetic service data for the benchmark (bench/bench.lc).

Writes, for one size N, in NDJSON and CSV:
  foi_request.{csv,ndjson}        N records: id, ward (one of 40), received, responded,
                                  regime, category, channel, pages
  housing_placement.{csv,ndjson}  N/10 records: household, ward, family, accommodation,
                                  placed, left
  election_result.{csv,ndjson}    N/10 records: contest, ward, polled, electorate, votes_cast

Breach rates differ by ward, so some wards pass the 90% FOI duty and some fail, some wards
keep turnout above 40% and some do not. With --dirty about 1 in 50 records gets a missing or
malformed value (empty, NA, n/a, a day that does not exist, words where a date or number
should be) or a valid but unusual spelling (UK dates, padded text) that every engine must
read the same way.

Usage: gen.py --size 100k|1m|10m|<N> --out DIR [--dirty] [--seed S]
Python standard library only; the same seed gives the same bytes.
"""

import argparse
import datetime as dt
import json
import os
import random

WARDS = [
    "Abbey", "Alexandra", "Bankside", "Beaconsfield", "Brookfield", "Castle", "Chapel End",
    "Church Street", "Clayhall", "Coldharbour", "Crown Hill", "Eastfield", "Fairlop",
    "Fernhill", "Goldsmith", "Greenway", "Hainault", "Hatch Lane", "Highfield", "Hill Top",
    "Kingsmead", "Lark Rise", "Leabridge", "Lower Green", "Marsh Lane", "Mayfield",
    "Millbrook", "Newtown", "Northcote", "Old Market", "Parkside", "Priory", "Queensgate",
    "Riverside", "St Anne's", "Southgate", "Thornhill", "Valley", "Westbury", "Woodside",
]
assert len(WARDS) == 40

CATEGORIES = ["housing", "planning", "finance", "social care", "schools", "highways",
              "environment", "council tax", "licensing", "parking"]
CHANNELS = ["email", "web", "post", "phone"]
ACCOMMODATION = ["bed_and_breakfast", "hostel", "nightly_let", "self_contained"]

START = dt.date(2025, 4, 1)
DAYS_IN_YEAR = 365  # 2025-04-01 .. 2026-03-31
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def size_of(text):
    if text.lower() in SIZES:
        return SIZES[text.lower()]
    return int(text)


# Dates as ISO and UK text, by day offset from START (up to two years ahead).
ISO = [(START + dt.timedelta(days=i)).isoformat() for i in range(800)]
UK = [(START + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(800)]

BAD_DATES = ["", "NA", "n/a", "2025-02-30", "unknown", "2025-13-01", "-"]


class Writer:
    """Writes one record kind to CSV and NDJSON at once, buffered."""

    def __init__(self, out, name, columns):
        self.columns = columns
        self.csv = open(os.path.join(out, name + ".csv"), "w", encoding="utf-8", newline="")
        self.nd = open(os.path.join(out, name + ".ndjson"), "w", encoding="utf-8")
        self.csv.write(",".join(columns) + "\n")
        self.csv_lines = []
        self.nd_lines = []

    def row(self, csv_cells, json_values):
        self.csv_lines.append(",".join(csv_cells))
        self.nd_lines.append(json_values)
        if len(self.csv_lines) >= 20000:
            self.flush()

    def flush(self):
        if self.csv_lines:
            self.csv.write("\n".join(self.csv_lines) + "\n")
            self.nd.write("\n".join(self.nd_lines) + "\n")
        self.csv_lines = []
        self.nd_lines = []

    def close(self):
        self.flush()
        self.csv.close()
        self.nd.close()


def csv_cell(s):
    if any(c in s for c in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def js(v):
    """A JSON value: None is null, str quoted, int/bool as JSON."""
    return json.dumps(v)


def dirty_date(rng, day):
    """A dirty spelling for a date that is `day` days after START."""
    r = rng.random()
    if r < 0.25:
        return UK[day]  # valid, UK order
    return rng.choice(BAD_DATES)


def gen_foi(out, n, rng, dirty):
    w = Writer(out, "foi_request",
               ["id", "ward", "received", "responded", "regime", "category", "channel",
                "pages"])
    # Late-answer rate per ward, 1% to 14%: about half the wards fall below 90% on time.
    late = [0.01 + 0.13 * ((i * 7) % 40) / 39 for i in range(40)]
    ward_q = [json.dumps(x) for x in WARDS]
    rand = rng.random
    randrange = rng.randrange
    for k in range(1, n + 1):
        wi = randrange(40)
        day = randrange(DAYS_IN_YEAR)
        if rand() < 0.012:
            responded = None  # still open: judged at the period's end
        elif rand() < late[wi]:
            responded = day + 29 + randrange(45)
        else:
            responded = day + randrange(27)
        regime = "foia" if rand() < 0.85 else "eir"
        category = CATEGORIES[randrange(10)]
        channel = CHANNELS[randrange(4)]
        pages = randrange(400) if rand() < 0.9 else None
        rid = f"FOI-{k:08d}"
        ward = WARDS[wi]
        rec_s = ISO[day]
        resp_s = "" if responded is None else ISO[responded]
        ward_j, rec_j, resp_j = ward_q[wi], '"' + rec_s + '"', (
            "null" if responded is None else '"' + resp_s + '"')
        if dirty and rand() < 0.02:
            what = randrange(3)
            if what == 0:
                rec_s = dirty_date(rng, day)
                rec_j = js(rec_s) if rec_s or rand() < 0.5 else "null"
            elif what == 1:
                resp_s = dirty_date(rng, responded if responded is not None else day)
                resp_j = js(resp_s) if rand() < 0.7 else "null"
            else:
                ward = rng.choice(["", "NA", " " + ward + " "])
                ward_j = js(ward) if ward or rand() < 0.5 else "null"
        pages_s = "" if pages is None else str(pages)
        w.row(
            [rid, csv_cell(ward), rec_s, resp_s, regime, category, channel, pages_s],
            '{"id":"%s","ward":%s,"received":%s,"responded":%s,"regime":"%s",'
            '"category":"%s","channel":"%s","pages":%s}'
            % (rid, ward_j, rec_j, resp_j, regime, category, channel,
               "null" if pages is None else pages_s),
        )
    w.close()


def gen_elections(out, n, rng, dirty):
    w = Writer(out, "election_result", ["contest", "ward", "polled", "electorate", "votes_cast"])
    # Typical turnout per ward, 34% to 58%, spread +-5 points: wards whose typical turnout
    # is above 45% never fall below 40%.
    base = [0.34 + 0.24 * ((i * 11) % 40) / 39 for i in range(40)]
    rand = rng.random
    randrange = rng.randrange
    for k in range(1, n + 1):
        wi = randrange(40)
        day = randrange(DAYS_IN_YEAR)
        electorate = 4000 + randrange(12000)
        turnout = base[wi] + (rand() - 0.5) * 0.1
        votes = int(electorate * turnout)
        contest = f"EL-{k:08d}"
        ward, polled, elec_s, votes_s = WARDS[wi], ISO[day], str(electorate), str(votes)
        elec_j, votes_j = elec_s, votes_s
        ward_j = json.dumps(ward)
        polled_j = '"' + polled + '"'
        if dirty and rand() < 0.02:
            what = randrange(3)
            if what == 0:
                votes_s = rng.choice(["", "unknown", "NA", " " + votes_s + " "])
                votes_j = js(votes_s) if votes_s else "null"
            elif what == 1:
                polled = dirty_date(rng, day)
                polled_j = js(polled)
            else:
                ward = rng.choice(["", "n/a"])
                ward_j = js(ward)
        w.row([contest, csv_cell(ward), polled, elec_s, votes_s],
              '{"contest":"%s","ward":%s,"polled":%s,"electorate":%s,"votes_cast":%s}'
              % (contest, ward_j, polled_j, elec_j, votes_j))
    w.close()


def gen_housing(out, n, rng, dirty):
    w = Writer(out, "housing_placement",
               ["household", "ward", "family", "accommodation", "placed", "left"])
    # Long stays in B&B happen in a few wards only.
    long_stay = [0.0 if i % 4 else 0.01 * (i % 7) for i in range(40)]
    rand = rng.random
    randrange = rng.randrange
    for k in range(1, n + 1):
        wi = randrange(40)
        day = randrange(DAYS_IN_YEAR)
        family = rand() < 0.4
        acc = ACCOMMODATION[0] if rand() < 0.3 else ACCOMMODATION[1 + randrange(3)]
        r = rand()
        if r < 0.004:
            left = None  # still there
        elif r < 0.004 + long_stay[wi]:
            left = day + 43 + randrange(60)
        else:
            left = day + randrange(42)
        hh = f"HP-{k:08d}"
        ward = WARDS[wi]
        fam_s, fam_j = ("yes", "true") if family else ("no", "false")
        placed_s, left_s = ISO[day], "" if left is None else ISO[left]
        placed_j = '"' + placed_s + '"'
        left_j = "null" if left is None else '"' + left_s + '"'
        if dirty and rand() < 0.02:
            what = randrange(3)
            if what == 0:
                left_s = dirty_date(rng, left if left is not None else day)
                left_j = js(left_s) if left_s else "null"
            elif what == 1:
                placed_s = dirty_date(rng, day)
                placed_j = js(placed_s)
            else:
                fam_s = rng.choice(["maybe", "", "Y", "N", "TRUE"])
                fam_j = js(fam_s)
        w.row([hh, csv_cell(ward), fam_s, acc, placed_s, left_s],
              '{"household":"%s","ward":%s,"family":%s,"accommodation":"%s","placed":%s,'
              '"left":%s}' % (hh, json.dumps(ward), fam_j, acc, placed_j, left_j))
    w.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="100k")
    ap.add_argument("--out", required=True)
    ap.add_argument("--dirty", action="store_true")
    ap.add_argument("--seed", type=int, default=20251130)
    args = ap.parse_args()
    n = size_of(args.size)
    os.makedirs(args.out, exist_ok=True)
    gen_foi(args.out, n, random.Random(args.seed), args.dirty)
    gen_housing(args.out, max(n // 10, 1), random.Random(args.seed + 1), args.dirty)
    gen_elections(args.out, max(n // 10, 1), random.Random(args.seed + 2), args.dirty)


if __name__ == "__main__":
    main()
