"""Benchmark: reads that do not grow with history (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_history [--runs 15]

The overview's figures of every programme (overview.summaries: periods, next deadline,
money per tax basis, status counts and weighted progress) today and « au » 30 June 2018,
on the national data set (502 programmes, 225 000 items, 1 000 000 status events,
100 000 payments) and on its « 3x » version (the same programmes with three times the
actions, the events and the payments), in the same run. Targets (issue « Fast when the
whole comité opens it at once »): today <= 50 ms, the past date <= 150 ms, each with 3x /
1x <= 1.5. Prints a table and writes tests/benchmarks/results/bench_history.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from dashboard.tracker import overview
from dashboard.tracker.db import Database
from tests.benchmarks.common import RESULTS, median_ms, print_table, save
from tests.benchmarks.national import counts, national_database

PAST = dt.date(2018, 6, 30)
TARGETS = {"today_ms": 50.0, "past_ms": 150.0, "ratio": 1.5}


def measure(path, runs: int) -> dict:
    with Database(path, read_only=True) as db:
        today = dt.date.today()
        return {
            "scale": counts(db),
            "today_ms": round(median_ms(lambda: overview.summaries(db, today), runs), 1),
            "past_ms": round(median_ms(lambda: overview.summaries(db, PAST), runs), 1),
            "programme_overview_today_ms": round(
                median_ms(
                    lambda: db.records("programme_overview", as_of=today, programme_code=None), runs
                ),
                1,
            ),  # fmt: skip
            "programme_overview_past_ms": round(
                median_ms(
                    lambda: db.records("programme_overview", as_of=PAST, programme_code=None), runs
                ),
                1,
            ),  # fmt: skip
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    single = measure(national_database(RESULTS), args.runs)
    triple = measure(national_database(RESULTS, triple=True), args.runs)
    verdicts = {}
    rows = []
    for key, label, target in (
        ("today_ms", "vue d'ensemble, aujourd'hui (ms)", TARGETS["today_ms"]),
        ("past_ms", f"vue d'ensemble au {PAST:%d/%m/%Y} (ms)", TARGETS["past_ms"]),
    ):
        ratio = triple[key] / single[key]
        verdicts[key] = single[key] <= target and ratio <= TARGETS["ratio"]
        rows.append([label, single[key], triple[key], f"{ratio:.2f}",
                     f"<= {target:.0f} ms, 3x/1x <= {TARGETS['ratio']}",
                     "ok" if verdicts[key] else "HORS CIBLE"])  # fmt: skip
    for key, label in (
        ("programme_overview_today_ms", "  dont lecture programme_overview, aujourd'hui (ms)"),
        (
            "programme_overview_past_ms",
            f"  dont lecture programme_overview au {PAST:%d/%m/%Y} (ms)",
        ),
    ):
        rows.append([label, single[key], triple[key], f"{triple[key] / single[key]:.2f}", "—", "—"])
    print(f"\n1x : {single['scale']}\n3x : {triple['scale']}\n")
    print_table(["mesure", "1x", "3x", "3x / 1x", "cible", "verdict"], rows)
    path = save(
        "bench_history",
        {"targets": TARGETS, "past": str(PAST), "single": single, "triple": triple,
         "meets_targets": verdicts},
    )  # fmt: skip
    print(f"\nRésultats : {path}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
