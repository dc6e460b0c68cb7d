"""Write benchmark at national scale: a status update, a 1 000-row bulk edit, sustained
throughput of 8 concurrent writers, and the overview rebuilt "as of" a past date.

    uv run python -m tests.benchmarks.bench_writes [--runs 60]

The 8 writers go the way a person's change goes on the « Mise à jour » page: read the
programme's items through the server's read cache (the value the form shows, whose
event is the one the person saw), save through the write service with that event (its
conflict check), and read the items again (the page's next view, after the cache the
change invalidated). Two writers share each of four programmes and a dozen items, so
some saves come after another's: refused as a conflict, then re-applied over the newer
value as the form's « Réappliquer » does. A change is timed from its first read to the
view after it (retries included); every change accepted must be in the log. The
services alone (no read, no cache, disjoint items) are measured beside, for comparison.

Runs on a copy of the cached national database (fictional data, see national.py);
prints a table and saves ``results/bench_writes.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.tracker import overview, status, work
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ConflictError
from tests.benchmarks.common import RESULTS, median_ms, print_table, save
from tests.benchmarks.national import counts, national_database

LEAD = Actor("bench", "contributeur", "Banc d'essai")
TARGETS = {"status_update_median_ms": 50.0, "bulk_1000_s": 2.0, "as_of_overview_ms": 150.0,
           "writers_per_second": 150.0, "writers_p95_ms": 100.0}  # fmt: skip
PAST = dt.date(2018, 6, 30)
WRITERS = 8


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def in_progress_actions(db: Database, limit: int) -> list[int]:
    with db.reader() as cur:
        return [
            r[0]
            for r in cur.execute(
                "select item_id from item_status where item_kind = 'action' "
                "and status = 'in_progress' order by hash(item_id) limit $n",
                {"n": limit},
            ).fetchall()
        ]


def status_updates(db: Database, items: list[int]) -> list[float]:
    samples = []
    for item in items:
        seen = status.current_status(db, "action", item)
        start = time.perf_counter()
        status.change_status(
            db,
            LEAD,
            "action",
            item,
            to_status="in_progress",
            seen_event_id=seen["id"],
            progress=random.randint(1, 99),
            comment="Point d'avancement",
        )
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bulk_edits(db: Database, runs: int) -> list[float]:
    samples = []
    with db.reader() as cur:
        ids = [
            r[0]
            for r in cur.execute("select id from action order by hash(id) limit 1000").fetchall()
        ]
    for run in range(runs):
        with db.reader() as cur:
            versions = dict(
                cur.execute(
                    "select id, version from action where id in (select unnest($ids))",
                    {"ids": ids},
                ).fetchall()
            )
        rows = [
            {"action_id": i, "expected_version": versions[i], "lead": f"Équipe {run}"} for i in ids
        ]
        start = time.perf_counter()
        assert work.bulk_update_actions(db, LEAD, rows) == 1000
        samples.append(time.perf_counter() - start)
    return samples


def programmes_with_work(db: Database, count: int, per: int) -> dict[str, list[int]]:
    """``count`` programmes and ``per`` of each one's in-progress actions."""
    with db.reader() as cur:
        rows = cur.execute(
            "select p.code, list(s.item_id order by s.item_id)[1:$per] from item_status s"
            " join action a on a.id = s.item_id join programme p on p.id = a.programme_id"
            " where s.item_kind = 'action' and s.status = 'in_progress' and p.code like 'FICTIF-%'"
            " group by p.code having count(*) >= $per order by p.code limit $n",
            {"per": per, "n": count},
        ).fetchall()
    return {code: ids for code, ids in rows}


