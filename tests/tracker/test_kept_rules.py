"""The existence rules kept as tables on a DuckDB file (``kept_rules``): their rows are
always what the rules' current text gives — after a service writes an act, inside the
write transaction that wrote it, never half-made — and they stay out of the record."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from dashboard.tracker import acts, backup, kept_rules, status
from dashboard.tracker.catalogue import TABLES
from tests.conftest import ADMIN


def _kept(cur, name: str) -> list[tuple]:
    return cur.execute(f"select * from {kept_rules.ROWS}.{name}_rows order by all").fetchall()


def _live(cur, name: str) -> list[tuple]:
    return cur.execute(f"select * from {kept_rules.LIVE}.{name} order by all").fetchall()


def _all_as_the_rules_say(db) -> None:
    with db.reader() as cur:
        for name in kept_rules.KEPT:
            assert _kept(cur, name) == _live(cur, name), name
            main = cur.execute(f"select * from {name} order by all").fetchall()
            assert main == _kept(cur, name), name  # what every reader reads


def _an_agreement(db) -> dict:
    with db.reader() as cur:
        result = cur.execute(  # the first act: its programme starts with it
            "select a.id, a.version, a.programme_id from legal_act as a"
            " join act_start as s on s.act_id = a.id where a.kind = 'agreement'"
            " order by s.starts_on, a.id limit 1"
        ).fetchone()
    return {"id": result[0], "version": result[1], "programme_id": result[2]}


def _programme_start(cur, programme_id: int) -> dt.date:
    return cur.execute(
        "select starts_on from programme_start where programme_id = $p", {"p": programme_id}
    ).fetchone()[0]


def test_a_migrated_database_keeps_the_rows_the_rules_give(db):
    assert db._keeps_rules(None)
    with db.reader() as cur:
        assert all(_kept(cur, name) for name in ("act_start", "programme_start"))
    _all_as_the_rules_say(db)


def test_an_act_written_by_a_service_moves_the_kept_rows_in_its_own_transaction(db):
    act = _an_agreement(db)
    with db.reader() as cur:
        before = _programme_start(cur, act["programme_id"])
    earlier = before - dt.timedelta(days=30)
    acts.update_act(db, ADMIN, act["id"], expected_version=act["version"], effective_on=earlier,
                    reason="Date retrouvée.")  # fmt: skip
    _all_as_the_rules_say(db)
    with db.reader() as cur:
        assert _programme_start(cur, act["programme_id"]) == earlier


def test_inside_the_write_the_rules_are_read_as_they_are_and_others_see_the_commit_whole(db):
    act = _an_agreement(db)
    with db.reader() as cur:
        before = _programme_start(cur, act["programme_id"])
    earlier = before - dt.timedelta(days=30)
    seen_outside = []
    with db.transaction() as cur:
        cur.execute("update legal_act set effective_on = $d where id = $i",
                    {"d": earlier, "i": act["id"]})  # fmt: skip
        assert _programme_start(cur, act["programme_id"]) == earlier  # already counted here
        other = threading.Thread(  # another reader, while the write is not committed
            target=lambda: seen_outside.append(_programme_start(db.cursor(), act["programme_id"]))
        )
        other.start()
        other.join()
    assert seen_outside == [before]  # the committed state, never half of the write
    with db.reader() as cur:
        assert _programme_start(cur, act["programme_id"]) == earlier
    _all_as_the_rules_say(db)


def test_a_write_that_fails_leaves_the_kept_rows_as_they_were(db):
    act = _an_agreement(db)
    with db.reader() as cur:
        before = {name: _kept(cur, name) for name in kept_rules.KEPT}
    with pytest.raises(RuntimeError), db.transaction() as cur:
        cur.execute("update legal_act set effective_on = null, concluded_on = null,"
                    " signed_on = null where id = $i", {"i": act["id"]})  # fmt: skip
        raise RuntimeError("interrompu")
    with db.reader() as cur:
        assert {name: _kept(cur, name) for name in kept_rules.KEPT} == before
    _all_as_the_rules_say(db)


def test_only_a_write_of_what_the_rules_read_makes_the_rows_again(db, monkeypatch):
    made = []
    monkeypatch.setattr(kept_rules, "refresh", lambda cur: made.append(1))
    kind = "phase"
    with db.reader() as cur:
        item = cur.execute("select min(id) from phase").fetchone()[0]
    seen = status.current_status(db, kind, item)
    status.change_status(db, ADMIN, kind, item, to_status="in_progress",
                         seen_event_id=seen["id"] if seen else None)  # fmt: skip
    with db.transaction() as cur:
        cur.execute(f"update {kind} set title = title || '' where id = $i", {"i": item})
    assert made == []  # a status change, an item's title: none of what the rules read
    with db.transaction() as cur:
        cur.execute("update meeting set held_on = held_on where id = (select min(id) from meeting)")
    assert made == [1]


def test_the_kept_rows_are_not_part_of_the_record(db):
    with db.reader() as cur:
        tables = backup.all_tables(cur)
        schemas = {r[0] for r in cur.execute(
            "select distinct schema_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()}  # fmt: skip
    assert schemas == {"main", kept_rules.ROWS}
    assert not any(name.endswith("_rows") for name in tables)  # backups, exports, store copy
    assert set(tables) <= set(TABLES)
