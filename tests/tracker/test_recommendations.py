"""Recommendations followed to the end: proposed from a question, retained by a
committee decision, in progress, implemented with evidence or abandoned with a reason;
open ones on every quarterly pack until closed, late ones among the alerts; a view « au »
a date shows what was recorded and in force then."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import committees, evaluation, overview, pack, recommendations
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN, LEAD
from tests.helpers import snapshot
from tests.tracker.test_as_of import pack_text

EVAL = "EVAL-CDV-2015-2020"
TODAY = dt.date.today()


def _question(db) -> int:
    return evaluation.create_question(db, ADMIN, programme_id=1,
                                      text="Les habitants ont-ils été associés ?")  # fmt: skip


def _decision(db, held_on: dt.date, committee_id: int = 1) -> int:
    committees.record_meeting(db, ADMIN, committee_id=committee_id, held_on=held_on, decisions=[
        committees.DecisionInput("other", "Les recommandations sont retenues", [])])  # fmt: skip
    return db.scalar("select max(id) from decision")


def _propose(db, **given) -> int:
    values = dict(programme_id=1, question_id=_question(db), text="Associer les conseils citoyens",
                  due_on=dt.date(2026, 6, 30), owner_organisation_id=1,
                  proposed_on=dt.date(2025, 11, 10))  # fmt: skip
    return recommendations.create_recommendation(db, LEAD, **(values | given))


def _row(db, rec: int, as_of: dt.date | None = None) -> dict | None:
    return next((r for r in db.records("recommendations", programme_code=EVAL, as_of=as_of or TODAY)
                 if r["id"] == rec), None)  # fmt: skip


def test_a_recommendation_is_followed_to_its_end(db):
    rec = _propose(db)
    row = _row(db, rec)
    assert (row["status"], row["status_on"], row["owner"]) == (
        "proposed",
        dt.date(2025, 11, 10),
        "Métropole Aix-Marseille-Provence",
    )
    assert row["open"] and row["late"]  # due 30 June 2026, still proposed today
    decision = _decision(db, dt.date(2025, 12, 4))
    recommendations.set_recommendation_status(db, LEAD, rec, status="adopted",
                                              decision_id=decision)  # fmt: skip
    row = _row(db, rec)
    assert (row["status"], row["status_on"], row["decision_on"]) == (
        "adopted",
        dt.date(2025, 12, 4),
        dt.date(2025, 12, 4),
    )  # dated by its meeting
    recommendations.set_recommendation_status(db, LEAD, rec, status="implemented",
                                              evidence="Charte signée le 2 mars")  # fmt: skip
    row = _row(db, rec)
    assert (row["status"], row["evidence"], row["open"], row["late"]) == (
        "implemented",
        "Charte signée le 2 mars",
        False,
        False,
    )
    before = snapshot(db)
    with pytest.raises(ValidationError, match="elle est close"):
        recommendations.set_recommendation_status(db, LEAD, rec, status="abandoned",
                                                  reason="Trop tard")  # fmt: skip
    assert snapshot(db) == before


def test_what_each_status_needs_is_refused_in_french_and_changes_nothing(db):
    rec = _propose(db)
    before = snapshot(db)
    cases = [
        (dict(status="adopted"), "retenue par une décision de comité"),
        (dict(status="in_progress"), "peut devenir « retenue », « abandonnée »"),
        (dict(status="abandoned"), "« Motif de l'abandon » est obligatoire"),
        (dict(status="adopted", decision_id=_decision(db, dt.date(2025, 1, 6))),
         "avant l'état précédent"),
        (dict(status="adopted", decision_id=_decision(db, dt.date(2025, 12, 1), committee_id=2)),
         "un autre programme"),
    ]  # fmt: skip
    before = snapshot(db)  # the two meetings above are set-up
    for given, message in cases:
        with pytest.raises(ValidationError, match=message):
            recommendations.set_recommendation_status(db, LEAD, rec, **given)
        assert snapshot(db) == before
    with pytest.raises(ValidationError, match="un responsable"):
        _propose(db, owner_organisation_id=None)
    with pytest.raises(ValidationError, match="autre programme"):
        other = evaluation.create_question(db, ADMIN, programme_id=2, text="Autre ?")
        _propose(db, question_id=other)


def test_a_past_date_shows_what_was_recorded_and_in_force_then(db):
    """Recorded today with a proposal dated 2025: a view of 2025 does not show it (it
    was not known then); a view of today shows it with its status of the day."""
    rec = _propose(db)
    assert _row(db, rec, dt.date(2025, 12, 31)) is None
    assert _row(db, rec)["status"] == "proposed"


def test_open_recommendations_reach_the_pack_and_late_ones_the_alerts(db):
    past = pack_text(db, "2022-T3")
    rec = _propose(db, due_on=TODAY - dt.timedelta(days=3), text="Publier les résultats")
    alerts = [a["text"] for a in overview.alerts(db, TODAY, EVAL)]
    assert any(t.startswith("Recommandation en retard : « Publier les résultats »")
               for t in alerts)  # fmt: skip
    quarter = f"{TODAY.year}-T{(TODAY.month - 1) // 3 + 1}"
    [slide] = [s for s in pack.build(db, quarter).slides if s.key == "recommendations"]
    assert slide.title == "Recommandations : où en est-on"
    assert (
        slide.lines[0].startswith("1 recommandation(s) ouverte(s)")
        and "1 en retard" in slide.lines[0]
    )
    assert slide.table[1][0][2] == "Publier les résultats"
    assert slide.table[1][0][5] == "proposée — en retard"
    [sheet] = [s for s in pack.build(db, quarter).sheets if s.name == "Recommandations"]
    assert [r[2] for r in sheet.rows] == ["Publier les résultats"]
    # a past quarter's pack is the same after it was recorded
    assert pack_text(db, "2022-T3") == past
    recommendations.set_recommendation_status(db, LEAD, rec, status="abandoned",
                                              reason="Remplacée par une autre")  # fmt: skip
    [slide] = [s for s in pack.build(db, quarter).slides if s.key == "recommendations"]
    assert slide.lines[0].startswith("0 recommandation(s) ouverte(s)")
    # closed this quarter: still on the slide this once, said closed
    assert slide.table[1][0][5] == "abandonnée"
