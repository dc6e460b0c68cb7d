"""Benchmark of the dashboard pages (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_pages [--runs 7] [--no-browser]

Server side: each page run by AppTest against the seeded database and against the
synthetic national one (national.py), next to an empty page measured in the same run;
"cold" forgets every kept read before each run (``forget_kept_reads``: every read made
again, as for the first visitor after the server starts; clearing Streamlit's cache alone,
as this benchmark did until 7 December 2026, left the database's read cache warm), "warm"
reruns with everything kept (what a second visitor gets while the data has not changed).
Each page is compiled once, as the server keeps it (``one_script_cache``). Targets, on both runs: national <= 300 ms and national / seed <= 2. Browser: real Chromium
from navigation to the app's "not running" state with its charts drawn, against
`cdv serve`, next to an empty app. Prints a table and writes
tests/benchmarks/results/bench_pages.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.ingest.seed import initialize
from dashboard.resources import app_file
from dashboard.tracker.db import Database
from tests.benchmarks.common import RESULTS, forget_kept_reads, one_script_cache, print_table, save
from tests.benchmarks.national import national_database
from tests.e2e.conftest import chromium_path, free_port

PAGES_DIR = app_file().parent / "app_pages"
EMPTY = Path(__file__).parent / "empty_page.py"
# page file, URL path, query string used at national scale (a fictional programme), charts expected
PAGES = [
    ("overview.py", "", "", 2),
    ("progress.py", "avancement", "programme=FICTIF-0250", 0),  # no chart for the seed default
    ("budget.py", "budget", "programme=FICTIF-0250", 1),
    ("evaluation.py", "evaluation", "programme=FICTIF-0250", 0),
    ("committees.py", "comites", "programme=FICTIF-0250", 1),
    ("deadlines.py", "echeances", "programme=FICTIF-0250", 0),
    ("sources.py", "sources", "programme=FICTIF-0250", 0),
    ("programme.py", "programmes", "programme=FICTIF-0250", 0),
    ("pack.py", "presentation", "programme=FICTIF-0250", 0),
]
TARGET_SERVER_MS = 300.0
TARGET_RATIO = 2.0
TARGET_BROWSER_MS = 2000.0


def app_run_ms(script: Path, db_path: Path, query: str, runs: int, cold: bool) -> float:
    os.environ["CDV_PUBLIC_READ"] = "1"
    """Median of ``runs`` reruns of one AppTest (its first run, which pays the imports
    and AppTest's own set-up, is not counted)."""
    os.environ["CDV_DB"] = str(db_path)
    st.cache_resource.clear()  # open this database
    st.cache_data.clear()
    at = AppTest.from_file(str(script), default_timeout=120)
    for pair in filter(None, query.split("&")):
        key, _, value = pair.partition("=")
        at.query_params[key] = value
    at.run()
    samples = []
    for _ in range(runs):
        if cold:
            forget_kept_reads()  # no kept read; the server's connection stays open
        start = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{script.name}: {at.exception[0].message}")
    return statistics.median(samples)


def serve(command: list[str], port: int, env: dict) -> subprocess.Popen:
    import urllib.request

    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"le serveur sur le port {port} n'a pas démarré")


def _load_ms(page, url: str, charts: int) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    if charts:
        # a function, not an expression: the app's Content-Security-Policy forbids eval
        page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=60_000,
        )
    return (time.perf_counter() - start) * 1000


