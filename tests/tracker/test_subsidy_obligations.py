"""A subsidy's obligations computed from the record and the law: the « compte rendu
financier » due six months after each funded year (loi n° 2000-321, art. 10), met once a
file is attached to the year's budget line; the past does not move."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import deadlines, files
from dashboard.tracker.db import Database, migrate
from tests.conftest import ADMIN

PDF = b"%PDF-1.4\n% compte rendu financier (essai)\n%%EOF\n"
TODAY = dt.date.today()


def _reports(db, as_of: dt.date | None = None) -> list[tuple]:
    return [(d["date"], d["label"].split(" : ")[0], d["label"].rsplit(" — ", 1)[1])
            for d in deadlines.deadlines(db, None, as_of or TODAY) if d["kind"] == "financial_report"]  # fmt: skip


def test_each_funded_year_owes_its_financial_report_until_a_file_is_attached(db):
    assert _reports(db) == [
        (dt.date(2021, 6, 30), "Compte rendu financier de l'exercice 2020", "non joint"),
        (dt.date(2023, 6, 30), "Compte rendu financier de l'exercice 2022", "non joint"),
    ]
    [rule] = {d["rule"] for d in deadlines.deadlines(db, None, TODAY)
              if d["kind"] == "financial_report"}  # fmt: skip
    assert "loi n° 2000-321 du 12 avril 2000, art. 10" in rule
    files.attach_file(db, ADMIN, entity="budget_line", entity_id=2,
                      upload=files.Upload("compte-rendu-2022.pdf", PDF))  # fmt: skip
    assert _reports(db)[1][2] == f"remis le {deadlines.fmt.date_fr(TODAY)}"
    # the day before, it was not there: the past does not move
    assert _reports(db, TODAY - dt.timedelta(days=1))[1][2] == "non joint"
    # a met obligation is no longer among the upcoming ones
    rows = deadlines.deadlines(db, None, dt.date(2023, 5, 1))
    assert [d["kind"] for d in deadlines.upcoming(rows, dt.date(2023, 5, 1), 90)] == [
        "financial_report"]  # fmt: skip
    rows = deadlines.deadlines(db, None, TODAY)
    assert all(d["met_on"] is None for d in deadlines.upcoming(rows, TODAY, 90))


def test_migration_0016_keeps_every_attachment(tmp_path):
    path = tmp_path / "at15.duckdb"
    old = Database(path)
    migrate(old, target=15)
    with old.transaction() as cur:
        cur.execute("insert into stored_file (sha256, size_bytes, media_type, stored_by, stored_at)"
                    " values (repeat('a', 64), 3, 'application/pdf', 'x', now()::timestamp)")  # fmt: skip
        cur.execute("insert into attachment (file_id, entity, entity_id, file_name, recorded_by,"
                    " recorded_at) values (1, 'meeting', 1, 'pv.pdf', 'x', now()::timestamp)")  # fmt: skip
    old.close()
    new = Database(path)
    migrate(new)
    assert new.scalar("select count(*) from attachment where file_name = 'pv.pdf'") == 1
    with new.transaction() as cur:
        cur.execute("insert into attachment (file_id, entity, entity_id, file_name, recorded_by,"
                    " recorded_at) values (1, 'budget_line', 1, 'cr.pdf', 'x', now()::timestamp)")  # fmt: skip
    assert new.scalar("select max(id) from attachment") == 2  # the sequence goes on
    new.close()
