"""``work_items``, the tree with each item's status, is made of two named reads kept on
their own (``composed.py``): it must give what one SQL read of the tree and the statuses
gives — every item existing at the date, each with its status, progress and latest
event then — and a status change must re-read the statuses only."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import status, work
from dashboard.tracker.composed import STATUS_COLUMNS
from tests.conftest import ADMIN, LEAD

EVALUATION = "EVAL-CDV-2015-2020"


@pytest.fixture(
    params=["fichier", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgres"))]
)
def db(request):
    """The seeded tracker on each store (the same two reads, the same join)."""
    return request.getfixturevalue("pg_db" if request.param == "postgresql" else "file_db")


DAYS = (dt.date(2018, 6, 30), dt.date(2019, 3, 31), dt.date(2019, 4, 1), dt.date(2022, 12, 31))


def _changes(db) -> None:
    """Status changes on several days, one without a progress."""
    for item, day, to, progress in (
        (1, dt.date(2018, 1, 10), "in_progress", 20),
        (1, dt.date(2019, 4, 1), "in_progress", None),  # no progress said: the last one holds
        (2, dt.date(2018, 5, 2), "in_progress", 10),
        (2, dt.date(2019, 3, 1), "in_progress", 50),
    ):
        seen = status.current_status(db, "phase", item)
        status.change_status(db, LEAD, "phase", item, to_status=to, progress=progress,
                             seen_event_id=seen["id"] if seen else None, occurred_on=day,
                             comment=f"test du {day}")  # fmt: skip


def _expected(db, day: dt.date) -> dict[tuple[str, int], tuple]:
    """Each item's status, progress and latest event at ``day``, from the log itself."""
    with db.reader() as cur:
        rows = cur.execute(
            "select item_kind, item_id, arg_max(to_status, id), arg_max(progress, id), max(id)"
            " from status_event where occurred_on <= $d group by all",
            {"d": day},
        ).fetchall()
    return {(k, i): (s, p, e) for k, i, s, p, e in rows}


@pytest.mark.parametrize("cached", [False, True], ids=["sans cache", "cache du serveur"])
def test_each_row_has_its_status_at_the_date(db, cached):
    if cached:
        db.keep_reads()
    _changes(db)
    for day in DAYS:
        rows = db.records("work_items", as_of=day, programme_code=EVALUATION)
        tree = db.records("work_item_rows", as_of=day, programme_code=EVALUATION)
        assert [(r["item_kind"], r["item_id"]) for r in rows] == [
            (r["item_kind"], r["item_id"]) for r in tree
        ]  # the tree's rows, in its order
        expected = _expected(db, day)
        for row in rows:
            assert (row["status"], row["progress"], row["event_id"]) == expected.get(
                (row["item_kind"], row["item_id"]), (None, None, None)
            ), (day, row["item_kind"], row["item_id"])
        phase = next(r for r in rows if r["item_kind"] == "phase" and r["item_id"] == 1)
        assert phase["progress"] == (20 if day >= dt.date(2018, 1, 10) else None)


def test_columns_are_the_tree_s_then_the_status_s(db):
    day = dt.date(2022, 12, 31)
    rows = db.records("work_items", as_of=day, programme_code=EVALUATION)
    tree = db.records("work_item_rows", as_of=day, programme_code=EVALUATION)
    assert [list(r) for r in rows] == [[*t, *STATUS_COLUMNS] for t in tree]
    assert [{k: r[k] for k in t} for r, t in zip(rows, tree, strict=True)] == tree


