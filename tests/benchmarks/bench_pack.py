"""Quarterly pack benchmark: time and peak memory to produce the three files
(.pptx, .pdf, .xlsx) at seed scale and at national scale, first run and warm.

    uv run python -m tests.benchmarks.bench_pack [--warm-runs 3]

Each case runs in its own process (its peak RSS is its own; "first run" includes
opening the database and loading python-pptx, reportlab and openpyxl). National =
the synthetic data set of national.py (fictional), for one programme and for all.
Targets (in-process, warm): <= 5 s at seed scale; at national scale <= 1 s for one
programme, <= 5 s and <= 400 MB peak for all 502; and the command line's own start-up
(``cdv --help``) <= 0.5 s.

And as a person runs it (issue 28): ``cdv report`` in a fresh process, wall time and
that process's own peak memory (``os.wait4``), the median of three runs — one
programme <= 1.5 s, all 502 <= 5 s and <= 400 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import national_database

QUARTER = "2022-T3"
TARGETS = {"seed_warm_s": 5.0, "national_one_warm_s": 1.0, "national_all_warm_s": 5.0,
           "national_all_peak_mib": 400.0, "cli_startup_s": 0.5,
           "cdv_report_one_s": 1.5, "cdv_report_all_s": 5.0,
           "cdv_report_all_peak_mib": 400.0}  # fmt: skip


def child(db_path: str, programme: str | None, warm_runs: int) -> None:
    start = time.perf_counter()
    from dashboard.ingest.seed import initialize
    from dashboard.tracker.db import Database
    from dashboard.tracker.report import write_pack

    db = Database(db_path)
    initialize(db)
    with tempfile.TemporaryDirectory() as out:
        written = write_pack(db, QUARTER, Path(out), programme_code=programme)
        first = time.perf_counter() - start
        sizes = {kind: path.stat().st_size for kind, path in written.items()}
        warm = []
        for _ in range(warm_runs):
            begin = time.perf_counter()
            write_pack(db, QUARTER, Path(out), programme_code=programme)
            warm.append(time.perf_counter() - begin)
    db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "first_s": round(first, 2),
                "warm_median_s": round(statistics.median(warm), 2),
                "peak_rss_mib": round(peak),
                "bytes": sizes,
            }
        )
    )


def cli_startup(runs: int = 5) -> float:
    """Median wall time of ``cdv --help`` in a new process (the command line's own cost)."""
    import shutil

    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run([cdv, "--help"], check=True, capture_output=True)
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples)


def cdv_report(db_path: Path, programme: str | None, runs: int = 3) -> dict:
    """``cdv report`` as a person runs it: a fresh process each time; its wall time and
    its own peak memory (read from ``wait4``, not the benchmark's)."""
    import os
    import shutil

    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    walls, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            command = [cdv, "report", "--db", str(db_path), "--quarter", QUARTER, "--out", out]
            if programme:
                command += ["--programme", programme]
            begin = time.perf_counter()
            child_process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)  # fmt: skip
            _, status, usage = os.wait4(child_process.pid, 0)
            walls.append(time.perf_counter() - begin)
            child_process.returncode = os.waitstatus_to_exitcode(status)
            if child_process.returncode != 0:
                raise SystemExit(f"cdv report a échoué ({child_process.returncode})")
            peaks.append(usage.ru_maxrss / 1024)
    return {"wall_median_s": round(statistics.median(walls), 2),
            "peak_rss_mib": round(max(peaks))}  # fmt: skip


def run_case(db_path: Path, programme: str | None, warm_runs: int) -> dict:
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.bench_pack",
        "--child",
        str(db_path),
        "--programme",
        programme or "",
        "--warm-runs",
        str(warm_runs),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--programme", default="")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.programme or None, args.warm_runs)
        return 0

    national = national_database(RESULTS)
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.duckdb"
        for label, path, programme in (
            ("amorçage, tous programmes", seed, None),
            ("national, un programme", national, "FICTIF-0250"),
            ("national, 502 programmes", national, None),
        ):
            result = run_case(path, programme, args.warm_runs)
            cases.append({"case": label, "programme": programme, **result})
    seed_ok = cases[0]["warm_median_s"] <= TARGETS["seed_warm_s"]
    one, every = cases[1], cases[2]
    national_ok = (one["warm_median_s"] <= TARGETS["national_one_warm_s"]
                   and every["warm_median_s"] <= TARGETS["national_all_warm_s"]
                   and every["peak_rss_mib"] <= TARGETS["national_all_peak_mib"])  # fmt: skip
    startup = cli_startup()
    startup_ok = startup <= TARGETS["cli_startup_s"]
    fresh_one = cdv_report(national, "FICTIF-0250")
    fresh_all = cdv_report(national, None)
    fresh_ok = (fresh_one["wall_median_s"] <= TARGETS["cdv_report_one_s"]
                and fresh_all["wall_median_s"] <= TARGETS["cdv_report_all_s"]
                and fresh_all["peak_rss_mib"] <= TARGETS["cdv_report_all_peak_mib"])  # fmt: skip
    print(f"\nDossier trimestriel {QUARTER} (.pptx + .pdf + .xlsx), un processus par cas\n")
    print_table(
        ["cas", "1re fois s", "à chaud s", "pic mémoire Mio", "pptx Kio", "pdf Kio", "xlsx Kio"],
        [
            [
                c["case"],
                c["first_s"],
                c["warm_median_s"],
                c["peak_rss_mib"],
                c["bytes"]["pptx"] // 1024,
                c["bytes"]["pdf"] // 1024,
                c["bytes"]["xlsx"] // 1024,
            ]
            for c in cases
        ],
    )
    print(
        f"\nCibles (à chaud, dans le processus) : <= {TARGETS['seed_warm_s']:.0f} s à l'amorçage "
        f"({'ok' if seed_ok else 'HORS CIBLE'}) ; national : un programme <= "
        f"{TARGETS['national_one_warm_s']:.0f} s, les 502 <= {TARGETS['national_all_warm_s']:.0f} s "
        f"et <= {TARGETS['national_all_peak_mib']:.0f} Mio ({'ok' if national_ok else 'HORS CIBLE'})"
        f"\nDémarrage de la ligne de commande (cdv --help, médiane de 5) : {startup:.2f} s, cible "
        f"<= {TARGETS['cli_startup_s']} s ({'ok' if startup_ok else 'HORS CIBLE'})"
    )
    print("\ncdv report comme on le lance (processus neuf, médiane de 3, mur)\n")
    print_table(
        ["cas", "mur s", "pic mémoire Mio", "cible"],
        [["national, un programme", fresh_one["wall_median_s"], fresh_one["peak_rss_mib"],
          f"<= {TARGETS['cdv_report_one_s']} s"],
         ["national, 502 programmes", fresh_all["wall_median_s"], fresh_all["peak_rss_mib"],
          f"<= {TARGETS['cdv_report_all_s']:.0f} s, <= {TARGETS['cdv_report_all_peak_mib']:.0f} Mio"]],
    )  # fmt: skip
    print(f"({'ok' if fresh_ok else 'HORS CIBLE'})")
    path = save(
        "bench_pack",
        {
            "quarter": QUARTER,
            "targets": TARGETS,
            "cases": cases,
            "cli_startup_s": round(startup, 3),
            "cdv_report_fresh": {"one": fresh_one, "all": fresh_all},
            "meets_targets": seed_ok and national_ok and startup_ok and fresh_ok,
        },
    )
    print(f"Résultats : {path}")
    return 0 if seed_ok and national_ok and startup_ok and fresh_ok else 1


if __name__ == "__main__":
    sys.exit(main())
