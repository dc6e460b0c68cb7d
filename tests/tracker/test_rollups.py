"""The roll-ups kept in the write transactions (rollups.py): after every kind of write
they equal a recomputation, today's overview read through them equals the overview
computed from the log, and a date before a row's ``valid_from`` is computed from the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.tracker import budget, overview, status, work
from dashboard.tracker.db import Database
from tests.conftest import LEAD
from tests.helpers import SINCE_2019, rollup_drift

TODAY = dt.date.today()


@pytest.fixture(
    params=["fichier", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgres"))]
)
def db(request):
    """The seeded tracker in its DuckDB file, and on PostgreSQL: the roll-ups hold on both."""
    return request.getfixturevalue("pg_db" if request.param == "postgresql" else "file_db")


ORACLE = (Path(__file__).parents[1] / "fixtures" / "programme_overview_from_log.sql").read_text()


def from_the_log(db: Database, as_of: dt.date) -> tuple[list, list]:
    """The overview as computed from the status log without roll-ups (the query as it
    was before them), and money_by_basis with every line's row pushed past ``as_of``."""
    with db.transaction() as cur:
        result = cur.execute(ORACLE, {"as_of": as_of, "programme_code": None})
        columns = [d[0] for d in result.description]
        items = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
        cur.execute("update budget_line_spent set valid_from = date '9999-12-31'")
        money = db.records("money_by_basis", as_of=as_of, programme_code=None)
        cur.execute("rollback")
        cur.execute("begin transaction")
    return items, money


def through_rollups(db: Database, as_of: dt.date) -> tuple[list, list]:
    return (
        db.records("programme_overview", as_of=as_of, programme_code=None),
        db.records("money_by_basis", as_of=as_of, programme_code=None),
    )


#: quarter ends from 2017 to today, and days inside months (the partial month is summed
#: from the events)
DAYS = [
    d
    for year in range(2017, TODAY.year + 1)
    for d in (dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30),
              dt.date(year, 12, 31), dt.date(year, 2, 14), dt.date(year, 11, 3))
    if d <= TODAY
] + [TODAY]  # fmt: skip


def agree(db: Database, days: list[dt.date] | None = None) -> None:
    assert rollup_drift(db) == []
    for day in days or (TODAY,):
        assert through_rollups(db, day) == from_the_log(db, day), day


def test_a_changed_row_is_seen_as_drift(db):
    assert rollup_drift(db) == []
    with db.transaction() as cur:
        cur.execute("update programme_month set planned = planned + 1 where programme_id = 1")
    drift = rollup_drift(db)
    assert drift and {row[0] for row in drift} == {"programme_month"}


def test_today_is_read_from_the_rollups_and_equals_the_log(db):
    agree(db)
    rows = {
        r["code"]: r for r in db.records("programme_overview", as_of=TODAY, programme_code=None)
    }
    # the seed records the phases of the 2017 convention: the rolled-up row says so
    assert rows["EVAL-CDV-2015-2020"]["phases_total"] == 3


def test_a_week_of_writes_keeps_them_current(db):
    action = work.create_action(db, LEAD, title="Atelier de restitution", phase_id=1,
                                weight="2")  # fmt: skip
    agree(db)
    status.change_status(db, LEAD, "action", action, to_status="planned", seen_event_id=None)
    seen = status.current_status(db, "action", action)["id"]
    status.change_status(db, LEAD, "action", action, to_status="in_progress",
                         seen_event_id=seen, progress=40)  # fmt: skip
    agree(db)
    row = db.records("programme_overview", as_of=TODAY, programme_code="EVAL-CDV-2015-2020")[0]
    assert row["in_progress"] >= 1 and row["progress_known"] >= 1
    seen = status.current_status(db, "action", action)["id"]
    status.change_status(db, LEAD, "action", action, to_status="in_progress",
                         seen_event_id=seen, comment="sans nouvel avancement")  # fmt: skip
    agree(db)  # the progress stated before still counts (item_status keeps it)
    version = db.scalar("select version from action where id = $i", {"i": action})
    work.update_action(db, LEAD, action, expected_version=version, weight="5")
    agree(db)
    version = db.scalar("select version from action where id = $i", {"i": action})
    work.bulk_update_actions(db, LEAD, [{"action_id": action, "expected_version": version,
                                         "weight": "3"}])  # fmt: skip
    agree(db)
    version = db.scalar("select version from action where id = $i", {"i": action})
    work.archive_item(db, LEAD, "action", action, expected_version=version, archived_on=TODAY,
                      reason="Fusionnée avec une autre action")  # fmt: skip
    agree(db)
    version = db.scalar("select version from action where id = $i", {"i": action})
    work.archive_item(db, LEAD, "action", action, expected_version=version, archived_on=None,
                      reason="Archivée par erreur")  # fmt: skip
    agree(db)


