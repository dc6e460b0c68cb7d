"""Benchmark: reads that do not grow with history (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_history [--runs 15]

The overview's figures of every programme (overview.summaries) and, each alone, the
four named reads it is made of (programmes, deadlines, money_by_basis,
programme_overview), today, « au » 30 June 2018 (a month's last day, as every quarter's)
and « au » 15 June 2018 (a day inside a month), on the national data set (502
programmes, 225 000 items, 1 000 000 status events, 100 000 payments) and on its « 3x »
version (the same programmes with three times the actions, the events and the
payments). Both bases are open side by side and each run times a read on one then on
the other (alternating which goes first), so a change of the machine's load touches
both sides of a ratio alike. Targets: the summaries today <= 50 ms and at the past date
<= 150 ms; every read « au » the past date, each alone, 3x / 1x <= 1.3; today's reads
3x / 1x <= 1.5. Prints a table and writes tests/benchmarks/results/bench_history.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.tracker import overview
from dashboard.tracker.db import Database, migrate
from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import counts, national_database

PAST = dt.date(2018, 6, 30)
#: a day inside a month: its days up to it are read from their events
MID_MONTH = dt.date(2018, 6, 15)
TARGETS = {"summaries_today_ms": 50.0, "summaries_past_ms": 150.0, "past_ratio": 1.3,
           "today_ratio": 1.5}  # fmt: skip
READS = ("programmes", "deadlines", "money_by_basis", "programme_overview")


def reads(db: Database, as_of: dt.date) -> dict[str, Callable[[], object]]:
    found: dict[str, Callable[[], object]] = {
        "summaries": lambda: overview.summaries(db, as_of),
    }
    for name in READS:
        extra = {"next_only": True} if name == "deadlines" else {}
        found[name] = lambda name=name, extra=extra: db.records(
            name, as_of=as_of, programme_code=None, **extra
        )
    return found


def timed(read: Callable[[], object]) -> float:
    start = time.perf_counter()
    read()
    return (time.perf_counter() - start) * 1000


def interleaved(single: Callable, triple: Callable, runs: int) -> tuple[float, float]:
    """Medians of ``runs`` timings of each, one after the other in each run (the order
    alternating), after one warm-up of each."""
    single(), triple()
    ones, threes = [], []
    for run in range(runs):
        if run % 2:
            threes.append(timed(triple))
            ones.append(timed(single))
        else:
            ones.append(timed(single))
            threes.append(timed(triple))
    return statistics.median(ones), statistics.median(threes)


def migrated(source: Path, target: Path) -> Path:
    """A copy of ``source`` at the current schema (the cached bases may be older)."""
    shutil.copy(source, target)
    with Database(target) as db:
        migrate(db)
    return target


def compare(single_path: Path, triple_path: Path, runs: int) -> tuple[list[dict], dict]:
    with (
        Database(single_path, read_only=True) as one,
        Database(triple_path, read_only=True) as three,
    ):
        scales = {"1x": counts(one), "3x": counts(three)}
        results: list[dict] = []
        for label, as_of in (("aujourd'hui", dt.date.today()), (f"au {PAST:%d/%m/%Y}", PAST),
                             (f"au {MID_MONTH:%d/%m/%Y}", MID_MONTH)):  # fmt: skip
            past = as_of != dt.date.today()
            pairs = zip(reads(one, as_of).items(), reads(three, as_of).values(), strict=True)
            for (name, read_one), read_three in pairs:
                single, triple = interleaved(read_one, read_three, runs)
                ratio = triple / single
                limit = TARGETS["past_ratio" if past else "today_ratio"]
                absolute = TARGETS.get(f"summaries_{'past' if past else 'today'}_ms")
                met = ratio <= limit and (name != "summaries" or single <= absolute)
                results.append({
                    "read": name, "as_of": str(as_of), "single_ms": round(single, 1),
                    "triple_ms": round(triple, 1), "ratio": round(ratio, 2),
                    "target": f"3x/1x <= {limit}" + (
                        f", <= {absolute:.0f} ms" if name == "summaries" else ""),
                    "meets_targets": met, "label": label,
                })  # fmt: skip
    return results, scales


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [migrated(national_database(RESULTS), Path(tmp) / "1x.duckdb"),
                 migrated(national_database(RESULTS, triple=True), Path(tmp) / "3x.duckdb")]  # fmt: skip
        results, scales = compare(*paths, args.runs)
    print(f"\n1x : {scales['1x']}\n3x : {scales['3x']}\n")
    print_table(
        ["lecture", "date", "1x (ms)", "3x (ms)", "3x / 1x", "cible", "verdict"],
        [[r["read"], r["label"], r["single_ms"], r["triple_ms"], f"{r['ratio']:.2f}", r["target"],
          "ok" if r["meets_targets"] else "HORS CIBLE"] for r in results],
    )  # fmt: skip
    met = all(r["meets_targets"] for r in results)
    path = save(
        "bench_history",
        {"targets": TARGETS, "past": str(PAST), "runs": args.runs, "scales": scales,
         "reads": results, "meets_targets": met},
    )  # fmt: skip
    print(f"\nRésultats : {path}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
