"""Committees (COPIL, COTECH), their meetings and the decisions taken there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from dashboard.tracker import fmt, status, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import (
    add_source,
    archive_service,
    cancel,
    create,
    require_row,
    update_service,
    update_versioned,
)


@dataclass(frozen=True)
class DecisionInput:
    """A decision to record: its kind, its text and the items it concerns."""

    kind: str
    text: str
    items: list[tuple[str, int]] = field(default_factory=list)
    source: Source | None = None


@write_service("administrateur", "créer un comité")
def create_committee(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    kind: str,
    name: str,
    mandate: str | None = None,
    source: Source | None = None,
    origin: Origin | None = None,
) -> int:
    values = clean({"kind": kind, "name": name, "mandate": mandate}, COMMITTEE_FIELDS)
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "committee", values, origin=origin)


COMMITTEE_FIELDS: Spec = {
    "kind": lambda v: validate.choice(v, fmt.COMMITTEE_KIND_LABELS, "Type de comité"),
    "name": lambda v: validate.text(v, "Nom du comité"),
    "mandate": lambda v: validate.text(v, "Mandat", required=False, max_len=validate.MAX_TEXT),
}


update_committee = update_service(
    "committee",
    "administrateur",
    "modifier un comité",
    "update_committee",
    fields=COMMITTEE_FIELDS,
    field="Comité",
)


archive_committee = archive_service(
    "committee", "administrateur", "archiver un comité", "archive_committee", field="Comité"
)


@write_service("contributeur", "enregistrer une réunion")
def record_meeting(
    db: Database,
    actor: Actor,
    *,
    committee_id: int,
    held_on: dt.date | str,
    place: str | None = None,
    attendees: str | None = None,
    minutes: str | None = None,
    decisions: list[DecisionInput] = (),
    source: Source | None = None,
    origin: Origin | None = None,
) -> int:
    """A meeting and its decisions, in one transaction. A decision that validates
    items moves each of them to ``validated``. A future date plans a meeting (no
    decisions yet). ``origin``: the act that makes it known, when only an act does (it
    is then known from that act's start)."""
    values = {
        "held_on": validate.date(held_on, "Date de la réunion"),
        "place": validate.text(place, "Lieu", required=False, max_len=200),
        "attendees": validate.text(
            attendees, "Participants", required=False, max_len=validate.MAX_TEXT
        ),
        "minutes": validate.text(
            minutes, "Compte rendu", required=False, max_len=validate.MAX_TEXT
        ),
    }
    cleaned = [_clean_decision(d) for d in decisions]
    if values["held_on"] > dt.date.today() and cleaned:
        raise ValidationError(
            f"La réunion du {fmt.date_fr(values['held_on'])} n'a pas encore eu lieu : on peut la "
            "prévoir, mais ses décisions s'enregistrent une fois la séance tenue."
        )
    with db.transaction() as cur:
        committee = require_row(cur, "committee", committee_id, "Comité")
        values.update(
            committee_id=committee["id"],
            source_id=add_source(cur, source),
            recorded_by=actor.name,
            recorded_at=utcnow(),
        )
        meeting_id = create(cur, actor, "meeting", values, origin=origin)
        for decision in cleaned:
            _insert_decision(
                db, cur, actor, meeting_id, committee["programme_id"], values["held_on"], decision
            )
        return meeting_id


@write_service("contributeur", "enregistrer une décision")
def add_decision(db: Database, actor: Actor, *, meeting_id: int, decision: DecisionInput) -> int:
    cleaned = _clean_decision(decision)
    with db.transaction() as cur:
        meeting = require_row(cur, "meeting", meeting_id, "Réunion")
        if meeting["held_on"] > dt.date.today():
            raise ValidationError(
                f"La réunion du {fmt.date_fr(meeting['held_on'])} n'a pas encore eu lieu : "
                "ses décisions s'enregistrent une fois la séance tenue."
            )
        committee = require_row(cur, "committee", meeting["committee_id"], "Comité")
        return _insert_decision(
            db, cur, actor, meeting["id"], committee["programme_id"], meeting["held_on"], cleaned
        )


def _clean_decision(decision: object) -> DecisionInput:
    if not isinstance(decision, DecisionInput):
        raise ValidationError("Décision mal formée.")
    kind = validate.choice(decision.kind, fmt.DECISION_KIND_LABELS, "Type de décision")
    text = validate.text(decision.text, "Texte de la décision", max_len=validate.MAX_TEXT)
    items = []
    for item in decision.items:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise ValidationError("Chaque élément concerné est un couple (type, identifiant).")
        items.append(
            (
                validate.choice(item[0], fmt.DECISION_ITEM_LABELS, "Type d'élément"),
                validate.identifier(item[1], "Élément concerné"),
            )
        )
    if len(set(items)) != len(items):
        raise ValidationError("Un même élément est cité deux fois dans la décision.")
    if kind == "validates" and not items:
        raise ValidationError("Une décision de validation indique les éléments qu'elle valide.")
    return DecisionInput(kind, text, items, decision.source)


def _insert_decision(
    db: Database,
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    programme_id: int,
    held_on: dt.date,
    decision: DecisionInput,
) -> int:
    for kind, item_id in decision.items:
        table = status.ITEM_TABLES.get(kind, "deliverable")
        item = require_row(
            cur, table, item_id, fmt.capitalize_first(fmt.DECISION_ITEM_LABELS[kind])
        )
        owner = item.get("programme_id")
        if owner is None:  # an action: its orientation says the programme
            owner = require_row(cur, "orientation", item["orientation_id"], "Orientation")[
                "programme_id"
            ]
        if owner != programme_id:
            raise ValidationError(
                f"{fmt.capitalize_first(kind)} n° {item_id} n'appartient pas au "
                "programme de ce comité."
            )
    decision_id = create(
        cur,
        actor,
        "decision",
        {
            "meeting_id": meeting_id,
            "kind": decision.kind,
            "text": decision.text,
            "source_id": add_source(cur, decision.source),
            "recorded_by": actor.name,
            "recorded_at": utcnow(),
        },
    )
    for kind, item_id in decision.items:
        create(
            cur,
            actor,
            "decision_item",
            {"decision_id": decision_id, "item_kind": kind, "item_id": item_id},
        )
    if decision.kind == "validates":
        # a deliverable's « validé » is read from the decision itself (deliverables.sql)
        for kind, item_id in [i for i in decision.items if i[0] in status.ITEM_TABLES]:
            latest = status.latest_event(cur, kind, item_id)
            status.change_status(
                db,
                actor,
                kind,
                item_id,
                to_status="validated",
                seen_event_id=latest["id"] if latest else None,
                occurred_on=held_on,
                decision_id=decision_id,
                comment=f"Validé par la décision n° {decision_id}",
            )
    return decision_id


MEETING_FIELDS: Spec = {
    "held_on": lambda v: validate.date(v, "Date de la réunion"),
    "place": lambda v: validate.text(v, "Lieu", required=False, max_len=200),
    "attendees": lambda v: validate.text(
        v, "Participants", required=False, max_len=validate.MAX_TEXT
    ),
    "minutes": lambda v: validate.text(
        v, "Compte rendu", required=False, max_len=validate.MAX_TEXT
    ),
}


@write_service("contributeur", "corriger une réunion")
def update_meeting(
    db: Database,
    actor: Actor,
    meeting_id: int,
    *,
    expected_version: int,
    reason: str,
    **changes,
) -> dict:
    """Correct a recorded meeting (its date, place, attendees, minutes), with a reason."""
    cleaned = clean(changes, MEETING_FIELDS)
    why = validate.text(reason, "Motif de la correction", max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        meeting = require_row(cur, "meeting", meeting_id, "Réunion")
        new_date = cleaned.get("held_on", meeting["held_on"])
        if new_date > dt.date.today() and _live_decisions(cur, meeting["id"]):
            raise ValidationError(
                "Cette réunion a des décisions : sa date ne peut pas passer dans le futur."
            )
        return update_versioned(
            cur, actor, "meeting", meeting_id, expected_version, cleaned, field="Réunion",
            reason=why,
        )[1]  # fmt: skip


def _live_decisions(cur, meeting_id: int) -> list[dict]:
    result = cur.execute(
        "select * from decision where meeting_id = $m and cancelled_at is null order by id",
        {"m": meeting_id},
    )
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


@write_service("contributeur", "annuler une réunion saisie par erreur")
def cancel_meeting(
    db: Database, actor: Actor, meeting_id: int, *, expected_version: int, reason: str
) -> dict:
    """A meeting recorded by mistake (or that did not take place), with its decisions:
    the items its decisions validated go back to their status before it."""
    with db.transaction() as cur:
        meeting = require_row(cur, "meeting", meeting_id, "Réunion")
        for decision in _live_decisions(cur, meeting["id"]):
            _revert_validations(db, cur, actor, decision, reason)
            cancel(cur, actor, "decision", decision["id"], decision["version"],
                   f"Réunion annulée : {reason}", field="Décision")  # fmt: skip
        return cancel(cur, actor, "meeting", meeting_id, expected_version, reason, field="Réunion")


@write_service("contributeur", "corriger une décision")
def update_decision(
    db: Database,
    actor: Actor,
    decision_id: int,
    *,
    expected_version: int,
    text: str,
    reason: str,
) -> dict:
    """Correct the wording of a decision (its nature and the items it concerns are
    corrected by cancelling it and recording it again)."""
    clean_text = validate.text(text, "Texte de la décision", max_len=validate.MAX_TEXT)
    why = validate.text(reason, "Motif de la correction", max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        return update_versioned(
            cur, actor, "decision", decision_id, expected_version, {"text": clean_text},
            field="Décision", reason=why,
        )[1]  # fmt: skip


@write_service("contributeur", "annuler une décision saisie par erreur")
def cancel_decision(
    db: Database, actor: Actor, decision_id: int, *, expected_version: int, reason: str
) -> dict:
    with db.transaction() as cur:
        decision = require_row(cur, "decision", decision_id, "Décision")
        _revert_validations(db, cur, actor, decision, reason)
        return cancel(
            cur, actor, "decision", decision_id, expected_version, reason, field="Décision"
        )


def _revert_validations(
    db: Database, cur: duckdb.DuckDBPyConnection, actor: Actor, decision: dict, reason: object
) -> None:
    """The items a cancelled decision validated go back to their status before it, by
    a new event (the log is never rewritten). Refused if an item changed since."""
    events = cur.execute(
        "select id, item_kind, item_id, from_status, occurred_on from status_event"
        " where decision_id = $d and to_status = 'validated' order by id",
        {"d": decision["id"]},
    ).fetchall()
    for event_id, kind, item_id, from_status, occurred_on in events:
        latest = status.latest_event(cur, kind, item_id)
        if from_status is None:
            raise ValidationError(
                f"{fmt.capitalize_first(kind)} n° {item_id} n'avait aucun statut avant d'être "
                "validé(e) par cette décision : son statut ne peut pas revenir à « non "
                "renseigné ». Rien n'a été enregistré."
            )
        if latest["id"] != event_id:
            raise ValidationError(
                f"{fmt.capitalize_first(kind)} n° {item_id} a changé de statut depuis cette "
                "décision : corrigez d'abord ce changement. Rien n'a été enregistré."
            )
        status.revert(cur, actor, kind, item_id, from_status, occurred_on,
                      f"Décision n° {decision['id']} annulée : {reason}")  # fmt: skip


def programme_decision(cur, programme_id: int, decision_id: object, *, missing: str) -> dict:
    """A live decision of a committee of ``programme_id`` ({id, held_on}), or a French
    refusal: ``missing`` when none is chosen, else why this one cannot be used."""
    if decision_id in (None, ""):
        raise ValidationError(missing)
    found = cur.execute(
        "select d.id, m.held_on, c.programme_id, d.cancelled_at from decision d"
        " join meeting m on m.id = d.meeting_id join committee c on c.id = m.committee_id"
        " where d.id = $d", {"d": validate.identifier(decision_id, "Décision")},
    ).fetchone()  # fmt: skip
    if found is None or found[3] is not None:
        raise ValidationError("Décision introuvable (ou annulée).")
    if found[2] != programme_id:
        raise ValidationError("La décision choisie est celle d'un comité d'un autre programme.")
    return {"id": found[0], "held_on": found[1]}
