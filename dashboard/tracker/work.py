"""The work tree: phases, orientations and actions (their attributes; their status
lives in status events, see ``status``)."""

from __future__ import annotations

from dashboard.tracker import validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import WORK_ITEM, check_period, clean
from dashboard.tracker.records import Source, add_source, create, require_row, update_versioned


@write_service("contributeur", "créer une phase")
def create_phase(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    number: int,
    title: str,
    source: Source | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, WORK_ITEM)
    values["number"] = validate.integer(number, "Numéro de phase", low=1, high=99)
    check_period(values)
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        if cur.execute(
            "select 1 from phase where programme_id = $p and number = $n",
            {"p": values["programme_id"], "n": values["number"]},
        ).fetchone():
            raise ValidationError(f"La phase {values['number']} existe déjà dans ce programme.")
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "phase", values)


@write_service("contributeur", "créer une orientation")
def create_orientation(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    title: str,
    phase_id: int | None = None,
    source: Source | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, WORK_ITEM)
    check_period(values)
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        if phase_id is not None:
            phase = require_row(cur, "phase", phase_id, "Phase")
            if phase["programme_id"] != values["programme_id"]:
                raise ValidationError("La phase choisie appartient à un autre programme.")
            values["phase_id"] = phase["id"]
        values["position"] = cur.execute(
            "select coalesce(max(position), 0) + 1 from orientation where programme_id = $p",
            {"p": values["programme_id"]},
        ).fetchone()[0]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "orientation", values)


@write_service("contributeur", "créer une action")
def create_action(
    db: Database,
    actor: Actor,
    *,
    orientation_id: int,
    title: str,
    source: Source | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, WORK_ITEM)
    check_period(values)
    with db.transaction() as cur:
        values["orientation_id"] = require_row(cur, "orientation", orientation_id, "Orientation")[
            "id"
        ]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "action", values)


def _update(
    db: Database,
    actor: Actor,
    table: str,
    item_id: int,
    expected_version: int,
    changes: dict,
    field: str,
) -> dict:
    cleaned = clean(changes, WORK_ITEM)
    with db.transaction() as cur:
        current = require_row(cur, table, item_id, field)
        check_period({**current, **cleaned})
        return update_versioned(cur, actor, table, item_id, expected_version, cleaned, field=field)[
            1
        ]


@write_service("contributeur", "modifier une phase")
def update_phase(
    db: Database, actor: Actor, phase_id: int, *, expected_version: int, **changes
) -> dict:
    return _update(db, actor, "phase", phase_id, expected_version, changes, "Phase")


@write_service("contributeur", "modifier une orientation")
def update_orientation(
    db: Database, actor: Actor, orientation_id: int, *, expected_version: int, **changes
) -> dict:
    return _update(
        db, actor, "orientation", orientation_id, expected_version, changes, "Orientation"
    )


@write_service("contributeur", "modifier une action")
def update_action(
    db: Database, actor: Actor, action_id: int, *, expected_version: int, **changes
) -> dict:
    return _update(db, actor, "action", action_id, expected_version, changes, "Action")


@write_service("contributeur", "modifier des actions en lot")
def bulk_update_actions(db: Database, actor: Actor, rows: list[dict]) -> int:
    """Many actions at once, all or nothing: every row is checked first and the errors
    are listed per row (« ligne 12 : … »); nothing is written if any row fails.
    Each row: ``action_id``, ``expected_version`` and the fields to change."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValidationError("Saisie en lot mal formée : une liste de lignes est attendue.")
    errors, cleaned = [], []
    for number, row in enumerate(rows, start=1):
        changes = {k: v for k, v in row.items() if k not in ("action_id", "expected_version")}
        try:
            cleaned.append(
                (
                    number,
                    validate.identifier(row.get("action_id"), "Action"),
                    validate.integer(row.get("expected_version"), "version lue", low=1),
                    clean(changes, WORK_ITEM),
                )
            )
        except ValidationError as error:
            errors.append(f"ligne {number} : {error.message}")
    with db.transaction() as cur:
        for number, action_id, version, changes in cleaned:
            current = cur.execute(
                "select version, starts_on, ends_on from action where id = $i", {"i": action_id}
            ).fetchone()
            if current is None:
                errors.append(f"ligne {number} : l'action n° {action_id} n'existe pas.")
            elif current[0] != version:
                errors.append(
                    f"ligne {number} : l'action n° {action_id} a été modifiée par quelqu'un "
                    "d'autre depuis votre lecture."
                )
            else:
                try:
                    check_period({"starts_on": current[1], "ends_on": current[2], **changes})
                except ValidationError as error:
                    errors.append(f"ligne {number} : {error.message}")
        if errors:
            raise ValidationError("Rien n'a été enregistré. " + " ".join(errors))
        for _, action_id, version, changes in cleaned:
            if changes:
                update_versioned(cur, actor, "action", action_id, version, changes, field="Action")
    return sum(1 for *_, changes in cleaned if changes)
