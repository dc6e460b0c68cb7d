"""Spreadsheet import at scale (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_imports [--rows 100000]

A fictional database (100 programmes × 25 budget lines, on top of the seed) receives
100 000 payment rows from a .csv, then the same from a .xlsx, each import run as a user
runs it (``cdv import sheet payments FILE``) in its own process on its own copy of the
database: wall time and the process's peak resident memory; then the .csv again (every
row found by its key, nothing written). Targets: csv <= 10 s and <= 500 MB, xlsx <= 30 s.
Prints a table and saves results/bench_imports.json.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.ingest.seed import initialize
from dashboard.tracker.db import Database
from tests.benchmarks.common import print_table, save

TARGETS = {"csv_s": 10.0, "csv_peak_mb": 500.0, "xlsx_s": 30.0}
PROGRAMMES, YEARS = 100, 25
RUNNER = (
    "import resource, sys\n"
    "from dashboard.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def database(path: Path) -> Path:
    with Database(path) as db:
        initialize(db)
        with db.reader() as cur:
            cur.execute(
                "insert into programme (code, title, kind, updated_by) "
                "select 'FICTIF-IMPORT-' || lpad(i::varchar, 3, '0'), 'Programme fictif ' || i, "
                "'other', 'Générateur fictif' from range(1, $n + 1) t(i)", {"n": PROGRAMMES})  # fmt: skip
            cur.execute(
                "insert into budget_line (programme_id, fiscal_year, amount, tax_basis, label, "
                "updated_by) select p.id, 2000 + y, 50000, 'TTC', 'Ligne fictive', "
                "'Générateur fictif' from programme p, range(0, $y) t(y) "
                "where p.code like 'FICTIF-IMPORT-%'", {"y": YEARS})  # fmt: skip
        db.checkpoint()
    return path


def rows(count: int) -> list[list[str]]:
    """Per budget line, 20 engagements, 10 mandatements and 10 versements (the chain holds)."""
    stages = ["engagement"] * 20 + ["mandatement"] * 10 + ["versement"] * 10
    amounts = {"engagement": "500,00", "mandatement": "500,00", "versement": "400,00"}
    out = []
    for i in range(count):
        line, step = divmod(i, len(stages))
        programme, year = divmod(line % (PROGRAMMES * YEARS), YEARS)
        stage = stages[step]
        out.append([f"FICTIF-IMPORT-{programme + 1:03d}", str(2000 + year), stage,
                    f"{1 + step % 28:02d}/03/2024", amounts[stage], f"PAI-{i}"])  # fmt: skip
    return out


def write_csv(path: Path, data: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["programme", "exercice", "etape", "date", "montant", "reference"])
        writer.writerows(data)
    return path


def write_xlsx(path: Path, data: list[list[str]]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Paiements")
    sheet.write_row(0, 0, ["programme", "exercice", "etape", "date", "montant", "reference"])
    for index, row in enumerate(data, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return path


def run(file: Path, db_path: Path) -> tuple[float, float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "import", "sheet", "payments", str(file), "--db",
         str(db_path)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:] or done.stdout[-2000:])
    lines = done.stdout.strip().splitlines()
    peak = next(int(x.split()[1]) for x in lines if x.startswith("PEAK_KB")) / 1024
    return seconds, peak, next(x for x in lines if not x.startswith("PEAK_KB"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cdv-bench-imports-"))
    base = database(folder / "base.duckdb")
    data = rows(args.rows)
    csv_file = write_csv(folder / "paiements.csv", data)
    xlsx_file = write_xlsx(folder / "paiements.xlsx", data)
    results = {}
    for label, file in (("csv", csv_file), ("xlsx", xlsx_file)):
        target = Path(shutil.copy(base, folder / f"{label}.duckdb"))
        results[label] = run(file, target)
        if label == "csv":
            results["csv again"] = run(file, target)
    table = [[label, seconds, peak, summary] for label, (seconds, peak, summary) in results.items()]
    print(f"\nImport de {args.rows} paiements (fictifs) : cibles csv <= {TARGETS['csv_s']:.0f} s "
          f"et <= {TARGETS['csv_peak_mb']:.0f} Mo, xlsx <= {TARGETS['xlsx_s']:.0f} s\n")  # fmt: skip
    print_table(["fichier", "durée (s)", "pic mémoire (Mo)", "résultat"], table)
    ok = (results["csv"][0] <= TARGETS["csv_s"] and results["csv"][1] <= TARGETS["csv_peak_mb"]
          and results["xlsx"][0] <= TARGETS["xlsx_s"])  # fmt: skip
    save("bench_imports", {"rows": args.rows, "targets": TARGETS, "meets_targets": ok,
                           "runs": {k: {"seconds": round(s, 2), "peak_mb": round(m, 1),
                                        "result": r} for k, (s, m, r) in results.items()}})  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