def run_writers(db: Database, seconds: float, change: Callable[[int, int], int]) -> dict:
    """``WRITERS`` threads, each calling ``change(writer, n)`` for ``seconds``: one
    change, timed, which returns how many conflicts it re-applied over, or raises
    ConflictError when it is refused; the log must grow by exactly the changes accepted."""
    done, conflicts, errors = [0] * WRITERS, [0] * WRITERS, []
    latencies: list[float] = []
    events_before = db.scalar("select count(*) from status_event")
    stop = time.perf_counter() + seconds

    def writer(index: int) -> None:
        n = 0
        try:
            while time.perf_counter() < stop:
                begin = time.perf_counter()
                try:
                    conflicts[index] += change(index, n)
                    done[index] += 1
                    latencies.append((time.perf_counter() - begin) * 1000)
                except ConflictError:
                    conflicts[index] += 1
                n += 1
        except Exception as error:  # reported in the results, not hidden
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    appended = db.scalar("select count(*) from status_event") - events_before
    return {
        "writers": WRITERS,
        "seconds": round(elapsed, 2),
        "accepted": sum(done),
        "conflicts": sum(conflicts),
        "errors": errors,
        "per_second": round(sum(done) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "events_appended": appended,
        "lost_updates": sum(done) - appended,
    }


def shown(db: Database, code: str) -> dict[int, dict]:
    """The programme's actions as the « Mise à jour » page shows them, through the
    server's read cache (each page run first catches up on other servers' writes: the
    shared store; nothing to do on a file)."""
    db.catch_up()
    rows = db.records("work_items", as_of=dt.date.today(), programme_code=code)
    return {r["item_id"]: r for r in rows if r["item_kind"] == "action"}


def page_change(db: Database, code: str, item: int) -> int:
    """One change of ``item``'s progress the way the page makes it: read what the page
    shows, save with the event seen (a conflict re-applied over the newer value), read the
    page again; how many conflicts it re-applied over."""
    reapplied = 0
    while True:
        seen = shown(db, code)[item]
        progress = ((seen["progress"] or 0) + 1) % 100  # always a change
        try:
            status.change_status(db, LEAD, "action", item, to_status="in_progress",
                                 seen_event_id=seen["event_id"], progress=progress)  # fmt: skip
            break
        except ConflictError:  # saved after another's: re-applied over it
            reapplied += 1
    shown(db, code)  # the page's next view
    return reapplied


def service_change(db: Database, item: int) -> None:
    """One change of ``item``'s progress through the service alone (no page, no cache)."""
    seen = status.current_status(db, "action", item)
    progress = ((seen["progress"] or 0) + 1) % 100  # always a change
    status.change_status(db, LEAD, "action", item, to_status="in_progress",
                         seen_event_id=seen["id"], progress=progress)  # fmt: skip


def page_writers(path: Path, seconds: float) -> dict:
    """8 writers through the page's path (see the module's docstring): each change is
    timed from its first read to the view after it, conflicts re-applied over."""
    db = Database(path)
    db.keep_reads()
    work_of = programmes_with_work(db, WRITERS // 2, 12)
    codes = sorted(work_of)
    chance = [random.Random(index) for index in range(WRITERS)]

    def change(index: int, _n: int) -> int:
        code = codes[index % len(codes)]
        return page_change(db, code, chance[index].choice(work_of[code]))

    result = run_writers(db, seconds, change)
    result |= {
        "programmes": len(codes),
        "items_per_programme": 12,
        "read_cache_hits": db.read_cache.hits,
        "read_cache_misses": db.read_cache.misses,
    }
    db.close()
    return result


def concurrent_writers(db: Database, seconds: float) -> dict:
    """8 threads changing statuses for ``seconds`` on disjoint items, through the
    service alone: each change timed from the read of the item's status to its commit."""
    items = in_progress_actions(db, WRITERS * 50)

    def change(index: int, n: int) -> int:
        mine = items[index::WRITERS]
        service_change(db, mine[n % len(mine)])
        return 0

    return run_writers(db, seconds, change)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="status updates measured")
    parser.add_argument("--bulk-runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of the 8 writers")
    args = parser.parse_args(argv)
    random.seed(7)
    source = national_database(RESULTS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national-writes.duckdb"
        shutil.copy(source, path)
        db = Database(path)
        scale = counts(db)
        as_of_ms = median_ms(lambda: overview.summaries(db, PAST), runs=7)
        updates = status_updates(db, in_progress_actions(db, args.runs))
        bulk = bulk_edits(db, args.bulk_runs)
        writers = concurrent_writers(db, args.seconds)
        events_after = counts(db)["status_event"]
        db.close()
        through_page = page_writers(path, args.seconds)

    results = {
        "status_update_ms": {
            "median": round(statistics.median(updates), 2),
            "p95": round(percentile(updates, 0.95), 2),
            "runs": len(updates),
        },
        "bulk_1000_s": {
            "median": round(statistics.median(bulk), 3),
            "p95": round(percentile(bulk, 0.95), 3),
            "runs": len(bulk),
        },
        "concurrent_writers": writers,
        "writers_through_the_page": through_page,
        "as_of_overview_ms": {"median": round(as_of_ms, 1), "as_of": str(PAST)},
    }
    ok = {
        "status_update": results["status_update_ms"]["median"]
        <= TARGETS["status_update_median_ms"],
        "bulk": results["bulk_1000_s"]["median"] <= TARGETS["bulk_1000_s"],
        "as_of": as_of_ms <= TARGETS["as_of_overview_ms"],
        "writers": not through_page["errors"]
        and through_page["lost_updates"] == 0
        and writers["lost_updates"] == 0
        and through_page["per_second"] >= TARGETS["writers_per_second"]
        and through_page["p95_ms"] <= TARGETS["writers_p95_ms"],
    }
    print(f"\nÉchelle nationale (fictive) : {scale}\n")
    print_table(
        ["mesure", "médiane", "p95", "cible", "verdict"],
        [
            [
                "mise à jour d'un statut (ms)",
                results["status_update_ms"]["median"],
                results["status_update_ms"]["p95"],
                "<= 50 ms",
                "ok" if ok["status_update"] else "HORS CIBLE",
            ],
            [
                "saisie en lot, 1 000 lignes (s)",
                results["bulk_1000_s"]["median"],
                results["bulk_1000_s"]["p95"],
                "<= 2 s",
                "ok" if ok["bulk"] else "HORS CIBLE",
            ],
            [
                f"vue d'ensemble au {PAST:%d/%m/%Y} (ms)",
                results["as_of_overview_ms"]["median"],
                "",
                f"<= {TARGETS['as_of_overview_ms']:.0f} ms",
                "ok" if ok["as_of"] else "HORS CIBLE",
            ],
        ],
    )
    page = through_page
    print(
        f"\n{WRITERS} rédacteurs par le chemin de la page (lecture en cache, enregistrement, "
        f"vue suivante) pendant {page['seconds']} s, {page['programmes']} programmes : "
        f"{page['accepted']} changements ({page['per_second']} / s), "
        f"{page['conflicts']} conflits réappliqués, {len(page['errors'])} erreur(s), "
        f"p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms, {page['lost_updates']} perdu(s) "
        f"(cibles : >= {TARGETS['writers_per_second']:.0f} / s, p95 <= "
        f"{TARGETS['writers_p95_ms']:.0f} ms, aucun perdu : "
        f"{'ok' if ok['writers'] else 'HORS CIBLE'}) ; cache : {page['read_cache_hits']} "
        f"lectures gardées, {page['read_cache_misses']} recalculées"
    )
    print(
        f"\nPour comparaison, les services seuls, {WRITERS} rédacteurs sur des éléments "
        f"distincts pendant {writers['seconds']} s : "
        f"{writers['accepted']} changements acceptés ({writers['per_second']} / s), "
        f"{writers['conflicts']} conflits, {len(writers['errors'])} erreur(s), p95 "
        f"{writers['p95_ms']} ms ; {writers['events_appended']} événements ajoutés au journal, "
        f"{writers['lost_updates']} changement(s) perdu(s) ; journal : "
        f"{scale['status_event']} → {events_after} événements"
    )
    path = save(
        "bench_writes",
        {"scale": scale, "targets": TARGETS, "results": results, "meets_targets": ok},
    )
    print(f"Résultats : {path}")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
