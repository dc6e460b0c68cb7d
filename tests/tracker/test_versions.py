"""The read cache's versions: each write moves the counters of what it changed and no
others, so a change leaves the other programmes' cached reads warm, and the overview's
summaries spliced after writes equal a fresh read of every programme."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.tracker import overview, programmes, rules, sessions, status, work
from dashboard.tracker.access import Actor
from dashboard.tracker.catalogue import ITEM_TABLES
from dashboard.tracker.errors import ConflictError
from dashboard.tracker.queries import names, sql
from dashboard.tracker.versions import (
    KNOWN,
    STATUS_TABLES,
    Versions,
    read_until,
    reads_statuses,
    status_kinds,
)
from tests.conftest import ADMIN, LEAD

EVALUATION = "EVAL-CDV-2015-2020"


def programme_codes(db) -> dict[int, str]:
    with db.reader() as cur:
        return dict(cur.execute("select id, code from programme").fetchall())


def first_orientation(db, code: str) -> dict:
    with db.reader() as cur:
        row = cur.execute(
            "select a.id, a.version from orientation a join programme p on p.id = a.programme_id"
            " where p.code = $c order by a.id limit 1",
            {"c": code},
        ).fetchone()
    return {"id": row[0], "version": row[1]}


@pytest.fixture
def db(db):
    """The test's database with a read cache, as the server keeps one: writes placed."""
    db.keep_reads()
    return db


def counters(db) -> tuple:
    v = db.versions
    return v.shared, v.records, v.statuses, dict(v.by_programme)


def test_a_status_change_moves_its_programme_status_counter_only(db):
    other = next(c for c in programme_codes(db).values() if c != EVALUATION)
    before = counters(db)
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", seen_event_id=None,
                         occurred_on=dt.date(2019, 4, 1))  # fmt: skip
    shared, records, statuses, by = counters(db)
    assert (shared, records) == before[:2]
    assert statuses == before[2] + 1
    assert by[EVALUATION] == (before[3].get(EVALUATION, (0, 0))[0],
                              before[3].get(EVALUATION, (0, 0))[1] + 1)  # fmt: skip
    assert by.get(other) == before[3].get(other)
    # the key of a read of the other programme, and of a read without statuses, held
    assert db.versions.key(other) == (shared, *before[3].get(other, (0, 0)))
    assert db.versions.key(None, statuses=False)[:2] == before[:2]


def test_a_status_change_leaves_the_reads_of_earlier_days_warm(db):
    """The past does not move: a change counts from its day on, so a read of statuses « au »
    an earlier day keeps its result (not read again), a read at or after that day is read
    again, and a change dated back before the earlier day reads it again too."""
    calls = []

    def read(name: str, **params):
        before = db.read_cache.misses
        result = db.frame(name, **params)
        calls.append(db.read_cache.misses > before)
        return result

    early, late = dt.date(2019, 3, 31), dt.date(2019, 6, 30)
    for day in (early, late):
        read("work_items", as_of=day, programme_code=EVALUATION)
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", seen_event_id=None,
                         occurred_on=dt.date(2019, 4, 1))  # fmt: skip
    calls.clear()
    kept = read("work_items", as_of=early, programme_code=EVALUATION)
    moved = read("work_items", as_of=late, programme_code=EVALUATION)
    assert calls == [False, True]  # the earlier day kept, the later one read again
    db.read_cache.clear()  # what a fresh read gives
    assert kept.equals(db.frame("work_items", as_of=early, programme_code=EVALUATION))
    phase = moved[(moved["item_kind"] == "phase") & (moved["item_id"] == 1)]
    assert phase["status"].tolist() == ["in_progress"]
    # a change dated back before the earlier day: the earlier day is read again
    seen = status.current_status(db, "phase", 2)
    status.change_status(db, LEAD, "phase", 2, to_status="in_progress",
                         seen_event_id=seen["id"] if seen else None,
                         occurred_on=dt.date(2019, 1, 15))  # fmt: skip
    calls.clear()
    read("work_items", as_of=early, programme_code=EVALUATION)
    assert calls == [True]


