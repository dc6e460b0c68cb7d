"""Conseils citoyens (loi n° 2014-173, art. 7; issue 24, part 2): a body attached to
QPV, its members by collège with their dates, its representatives in comités, its
opinions as dated documents — and a view « au » a date that only counts what was in
force and recorded by then, so that recording today never moves the past."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import citizen_councils as cc
from dashboard.tracker import files
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.helpers import snapshot
from tests.tracker.evaluation_calls import PDF, qpv

D = dt.date


def recorded_back_then(db, day: dt.date) -> None:
    """As if every row of the conseils citoyens had been recorded on ``day`` (the
    history a view « au » a past date reads)."""
    with db.transaction() as cur:
        for table in ("citizen_council", "citizen_council_member", "citizen_council_opinion"):
            cur.execute(f"update {table} set created_at = $d", {"d": day})
        cur.execute("update citizen_council_seat set recorded_at = $d", {"d": day})


@pytest.fixture
def council(db):
    a = qpv(db, "QN01301M", "Quartier A")
    b = qpv(db, "QN01302M", "Quartier B")
    council_id = cc.create_council(db, ADMIN, name="Conseil citoyen Nord", qpv_ids=[a, b],
                                   established_on=D(2015, 10, 1))  # fmt: skip
    return db, council_id


def test_members_by_college_with_their_dates_at_each_date(council):
    db, council_id = council
    awa = cc.add_member(db, ADMIN, council_id=council_id, full_name="Awa Diallo",
                        college="residents", appointed_on=D(2016, 1, 10))  # fmt: skip
    cc.add_member(db, ADMIN, council_id=council_id, full_name="Association Le Lien",
                  college="local_actors", appointed_on=D(2016, 1, 10))  # fmt: skip
    cc.renew_member(db, ADMIN, awa, expected_version=1, renewed_on=D(2019, 1, 10))
    cc.end_member(db, ADMIN, awa, expected_version=2, ended_on=D(2021, 6, 30),
                  reason="déménagement")  # fmt: skip
    assert cc.councils(db, D(2018, 1, 1)) == []  # recorded today: unknown in 2018
    recorded_back_then(db, D(2016, 1, 10))
    row = cc.councils(db, D(2018, 1, 1))[0]
    assert (row["qpv_names"], row["residents"], row["local_actors"]) == (
        "Quartier A, Quartier B",
        1,
        1,
    )
    assert cc.councils(db, D(2022, 1, 1))[0]["residents"] == 0  # gone by then
    listed = cc.members(db, council_id, D(2020, 1, 1))
    assert [(m["full_name"], m["college"], m["renewed_on"]) for m in listed] == [
        ("Awa Diallo", "residents", D(2019, 1, 10)),
        ("Association Le Lien", "local_actors", None),
    ]


def test_a_representative_sits_in_a_committee_until_their_mandate_ends(council):
    db, council_id = council
    awa = cc.add_member(db, ADMIN, council_id=council_id, full_name="Awa Diallo",
                        college="residents", appointed_on=D(2016, 1, 10))  # fmt: skip
    cc.seat_member(db, ADMIN, member_id=awa, committee_id=1, from_on=D(2017, 5, 1))
    recorded_back_then(db, D(2017, 5, 1))
    with pytest.raises(ValidationError, match="représente déjà"):
        cc.seat_member(db, ADMIN, member_id=awa, committee_id=1, from_on=D(2018, 5, 1))
    assert cc.members(db, council_id, D(2018, 1, 1))[0]["committees"].startswith("Comité")
    cc.end_member(db, ADMIN, awa, expected_version=1, ended_on=D(2020, 1, 1), reason="démission")
    assert cc.councils(db, D(2019, 1, 1))[0]["seats"] == 1
    assert cc.councils(db, D(2020, 6, 1))[0]["seats"] == 0  # the seat ended with the mandate


def test_an_opinion_is_a_dated_document_recorded_with_its_file(council):
    db, council_id = council
    opinion = cc.record_opinion(
        db, ADMIN, council_id=council_id, subject="Avis sur le rapport annuel 2016",
        about="annual_report", received_on=D(2017, 6, 2), upload=files.Upload("avis.pdf", PDF),
    )  # fmt: skip
    recorded_back_then(db, D(2017, 6, 2))
    rows = cc.opinions(db, council_id, D(2017, 12, 31))
    assert [(r["id"], r["about"], r["files"]) for r in rows] == [(opinion, "annual_report", 1)]
    assert cc.opinions(db, council_id, D(2017, 6, 1)) == []  # not yet received
    before = snapshot(db)
    with pytest.raises(ValidationError, match="type accepté"):  # all or nothing
        cc.record_opinion(db, ADMIN, council_id=council_id, subject="Autre avis", about="other",
                          received_on=D(2018, 1, 5), upload=files.Upload("x.exe", b"MZ"))  # fmt: skip
    assert snapshot(db) == before


def test_recording_today_never_moves_a_past_view(council, monkeypatch):
    """A member appointed in 2016 but recorded today is not counted « au » last year."""
    db, council_id = council
    year_ago = dt.date.today() - dt.timedelta(days=365)
    past = cc.councils(db, year_ago)
    cc.add_member(db, ADMIN, council_id=council_id, full_name="Jean Martin",
                  college="residents", appointed_on=D(2016, 1, 10))  # fmt: skip
    assert cc.councils(db, year_ago) == past
    assert cc.councils(db, dt.date.today())[0]["residents"] == 1


def test_a_council_needs_a_qpv(db):
    from tests.tracker.evaluation_calls import commune

    before = snapshot(db)
    place = commune(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="n'est pas un quartier prioritaire"):
        cc.create_council(db, ADMIN, name="Conseil", qpv_ids=[place])
    assert snapshot(db) == before


def test_the_qpv_of_a_council_can_be_corrected(council):
    db, council_id = council
    c = qpv(db, "QN01303M", "Quartier C")
    cc.update_council(db, ADMIN, council_id, expected_version=1, qpv_ids=[c],
                      reason="périmètre 2024")  # fmt: skip
    assert cc.councils(db, dt.date.today())[0]["qpv_names"] == "Quartier C"
