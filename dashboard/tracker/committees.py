"""Committees (COPIL, COTECH), their meetings and the decisions taken there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from dashboard.tracker import fmt, status, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import Source, add_source, create, require_row, update_versioned


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
) -> int:
    values = {
        "kind": validate.choice(kind, fmt.COMMITTEE_KIND_LABELS, "Type de comité"),
        "name": validate.text(name, "Nom du comité"),
        "mandate": validate.text(mandate, "Mandat", required=False, max_len=validate.MAX_TEXT),
    }
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "committee", values)


@write_service("administrateur", "modifier un comité")
def update_committee(
    db: Database,
    actor: Actor,
    committee_id: int,
    *,
    expected_version: int,
    name: str | None = None,
    mandate: str | None = None,
) -> dict:
    changes = {}
    if name is not None:
        changes["name"] = validate.text(name, "Nom du comité")
    if mandate is not None:
        changes["mandate"] = validate.text(
            mandate, "Mandat", required=False, max_len=validate.MAX_TEXT
        )
    with db.transaction() as cur:
        return update_versioned(
            cur, actor, "committee", committee_id, expected_version, changes, field="Comité"
        )[1]


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
) -> int:
    """A meeting and its decisions, in one transaction. A decision that validates
    items moves each of them to ``validated``. A future date plans a meeting (no
    decisions yet)."""
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
        meeting_id = create(cur, actor, "meeting", values)
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
                validate.choice(item[0], fmt.ITEM_KIND_LABELS, "Type d'élément"),
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
        item = require_row(cur, status.ITEM_TABLES[kind], item_id, fmt.capitalize_first(kind))
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
        for kind, item_id in decision.items:
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
