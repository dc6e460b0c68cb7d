"""Benchmark: the shared store — the national data set in PostgreSQL, two `cdv serve`
replicas behind the shipped nginx (run on demand, not part of `uv run pytest`):

    uv run python -m tests.benchmarks.bench_replicas [--sessions 40] [--writers 16]
                                                     [--seconds 20] [--no-embedded]

Everything is started by the benchmark in folders of its own: a PostgreSQL cluster
(tests/postgres.py), the national DuckDB file copied into it (`cdv store copy`'s code),
two replicas and nginx (tests/nginx.py, the configuration `cdv proxy-config` writes).

- **Today's overview read** (`programme_overview`, one programme and all 502): the
  PostgreSQL store against the embedded DuckDB file, interleaved, median of 15 each, in
  one run. Target: <= 2x.
- **Simultaneous sessions** through nginx: ``--sessions`` signed-in members open the
  overview at the same moment (each a real Streamlit session, as in bench_sessions; the
  proxy spreads them by their browser cookie); median and p95 to « script finished ».
  Target: 40 sessions <= 3 s median. With the embedded store (one `cdv serve` on the DuckDB
  file) measured the same way in the same run, unless --no-embedded.
- **Writers across both replicas**: ``--writers`` writers, half in each of two processes
  (as two replicas), each change the way the « Mise à jour » page makes it (the page run
  catches up on the other replica's writes, reads the programme's items through the read
  cache, saves the status with the event it saw — a conflict re-applied over the newer
  value — and reads the items again), on four programmes shared by all. Target: >= 150
  changes/s, p95 <= 150 ms, 0 lost (each accepted change is in the log).
- **The pack of 502 programmes**: `cdv report --db postgresql://…` in a fresh process, as
  a person runs it. Target: <= 10 s.

Prints tables and writes tests/benchmarks/results/bench_replicas.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.benchmarks.common import RESULTS, print_table, save

TARGETS = {"overview_ratio": 2.0, "median_s": 3.0, "writes_per_second": 150.0,
           "writes_p95_ms": 150.0, "pack_s": 10.0}  # fmt: skip
PROGRAMME = "FICTIF-0250"


# -- the writers' processes ----------------------------------------------------------
def writer_process(url: str, first: int, count: int, seconds: float, alone: bool) -> dict:
    """``count`` writers (threads) in this process, writer numbers from ``first``;
    ``alone``: through the service only, each writer on items of its own (no read, no
    conflict: what the store itself takes)."""
    from dashboard.tracker.pg_db import PostgresDatabase
    from tests.benchmarks.bench_writes import page_change, service_change

    db = PostgresDatabase(url, size=count + 2)
    db.keep_reads()
    work_of = json.loads(os.environ["CDV_BENCH_WORK"])
    codes = sorted(work_of)
    total = int(os.environ["CDV_BENCH_WRITERS"])
    done, conflicts, latencies, errors = [0] * count, [0] * count, [], []
    stop = time.perf_counter() + seconds

    def writer(index: int) -> None:
        chance = random.Random(first + index)
        code = codes[(first + index) % len(codes)]
        mine = json.loads(os.environ["CDV_BENCH_ITEMS"])[first + index :: total]
        try:
            while time.perf_counter() < stop:
                begin = time.perf_counter()
                if alone:
                    service_change(db, mine[done[index] % len(mine)])
                else:
                    conflicts[index] += page_change(db, code, chance.choice(work_of[code]))
                done[index] += 1
                latencies.append((time.perf_counter() - begin) * 1000)
        except Exception as error:  # reported in the results, not hidden
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    db.close()
    return {"accepted": sum(done), "conflicts": sum(conflicts), "errors": errors,
            "seconds": elapsed, "latencies": latencies}  # fmt: skip


def writers(url: str, total: int, seconds: float, alone: bool = False) -> dict:
    """``total`` writers, half in each of two processes; 0 lost is checked on the log."""
    from dashboard.tracker import store

    with store.connect(url) as cur:  # the benchmark's own SQL, for PostgreSQL
        rows = cur.execute(
            "select p.code, (array_agg(s.item_id order by s.item_id))[1:12] from item_status s"
            " join action a on a.id = s.item_id join programme p on p.id = a.programme_id"
            " where s.item_kind = 'action' and s.status = 'in_progress'"
            " and p.code like 'FICTIF-%' group by p.code having count(*) >= 12"
            " order by p.code limit 4"
        ).fetchall()
        items = [r[0] for r in cur.execute(
            "select item_id from item_status where item_kind = 'action'"
            " and status = 'in_progress' order by item_id limit 800"
        ).fetchall()]  # fmt: skip
        before = cur.execute("select count(*) from status_event").fetchone()[0]
    work = json.dumps({code: ids for code, ids in rows})
    half = total // 2
    env = {**os.environ, "CDV_BENCH_WORK": work, "CDV_BENCH_ITEMS": json.dumps(items),
           "CDV_BENCH_WRITERS": str(total)}  # fmt: skip
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.benchmarks.bench_replicas",
                "--writer-of",
                url,
                str(first),
                str(count),
                str(seconds),
                "alone" if alone else "page",
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for first, count in ((0, half), (half, total - half))
    ]
    results = [json.loads(child.communicate()[0].strip().splitlines()[-1]) for child in children]
    with store.connect(url) as cur:
        after = cur.execute("select count(*) from status_event").fetchone()[0]
    latencies = sorted(x for r in results for x in r["latencies"])
    accepted = sum(r["accepted"] for r in results)
    elapsed = max(r["seconds"] for r in results)
    return {
        "writers": total,
        "processes": 2,
        "seconds": round(elapsed, 1),
        "accepted": accepted,
        "conflicts_reapplied": sum(r["conflicts"] for r in results),
        "per_second": round(accepted / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        "events_appended": after - before,
        "lost": accepted - (after - before),
        "errors": [e for r in results for e in r["errors"]][:5],
    }


# -- reads, sessions, the pack ---------------------------------------------------------
def overview_reads(url: str, path: Path, runs: int = 15) -> list[dict]:
    from dashboard.tracker.db import Database
    from dashboard.tracker.pg_db import PostgresDatabase

    today = dt.date.today()
    rows = []
    with PostgresDatabase(url) as pg, Database(path, read_only=True) as duck:
        for code in (PROGRAMME, None):
            params = {"as_of": today, "programme_code": code}
            times = {"pg": [], "duck": []}
            for _ in range(runs):  # interleaved: a load on the machine hits both alike
                for label, db in (("pg", pg), ("duck", duck)):
                    begin = time.perf_counter()
                    db._records("programme_overview", params)
                    times[label].append((time.perf_counter() - begin) * 1000)
            pg_ms, duck_ms = statistics.median(times["pg"]), statistics.median(times["duck"])
            rows.append({"read": f"programme_overview ({code or 'les 502'})",
                         "postgresql_ms": round(pg_ms, 1), "embedded_ms": round(duck_ms, 1),
                         "ratio": round(pg_ms / duck_ms, 2)})  # fmt: skip
    return rows


async def sessions_at_once(port: int, count: int) -> dict:
    from tests.benchmarks.bench_sessions import open_session, p95

    for _ in range(6):  # warm: each replica's first runs pay the imports, fill its cache
        await asyncio.gather(*(open_session(port) for _ in range(4)))
    runs = await asyncio.gather(*(open_session(port) for _ in range(count)))
    times = [r["seconds"] for r in runs]
    return {"sessions": count, "median_s": round(statistics.median(times), 2),
            "p95_s": round(p95(times), 2)}  # fmt: skip


def _cdv() -> str:
    return shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")


def _replica(target: str, port: int):
    from tests.benchmarks.bench_pages import serve

    env = {**os.environ, "CDV_PUBLIC_READ": "0", "CDV_TRUSTED_PROXIES": "127.0.0.1",
           "STREAMLIT_SERVER_COOKIE_SECRET": "banc-d-essai-replicas"}  # fmt: skip
    command = [_cdv(), "serve", "--db", target, "--port", str(port), "--host", "127.0.0.1"]
    return serve(command, port, env)


def pack(url: str) -> dict:
    from tests.benchmarks.bench_pack import cdv_report

    return cdv_report(url, None, runs=2)


# -- the run ---------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--no-embedded", action="store_true")
    parser.add_argument("--writer-of", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer_of:
        url, first, count, seconds, mode = args.writer_of
        print(json.dumps(writer_process(url, int(first), int(count), float(seconds),
                                        mode == "alone")))  # fmt: skip
        return 0

    from dashboard.tracker import store
    from dashboard.tracker.pg_db import open_store
    from tests.benchmarks.bench_sessions import sign_in_members
    from tests.benchmarks.national import national_database
    from tests.e2e.conftest import free_port
    from tests.nginx import Nginx
    from tests.postgres import Cluster

    national = national_database(RESULTS)
    cluster = Cluster()
    result: dict = {"machine": f"{os.cpu_count()} cœurs"}
    processes = []
    proxy = None
    try:
        with tempfile.TemporaryDirectory(prefix="cdv-banc-") as tmp:
            url = cluster.new_database()
            begin = time.perf_counter()
            store.copy(str(national), url)
            open_store(url).close()  # its rules and indexes, as a server installs them
            result["copy_s"] = round(time.perf_counter() - begin, 1)
            print(f"Jeu national copié dans PostgreSQL en {result['copy_s']} s", flush=True)
            result["reads"] = overview_reads(url, national)
            sign_in_members(url, max(60, args.sessions + 30))
            ports = [free_port(), free_port()]
            processes = [_replica(url, port) for port in ports]
            proxy = Nginx(Path(tmp) / "nginx", free_port(), [f"127.0.0.1:{p}" for p in ports])
            result["sessions"] = asyncio.run(sessions_at_once(proxy.port, args.sessions))
            served = {line for line in proxy.replicas_of("/_stcore/stream")}
            result["sessions"]["replicas_used"] = len(served)
            if not args.no_embedded:
                copy = Path(tmp) / "cdv.duckdb"
                shutil.copy(national, copy)
                from tests.benchmarks import bench_sessions

                bench_sessions.MEMBERS.clear()
                sign_in_members(copy, max(60, args.sessions + 30))
                port = free_port()
                alone = _replica(str(copy), port)
                try:
                    result["sessions_embedded"] = asyncio.run(sessions_at_once(port, args.sessions))
                finally:
                    alone.terminate()
                    alone.wait(timeout=30)
            result["writes"] = writers(url, args.writers, args.seconds)
            result["writes_services"] = writers(url, args.writers, args.seconds, alone=True)
            result["pack"] = pack(url)
    finally:
        if proxy is not None:
            proxy.stop()
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        cluster.close()
    met = judge(result)
    report(result)
    path = save("bench_replicas", {"targets": TARGETS, **result, "meets_targets": met})
    print(f"\nRésultats : {path}")
    return 0 if met else 1


def judge(result: dict) -> bool:
    checks = {
        "overview_ratio": all(r["ratio"] <= TARGETS["overview_ratio"] for r in result["reads"]),
        "median_s": result["sessions"]["median_s"] <= TARGETS["median_s"],
        "writes_per_second": result["writes"]["per_second"] >= TARGETS["writes_per_second"],
        "writes_p95_ms": (result["writes"]["p95_ms"] or 1e9) <= TARGETS["writes_p95_ms"],
        "lost": all(
            result[k]["lost"] == 0 and not result[k]["errors"]
            for k in ("writes", "writes_services")
        ),
        "pack_s": result["pack"]["wall_median_s"] <= TARGETS["pack_s"],
    }
    result["checks"] = checks
    return all(checks.values())


def report(result: dict) -> None:
    verdict = {True: "tenu", False: "MANQUÉ"}
    checks = result["checks"]
    print("\nLecture de la vue d'ensemble aujourd'hui (médiane, alternées)")
    print_table(["lecture", "PostgreSQL (ms)", "fichier DuckDB (ms)", "rapport", "objectif ≤ 2"],
                [[r["read"], r["postgresql_ms"], r["embedded_ms"], r["ratio"],
                  verdict[r["ratio"] <= TARGETS["overview_ratio"]]] for r in result["reads"]])  # fmt: skip
    s = result["sessions"]
    print(f"\n{s['sessions']} sessions à la fois par nginx sur {s['replicas_used']} réplicas : "
          f"médiane {s['median_s']} s, p95 {s['p95_s']} s ({verdict[checks['median_s']]})")  # fmt: skip
    if "sessions_embedded" in result:
        e = result["sessions_embedded"]
        print(f"  même mesure, un seul « cdv serve » sur le fichier : médiane {e['median_s']} s, "
              f"p95 {e['p95_s']} s")  # fmt: skip
    w = result["writes"]
    print(f"\n{w['writers']} rédacteurs sur 2 processus : {w['per_second']} changements/s "
          f"({verdict[checks['writes_per_second']]}), p50 {w['p50_ms']} ms, p95 {w['p95_ms']} ms "
          f"({verdict[checks['writes_p95_ms']]}), {w['conflicts_reapplied']} conflits réappliqués, "
          f"perdus {w['lost']} ({verdict[checks['lost']]}) {w['errors'] or ''}")  # fmt: skip
    a = result["writes_services"]
    print(f"  les services seuls (sans relire la page, éléments disjoints) : {a['per_second']} "
          f"changements/s, p95 {a['p95_ms']} ms, perdus {a['lost']}")  # fmt: skip
    p = result["pack"]
    print(f"\ncdv report, 502 programmes, processus neuf : {p['wall_median_s']} s, "
          f"{p['peak_rss_mib']} Mo ({verdict[checks['pack_s']]})")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
