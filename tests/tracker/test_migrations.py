"""Migrations: numbered, applied once each in their own transaction, recorded; an
older database upgrades in place with its rows intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.tracker import db as db_module
from dashboard.tracker import work
from dashboard.tracker.db import Database, migrate, migration_files
from tests.conftest import ADMIN
from tests.helpers import item_status_matches_the_log, rollup_drift, snapshot

FIXTURE = Path(__file__).parent.parent / "fixtures" / "v1_rows.sql"


def test_migrations_are_numbered_from_one_without_gaps():
    versions = [v for v, _, _ in migration_files()]
    assert versions == list(range(1, len(versions) + 1))
    assert len(versions) >= 2


def test_each_migration_is_applied_once_and_recorded(tmp_path):
    database = Database(tmp_path / "m.duckdb")
    assert migrate(database) == [v for v, _, _ in migration_files()]
    assert migrate(database) == []
    rows = database.scalar("select count(*) from schema_migrations")
    assert rows == len(migration_files())
    database.close()


def _by_column(db) -> dict[str, list[dict]]:
    """Every row of every table as {column: value}, in a stable order."""
    result = {}
    with db.reader() as cur:
        for table in snapshot(db):
            rel = cur.execute(f"select * from {table} order by all")
            names = [d[0] for d in rel.description]
            result[table] = [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
    return result


def test_an_older_database_upgrades_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    old = Database(path)
    assert migrate(old, target=1) == [1]
    with old.transaction() as cur:
        cur.execute(FIXTURE.read_text())
    before = _by_column(old)
    old.close()

    upgraded = Database(path)
    assert migrate(upgraded) == [v for v, _, _ in migration_files() if v > 1]
    after = _by_column(upgraded)
    for table, rows in before.items():
        if table == "app_meta":  # 0005 adds the login key's secret
            assert all(row in after[table] for row in rows)
        elif table == "login_attempt":  # 0005 forgets attempts: they held typed names
            assert after[table] == []
        elif table not in ("schema_migrations", "item_status"):
            # every value of every old column is still there (0006 adds columns)
            kept = (
                [{k: row[k] for k in row if k in rows[0]} for row in after[table]] if rows else []
            )
            assert kept == rows, table
    # the upgraded rows are read by the new views and macros
    items = upgraded.records("work_items", as_of=dt.date(2022, 1, 1), programme_code=None)
    assert [(i["item_kind"], i["title"], i["status"], i["effective_progress"]) for i in items] == [
        ("phase", "Phase v1", "in_progress", 20),
        ("orientation", "Orientation v1", None, None),
        ("action", "Action v1", "delivered", 100),
    ]
    # the current-status table (0003) was rebuilt from the old events
    assert item_status_matches_the_log(upgraded)
    assert rollup_drift(upgraded) == []
    assert upgraded.scalar("select count(*) from item_status") == 2
    # and the application keeps writing after them
    new_id = work.create_action(upgraded, ADMIN, orientation_id=1, title="Après la mise à jour")
    # 0006: the action knows its programme and phase through its orientation
    assert upgraded.records("work_items", as_of=dt.date(2030, 1, 1), programme_code=None)[-1][
        "phase_id"
    ] == items_phase_id(upgraded)
    assert new_id == 2
    upgraded.close()


def test_a_failing_migration_leaves_nothing_behind(tmp_path, monkeypatch):
    broken = tmp_path / "9999_broken.sql"
    broken.write_text("create table half_done (id integer);\nselect * from no_such_table;\n")
    real = migration_files()
    monkeypatch.setattr(db_module, "migration_files", lambda: [*real, (9999, "broken", broken)])
    database = Database(tmp_path / "b.duckdb")
    with pytest.raises(Exception, match="no_such_table"):
        migrate(database)
    assert database.scalar("select max(version) from schema_migrations") == real[-1][0]
    assert (
        database.scalar("select count(*) from duckdb_tables() where table_name = 'half_done'") == 0
    )
    database.close()


def items_phase_id(db) -> int | None:
    return db.scalar("select phase_id from orientation where id = 1")
