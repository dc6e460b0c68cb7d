"""Status transitions: every pair allowed or refused, validation needs its decision,
progress rules, dates in order, and stale updates refused with who and when."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import committees, fmt, status, work
from dashboard.tracker.errors import ConflictError, NotFound, ValidationError
from tests.conftest import ADMIN, LEAD
from tests.helpers import (
    SINCE_2019,
    item_status_matches_the_log,
    rollup_drift,
    snapshot,
    start_phases,
)

STATUSES = ["planned", "in_progress", "delivered", "validated", "blocked", "cancelled"]
# written out by hand, not derived from the code under test
ALLOWED = {
    "planned": {"planned", "in_progress", "blocked", "cancelled"},
    "in_progress": {"in_progress", "delivered", "blocked", "cancelled"},
    "delivered": {"delivered", "validated", "blocked", "cancelled"},
    "validated": {"validated", "blocked", "cancelled"},
    "blocked": {"blocked", "in_progress", "cancelled"},
    "cancelled": {"cancelled", "blocked"},
}
DAY = dt.date(2024, 1, 10)


def new_action(db) -> int:
    return work.create_action(db, LEAD, orientation_id=1, title="Action de test", origin=SINCE_2019)


def put_in(db, action_id: int, current: str) -> int:
    """Bring the action to ``current`` (its first event may state any status)."""
    if current == "validated":
        status.change_status(
            db,
            LEAD,
            "action",
            action_id,
            to_status="delivered",
            seen_event_id=None,
            occurred_on=DAY,
        )
        validate_by_decision(db, action_id)
        return status.current_status(db, "action", action_id)["id"]
    return status.change_status(
        db, LEAD, "action", action_id, to_status=current, seen_event_id=None, occurred_on=DAY
    )


def validate_by_decision(db, action_id: int) -> int:
    """A meeting whose decision validates the action: one transaction, all or nothing."""
    return committees.record_meeting(
        db,
        LEAD,
        committee_id=1,
        held_on=DAY,
        decisions=[
            committees.DecisionInput("validates", "Action validée", [("action", action_id)])
        ],
    )


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_transition(db, current, target):
    action = new_action(db)
    seen = put_in(db, action, current)
    before = snapshot(db)
    allowed = target in ALLOWED[current]
    if target == "validated":
        if allowed:
            validate_by_decision(db, action)
        else:
            with pytest.raises(ValidationError, match="non autorisé"):
                validate_by_decision(db, action)
    elif allowed:
        # re-stating the current status records a note: it must bring something new
        note = "Point d'étape" if target == current else None
        status.change_status(
            db, LEAD, "action", action, to_status=target, seen_event_id=seen, comment=note
        )
    else:
        with pytest.raises(ValidationError, match="non autorisé"):
            status.change_status(db, LEAD, "action", action, to_status=target, seen_event_id=seen)
    latest = status.current_status(db, "action", action)
    assert item_status_matches_the_log(db)
    assert rollup_drift(db) == []
    if allowed:
        assert latest["to_status"] == target
    else:
        assert latest["to_status"] == current
        assert snapshot(db) == before


def test_allowed_targets_match_the_rules():
    for current, targets in ALLOWED.items():
        assert set(status.allowed_targets(current)) == targets
    assert status.allowed_targets(None) == STATUSES


def test_validated_needs_a_decision(db):
    action = new_action(db)
    seen = put_in(db, action, "delivered")
    with pytest.raises(ValidationError, match="décision"):
        status.change_status(db, LEAD, "action", action, to_status="validated", seen_event_id=seen)
    # a decision that does not validate this item is not enough
    meeting = committees.record_meeting(db, LEAD, committee_id=1, held_on=DAY)
    other = committees.add_decision(
        db,
        LEAD,
        meeting_id=meeting,
        decision=committees.DecisionInput("presents", "Présentation", [("action", action)]),
    )
    with pytest.raises(ValidationError, match="ne valide pas"):
        status.change_status(
            db, LEAD, "action", action, to_status="validated", seen_event_id=seen, decision_id=other
        )
    assert status.current_status(db, "action", action)["to_status"] == "delivered"


def test_validating_decision_moves_items_in_the_same_transaction(db):
    action = new_action(db)
    put_in(db, action, "in_progress")  # not delivered: the validation must be refused
    before = snapshot(db)
    with pytest.raises(ValidationError):
        committees.record_meeting(
            db,
            LEAD,
            committee_id=1,
            held_on=DAY,
            decisions=[committees.DecisionInput("validates", "Validation", [("action", action)])],
        )
    assert snapshot(db) == before  # neither the meeting nor the decision was written


def test_progress_rules(db):
    action = new_action(db)
    seen = put_in(db, action, "in_progress")
    with pytest.raises(ValidationError, match="entre 0 et 100"):
        status.change_status(
            db, LEAD, "action", action, to_status="in_progress", seen_event_id=seen, progress=101
        )
    with pytest.raises(ValidationError, match="100 %"):
        status.change_status(
            db, LEAD, "action", action, to_status="delivered", seen_event_id=seen, progress=60
        )
    event = status.change_status(
        db,
        LEAD,
        "action",
        action,
        to_status="in_progress",
        seen_event_id=seen,
        progress=60,
        comment="Point d'étape",
    )
    history = db.records("status_history", item_kind="action", item_id=action)
    assert [(h["to_status"], h["progress"]) for h in history] == [
        ("in_progress", None),
        ("in_progress", 60),
    ]
    assert history[-1]["event_id"] == event


def test_dates_in_order_and_not_in_the_future(db):
    action = new_action(db)
    seen = put_in(db, action, "planned")
    with pytest.raises(ValidationError, match="précède"):
        status.change_status(
            db,
            LEAD,
            "action",
            action,
            to_status="in_progress",
            seen_event_id=seen,
            occurred_on=DAY - dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="futur"):
        status.change_status(
            db,
            LEAD,
            "action",
            action,
            to_status="in_progress",
            seen_event_id=seen,
            occurred_on=dt.date.today() + dt.timedelta(days=1),
        )


def test_an_event_that_changes_nothing_is_refused(db):
    action = new_action(db)
    seen = status.change_status(db, LEAD, "action", action, to_status="in_progress",
                                seen_event_id=None, progress=30)  # fmt: skip
    before = snapshot(db)
    for progress in (None, 30):
        with pytest.raises(ValidationError, match="Rien à enregistrer"):
            status.change_status(db, LEAD, "action", action, to_status="in_progress",
                                 seen_event_id=seen, progress=progress)  # fmt: skip
    assert snapshot(db) == before
    # a new progress alone is an event
    status.change_status(db, LEAD, "action", action, to_status="in_progress",
                         seen_event_id=seen, progress=45)  # fmt: skip
    assert status.current_status(db, "action", action)["progress"] == 45


def test_stale_status_update_names_who_and_when(db):
    start_phases(db, 2)
    latest = status.current_status(db, "phase", 2)
    status.change_status(
        db, ADMIN, "phase", 2, to_status="in_progress", seen_event_id=latest["id"], progress=50
    )
    before = snapshot(db)
    with pytest.raises(ConflictError) as caught:
        status.change_status(db, LEAD, "phase", 2, to_status="blocked", seen_event_id=latest["id"])
    assert "Admin Test" in caught.value.message
    winner = status.current_status(db, "phase", 2)
    assert fmt.datetime_fr(winner["recorded_at"]) in caught.value.message
    assert caught.value.current["progress"] == 50
    assert snapshot(db) == before


def test_unknown_item_or_status(db):
    before = snapshot(db)
    with pytest.raises(NotFound, match="n° 999 n'existe pas"):
        status.change_status(db, LEAD, "phase", 999, to_status="planned", seen_event_id=None)
    with pytest.raises(ValidationError, match="Statut"):
        status.change_status(db, LEAD, "phase", 2, to_status="fini", seen_event_id=None)
    with pytest.raises(ValidationError, match="Type d'élément"):
        status.change_status(db, LEAD, "programme", 1, to_status="planned", seen_event_id=None)
    assert snapshot(db) == before


def test_status_labels_can_be_given_in_french(db):
    action = new_action(db)
    status.change_status(db, LEAD, "action", action, to_status="en cours", seen_event_id=None)
    assert status.current_status(db, "action", action)["to_status"] == "in_progress"


def test_a_future_meeting_is_planned_without_decisions(db):
    future = dt.date.today() + dt.timedelta(days=30)
    meeting = committees.record_meeting(db, LEAD, committee_id=2, held_on=future, place="Marseille")
    assert db.scalar("select held_on from meeting where id = $i", {"i": meeting}) == future
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        committees.add_decision(
            db, LEAD, meeting_id=meeting, decision=committees.DecisionInput("other", "Trop tôt")
        )
