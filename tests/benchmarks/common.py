"""Shared by the benchmarks: timing, the result table and its JSON file."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def median_ms(function: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def print_table(columns: list[str], rows: list[list]) -> None:
    cells = [[str(c) for c in columns]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    for index, row in enumerate(cells):
        print(
            "  ".join(
                v.rjust(w) if index and i else v.ljust(w)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ")
    return str(value)


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **payload,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    return path


def one_script_cache() -> None:
    """The server compiles each page once per process (its runtime keeps one script
    cache, never emptied: ``dashboard.server.KeptScriptCache``); AppTest compiles it again at every run (a new cache each time), about a fifth
    of a cached view's CPU. Give AppTest one cache for the process, as the server has, so
    that a page's run is measured as the server runs it."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def forget_kept_reads() -> None:
    """Every result the server keeps between views forgotten: Streamlit's cached
    composed reads, the summaries by date, the tables made once per change of the data
    and the database's read cache — the first view after the server starts, when every
    read is made again (clearing Streamlit's cache alone leaves the others warm)."""
    import streamlit as st

    from dashboard.ui import data

    st.cache_data.clear()
    data._summaries_at.clear()
    data._derived_store.clear()
    data.database().read_cache.clear()
