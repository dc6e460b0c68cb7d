"""The work tree: phases, orientations and actions (their attributes; their status
lives in status events, see ``status``)."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt, rollups, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import WORK_ITEM, check_period, clean
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import (
    add_source,
    archive,
    audit_many,
    create,
    replace_links,
    require_row,
    update_versioned,
)


@write_service("contributeur", "créer une phase")
def create_phase(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    number: int,
    title: str,
    source: Source | None = None,
    origin: Origin | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, WORK_ITEM)
    values["number"] = validate.integer(number, "Numéro de phase", low=1, high=99)
    check_period(values)
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        _live(programme, "Le programme")
        values["programme_id"] = programme["id"]
        if cur.execute(
            "select 1 from phase where programme_id = $p and number = $n",
            {"p": values["programme_id"], "n": values["number"]},
        ).fetchone():
            raise ValidationError(f"La phase {values['number']} existe déjà dans ce programme.")
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "phase", values, origin=origin)


@write_service("contributeur", "créer une orientation")
def create_orientation(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    title: str,
    phase_id: int | None = None,
    source: Source | None = None,
    origin: Origin | None = None,
    **fields,
) -> int:
    values = clean({"title": title, **fields}, WORK_ITEM)
    check_period(values)
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        _live(programme, "Le programme")
        values["programme_id"] = programme["id"]
        if phase_id is not None:
            phase = require_row(cur, "phase", phase_id, "Phase")
            _live(phase, "La phase")
            if phase["programme_id"] != values["programme_id"]:
                raise ValidationError("La phase choisie appartient à un autre programme.")
            values["phase_id"] = phase["id"]
        values["position"] = cur.execute(
            "select coalesce(max(position), 0) + 1 from orientation where programme_id = $p",
            {"p": values["programme_id"]},
        ).fetchone()[0]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "orientation", values, origin=origin)


@write_service("contributeur", "créer une action")
def create_action(
    db: Database,
    actor: Actor,
    *,
    title: str,
    orientation_id: int | None = None,
    phase_id: int | None = None,
    programme_id: int | None = None,
    source: Source | None = None,
    origin: Origin | None = None,
    **fields,
) -> int:
    """An action under an orientation, or directly under a phase or a programme when the
    act names no orientation: exactly one parent is given, the others follow from it."""
    values = clean({"title": title, **fields}, WORK_ITEM)
    check_period(values)
    given = [x for x in (orientation_id, phase_id, programme_id) if x is not None]
    if len(given) != 1:
        raise ValidationError(
            "Une action se rattache à une orientation, une phase ou un programme : "
            "choisissez-en un (et un seul)."
        )
    with db.transaction() as cur:
        values.update(_parent(cur, orientation_id, phase_id, programme_id))
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "action", values, origin=origin)


def _parent(cur, orientation_id: object, phase_id: object, programme_id: object) -> dict:
    if orientation_id is not None:
        orientation = require_row(cur, "orientation", orientation_id, "Orientation")
        _live(orientation, "L'orientation")
        return {
            "orientation_id": orientation["id"],
            "phase_id": orientation["phase_id"],
            "programme_id": orientation["programme_id"],
        }
    if phase_id is not None:
        phase = require_row(cur, "phase", phase_id, "Phase")
        _live(phase, "La phase")
        return {"phase_id": phase["id"], "programme_id": phase["programme_id"]}
    programme = require_row(cur, "programme", programme_id, "Programme")
    _live(programme, "Le programme")
    return {"programme_id": programme["id"]}


def _live(row: dict, label: str) -> None:
    if row.get("archived_on") is not None:
        raise ValidationError(
            f"{label} « {row['title'][:60]} » est archivé(e) depuis le "
            f"{fmt.date_fr(row['archived_on'])} : on n'y ajoute plus rien."
        )


def _update(
    db: Database,
    actor: Actor,
    table: str,
    item_id: int,
    expected_version: int,
    changes: dict,
    field: str,
) -> dict:
    reason = changes.pop("reason", None)
    cleaned = clean(changes, WORK_ITEM)
    with db.transaction() as cur:
        current = require_row(cur, table, item_id, field)
        check_period({**current, **cleaned})
        return update_versioned(
            cur, actor, table, item_id, expected_version, cleaned, field=field, reason=reason
        )[1]


@write_service("contributeur", "archiver un élément")
def archive_item(
    db: Database,
    actor: Actor,
    item_kind: str,
    item_id: int,
    *,
    expected_version: int,
    archived_on: object,
    reason: str,
) -> dict:
    """Take a phase, an orientation or an action out of the current views from
    ``archived_on`` (kept in its history and in « état au » views before that date);
    ``archived_on=None`` brings it back. Nothing with history is deleted."""
    kind = validate.choice(item_kind, fmt.ITEM_KIND_LABELS, "Type d'élément")
    when = validate.date(archived_on, "Date d'archivage", required=False)
    if when is not None and when > dt.date.today():
        raise ValidationError(f"La date d'archivage ({fmt.date_fr(when)}) est dans le futur.")
    with db.transaction() as cur:
        return archive(
            cur, actor, kind, item_id, expected_version, when, reason,
            field=fmt.capitalize_first(fmt.ITEM_KIND_LABELS[kind]),
        )  # fmt: skip


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


@write_service("contributeur", "dire les axes d'une action")
def set_action_axes(db: Database, actor: Actor, action_id: int, *, axes: list[str]) -> list[str]:
    """The « axes » or « piliers » of the contrat de ville an action carries, as the act
    names them (none: it carries none); the ones removed are cancelled, kept in the
    audit. The axes after, in order."""
    if not isinstance(axes, list | tuple):
        raise ValidationError("Les axes s'indiquent comme une liste de textes.")
    wanted = []
    for axis in axes:
        clean_axis = validate.text(axis, "Axe", max_len=200)
        if clean_axis not in wanted:
            wanted.append(clean_axis)
    with db.transaction() as cur:
        action = require_row(cur, "action", action_id, "Action")
        _live(action, "L'action")
        replace_links(
            cur, actor, "action_axis", {"action_id": action["id"]}, "axis", wanted,
            unchanged="Rien à enregistrer : l'action porte déjà ces axes.",
            removed="Axe retiré", field="Axe",
        )  # fmt: skip
        return wanted


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
    first_row: dict[int, int] = {}
    for number, action_id, _, _ in cleaned:
        if action_id in first_row:
            errors.append(
                f"ligne {number} : l'action n° {action_id} figure déjà ligne {first_row[action_id]}."
            )
        first_row.setdefault(action_id, number)
    ids = [action_id for _, action_id, _, _ in cleaned]
    with db.transaction() as cur:
        # set-based: one read of the rows, one update, one read back, one audit insert
        result = cur.execute("select * from action where id in (select unnest($ids))", {"ids": ids})
        names = [d[0] for d in result.description]
        current = {row[0]: dict(zip(names, row, strict=True)) for row in result.fetchall()}
        for number, action_id, version, changes in cleaned:
            row = current.get(action_id)
            if row is None:
                errors.append(f"ligne {number} : l'action n° {action_id} n'existe pas.")
            elif row["archived_on"] is not None:
                errors.append(f"ligne {number} : l'action n° {action_id} est archivée.")
            elif "title" in changes and row["source_id"] is not None:
                errors.append(
                    f"ligne {number} : l'intitulé de l'action n° {action_id} vient d'un acte : "
                    "corrigez-le sur sa fiche (page « Phases et actions »), avec un motif."
                )
            elif row["version"] != version:
                errors.append(
                    f"ligne {number} : l'action n° {action_id} a été modifiée par "
                    f"{row['updated_by']} le {fmt.datetime_fr(row['updated_at'])} "
                    "depuis votre lecture."
                )
            else:
                try:
                    check_period(
                        {"starts_on": row["starts_on"], "ends_on": row["ends_on"], **changes}
                    )
                except ValidationError as error:
                    errors.append(f"ligne {number} : {error.message}")
        if errors:
            errors.sort(key=lambda e: int(e.split(" ", 2)[1]))
            raise ValidationError("Rien n'a été enregistré. " + " ".join(errors))
        edits = [
            {
                "id": action_id,
                **{f"set_{c}": c in changes for c in WORK_ITEM},
                **{c: changes.get(c) for c in WORK_ITEM},
            }
            for _, action_id, _, changes in cleaned
            if changes
        ]
        if not edits:
            return 0
        assignments = ", ".join(
            f"{c} = case when e.set_{c} then e.{c} else action.{c} end" for c in WORK_ITEM
        )
        # column names come from WORK_ITEM (fixed); every value is bound
        cur.execute(
            f"update action set {assignments}, version = action.version + 1, "
            "updated_at = $at, updated_by = $by "
            "from (select unnest($edits, recursive := true)) as e where action.id = e.id",
            {"edits": edits, "at": utcnow(), "by": actor.name},
        )
        changed = [e["id"] for e in edits]
        result = cur.execute(
            "select * from action where id in (select unnest($ids))", {"ids": changed}
        )
        after = {row[0]: dict(zip(names, row, strict=True)) for row in result.fetchall()}
        if any("weight" in changes for _, _, _, changes in cleaned):  # the others count nothing
            rollups.weights_changed(cur, "action", [(current[i], after[i]) for i in changed])
            rollups.refresh_programmes(cur, {after[i]["programme_id"] for i in changed})
        audit_many(cur, actor, "update", "action", [(current[i], after[i]) for i in changed])
        return len(edits)
