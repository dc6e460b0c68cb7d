"""The evaluation at national scale (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_evaluation [--runs 7]

Adds to the synthetic national database (national.py, fictional) 1 500 QPV in 800
communes, 20 Conseils de Territoire and a Métropole, 2 000 indicators (four per
fictional programme, counts and rates) and 500 000 values (50 QPV × 5 years each),
with a target per indicator. Measures, server side (AppTest, the page's own run, cold: caches emptied before each run, and warm: the
target, as in bench_pages):
the Évaluation page's indicator tab of a fictional programme, unfiltered and filtered
by a commune, and the overview; then the save of 1 000 values entered in the table
(the write service the table calls, all or nothing). Prints a table and saves
results/bench_evaluation.json.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.tracker import evaluation
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database, migrate
from tests.benchmarks.bench_pages import PAGES_DIR, app_run_ms
from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import GENERATOR_VERSION as NATIONAL_VERSION
from tests.benchmarks.national import national_database

GENERATOR_VERSION = f"1-{NATIONAL_VERSION}"  # rebuilt with the national data set
LEAD = Actor("bench", "contributeur", "Banc d'essai")
TARGETS = {"page_ms": 300.0, "save_1000_values_s": 2.0}
SCALE = {"councils": 20, "communes": 800, "qpv": 1500, "qpv_per_indicator": 50, "years": 5}

STATEMENTS = [
    """insert into territory (id, kind, code, name, generation, updated_by)
       select 1, 'metropole', 'M-FICTIF', 'Métropole fictive', null, 'Générateur fictif'
       union all
       select 1 + i, 'council', 'CT-FICTIF-' || i, 'Conseil de Territoire fictif ' || i, null,
              'Générateur fictif' from range(1, {councils} + 1) t(i)
       union all
       select 100 + i, 'commune', (90000 + i)::varchar, 'Commune fictive ' || i, null,
              'Générateur fictif' from range(1, {communes} + 1) t(i)
       union all
       select 10000 + i, 'qpv', 'QN9' || lpad(i::varchar, 5, '0'), 'Quartier fictif ' || i, 2024,
              'Générateur fictif' from range(1, {qpv} + 1) t(i)""",
    """insert into territory_link (from_id, to_id, kind, recorded_by, recorded_at)
       select 1 + i, 1, 'within', 'Générateur fictif', now()::timestamp
       from range(1, {councils} + 1) t(i)
       union all
       select 100 + i, 2 + i % {councils}, 'within', 'Générateur fictif', now()::timestamp
       from range(1, {communes} + 1) t(i)
       union all
       select 10000 + q, 101 + q % {communes}, 'within', 'Générateur fictif', now()::timestamp
       from range(1, {qpv} + 1) t(q)
       union all
       select 10000 + q, 101 + (q + 1) % {communes}, 'within', 'Générateur fictif', now()::timestamp
       from range(1, {qpv} + 1) t(q) where q % 10 = 0""",
    """insert into indicator (id, programme_id, code, name, unit, unit_kind, direction, periodicity,
              baseline_value, baseline_on, baseline_source, updated_by)
       select p.id * 10 + k, p.id, 'IND-' || k, 'Indicateur fictif ' || k || ' de ' || p.code,
              case when k % 2 = 1 then 'personnes' else '%' end,
              case when k % 2 = 1 then 'count' else 'rate' end,
              case when k = 4 then 'down' else 'up' end, 'year',
              100, date '2018-12-31', 'Source fictive', 'Générateur fictif'
       from programme p, range(1, 5) t(k) where p.code like 'FICTIF-%'""",
    """insert into indicator_target (indicator_id, period_start, territory_id, value, recorded_by,
              recorded_at, updated_by)
       select id, date '2023-01-01', null, case when unit_kind = 'count' then 2500 else 20 end,
              'Générateur fictif', now()::timestamp, 'Générateur fictif'
       from indicator where code like 'IND-%'""",
    """insert into indicator_value (indicator_id, period_start, territory_id, value, recorded_by,
              recorded_at, updated_by)
       select i.id, make_date(2018 + y, 1, 1),
              10000 + 1 + (i.id * 37 + j) % {qpv},
              case when i.unit_kind = 'count' then 20 + (i.id + j * 7 + y * 3) % 80
                   else 10 + (i.id + j + y) % 25 end,
              'Générateur fictif', now()::timestamp, 'Générateur fictif'
       from indicator i, range(0, {qpv_per_indicator}) a(j), range(1, {years} + 1) b(y)
       where i.code like 'IND-%'""",
]


def build(path: Path) -> Path:
    shutil.copy(national_database(RESULTS), path)
    with Database(path) as db:
        migrate(db)
        with db.reader() as cur:
            cur.execute("begin transaction")
            for statement in STATEMENTS:
                cur.execute(statement.format(**SCALE))
            for table in ("territory", "indicator"):
                top = cur.execute(f"select max(id) from {table}").fetchone()[0]
                cur.execute(f"select max(nextval('{table}_id_seq')) from range({top})")
            cur.execute("commit")
        db.checkpoint()
    return path


def evaluation_database() -> Path:
    path = RESULTS / f"national-evaluation-v{GENERATOR_VERSION}.duckdb"
    if not path.exists():
        building = RESULTS / "national-evaluation-building.duckdb"
        build(building)
        shutil.move(building, path)
    return path


def save_1000_values(path: Path, runs: int) -> list[float]:
    """Seconds to save 1 000 values (one table entry), each run on new periods."""
    samples = []
    with Database(path) as db:
        indicators = [r[0] for r in db.cursor().execute(
            "select id from indicator where code like 'IND-%' order by id limit 20").fetchall()]  # fmt: skip
        for run in range(runs):
            rows = [
                {"indicator_id": indicators[n % 20], "period": str(2000 + run),
                 "territory_id": 10001 + n, "value": f"{n % 97},5",
                 "source_document": "Tableau fictif", "source_page": str(n % 30 + 1)}
                for n in range(1000)
            ]  # fmt: skip
            start = time.perf_counter()
            evaluation.record_values(db, LEAD, rows)
            samples.append(time.perf_counter() - start)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cdv-bench-evaluation-"))
    path = Path(shutil.copy(evaluation_database(), work / "national.duckdb"))
    with Database(path) as db:
        sizes = {t: db.scalar(f"select count(*) from {t}") for t in
                 ("territory", "indicator", "indicator_value", "programme")}  # fmt: skip
    pages = [
        ("Évaluation, indicateurs", "evaluation.py",
         "programme=FICTIF-0250&onglet=Indicateurs&indicateur=IND-1"),
        ("Évaluation, indicateurs, une commune", "evaluation.py",
         "programme=FICTIF-0250&onglet=Indicateurs&indicateur=IND-1&territoire=commune-90123"),
        ("Évaluation, livrables", "evaluation.py", "programme=FICTIF-0250&onglet=Livrables"),
        ("Vue d'ensemble", "overview.py", ""),
    ]  # fmt: skip
    rows, results = [], []
    for label, script, query in pages:
        cold = app_run_ms(PAGES_DIR / script, path, query, args.runs, cold=True)
        warm = app_run_ms(PAGES_DIR / script, path, query, args.runs, cold=False)
        # as in bench_pages: the target is read on the warm run, what every rerun and every
        # later visitor gets while the data has not changed (the cache follows the data version)
        ok = warm <= TARGETS["page_ms"]
        results.append({"page": label, "query": query, "cold_ms": round(cold, 1),
                        "warm_ms": round(warm, 1), "meets_target": ok})  # fmt: skip
        rows.append([label, cold, warm, "ok" if ok else "HORS CIBLE"])
    saves = save_1000_values(path, 3)
    median_save = statistics.median(saves)
    save_ok = median_save <= TARGETS["save_1000_values_s"]
    rows.append(["Saisie de 1 000 valeurs (s)", median_save, min(saves),
                 "ok" if save_ok else "HORS CIBLE"])  # fmt: skip
    print(f"\nÉvaluation à l'échelle nationale (fictive) : {sizes}")
    print(f"Pages : médiane de {args.runs} exécutions AppTest, cible <= {TARGETS['page_ms']:.0f} ms "
          "(relance à chaud, comme bench_pages ; le froid vide le cache avant chaque exécution) ; saisie : médiane de 3 enregistrements de 1 000 valeurs, cible "
          f"<= {TARGETS['save_1000_values_s']:.0f} s\n")  # fmt: skip
    print_table(["mesure", "froid (ms) / médiane (s)", "chaud (ms) / min (s)", "cible"], rows)
    save("bench_evaluation", {"sizes": sizes, "targets": TARGETS, "pages": results,
                              "save_1000_values_s": [round(s, 3) for s in saves]})  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r["meets_target"] for r in results) and save_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
