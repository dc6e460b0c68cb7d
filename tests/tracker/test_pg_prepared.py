"""Which statements PostgreSQL plans once (prepared, one plan for any values): only those
whose plan goes by keys whatever their values — a row inserted, one table read or
changed where columns equal parameters, a read by item of some items of one programme.
Every other statement is planned with its own values at each run (a read of every
programme and one of a single programme must not share a plan)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker.pg_db import by_key, of_some_items

pytestmark = pytest.mark.xdist_group("postgres")

EVALUATION = "EVAL-CDV-2015-2020"
RUNS = 9


@pytest.mark.parametrize(
    ("text", "planned_once"),
    [
        ("select id, title from action where id = $id", True),
        ("select * from action where id = $id", False),  # a column added: its plan fails
        (
            "select event_id as id, status from item_status where item_kind = $k and item_id = $i",
            True,
        ),  # fmt: skip
        ("insert into status_event (item_kind, item_id) values ($k, $i) returning id", True),
        (
            "update item_status set progress = coalesce($p, progress) where item_kind = $k"
            " and item_id = $i",
            True,
        ),  # fmt: skip
        ("delete from subscription where id = $i", True),
        ("select id from status_event where id > $after", False),  # a range: by its value
        (
            "select a.id from action a join programme p on p.id = a.programme_id where p.code = $c",
            False,
        ),  # fmt: skip
        ("update action set version = (select max(version) from action) where id = $i", False),
        ("insert into action select * from action where id = $i", False),
        ("select * from action where programme_id = $p or $p is null", False),
    ],
)
def test_only_statements_by_key_are_planned_once(text, planned_once):
    assert by_key(text) is planned_once


def test_only_a_read_of_some_items_of_one_programme_is_planned_once():
    some = {"only_phases": [], "only_orientations": [], "only_actions": [3]}
    every = dict.fromkeys(some)
    assert of_some_items("work_item_statuses", {"programme_code": "P", **some})
    assert not of_some_items("work_item_statuses", {"programme_code": "P", **every})
    assert not of_some_items("work_item_statuses", {"programme_code": None, **some})
    assert not of_some_items("programme_overview", {"programme_code": "P", **some})


def test_a_prepared_read_of_some_items_gives_a_whole_read_s_rows_and_the_whole_read_is_not_prepared(
    pg_db,
):
    today = dt.date.today()
    params = {"as_of": today, "programme_code": EVALUATION, "without_actions": None}
    whole = params | {"only_phases": None, "only_orientations": None, "only_actions": None}
    with pg_db.reader() as cur:
        rows = cur.read("work_item_statuses", whole).fetchall()
        some = [(kind, item) for kind, item, *_ in rows[:3]]
        only = params | {
            f"only_{kind}s": [i for k, i in some if k == kind]
            for kind in ("phase", "orientation", "action")
        }
        for _ in range(RUNS):
            part = cur.read("work_item_statuses", only).fetchall()
            assert sorted(part) == sorted(r for r in rows if (r[0], r[1]) in some)
        assert cur.read("work_item_statuses", whole).fetchall() == rows
        cur.execute("select id, title from action where id = $i", {"i": 1}).fetchall()
        prepared = cur.connection.execute(
            "select statement, generic_plans, custom_plans from pg_prepared_statements"
        ).fetchall()
    statuses = [p for p in prepared if "only" in p[0].lower() or "INT[]" in p[0]]
    # the read of some items: one prepared statement, run each time; the whole read: never
    assert [generic + custom for _, generic, custom in statuses] == [RUNS]
    assert any(p[0].upper().startswith("SELECT ID, TITLE FROM ACTION") for p in prepared)