def test_the_day_a_read_reads_statuses_up_to():
    assert read_until({"as_of": dt.date(2020, 1, 2)}) == dt.date(2020, 1, 2)
    assert read_until({"since": dt.date(2019, 1, 1), "until": dt.date(2020, 3, 31)}) == dt.date(
        2020, 3, 31
    )
    assert read_until({"as_of": "2020-01-02"}) == dt.date(2020, 1, 2)
    assert read_until({"as_of": dt.datetime(2020, 1, 2, 10)}) == dt.date(2020, 1, 2)
    assert read_until({"programme_code": "X"}) is None  # every change counts
    assert read_until({"as_of": "demain"}) is None


def test_a_record_write_moves_its_programme_record_counter(db):
    action = first_orientation(db, EVALUATION)
    before = counters(db)
    work.update_orientation(db, LEAD, action["id"], expected_version=action["version"],
                       lead="Équipe B")  # fmt: skip
    shared, records, statuses, by = counters(db)
    assert (shared, statuses) == (before[0], before[2])
    assert records == before[1] + 1
    assert by[EVALUATION][0] == before[3].get(EVALUATION, (0, 0))[0] + 1


def test_a_write_of_no_one_programme_moves_the_shared_counter(db):
    before = counters(db)
    programmes.create_organisation(db, ADMIN, code="ASSO-X", name="Association X",
                                   kind="association")  # fmt: skip
    assert counters(db)[0] == before[0] + 1
    assert counters(db)[1:3] == before[1:3]


def test_writes_nothing_cached_shows_and_refused_writes_move_nothing(db):
    before = counters(db)
    account = Actor("membre", "lecteur", user_id=None)
    with pytest.raises(ValueError):  # an actor without an account opens no session
        sessions.open_handoff(db, account, "/", browser="x" * 43)
    with pytest.raises(ConflictError):  # a refused write (stale version) commits nothing
        work.update_orientation(db, LEAD, first_orientation(db, EVALUATION)["id"], expected_version=99,
                           lead="Équipe C")  # fmt: skip
    with db.transaction(affects="none") as cur:  # a session's last use, say
        cur.execute("select 1")
    assert counters(db) == before


def test_reads_statuses_follows_the_sql_and_the_rules_it_calls():
    status_rules = {
        name
        for name in rules.names()
        if set(re.findall(r"[a-z_]+", rules.text(name))).intersection(STATUS_TABLES)
    }
    assert status_rules, "some rule reads the status log"
    for name in names():
        words = set(re.findall(r"[a-z_]+", sql(name).lower()))
        if words.intersection(STATUS_TABLES) or words.intersection(status_rules):
            assert reads_statuses(name), name
    assert reads_statuses("programme_overview")  # the month roll-up
    assert not reads_statuses("programmes")
    assert not reads_statuses("acts")


def test_what_a_transaction_wrote_is_placed_in_its_programmes(db):
    """An audit row is placed by the programmes its images name (both when a record
    moves), nowhere (shared) when they name none; a status event by its item's."""
    codes = programme_codes(db)
    evaluation = next(i for i, c in codes.items() if c == EVALUATION)
    other = next(i for i, c in codes.items() if c != EVALUATION)
    with db.reader() as cur:
        marks = cur.execute(
            "select (select max(id) from audit_log), (select coalesce(max(id), 0) from status_event)"
        ).fetchone()
        item = cur.execute(
            "select id from orientation where programme_id = $p limit 1", {"p": other}
        ).fetchone()[0]
        cur.execute("begin transaction")
        for before, after in ((None, evaluation), (evaluation, other), (None, None)):
            cur.execute(
                "insert into audit_log (actor, operation, entity, entity_id, before, after)"
                " values ('test', 'update', 'action', '1', $b, $a)",
                {"b": None if before is None else f'{{"programme_id": {before}}}',
                 "a": None if after is None else f'{{"programme_id": {after}}}'},
            )  # fmt: skip
        committee = cur.execute(
            "select id from committee where programme_id = $p limit 1", {"p": evaluation}
        ).fetchone()[0]
        # a meeting's image names its committee, not its programme: placed through it
        cur.execute(
            "insert into audit_log (actor, operation, entity, entity_id, after)"
            " values ('test', 'create', 'meeting', '999', $a)",
            {"a": f'{{"committee_id": {committee}}}'},
        )
        cur.execute(
            "insert into status_event (item_kind, item_id, occurred_on, to_status, actor)"
            " values ('orientation', $i, date '2019-04-01', 'in_progress', 'test')",
            {"i": item},
        )
        touched, after = db.versions.written(cur, marks)
        cur.execute("rollback")
    assert set(touched) == {(EVALUATION, "record", None), (codes[other], "record", None),
                            (None, "record", None),
                            (codes[other], "status", dt.date(2019, 4, 1), "orientation",
                             item, True)}  # its first status  # fmt: skip
    assert after[0] == marks[0] + 4 and after[1] > marks[1]


