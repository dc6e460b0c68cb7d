"""Benchmark of the named reads (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_reads [--runs 15]

For each query in queries/: median time at seed scale and at national scale (the
synthetic, fictional data set of national.py), and the same aggregate computed the
naive way (tables loaded into pandas, aggregated there) in the same run, like for like:
the same programme, date and filters on both sides (naive.py). Targets: a read over a
large table (the status log, the items, the payments, the indicators' values) <= 150 ms
and >= 10x the naive way; a read of small tables only (committees, meetings, acts,
deadlines and their like, up to some 10 000 rows) <= 50 ms, its ratio shown for
information. Then `cdv init` on an empty database: time and peak memory. Prints a
table and writes tests/benchmarks/results/bench_reads.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.ingest.seed import initialize
from dashboard.tracker import composed
from dashboard.tracker.db import Database, migrate
from dashboard.tracker.queries import names, read_parameters, sql, words
from tests.benchmarks.common import median_ms, print_table, save
from tests.benchmarks.naive import NAIVE, naive_for
from tests.benchmarks.national import counts

TARGET_MS = 150.0
TARGET_RATIO = 10.0
TARGET_SMALL_MS = 50.0
#: a read of one of these (directly or through a rule) reads a large table
LARGE_TABLES = {"status_event", "item_status", "action", "payment", "indicator_value",
                "work_item", "status_at", "counted_sides"}  # fmt: skip


def reads_large_table(name: str) -> bool:
    if name in composed.PARTS:
        return any(reads_large_table(part) for part in composed.PARTS[name])
    return bool(words(sql(name)) & LARGE_TABLES)


AS_OF = dt.date(2026, 1, 1)  # after every event: reads item_status
PAST = dt.date(2018, 6, 30)  # before the last events: aggregates the status_event log


def params_for(name: str, programme_code: str, as_of: dt.date = AS_OF) -> dict:
    values = {
        "as_of": as_of,
        "programme_code": programme_code,
        "item_kind": "phase",
        "item_id": 2,
        "entity": None,
        "limit": 200,
        "login": "lea",
        "since": dt.date(2018, 1, 1),
        "until": dt.date(2018, 12, 31),
        "login_key": "cle-fictive",
        "client_key": "client-fictif",
        "pair_since": dt.datetime(2026, 1, 1),
        "client_since": dt.datetime(2026, 1, 1),
        "token_hash": "0" * 64,
        "now": dt.datetime(2026, 1, 1),
        "indicator_id": INDICATOR[programme_code],
        "territory_id": 123,  # a fictional commune at national scale (none in the seed)
        "entity_id": 1,
        "attachment_id": 1,
        "without_actions": None,
        "only_phases": None,  # every item: the whole read (the server's first one)
        "only_orientations": None,
        "only_actions": None,
        "next_only": None,
    }
    from tests.tracker.test_queries import SAMPLE_PARAMS  # the others' sample values

    values = {**SAMPLE_PARAMS, **WATERMARKS.get(programme_code, {}), **values}
    return {p: values[p] for p in read_parameters(name)}


#: the indicator read for each programme (set in main from each database)
INDICATOR: dict[str, int | None] = {}
#: where a write's placement reads the logs from (changes_written): the
#: watermarks a transaction began with, here 100 rows before each log's end (a bulk
#: write's worth), as the server reads them — not the whole log
WATERMARKS: dict[str, dict[str, int]] = {}
_MARKS = ("select coalesce(max(id), 0) - 100 as audit_after,"
          " (select coalesce(max(id), 0) - 100 from status_event) as event_after from audit_log")  # fmt: skip


def cdv_init_cost() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
        start = time.perf_counter()
        subprocess.run(
            [cdv, "init", "--db", str(Path(tmp) / "init.duckdb")], check=True, capture_output=True
        )
        seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(seconds, 3), "peak_rss_mib": round(peak_kib / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--naive-runs", type=int, default=3)
    args = parser.parse_args(argv)

    init = cdv_init_cost()
    # the national data set with the evaluation's (bench_evaluation.py): every read has rows
    from tests.benchmarks.bench_evaluation import evaluation_database

    national_path = evaluation_database()
    with tempfile.TemporaryDirectory() as tmp:
        seed = Database(Path(tmp) / "seed.duckdb")
        initialize(seed)
        # a copy at the current schema (the cached base may be older)
        shutil.copy(national_path, Path(tmp) / "national.duckdb")
        with Database(Path(tmp) / "national.duckdb") as upgrading:
            migrate(upgrading)
        national = Database(Path(tmp) / "national.duckdb", read_only=True)
        scale = counts(national)
        for code, base in (("EVAL-CDV-2015-2020", seed), ("FICTIF-0250", national)):
            with base.reader() as cur:
                marks = cur.execute(_MARKS).fetchone()
            WATERMARKS[code] = {"audit_after": marks[0], "event_after": marks[1]}
        INDICATOR["EVAL-CDV-2015-2020"] = None
        INDICATOR["FICTIF-0250"] = national.scalar(
            "select min(i.id) from indicator i join programme p on p.id = i.programme_id "
            "where p.code = 'FICTIF-0250'")  # fmt: skip
        rows, results = [], []
        # the named reads, plus the overview rebuilt from the event log for a past date
        cases = [(name, name, AS_OF) for name in [*names(), *composed.PARTS]]
        cases.append(("programme_overview au 30/06/2018", "programme_overview", PAST))
        for label, name, as_of in cases:
            seed_params = params_for(name, "EVAL-CDV-2015-2020", as_of)
            national_params = params_for(name, "FICTIF-0250", as_of)
            seed_ms = median_ms(lambda n=name, p=seed_params: seed.frame(n, **p), args.runs)
            national_ms = median_ms(
                lambda n=name, p=national_params: national.frame(n, **p), args.runs
            )
            naive = naive_for(name)
            with national.reader() as cur:
                naive_ms = median_ms(
                    lambda c=cur, f=naive, p=national_params: f(c, **p), args.naive_runs, warmup=0
                )
            ratio = naive_ms / national_ms
            # the ratio is a target where a naive aggregate exists over a large table; a
            # read of small tables is judged on its time, its ratio shown for information
            large = reads_large_table(name)
            if large:
                ok = national_ms <= TARGET_MS and (ratio >= TARGET_RATIO or name not in NAIVE)
            else:
                ok = national_ms <= TARGET_SMALL_MS
            naive_kind = ("agrégat pandas" if name in NAIVE else "chargement seul") + (
                "" if large else ", petites tables"
            )
            verdict = (
                "ok"
                if ok
                else ("rapport < 10x" if large and national_ms <= TARGET_MS else "HORS CIBLE")
            )
            rows.append(
                [label, seed_ms, national_ms, naive_ms, f"{ratio:.0f}x", naive_kind, verdict]
            )
            results.append(
                {
                    "query": label,
                    "seed_median_ms": round(seed_ms, 2),
                    "national_median_ms": round(national_ms, 2),
                    "naive_median_ms": round(naive_ms, 2),
                    "ratio": round(ratio, 1),
                    "naive": naive_kind,
                    "meets_targets": ok,
                    "params": {k: str(v) for k, v in national_params.items()},
                }
            )
        seed.close()
        national.close()

    print(f"\nÉchelle nationale (fictive) : {scale}")
    print(
        f"Cibles : médiane nationale <= {TARGET_MS:.0f} ms et >= {TARGET_RATIO:.0f}x plus rapide que pandas\n"
    )
    print_table(
        ["requête", "amorçage ms", "national ms", "naïf ms", "rapport", "naïf =", "cible"], rows
    )
    print(f"\ncdv init (base vide) : {init['seconds']} s, pic mémoire {init['peak_rss_mib']} Mio")
    path = save(
        "bench_reads",
        {
            "scale": scale,
            "runs": args.runs,
            "targets": {"national_median_ms": TARGET_MS, "ratio": TARGET_RATIO},
            "reads": results,
            "cdv_init": init,
        },
    )
    print(f"Résultats : {path}")
    return 0 if all(r["meets_targets"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
