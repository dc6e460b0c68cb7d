"""Benchmark: what a change costs the next views (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_changes [--rounds 5]

On a copy of the synthetic national database, each read page is run by AppTest as a
signed-in member (the session check included), in one process, as the server runs it
(each page compiled once, as the server's script cache keeps it: ``one_script_cache``);
measured: the process's CPU time (every thread: the script and DuckDB's) of one run.

- **warm**: the page again, nothing changed (median of ``--rounds``);
- **after a change here**: the first view after a status change in the programme the
  page shows (FICTIF-0250), made through the write service as the page's form makes it;
- **after a change elsewhere**: the first view after a status change in another
  programme (FICTIF-0100), which the page does not show;
- **everything cold**: the first view with the whole read cache emptied, what every
  change cost before the cache was kept per programme (the same run, for comparison).

Targets: after a change here <= 150 ms; after a change elsewhere, a page of one
programme stays warm (<= its warm view + 20 ms) and the overview, which shows every
programme, <= 150 ms; a warm overview <= 30 ms. Prints a table and writes
tests/benchmarks/results/bench_changes.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker import status
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.ui import data, session
from tests.benchmarks.common import RESULTS, forget_kept_reads, one_script_cache, print_table, save
from tests.benchmarks.national import national_database

HERE, ELSEWHERE = "FICTIF-0250", "FICTIF-0100"
PAGES = [  # page file, its title in the table
    ("overview.py", "Vue d'ensemble"),
    ("progress.py", "Avancement"),
    ("pack.py", "Présentation"),
    ("deadlines.py", "Échéances"),
]
TARGET_CHANGED_MS = 150.0
TARGET_ELSEWHERE_EXTRA_MS = 20.0
TARGET_WARM_OVERVIEW_MS = 30.0
LEAD = Actor("bench", "administrateur", "Banc d'essai")


def cpu_ms(at: AppTest) -> float:
    start = time.process_time()
    at.run()
    if at.exception:
        raise RuntimeError(f"la page a échoué : {at.exception[0].message}")
    return (time.process_time() - start) * 1000


class Changer:
    """Status changes of one action per programme, through the write service."""

    def __init__(self, db: Database):
        self.db = db
        with db.reader() as cur:
            self.items = {
                code: cur.execute(
                    "select a.id from action a join programme p on p.id = a.programme_id"
                    " join item_status s on s.item_kind = 'action' and s.item_id = a.id"
                    " where p.code = $c and s.status = 'in_progress' order by a.id limit 1",
                    {"c": code},
                ).fetchone()[0]
                for code in (HERE, ELSEWHERE)
            }

    def change(self, code: str) -> None:
        item = self.items[code]
        seen = status.current_status(self.db, "action", item)
        status.change_status(self.db, LEAD, "action", item, to_status="in_progress",
                             seen_event_id=seen["id"],
                             progress=((seen["progress"] or 0) + 1) % 100)  # fmt: skip


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(app_file()), default_timeout=600)
    at.session_state[session.ACTOR_KEY] = LEAD
    at.query_params["programme"] = HERE
    at.run()
    at.switch_page(f"app_pages/{page}")
    at.run()
    return at


def measure_page(page: str, changer: Changer, rounds: int) -> dict:
    at = open_page(page)
    warm, here, elsewhere, cold = [], [], [], []
    for _ in range(rounds):
        warm.append(cpu_ms(at))
        changer.change(HERE)
        here.append(cpu_ms(at))
        cpu_ms(at)
        changer.change(ELSEWHERE)
        elsewhere.append(cpu_ms(at))
        cpu_ms(at)
    for _ in range(rounds):  # what any change cost before: every read recomputed
        forget_kept_reads()
        cold.append(cpu_ms(at))
    return {
        "warm_ms": round(statistics.median(warm), 1),
        "after_change_here_ms": round(statistics.median(here), 1),
        "after_change_elsewhere_ms": round(statistics.median(elsewhere), 1),
        "everything_cold_ms": round(statistics.median(cold), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    one_script_cache()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cdv.duckdb"
        shutil.copy(national_database(RESULTS), path)
        os.environ["CDV_DB"] = str(path)
        os.environ.pop("CDV_PUBLIC_READ", None)
        changer = Changer(data.database())
        for page, title in PAGES:
            row = {"page": title, **measure_page(page, changer, args.rounds)}
            row["meets_targets"] = (
                row["after_change_here_ms"] <= TARGET_CHANGED_MS
                and row["after_change_elsewhere_ms"] <= row["warm_ms"] + TARGET_ELSEWHERE_EXTRA_MS
                and (page != "overview.py" or row["warm_ms"] <= TARGET_WARM_OVERVIEW_MS)
            )
            rows.append(row)
        st.cache_resource.clear()
    verdict = {True: "tenu", False: "MANQUÉ"}
    print(f"CPU du processus serveur pour une vue (ms, médiane de {args.rounds}), membre connecté")
    print_table(
        ["page", "en cache", "après un changement ici", "après un changement ailleurs",
         "tout recalculé", "objectifs"],
        [[r["page"], r["warm_ms"], r["after_change_here_ms"], r["after_change_elsewhere_ms"],
          r["everything_cold_ms"], verdict[r["meets_targets"]]] for r in rows],
    )  # fmt: skip
    met = all(r["meets_targets"] for r in rows)
    saved = save(
        "bench_changes",
        {
            "scale": "nationale",
            "rounds": args.rounds,
            "targets": {
                "after_change_here_ms": TARGET_CHANGED_MS,
                "after_change_elsewhere_extra_ms": TARGET_ELSEWHERE_EXTRA_MS,
                "warm_overview_ms": TARGET_WARM_OVERVIEW_MS,
            },
            "pages": rows,
            "meets_targets": met,
        },
    )
    print(f"\nRésultats : {saved}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