@pytest.fixture
def cached(db_path, monkeypatch):
    """The UI's read cache over this test's database."""
    import streamlit as st

    monkeypatch.setenv("CDV_DB", str(db_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    from dashboard.ui import data

    return data


def test_spliced_summaries_equal_a_fresh_read_of_every_programme(cached):
    db = cached.database()
    as_of = dt.date.today()
    first = cached.summaries(as_of)
    assert cached.summaries(as_of) is first  # held, not copied per view
    # statuses and records change in the evaluation programme
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", seen_event_id=None,
                         occurred_on=dt.date(2019, 4, 1))  # fmt: skip
    action = first_orientation(db, EVALUATION)
    work.update_orientation(db, LEAD, action["id"], expected_version=action["version"],
                       weight=3)  # fmt: skip
    spliced = cached.summaries(as_of)
    assert spliced is not first
    assert spliced == overview.summaries(db, as_of)
    changed = next(s for s in spliced if s["code"] == EVALUATION)
    assert changed != next(s for s in first if s["code"] == EVALUATION)
    # a programme the writes did not touch is the very same summary as before
    for before, after in zip(first, spliced, strict=True):
        if before["code"] != EVALUATION:
            assert after is before
    # a new programme (no one programme's write): everything read again
    programmes.create_programme(db, ADMIN, code="AUTRE-2026", title="Autre programme",
                                kind="other")  # fmt: skip
    assert cached.summaries(as_of) == overview.summaries(db, as_of)


def test_the_overview_s_cells_are_formatted_again_only_for_the_summaries_that_changed(
    cached,
):
    """The overview's table: each programme's cells built once per summary object; after
    a change in one programme only its new summary is formatted, and the cells equal
    those built afresh."""
    db = cached.database()
    as_of = dt.date.today()
    built = []

    def cells(summary: dict) -> dict:
        built.append(summary["code"])
        return {"code": summary["code"], "phases": summary["phases_delivered"]}

    first = cached.derived_each(cached.summaries(as_of), cells)
    assert sorted(built) == sorted(s["code"] for s in cached.summaries(as_of))
    built.clear()
    assert cached.derived_each(cached.summaries(as_of), cells) == first
    assert built == []  # nothing formatted again
    seen = status.current_status(db, "phase", 1)
    status.change_status(db, LEAD, "phase", 1, to_status="delivered",
                         seen_event_id=seen["id"] if seen else None)  # fmt: skip
    again = cached.derived_each(cached.summaries(as_of), cells)
    assert built == [EVALUATION]
    assert again == [cells(s) for s in overview.summaries(db, as_of)]
    assert again != first  # a delivered phase more


def test_an_item_s_history_stays_warm_after_a_change_in_another_programme(cached, monkeypatch):
    """The history of an item, keyed on its programme: recomputed after a change of that
    programme, not after one in another (the progress page's detail of an item)."""
    from dashboard.tracker import history

    db = cached.database()
    computed = []
    real = history.item_timeline
    monkeypatch.setitem(cached._COMPOSED, "item_timeline",
                        lambda *a, **k: computed.append(1) or real(*a, **k))  # fmt: skip
    first = cached.item_timeline("phase", 1, EVALUATION)
    assert cached.item_timeline("phase", 1, EVALUATION) == first and len(computed) == 1
    kind, other = (
        db.cursor()
        .execute(
            "select item_kind, min(item_id) from work_item as w join programme as p"
            " on p.id = w.programme_id where p.code <> $c group by item_kind order by 1 limit 1",
            {"c": EVALUATION},
        )
        .fetchone()
    )
    status.change_status(db, LEAD, kind, other, to_status="in_progress", seen_event_id=None)
    assert cached.item_timeline("phase", 1, EVALUATION) == first and len(computed) == 1
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", seen_event_id=None)
    after = cached.item_timeline("phase", 1, EVALUATION)
    assert len(computed) == 2 and after != first
    assert after == history.item_timeline(db, "phase", 1)


def test_the_placing_reads_find_the_rows_written_and_their_programmes(db):
    """The reads that place a write: what the logs hold after the marks, the items'
    programmes (by key, or many at once), the programmes' codes."""
    codes = programme_codes(db)
    assert {r["id"]: r["code"] for r in db.records("programme_codes")} == codes
    with db.reader() as cur:
        phase = cur.execute("select id, programme_id from phase limit 1").fetchone()
        found = cur.execute(
            sql("status_programmes"), {"item_kind": "phase", "item_id": phase[0]}
        ).fetchall()
        assert found == [(codes[phase[1]],)]
        many = cur.execute(
            sql("item_programmes"), {"phases": [phase[0]], "orientations": [], "actions": []}
        ).fetchall()
        assert many == [("phase", phase[0], codes[phase[1]])]
        last = cur.execute("select max(id) from audit_log").fetchone()[0]
        rows = cur.execute(
            sql("changes_written"), {"audit_after": last - 1, "event_after": 10**12}
        ).fetchall()
        assert [(r[0], r[1]) for r in rows] == [("audit", last)]
        cur.execute("begin transaction")
        cur.execute(
            "insert into status_event (item_kind, item_id, occurred_on, to_status, actor)"
            " values ('phase', $i, date '2019-04-01', 'in_progress', 'test')",
            {"i": phase[0]},
        )
        event = cur.execute("select max(id) from status_event").fetchone()[0]
        rows = cur.execute(
            sql("changes_written"), {"audit_after": 10**12, "event_after": event - 1}
        ).fetchall()
        cur.execute("rollback")
        assert [(r[0], r[1], *r[9:]) for r in rows] == [
            ("status", event, "phase", phase[0], dt.date(2019, 4, 1), True)  # from none
        ]


def test_writes_are_placed_only_where_a_read_cache_uses_them(tiny):
    """Without a read cache (a command, a test of the domain), a write moves the shared
    counter and pays nothing to be placed; with one, it is placed."""

    def change() -> None:
        seen = status.current_status(tiny, "phase", 1)
        target = next(t for t in status.allowed_targets(seen["to_status"])
                      if t != seen["to_status"] and t not in ("delivered", "validated"))  # fmt: skip
        status.change_status(tiny, LEAD, "phase", 1, to_status=target, seen_event_id=seen["id"])

    before = tiny.versions.shared
    change()
    assert tiny.versions.shared == before + 1 and not tiny.versions.by_programme
    tiny.keep_reads()
    change()
    assert tiny.versions.shared == before + 1 and tiny.versions.statuses == 1


def test_a_record_is_placed_through_its_parent(db):
    """A record whose images name no programme but its parent (a meeting its committee,
    a payment its budget line…) is placed in its parent's programme."""
    codes = programme_codes(db)
    with db.reader() as cur:
        committee, programme_id = cur.execute(
            "select id, programme_id from committee limit 1"
        ).fetchone()
        found = cur.execute(
            sql("parent_programmes"),
            {"acts": [], "committees": [committee], "meetings": [], "decisions": [],
             "lines": []},
        ).fetchall()  # fmt: skip
    assert found == [("committee", committee, codes[programme_id])]


def test_a_write_whose_placement_cannot_be_read_is_committed_and_every_read_recomputed(
    db, monkeypatch
):
    """What a write wrote is read after its commit: when that read fails, the write
    stands (never reported as failed), every kept read is recomputed, and the next
    write is placed again."""
    today = dt.date.today()
    before = db.records("work_items", as_of=today, programme_code=EVALUATION)
    shared = db.versions.shared

    def unreadable(*_args):
        raise RuntimeError("journal illisible")

    monkeypatch.setattr(db.versions, "written", unreadable)
    seen = status.current_status(db, "phase", 1)
    event = status.change_status(db, LEAD, "phase", 1, to_status="in_progress", progress=45,
                                 seen_event_id=seen["id"] if seen else None)  # fmt: skip
    assert db.scalar("select max(id) from status_event") == event  # committed
    assert db.versions.shared == shared + 1  # every read recomputed
    after = db.records("work_items", as_of=today, programme_code=EVALUATION)
    assert (
        next(r for r in after if (r["item_kind"], r["item_id"]) == ("phase", 1))["progress"] == 45
    )
    assert len(after) == len(before)
    monkeypatch.undo()
    statuses = db.versions.statuses
    status.change_status(db, LEAD, "phase", 1, to_status="in_progress", progress=50,
                         seen_event_id=event)  # fmt: skip
    # placed again (with the change whose placing could not be read: both events)
    assert db.versions.statuses > statuses


def first_item(db, kind: str, code: str) -> int | None:
    """The first item of ``kind`` of programme ``code`` (None: it has none)."""
    with db.reader() as cur:
        found = cur.execute(
            "select w.item_id from work_item w join programme p on p.id = w.programme_id"
            " where p.code = $c and w.item_kind = $k order by w.item_id limit 1",
            {"c": code, "k": kind},
        ).fetchone()
    return found[0] if found else None


def change(db, kind: str, item_id: int, to_status: str = "in_progress") -> None:
    """A status change of the item, today (to another status if it has that one)."""
    seen = status.current_status(db, kind, item_id)
    if seen and seen["to_status"] == to_status:
        to_status = "in_progress" if to_status != "in_progress" else "blocked"
    status.change_status(db, LEAD, kind, item_id, to_status=to_status,
                         seen_event_id=seen["id"] if seen else None,
                         occurred_on=dt.date.today())  # fmt: skip


def test_a_read_of_the_statuses_of_phases_stays_warm_after_a_change_of_an_action(db):
    """The timeline reads the status changes of phases only (its ``statuses`` header): a
    change of an action or an orientation of its programme leaves it kept; a change of a
    phase reads it again, and shows it."""
    params = {"programme_code": EVALUATION, "as_of": dt.date.today()}
    assert status_kinds("timeline_events") == {"phase"}
    first = db.records("timeline_events", **params)
    for kind in ("action", "orientation"):
        if first_item(db, kind, EVALUATION) is None:  # the seed's evaluation has no action
            continue
        change(db, kind, first_item(db, kind, EVALUATION))
        misses = db.read_cache.misses
        assert db.records("timeline_events", **params) == first
        assert db.read_cache.misses == misses, kind  # kept, not read again
    phase = first_item(db, "phase", EVALUATION)
    change(db, "phase", phase, to_status="blocked")
    misses = db.read_cache.misses
    after = db.records("timeline_events", **params)
    assert db.read_cache.misses == misses + 1
    assert [e for e in after if e["kind"] == "phase_status" and e["detail"] == "blocked"]
    # the reads of every kind's statuses moved with each change
    assert db.versions.key(EVALUATION, until=params["as_of"]) != db.versions.key(
        EVALUATION, until=params["as_of"], kinds=frozenset({"phase"})
    )


def test_a_read_of_whether_items_have_a_status_stays_warm_after_a_second_status(db):
    """« Statut inconnu » reads only whether items have a status (``known``): an item's
    first status reads it again, its next ones do not."""
    params = {"programme_code": EVALUATION, "as_of": dt.date.today()}
    assert status_kinds("unknown_statuses") == {KNOWN}
    orientation = first_item(db, "orientation", EVALUATION)
    first = db.records("unknown_statuses", **params)
    change(db, "orientation", orientation, to_status="planned")  # its first status
    misses = db.read_cache.misses
    second = db.records("unknown_statuses", **params)
    assert db.read_cache.misses == misses + 1 and second != first
    change(db, "orientation", orientation, to_status="in_progress")
    change(db, "orientation", orientation, to_status="blocked")
    misses = db.read_cache.misses
    assert db.records("unknown_statuses", **params) == second
    assert db.read_cache.misses == misses  # kept


def _fresh(db, name: str, params: dict) -> list[dict]:
    db.read_cache.clear()
    return db.records(name, **params)


def test_every_read_that_names_the_statuses_it_reads_reads_no_other(db):
    """Each read with a ``statuses`` header gives, read afresh after the status changes
    its header leaves out, what it gave before (its header is true); and a change it
    names shows (the header names what it reads). ``known``: a second status of an item
    leaves it as it was, an item's first status does not."""
    said = {name: status_kinds(name) for name in names() if status_kinds(name) is not None}
    assert said, "some read names the statuses it reads"
    assert {"phase"} in said.values() and {KNOWN} in said.values()
    params = {"programme_code": EVALUATION, "as_of": dt.date.today()}
    for name, kinds in said.items():
        db.read_cache.clear()
        items = {kind: first_item(db, kind, EVALUATION) for kind in ITEM_TABLES}
        if kinds == {KNOWN}:
            # every item with a status already: its next status changes nothing known
            for kind, item in items.items():
                if item is not None and status.current_status(db, kind, item) is None:
                    change(db, kind, item, to_status="planned")
            before = _fresh(db, name, params)
            for kind, item in items.items():
                if item is not None:
                    change(db, kind, item, to_status="blocked")
            assert _fresh(db, name, params) == before, name
            # an item without a status gets its first one: it shows
            with db.reader() as cur:
                kind, item = cur.execute(
                    "select w.item_kind, w.item_id from work_item w join programme p"
                    " on p.id = w.programme_id anti join item_status s"
                    " on s.item_kind = w.item_kind and s.item_id = w.item_id"
                    " where p.code = $c order by all limit 1", {"c": EVALUATION},
                ).fetchone()  # fmt: skip
            change(db, kind, item, to_status="planned")
            assert _fresh(db, name, params) != before, name
            continue
        before = _fresh(db, name, params)
        others = [(kind, items[kind]) for kind in sorted(set(ITEM_TABLES) - kinds)]
        assert any(item for _, item in others), "an item of another kind to change"
        for kind, item in others:
            if item is not None:
                change(db, kind, item, to_status="blocked")
        assert _fresh(db, name, params) == before, name
        change(db, min(kinds), items[min(kinds)], to_status="blocked")
        assert _fresh(db, name, params) != before, name
    # what ``changes_written`` reads as an item's first status: the first by date and
    # by order, the only one of the item from no status
    with db.reader() as cur:
        wrong = cur.execute(
            "select item_kind, item_id from status_event group by all having"
            " count(*) filter (where from_status is null) <> 1"
            " or min(id) filter (where from_status is null) <> min(id)"
            " or min(occurred_on) filter (where from_status is null) <> min(occurred_on)"
        ).fetchall()
        assert cur.execute("select count(*) from status_event").fetchone()[0] > 3
    assert wrong == []


def test_a_header_naming_an_unknown_kind_of_item_is_refused(monkeypatch):
    import dashboard.tracker.versions as versions

    monkeypatch.setattr(versions, "sql", lambda name: "-- statuses: phase, budget\nselect 1")
    versions.status_kinds.cache_clear()
    try:
        with pytest.raises(ValueError, match="statuses"):
            versions.status_kinds("x")
    finally:
        versions.status_kinds.cache_clear()


def test_the_status_counters_of_each_kind_of_item():
    """A status change moves the counters of its item's kind (of its programme and of
    all), and one whose item is not said those of every kind; each « au » a date counts
    only the changes dated until then."""
    versions = Versions(watching=True)
    day = dt.date(2026, 3, 1)
    phases = frozenset({"phase"})

    def keys(until=None):
        return (versions.key("A", until=until, kinds=phases),
                versions.key(None, until=until, kinds=phases),
                versions.key("A", until=until))  # fmt: skip

    before = keys()
    versions.moved([("A", "status", day, "action", 7)])
    after = keys()
    assert after[:2] == before[:2] and after[2] != before[2]
    versions.moved([("A", "status", day, "phase", 1)])
    assert keys()[0] != after[0] and keys()[1] != after[1]
    assert versions.key("B", kinds=phases) == before[0][:1] + (0, "of", ("phase",), 0)
    earlier = keys(until=day - dt.timedelta(days=1))
    versions.moved([("A", "status", day, "phase", 2)])  # dated on ``day``: not before
    assert keys(until=day - dt.timedelta(days=1)) == earlier
    held = keys()
    versions.moved([("A", "status", day)])  # an item not said: every kind moves
    assert all(a != b for a, b in zip(keys(), held, strict=True))
