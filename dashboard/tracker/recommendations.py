"""Recommendations: each stems from an evaluative question, has an owner (an
organisation or a person) and a due date, and a status recorded as events — « proposée »
when recorded, « retenue » by a committee decision (the decision is the record, like a
gate), « en cours », « mise en œuvre » with its evidence, « abandonnée » with the reason.
Once implemented or abandoned it is closed. Open ones are on the overview and in every
quarterly pack; late ones among the alerts. A view « au » a date reads the events dated
and recorded by then, so that recording today never changes a past pack."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import committees, fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.records import (
    add_source,
    cancel_service,
    create,
    require_row,
    update_versioned,
)

#: what a status may become (implemented and abandoned close the recommendation)
NEXT = {
    "proposed": ("adopted", "abandoned"),
    "adopted": ("in_progress", "implemented", "abandoned"),
    "in_progress": ("implemented", "abandoned"),
    "implemented": (),
    "abandoned": (),
}
CLOSED = ("implemented", "abandoned")

FIELDS: Spec = {
    "text": lambda v: validate.text(v, "Recommandation", max_len=validate.MAX_TEXT),
    "due_on": lambda v: validate.date(v, "Échéance"),
}


def _owner(cur, programme_id: int, organisation_id: object, person_id: object) -> dict:
    if organisation_id in (None, "") and person_id in (None, ""):
        raise ValidationError(
            "Une recommandation a un responsable : une organisation ou une personne."
        )
    owner = {"owner_organisation_id": None, "owner_person_id": None}
    if organisation_id not in (None, ""):
        owner["owner_organisation_id"] = require_row(
            cur, "organisation", organisation_id, "Organisation responsable")["id"]  # fmt: skip
    if person_id not in (None, ""):
        owner["owner_person_id"] = require_row(
            cur, "person", person_id, "Personne responsable")["id"]  # fmt: skip
    return owner


def _question(cur, programme_id: int, question_id: object) -> dict:
    question = require_row(cur, "eval_question", question_id, "Question évaluative")
    if question["programme_id"] != programme_id:
        raise ValidationError("La question choisie appartient à un autre programme.")
    if question.get("archived_on") is not None:
        raise ValidationError("La question choisie est archivée.")
    return question


@write_service("contributeur", "proposer une recommandation")
def create_recommendation(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    question_id: int,
    text: str,
    due_on: object,
    owner_organisation_id: int | None = None,
    owner_person_id: int | None = None,
    proposed_on: object = None,
    source: Source | None = None,
    criterion_judgement_id: int | None = None,
) -> int:
    """A recommendation that stems from ``question_id``, « proposée » from
    ``proposed_on`` (the report or meeting that proposed it; today by default), and
    possibly from one judged criterion of that question's answer. A view of an earlier
    date does not show it: it is known from the day it is recorded."""
    values = clean({"text": text, "due_on": due_on}, FIELDS)
    proposed = validate.date(proposed_on, "Proposée le", required=False) or dt.date.today()
    if proposed > dt.date.today():
        raise ValidationError("Une recommandation se dit proposée au plus tard aujourd'hui.")
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        question = _question(cur, programme["id"], question_id)
        values.update(
            programme_id=programme["id"], question_id=question["id"],
            source_id=add_source(cur, source),
            criterion_judgement_id=_judged(cur, question["id"], criterion_judgement_id),
            **_owner(cur, programme["id"], owner_organisation_id, owner_person_id),
        )  # fmt: skip
        new_id = create(cur, actor, "recommendation", values)
        _event(cur, actor, new_id, "proposed", proposed)
        return new_id


@write_service("contributeur", "corriger une recommandation")
def update_recommendation(
    db: Database,
    actor: Actor,
    recommendation_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    owner_organisation_id: object = ...,
    owner_person_id: object = ...,
    **changes,
) -> dict:
    """Correct its text, due date or owner (audited, with the reason)."""
    cleaned = clean(changes, FIELDS)
    with db.transaction() as cur:
        row = require_row(cur, "recommendation", recommendation_id, "Recommandation")
        if owner_organisation_id is not ... or owner_person_id is not ...:
            cleaned.update(_owner(
                cur, row["programme_id"],
                row["owner_organisation_id"] if owner_organisation_id is ... else owner_organisation_id,
                row["owner_person_id"] if owner_person_id is ... else owner_person_id,
            ))  # fmt: skip
        return update_versioned(
            cur, actor, "recommendation", recommendation_id, expected_version, cleaned,
            field="Recommandation", reason=reason,
        )[1]  # fmt: skip


@write_service("contributeur", "changer l'état d'une recommandation")
def set_recommendation_status(
    db: Database,
    actor: Actor,
    recommendation_id: int,
    *,
    status: str,
    occurred_on: object = None,
    decision_id: int | None = None,
    evidence: str | None = None,
    reason: str | None = None,
) -> int:
    """A new status event. « Retenue » rests on a committee decision of its programme
    (dated by its meeting); « mise en œuvre » says its evidence; « abandonnée » its
    reason; a closed recommendation does not change again."""
    new = validate.choice(status, fmt.RECOMMENDATION_STATUS_LABELS, "État de la recommandation")
    proof = validate.text(evidence, "Preuve de la mise en œuvre", required=new == "implemented",
                          max_len=validate.MAX_TEXT)  # fmt: skip
    why = validate.text(reason, "Motif de l'abandon", required=new == "abandoned",
                        max_len=validate.MAX_TEXT)  # fmt: skip
    with db.transaction() as cur:
        row = require_row(cur, "recommendation", recommendation_id, "Recommandation")
        if row["cancelled_at"] is not None:
            raise ValidationError("Cette recommandation a été annulée (saisie par erreur).")
        current, since = cur.execute(
            "select arg_max(status, id), max(occurred_on) from recommendation_event"
            " where recommendation_id = $r", {"r": row["id"]},
        ).fetchone()  # fmt: skip
        if new not in NEXT[current]:
            allowed = ", ".join(f"« {fmt.RECOMMENDATION_STATUS_LABELS[s]} »" for s in NEXT[current])
            raise ValidationError(
                f"Une recommandation « {fmt.RECOMMENDATION_STATUS_LABELS[current]} » ne peut "
                f"pas devenir « {fmt.RECOMMENDATION_STATUS_LABELS[new]} »"
                + (f" : elle peut devenir {allowed}." if allowed else " : elle est close.")
            )
        when = validate.date(occurred_on, "Date", required=False) or dt.date.today()
        decision = None
        if new == "adopted":
            decision = _decision(cur, row["programme_id"], decision_id)
            when = decision["held_on"]
        elif decision_id not in (None, ""):
            decision = _decision(cur, row["programme_id"], decision_id)
        if when > dt.date.today():
            raise ValidationError("Un changement d'état se date au plus tard aujourd'hui.")
        if when < since:
            raise ValidationError(
                f"Ce changement serait daté du {fmt.date_fr(when)}, avant l'état précédent "
                f"({fmt.date_fr(since)})."
            )
        return _event(cur, actor, row["id"], new, when,
                      decision_id=decision["id"] if decision else None, evidence=proof,
                      reason=why)  # fmt: skip


def _judged(cur, question_id: int, criterion_judgement_id: object) -> int | None:
    if criterion_judgement_id in (None, ""):
        return None
    judged = require_row(cur, "criterion_judgement", criterion_judgement_id, "Jugement")
    found = cur.execute(
        "select question_id from judgement where id = $j", {"j": judged["judgement_id"]}
    ).fetchone()  # fmt: skip
    if judged["cancelled_at"] is not None or found[0] != question_id:
        raise ValidationError(
            "Le jugement choisi n'est pas un jugement en vigueur de cette question."
        )
    return judged["id"]


def _decision(cur, programme_id: int, decision_id: object) -> dict:
    return committees.programme_decision(
        cur, programme_id, decision_id,
        missing="Une recommandation est retenue par une décision de comité : choisissez-la.",
    )  # fmt: skip


def _event(cur, actor: Actor, recommendation_id: int, status: str, on: dt.date,
           **facts) -> int:  # fmt: skip
    return create(cur, actor, "recommendation_event", {
        "recommendation_id": recommendation_id, "status": status, "occurred_on": on,
        **facts, "recorded_by": actor.name, "recorded_at": utcnow(),
    })  # fmt: skip


cancel_recommendation = cancel_service(
    "recommendation", "contributeur", "annuler une recommandation saisie par erreur",
    "cancel_recommendation", field="Recommandation",
)  # fmt: skip


def state_label(row: dict) -> str:
    """« retenue le 4 décembre 2025 — en retard »: a recommendation's state as every view
    says it (a row of the ``recommendations`` read)."""
    label = fmt.RECOMMENDATION_STATUS_LABELS[row["status"]]
    if row["status"] == "adopted" and row["decision_on"]:
        label += f" le {fmt.date_fr(row['decision_on'])}"
    return label + (" — en retard" if row["late"] else "")


def recommendations(db: Database, programme_code: str | None, as_of: dt.date) -> list[dict]:
    """Each recommendation known at ``as_of``, with its status then and whether it is late."""
    return db.records("recommendations", programme_code=programme_code, as_of=as_of)
