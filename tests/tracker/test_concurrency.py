"""Concurrent writers: no crash, every accepted change in the event log, the others
told who changed the item first; DuckDB's own write conflict becomes a ConflictError."""

from __future__ import annotations

import threading

import pytest

from dashboard.tracker import status, work
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ConflictError
from tests.helpers import item_status_matches_the_log, rollup_drift, start_phases


def run_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def wrapped(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_eight_threads_update_the_same_phase(db):
    seen = start_phases(db, 2)[2]
    accepted: list[int] = []
    conflicts: list[ConflictError] = []

    def update(index: int) -> None:
        actor = Actor(f"lead{index}", "contributeur", f"Chargé {index}")
        try:
            accepted.append(
                status.change_status(
                    db,
                    actor,
                    "phase",
                    2,
                    to_status="in_progress",
                    seen_event_id=seen,
                    progress=10 + index,
                )
            )
        except ConflictError as error:
            conflicts.append(error)

    assert run_threads(8, update) == []
    assert len(accepted) == 1 and len(conflicts) == 7
    winner = db.records("status_history", item_kind="phase", item_id=2)[-1]
    assert winner["event_id"] == accepted[0]
    assert all(winner["actor"] in c.message for c in conflicts)


def test_eight_threads_fifty_updates_each_lose_nothing(db):
    """Each writer re-reads and retries after a conflict, like a lead re-applying."""
    start_phases(db, 3)
    accepted: list[tuple[int, int]] = []
    lock = threading.Lock()

    def writer(index: int) -> None:
        actor = Actor(f"lead{index}", "contributeur")
        for step in range(50):
            progress = (index * 50 + step) % 101
            while True:
                seen = status.current_status(db, "phase", 3)["id"]
                try:
                    event = status.change_status(
                        db,
                        actor,
                        "phase",
                        3,
                        to_status="in_progress",
                        seen_event_id=seen,
                        progress=progress,
                        comment=f"écriture {index}-{step}",
                    )
                except ConflictError:
                    continue
                with lock:
                    accepted.append((event, progress))
                break

    assert run_threads(8, writer) == []
    history = db.records("status_history", item_kind="phase", item_id=3)
    logged = {(h["event_id"], h["progress"]) for h in history}
    assert len(accepted) == 400
    assert set(accepted) <= logged
    assert len(history) == 401  # the first event and the 400 accepted ones
    assert item_status_matches_the_log(db)
    assert rollup_drift(db) == []


def test_two_databases_on_one_file_share_the_write_lock(db_path):
    first, second = Database(db_path), Database(db_path)
    try:
        seen = start_phases(first, 2)[2]
        results: list[object] = []

        def update(index: int) -> None:
            database = (first, second)[index % 2]
            try:
                results.append(
                    status.change_status(
                        database,
                        Actor(f"l{index}", "contributeur"),
                        "phase",
                        2,
                        to_status="blocked",
                        seen_event_id=seen,
                    )
                )
            except ConflictError as error:
                results.append(error)

        assert run_threads(4, update) == []
        assert sum(isinstance(r, int) for r in results) == 1
    finally:
        first.close()
        second.close()


def test_duckdb_write_conflict_becomes_a_conflict_error(db):
    """A transaction outside the tracker's lock holds the row: DuckDB's 'Conflict on
    update' reaches the user as a French ConflictError, and nothing is half-written."""
    raw = db._con.cursor()
    raw.execute("begin transaction")
    raw.execute("update phase set lead = 'autre' where id = 1")
    try:
        with pytest.raises(ConflictError, match="rien n'a été écrit"):
            work.update_phase(db, Actor("lead", "contributeur"), 1, expected_version=1, lead="moi")
    finally:
        raw.execute("rollback")
        raw.close()
    assert db.scalar("select lead from phase where id = 1") is None
    assert db.scalar("select version from phase where id = 1") == 1


def test_gathered_reads_give_what_each_read_gives_alone(db):
    import datetime as dt

    from dashboard.tracker import overview

    day = dt.date(2022, 6, 30)
    gathered = db.gather(
        programmes=lambda: db.records("programmes", as_of=day, programme_code=None),
        summaries=lambda: overview.summaries(db, day),
        alerts=lambda: overview.alerts(db, day),
    )
    assert gathered == {
        "programmes": db.records("programmes", as_of=day, programme_code=None),
        "summaries": overview.summaries(db, day),
        "alerts": overview.alerts(db, day),
    }
    assert [s["code"] for s in gathered["summaries"]] == ["EVAL-CDV-2015-2020", "MODERN-PV-2022"]


def test_reads_gathered_inside_a_transaction_see_its_writes(db):
    before = db.scalar("select count(*) from organisation")
    with db.transaction() as cur:
        cur.execute(
            "insert into organisation (code, name, kind, updated_by) "
            "values ('ESSAI', 'Organisation d''essai', 'other', 'test')"
        )
        seen = db.gather(
            one=lambda: db.scalar("select count(*) from organisation"),
            two=lambda: db.scalar("select count(*) from organisation where code = 'ESSAI'"),
        )
        cur.execute("rollback")
        cur.execute("begin transaction")
    assert seen == {"one": before + 1, "two": 1}
    assert db.scalar("select count(*) from organisation") == before


def test_gathers_within_gathers_from_many_threads_all_finish(db):
    """A read of the pool that gathers again runs its reads itself: twelve threads
    whose reads gather never wait for a pool they fill."""

    def nested() -> int:
        inner = db.gather(
            **{f"r{i}": lambda: db.scalar("select count(*) from phase") for i in range(6)}
        )
        return sum(inner.values())

    results: list[dict] = []
    errors = run_threads(12, lambda _: results.append(db.gather(a=nested, b=nested, c=nested)))
    assert errors == []
    phases = db.scalar("select count(*) from phase")
    assert len(results) == 12
    assert all(r == {"a": 6 * phases, "b": 6 * phases, "c": 6 * phases} for r in results)
