"""Benchmark: the whole comité opens the overview at once (run on demand, not part of
`uv run pytest`):

    uv run python -m tests.benchmarks.bench_sessions [--sessions 1,5,10,20] [--seed]

Against a real `cdv serve` over a copy of the synthetic national database (or the
seeded one with --seed), read pages open to all: after one warm-up visit (the read
cache filled, as when the meeting starts), 1, 5, 10 then 20 Chromium pages open the
overview at the same moment. Reported per batch: median and p95 time-to-ready (from
navigation to the app's "not running" state with its first chart drawn) and the server
process's own CPU time per view (from /proc). Targets (issue « Fast when the whole
comité opens it at once »): 20 sessions <= 3 s median; <= 100 ms of server CPU per
view. Prints a table and writes tests/benchmarks/results/bench_sessions.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboard.ingest.seed import initialize
from dashboard.tracker.db import Database
from tests.benchmarks.bench_pages import serve
from tests.benchmarks.common import RESULTS, print_table, save
from tests.benchmarks.national import national_database
from tests.e2e.conftest import chromium_path, free_port

TARGET_MEDIAN_S = 3.0
TARGET_CPU_MS = 100.0
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _one(browser, url: str) -> float:
    context = await browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=300_000)
    await page.wait_for_selector(READY, timeout=300_000)
    await page.wait_for_function(CHART, timeout=300_000)
    seconds = time.perf_counter() - start
    await context.close()
    return seconds


async def batch(browser, url: str, sessions: int) -> list[float]:
    return list(await asyncio.gather(*(_one(browser, url) for _ in range(sessions))))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(url: str, pid: int, sizes: list[int]) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        await batch(browser, url, 1)  # warm-up: the read cache filled
        rows = []
        for sessions in sizes:
            before = cpu_seconds(pid)
            times = await batch(browser, url, sessions)
            cpu_ms = (cpu_seconds(pid) - before) * 1000 / sessions
            rows.append(
                {
                    "sessions": sessions,
                    "median_s": round(statistics.median(times), 2),
                    "p95_s": round(p95(times), 2),
                    "server_cpu_ms_per_view": round(cpu_ms, 1),
                }
            )
        await browser.close()
    return rows


def database_copy(folder: Path, seed: bool) -> Path:
    target = folder / "cdv.duckdb"
    if seed:
        with Database(target) as db:
            initialize(db)
    else:
        shutil.copy(national_database(RESULTS), target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20")
    parser.add_argument("--seed", action="store_true", help="base d'amorçage, pas nationale")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("Chromium introuvable (apt-get install chromium).", file=sys.stderr)
        return 2
    sizes = [int(n) for n in args.sessions.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = database_copy(Path(tmp), args.seed)
        port = free_port()
        cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
        env = {**os.environ, "CDV_PUBLIC_READ": "1"}
        command = [cdv, "serve", "--db", str(db_path), "--port", str(port), "--host", "127.0.0.1"]
        process = serve(command, port, env)
        try:
            rows = asyncio.run(measure(f"http://127.0.0.1:{port}/", process.pid, sizes))
        finally:
            process.terminate()
            process.wait(timeout=30)
    for row in rows:
        row["meets_targets"] = row["server_cpu_ms_per_view"] <= TARGET_CPU_MS and (
            row["sessions"] < 20 or row["median_s"] <= TARGET_MEDIAN_S
        )
    print_table(
        ["sessions", "médiane (s)", "p95 (s)", "CPU serveur par vue (ms)", "objectifs"],
        [
            [
                r["sessions"],
                r["median_s"],
                r["p95_s"],
                r["server_cpu_ms_per_view"],
                "tenus" if r["meets_targets"] else "MANQUÉS",
            ]
            for r in rows
        ],
    )
    scale = "amorçage" if args.seed else "nationale"
    path = save(
        "bench_sessions",
        {
            "scale": scale,
            "targets": {"median_20_s": TARGET_MEDIAN_S, "server_cpu_ms_per_view": TARGET_CPU_MS},
            "batches": rows,
        },
    )
    print(f"\nRésultats : {path}")
    return 0 if all(r["meets_targets"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
