"""The record grows: ``cdv load`` of 10 000 actions (time and peak memory, a second
load that changes nothing, a dry run), and the save of each creation form at national
scale (the write service the form calls, median over many saves).

    uv run python -m tests.benchmarks.bench_records [--actions 10000] [--runs 40]

``cdv load`` runs as the user runs it, in its own process (its peak resident memory is
read from the operating system); the saves run on a copy of the cached national
database (fictional data, see national.py). Prints a table and saves
``results/bench_records.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.tracker import acts, budget, committees, programmes, work
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import counts, national_database

ADMIN = Actor("bench-admin", "administrateur", "Banc d'essai")
LEAD = Actor("bench", "contributeur", "Banc d'essai")
TARGETS = {"form_save_median_ms": 100.0, "load_10000_s": 120.0, "load_peak_mb": 1024.0}


def actions_file(path: Path, count: int) -> Path:
    """A fictional programme with ``count`` actions, in the format of ``cdv load``."""
    lines = [
        "# Fichier de mesure : programme et actions fictifs.",
        "[[programmes]]",
        'key = "bench"',
        'code = "FICTIF-CHARGEMENT"',
        'title = "Programme fictif de mesure du chargement"',
        'kind = "other"',
        "",
    ]
    for n in range(1, count + 1):
        lines += [
            "[[actions]]",
            'programme = "bench"',
            f'title = "Action fictive n° {n}"',
            f"starts_on = {dt.date(2024, 1, 1) + dt.timedelta(days=n % 700)}",
            f'lead = "Équipe fictive {n % 40}"',
            f'territory = "Territoire fictif {n % 6}"',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cdv_executable() -> str:
    return shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")


def run_cdv(*args: str) -> tuple[float, float, str]:
    """Seconds, peak resident memory (MB) of the child process, its last output line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [cdv_executable(), *args], capture_output=True, text=True, check=True
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest so far: run the biggest load first
    peak_mb = max(peak_kb, before) / 1024
    return seconds, peak_mb, done.stdout.strip().splitlines()[-1]


def measure_load(folder: Path, count: int) -> dict:
    db_path = folder / "chargement.duckdb"
    subprocess.run([cdv_executable(), "init", "--db", str(db_path)], check=True,
                   capture_output=True)  # fmt: skip
    source = actions_file(folder / "actions.toml", count)
    first_s, peak_mb, first_line = run_cdv("load", str(source), "--db", str(db_path))
    again_s, _, again_line = run_cdv("load", str(source), "--db", str(db_path))
    dry_s, _, dry_line = run_cdv("load", str(source), "--db", str(db_path), "--dry-run")
    with Database(db_path) as db, db.reader() as cur:
        loaded = cur.execute(
            "select count(*) from action a join programme p on p.id = a.programme_id "
            "where p.code = 'FICTIF-CHARGEMENT'"
        ).fetchone()[0]
    return {
        "actions": count,
        "actions_in_database": loaded,
        "first_load_s": round(first_s, 2),
        "peak_mb": round(peak_mb, 1),
        "second_load_s": round(again_s, 2),
        "dry_run_s": round(dry_s, 2),
        "first_load_says": first_line,
        "second_load_says": again_line,
        "dry_run_says": dry_line,
    }


def saves(db: Database, runs: int) -> dict[str, list[float]]:
    """Each creation form's service, ``runs`` times, on the national database."""
    counter = itertools.count(1)
    with db.reader() as cur:
        programme_id, agreement_id = cur.execute(
            "select p.id, a.id from programme p join legal_act a on a.programme_id = p.id "
            "where p.code like 'FICTIF-%' and a.kind = 'agreement' order by p.id limit 1"
        ).fetchone()
        phase_id = cur.execute(
            "select id from phase where programme_id = $p order by id limit 1", {"p": programme_id}
        ).fetchone()[0]
    forms: dict[str, Callable[[int], object]] = {
        "programme": lambda n: programmes.create_programme(
            db, ADMIN, code=f"FICTIF-NOUVEAU-{n}", title=f"Programme fictif créé {n}",
            kind="evaluation",
        ),
        "acte (avenant)": lambda n: acts.create_act(
            db, ADMIN, programme_id=programme_id, kind="amendment", amends_act_id=agreement_id,
            number=100 + n, title=f"Avenant fictif {n}", signed_on=dt.date(2022, 12, 12),
        ),
        "ligne budgétaire": lambda n: budget.create_budget_line(
            db, ADMIN, programme_id=programme_id, fiscal_year=2030, tax_basis="TTC",
            amount=f"{n},50", label=f"Ligne fictive {n}",
        ),
        "comité": lambda n: committees.create_committee(
            db, ADMIN, programme_id=programme_id, kind="cotech", name=f"Comité fictif {n}"
        ),
        "action (sous une phase)": lambda n: work.create_action(
            db, LEAD, phase_id=phase_id, title=f"Action fictive créée {n}",
            lead="Équipe fictive",
        ),
    }  # fmt: skip
    samples: dict[str, list[float]] = {}
    for name, save_form in forms.items():
        save_form(next(counter))  # warm-up
        samples[name] = []
        for _ in range(runs):
            n = next(counter)
            start = time.perf_counter()
            save_form(n)
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000, help="actions in the file")
    parser.add_argument("--runs", type=int, default=40, help="saves measured per form")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        load = measure_load(folder, args.actions)
        path = folder / "national-records.duckdb"
        shutil.copy(national_database(RESULTS), path)
        with Database(path) as db:
            scale = counts(db)
            samples = saves(db, args.runs)
    medians = {name: round(statistics.median(s), 1) for name, s in samples.items()}
    p95 = {name: round(sorted(s)[int(0.95 * (len(s) - 1))], 1) for name, s in samples.items()}
    ok = {
        "load_complete": load["actions_in_database"] == args.actions,
        "load_idempotent": "0 création(s), 0 modification(s)" in load["second_load_says"],
        "load_time": load["first_load_s"] <= TARGETS["load_10000_s"],
        "load_memory": load["peak_mb"] <= TARGETS["load_peak_mb"],
        **{
            f"save {name}": median <= TARGETS["form_save_median_ms"]
            for name, median in medians.items()
        },
    }
    print(f"\n« cdv load » de {args.actions} actions (processus séparé)\n")
    print_table(
        ["mesure", "valeur", "cible", "verdict"],
        [
            ["premier chargement (s)", load["first_load_s"], "<= 120 s",
             "ok" if ok["load_time"] else "HORS CIBLE"],
            ["pic de mémoire (Mo)", load["peak_mb"], "<= 1 024 Mo",
             "ok" if ok["load_memory"] else "HORS CIBLE"],
            ["second chargement, rien à faire (s)", load["second_load_s"], "idempotent",
             "ok" if ok["load_idempotent"] else "A CHANGÉ QUELQUE CHOSE"],
            ["simulation --dry-run (s)", load["dry_run_s"], "", ""],
        ],
    )  # fmt: skip
    print(f"\nEnregistrement d'un formulaire de création, à l'échelle nationale : {scale}\n")
    print_table(
        ["formulaire", "médiane (ms)", "p95 (ms)", "cible", "verdict"],
        [
            [name, medians[name], p95[name], "<= 100 ms",
             "ok" if ok[f"save {name}"] else "HORS CIBLE"]
            for name in medians
        ],
    )  # fmt: skip
    path = save(
        "bench_records",
        {
            "scale": scale,
            "targets": TARGETS,
            "load": load,
            "form_save_ms": {"median": medians, "p95": p95, "runs": args.runs},
            "meets_targets": ok,
        },
    )
    print(f"\nRésultats : {path}")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