def browser_ms(browser, url: str, charts: int, runs: int) -> tuple[float, float]:
    """(first visit with an empty browser cache, median of the following visits)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    first = _load_ms(page, url, charts)
    again = [_load_ms(page, url, charts) for _ in range(runs)]
    context.close()
    return first, statistics.median(again)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    one_script_cache()

    work = Path(tempfile.mkdtemp(prefix="cdv-bench-pages-"))
    seed_path = work / "seed.duckdb"
    with Database(seed_path) as db:
        initialize(db)
        db.checkpoint()
    national_path = work / "national.duckdb"
    shutil.copy(national_database(RESULTS), national_path)

    rows, results = [], []
    empty = {
        mode: app_run_ms(EMPTY, seed_path, "", args.runs, mode == "cold")
        for mode in ("cold", "warm")
    }
    for script, _, query, _ in PAGES:
        path = PAGES_DIR / script
        seed_cold = app_run_ms(path, seed_path, "", args.runs, cold=True)
        seed_warm = app_run_ms(path, seed_path, "", args.runs, cold=False)
        national_cold = app_run_ms(path, national_path, query, args.runs, cold=True)
        national_warm = app_run_ms(path, national_path, query, args.runs, cold=False)
        ratio = national_warm / seed_warm
        cold_ratio = national_cold / seed_cold
        # targets on both runs: the first visitor after a write (cold) and every later
        # one while the data has not changed (warm: the cache is keyed on the data version)
        ok_warm = national_warm <= TARGET_SERVER_MS and ratio <= TARGET_RATIO
        ok_cold = national_cold <= TARGET_SERVER_MS and cold_ratio <= TARGET_RATIO
        ok = ok_warm and ok_cold
        results.append(
            {
                "page": script,
                "seed_cold_ms": round(seed_cold, 1),
                "seed_warm_ms": round(seed_warm, 1),
                "national_cold_ms": round(national_cold, 1),
                "national_warm_ms": round(national_warm, 1),
                "national_over_seed_warm": round(ratio, 2),
                "national_over_seed_cold": round(cold_ratio, 2),
                "meets_cold_targets": ok_cold,
                "meets_warm_targets": ok_warm,
                "meets_server_targets": ok,
            }
        )
        rows.append(
            [
                script,
                seed_cold,
                national_cold,
                seed_warm,
                national_warm,
                f"{cold_ratio:.2f}",
                f"{ratio:.2f}",
                ("ok" if ok_cold else "HORS CIBLE") + " / " + ("ok" if ok_warm else "HORS CIBLE"),
            ]
        )
    rows.append(
        ["(page vide)", empty["cold"], empty["cold"], empty["warm"], empty["warm"], "—", "—", "—"]
    )

    print(
        f"\nCôté serveur (AppTest), médiane de {args.runs} exécutions ; cibles (à froid et à chaud) : national <= "
        f"{TARGET_SERVER_MS:.0f} ms et national / amorçage <= {TARGET_RATIO:.0f}\n"
    )
    columns = [
        "page",
        "amorçage froid ms",
        "national froid ms",
        "amorçage chaud ms",
        "national chaud ms",
        "nat./amorç. (froid)",
        "nat./amorç. (chaud)",
        "cible (froid / chaud)",
    ]
    print_table(columns, rows)

    browser_rows = []
    if not args.no_browser and chromium_path():
        from playwright.sync_api import sync_playwright

        cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
        # AppTest's cached connections still hold the files: the servers get copies
        seed_path = Path(shutil.copy(seed_path, work / "seed-serve.duckdb"))
        national_path = Path(shutil.copy(national_path, work / "national-serve.duckdb"))
        ports = {"seed": free_port(), "national": free_port(), "empty": free_port()}
        env = {
            **os.environ,
            "CDV_PUBLIC_READ": "1",
        }  # read pages without a login, as a meeting screen
        servers = [
            serve(
                [
                    cdv,
                    "serve",
                    "--db",
                    str(seed_path),
                    "--port",
                    str(ports["seed"]),
                    "--host",
                    "127.0.0.1",
                ],
                ports["seed"],
                env,
            ),
            serve(
                [
                    cdv,
                    "serve",
                    "--db",
                    str(national_path),
                    "--port",
                    str(ports["national"]),
                    "--host",
                    "127.0.0.1",
                ],
                ports["national"],
                env,
            ),
            serve(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(EMPTY),
                    "--server.port",
                    str(ports["empty"]),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                ports["empty"],
                env,
            ),
        ]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(),
                    headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                empty_first, empty_ms = browser_ms(
                    browser, f"http://127.0.0.1:{ports['empty']}/", 0, args.browser_runs
                )
                for (script, url, query, charts), result in zip(PAGES, results, strict=True):
                    seed_first, seed_ms = browser_ms(
                        browser,
                        f"http://127.0.0.1:{ports['seed']}/{url}",
                        charts,
                        args.browser_runs,
                    )
                    national_first, national_ms = browser_ms(
                        browser,
                        f"http://127.0.0.1:{ports['national']}/{url}?{query}",
                        charts,
                        args.browser_runs,
                    )
                    ok = national_ms <= TARGET_BROWSER_MS
                    result.update(
                        browser_seed_first_ms=round(seed_first),
                        browser_seed_ms=round(seed_ms),
                        browser_national_first_ms=round(national_first),
                        browser_national_ms=round(national_ms),
                        meets_browser_target=ok,
                    )
                    browser_rows.append(
                        [
                            script,
                            seed_first,
                            national_first,
                            seed_ms,
                            national_ms,
                            "ok" if ok else "HORS CIBLE",
                        ]
                    )
                browser_rows.append(
                    ["(application vide)", empty_first, empty_first, empty_ms, empty_ms, "—"]
                )
                browser.close()
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=20)
        print(
            f"\nNavigateur (Chromium) : 1re visite (cache HTTP vide), puis médiane de {args.browser_runs} "
            f"visites suivantes ; cible <= "
            f"{TARGET_BROWSER_MS:.0f} ms, graphiques tracés\n"
        )
        print_table(
            [
                "page",
                "1re visite amorçage ms",
                "1re visite national ms",
                "amorçage ms",
                "national ms",
                "cible",
            ],
            browser_rows,
        )
    else:
        print("\nMesure navigateur ignorée (Chromium absent ou --no-browser).")

    path = save(
        "bench_pages",
        {
            "runs": args.runs,
            "empty_page_ms": empty,
            "pages": results,
            "targets": {
                "server_national_ms": TARGET_SERVER_MS,
                "national_over_seed": TARGET_RATIO,
                "browser_ms": TARGET_BROWSER_MS,
            },
        },
    )
    print(f"\nRésultats : {path}")
    shutil.rmtree(work, ignore_errors=True)
    return (
        0
        if all(r["meets_server_targets"] and r.get("meets_browser_target", True) for r in results)
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