def test_payments_keep_their_line_current(db):
    before = {r["tax_basis"]: r for r in db.records("money_by_basis", as_of=TODAY,
                                                    programme_code="MODERN-PV-2022")}  # fmt: skip
    line = db.scalar(
        "select min(b.id) from budget_line b join programme p on p.id = b.programme_id "
        "where p.code = 'MODERN-PV-2022' and b.kind = 'financial'"
    )
    paid = budget.record_payment(db, LEAD, budget_line_id=line, stage="commitment",
                                 occurred_on=TODAY, amount="1 000")  # fmt: skip
    agree(db)
    version = db.scalar("select version from payment where id = $i", {"i": paid})
    budget.update_payment(db, LEAD, paid, expected_version=version, amount="1 500",
                          reason="Montant mal recopié")  # fmt: skip
    agree(db)
    after = {r["tax_basis"]: r for r in db.records("money_by_basis", as_of=TODAY,
                                                   programme_code="MODERN-PV-2022")}  # fmt: skip
    basis = db.scalar("select tax_basis from budget_line where id = $i", {"i": line})
    assert (after[basis]["committed"] or 0) - (before[basis]["committed"] or 0) == 1500
    version = db.scalar("select version from payment where id = $i", {"i": paid})
    budget.cancel_payment(db, LEAD, paid, expected_version=version, reason="Saisi deux fois")
    agree(db)
    assert through_rollups(db, TODAY)[1] == from_the_log(db, TODAY)[1]


def test_a_date_before_the_last_change_is_computed_from_the_log(db):
    """The seed's statuses changed in 2018-2022: « au » 30 June 2018 reads the log, and
    an action and its status recorded today leave that date as it was."""
    past = dt.date(2018, 6, 30)
    then = overview.summaries(db, past)
    action = work.create_action(db, LEAD, title="Nouvelle action", phase_id=1)
    status.change_status(db, LEAD, "action", action, to_status="in_progress",
                         seen_event_id=None, progress=10)  # fmt: skip
    assert through_rollups(db, past) == from_the_log(db, past)
    # the new action exists from today (the day it was recorded): that date is unchanged
    assert overview.summaries(db, past) == then


@pytest.mark.slow  # an oracle over every quarter: run in CI, left out by -m "not slow"
def test_every_past_day_equals_the_log_after_backdated_writes(db):
    """Backdated statuses and archivings, a reweighted phase, a new item: on every
    quarter end since 2017 (and days inside months) the overview read through the month
    rows equals the one computed from the log."""
    agree(db, DAYS)
    action = work.create_action(db, LEAD, title="Action rétroactive", phase_id=1, origin=SINCE_2019)
    status.change_status(db, LEAD, "action", action, to_status="planned",
                         seen_event_id=None, occurred_on=dt.date(2019, 2, 10))  # fmt: skip
    seen = status.current_status(db, "action", action)["id"]
    status.change_status(db, LEAD, "action", action, to_status="in_progress", progress=35,
                         seen_event_id=seen, occurred_on=dt.date(2019, 11, 3))  # fmt: skip
    agree(db, DAYS)
    version = db.scalar("select version from action where id = $i", {"i": action})
    work.archive_item(db, LEAD, "action", action, expected_version=version,
                      archived_on=dt.date(2020, 6, 30), reason="Abandonnée")  # fmt: skip
    agree(db, DAYS)
    phase = db.scalar("select min(id) from phase")
    version = db.scalar("select version from phase where id = $i", {"i": phase})
    work.update_phase(db, LEAD, phase, expected_version=version, weight="4")
    agree(db, DAYS)


def test_an_item_recorded_already_archived_counts_until_its_archiving(db):
    """A record loaded with its archiving day (an export reloaded) counts before that
    day and not after, like one archived through the service."""
    from dashboard.tracker.records import create

    with db.transaction() as cur:
        phase = cur.execute("select id, programme_id from phase order by id limit 1").fetchone()
        create(cur, LEAD, "action", {"programme_id": phase[1], "phase_id": phase[0],
                                     "title": "Action close", "archived_on": dt.date(2021, 3, 31)},
               origin=SINCE_2019)  # fmt: skip
    agree(db, DAYS)
