"""Deliverables (rapport, note, atelier, présentation, autre) of a phase, an
orientation or an action: planned and actual dates, and a status that is only what
the record establishes: « prévu », « remis » once its delivery date is recorded,
« validé » when a recorded decision of a committee validates it."""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import (
    add_source,
    archive_service,
    create,
    require_row,
    update_versioned,
)
from dashboard.tracker.territories import set_tags

DELIVERABLE_FIELDS: Spec = {
    "kind": lambda v: validate.choice(v, fmt.DELIVERABLE_KIND_LABELS, "Type de livrable"),
    "title": lambda v: validate.text(v, "Titre"),
    "planned_on": lambda v: validate.date(v, "Date prévue", required=False),
    "delivered_on": lambda v: validate.date(v, "Date de remise", required=False),
    "description": lambda v: validate.text(v, "Description", required=False,
                                           max_len=validate.MAX_TEXT),
    "phase_id": lambda v: None if v in (None, "") else validate.identifier(v, "Phase"),
    "orientation_id": lambda v: None if v in (None, "") else validate.identifier(v, "Orientation"),
    "action_id": lambda v: None if v in (None, "") else validate.identifier(v, "Action"),
}  # fmt: skip
_OWNERS = {"phase_id": "phase", "orientation_id": "orientation", "action_id": "action"}


def _check(cur: duckdb.DuckDBPyConnection, programme_id: int, values: dict) -> None:
    owners = [k for k in _OWNERS if values.get(k) is not None]
    if len(owners) != 1:
        raise ValidationError(
            "Un livrable appartient à une phase, ou à une orientation, ou à une action : "
            "choisissez-en une, et une seule."
        )
    row = require_row(cur, _OWNERS[owners[0]], values[owners[0]], "Rattachement")
    if row["programme_id"] != programme_id:
        raise ValidationError("Le rattachement choisi appartient à un autre programme.")
    delivered = values.get("delivered_on")
    if delivered is not None and delivered > dt.date.today():
        raise ValidationError(
            f"La date de remise ({fmt.date_fr(delivered)}) est dans le futur : un livrable est "
            "remis quand il l'a été. Indiquez sa date prévue."
        )


@write_service("contributeur", "créer un livrable")
def create_deliverable(
    db: Database, actor: Actor, *, programme_id: int, territory_ids: list[int] = (),
    source: Source | None = None, origin: Origin | None = None, **fields,
) -> int:  # fmt: skip
    values = clean(fields, DELIVERABLE_FIELDS)
    for required in ("kind", "title"):
        if values.get(required) is None:
            DELIVERABLE_FIELDS[required](None)
    wanted = [validate.identifier(t, "Territoire") for t in territory_ids]
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        _check(cur, programme["id"], values)
        for territory_id in wanted:
            require_row(cur, "territory", territory_id, "Territoire")
        values.update(programme_id=programme["id"], source_id=add_source(cur, source))
        deliverable_id = create(cur, actor, "deliverable", values, origin=origin)
        if wanted:
            set_tags(cur, actor, "deliverable", deliverable_id, wanted)
        return deliverable_id


@write_service("contributeur", "modifier un livrable")
def update_deliverable(
    db: Database, actor: Actor, deliverable_id: int, *, expected_version: int,
    reason: str | None = None, **changes,
) -> dict:  # fmt: skip
    """Change a deliverable: its dates (record its delivery), title, what it belongs to."""
    cleaned = clean(changes, DELIVERABLE_FIELDS)
    with db.transaction() as cur:
        row = require_row(cur, "deliverable", deliverable_id, "Livrable")
        merged = {**row, **cleaned}
        if any(cleaned.get(k) is not None for k in _OWNERS):
            cleaned.update({k: cleaned.get(k) for k in _OWNERS})
            merged.update({k: cleaned[k] for k in _OWNERS})
        _check(cur, row["programme_id"], merged)
        return update_versioned(cur, actor, "deliverable", deliverable_id, expected_version,
                                cleaned, field="Livrable", reason=reason)[1]  # fmt: skip


archive_deliverable = archive_service(
    "deliverable", "contributeur", "archiver un livrable", "archive_deliverable", field="Livrable"
)


def deliverables(db: Database, programme_code: str | None, as_of: dt.date) -> list[dict]:
    return db.records("deliverables", programme_code=programme_code, as_of=as_of)