def test_a_status_change_reads_the_statuses_again_not_the_tree(db):
    db.keep_reads()
    today = dt.date.today()

    def kept(name: str) -> int:
        return sum(1 for key in db.read_cache._kept if key[1] == name)

    before = db.records("work_items", as_of=today, programme_code=EVALUATION)
    counts = {n: kept(n) for n in ("work_item_rows", "work_item_statuses", "work_items")}
    seen = status.current_status(db, "phase", 1)
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", progress=35,
                         seen_event_id=seen["id"] if seen else None)  # fmt: skip
    misses = db.read_cache.misses
    after = db.records("work_items", as_of=today, programme_code=EVALUATION)
    assert kept("work_item_rows") == counts["work_item_rows"]  # the tree: kept, not read
    assert kept("work_item_statuses") == counts["work_item_statuses"] + 1
    assert db.read_cache.misses == misses + 2  # work_items itself, then its statuses
    phase = next(r for r in after if r["item_kind"] == "phase" and r["item_id"] == 1)
    assert (phase["status"], phase["progress"]) == ("in_progress", 35)
    untouched = [r for r in after if (r["item_kind"], r["item_id"]) != ("phase", 1)]
    assert untouched == [r for r in before if (r["item_kind"], r["item_id"]) != ("phase", 1)]
    db.read_cache.clear()
    assert after == db.records("work_items", as_of=today, programme_code=EVALUATION)


def _statuses(db, day: dt.date, cached: bool = True) -> list[dict]:
    """The programme's statuses at ``day``, through the server's cache or read afresh."""
    params = {"as_of": day, "programme_code": EVALUATION, "without_actions": None}
    rows = db.records("work_item_statuses", **params) if cached else db._records(
        "work_item_statuses", params | {"only_phases": None, "only_orientations": None,
                                        "only_actions": None})  # fmt: skip
    return sorted(rows, key=lambda r: (r["item_kind"], r["item_id"]))


def _work_items(db, day: dt.date, cached: bool = True) -> list[dict]:
    """``work_items`` through the server's cache, or joined afresh from fresh reads."""
    if cached:
        return db.records("work_items", as_of=day, programme_code=EVALUATION)
    cache, db.read_cache = db.read_cache, None
    try:
        return db.records("work_items", as_of=day, programme_code=EVALUATION)
    finally:
        db.read_cache = cache


def test_statuses_after_a_change_are_brought_up_by_item_and_equal_a_fresh_read(db):
    """After status changes, a kept read of statuses is brought up to date by reading only
    the items changed (``read_cache.BY_ITEM``), and the kept tree with statuses by
    joining again only their rows (``composed.BY_ITEM``): at every date their rows are
    those of a whole read — a first status, a change dated back, a change today; a write of another
    kind in the programme makes the next one a whole read again."""
    orientation = db.scalar(
        "select min(o.id) from orientation as o join programme as p on p.id = o.programme_id"
        " where p.code = $c",
        {"c": EVALUATION},
    )
    fresh_item = work.create_action(db, ADMIN, orientation_id=orientation, title="Sans statut")
    db.keep_reads()
    days = (*DAYS, dt.date.today())
    for day in days:
        _statuses(db, day)  # kept
        db.records("work_items", as_of=day, programme_code=EVALUATION)
    _changes(db)  # dated back, to 2018 and 2019
    status.change_status(db, LEAD, "action", fresh_item, to_status="in_progress",
                         progress=5, seen_event_id=None)  # fmt: skip
    brought = db.read_cache.brought_up
    for day in days:
        assert _statuses(db, day) == _statuses(db, day, cached=False), day
        assert _work_items(db, day) == _work_items(db, day, cached=False), day
    assert db.read_cache.brought_up > brought  # by item, not whole
    today = _statuses(db, dt.date.today())
    assert (
        next(r for r in today if r["item_id"] == fresh_item and r["item_kind"] == "action")[
            "progress"
        ]
        == 5
    )  # a first status: a row added
    work.update_action(db, ADMIN, fresh_item, title="Action renommée",
                       expected_version=db.scalar("select version from action where id = $i",
                                                  {"i": fresh_item}))  # fmt: skip
    brought, misses = db.read_cache.brought_up, db.read_cache.misses
    assert _statuses(db, dt.date.today()) == today
    assert (db.read_cache.brought_up, db.read_cache.misses) == (brought, misses + 1)
