"""Row-level helpers shared by the write services: insert, versioned update,
provenance and the audit trail. Table and column names come from the fixed
schema below, never from input; values are always bound parameters."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import duckdb

from dashboard.tracker import catalogue, fmt, origins, rollups, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import utcnow
from dashboard.tracker.errors import ConflictError, NotFound, ValidationError
from dashboard.tracker.fields import clean

#: Writable tables and their columns, and what each table is: read from the catalogue
SCHEMA: dict[str, tuple[str, ...]] = catalogue.writable()
VERSIONED = catalogue.names(versioned=True)
ARCHIVABLE = catalogue.names(archivable=True)
CANCELLABLE = catalogue.names(cancellable=True)
CREATED = catalogue.names(created=True)
ROLLED_UP = catalogue.names(rolled_up=True)
WITH_ID = catalogue.names(with_id=True) & set(SCHEMA)
#: each table with its article, as the audit and the messages say it: « la ligne budgétaire »
ENTITY_LABELS = {t.name: t.label for t in catalogue.TABLES.values()}


def agreed(table: str, participle: str) -> str:
    """``modifié`` / ``modifiée``, as the record's French name requires."""
    return participle + ("e" if catalogue.TABLES[table].feminine else "")


def _check_table(table: str, columns: list[str]) -> None:
    allowed = (
        SCHEMA[table]
        + (("updated_by", "updated_at") if table in VERSIONED else ())
        + (("archived_on", "archive_reason") if table in ARCHIVABLE else ())
        + (("cancelled_at", "cancelled_by", "cancel_reason") if table in CANCELLABLE else ())
        + (("created_at",) if table in CREATED else ())
    )
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"colonnes inconnues pour {table} : {unknown}")


def insert(cur: duckdb.DuckDBPyConnection, table: str, values: dict) -> int | None:
    """Insert a row; a value not given (None) is left to the column (NULL, or its
    default), so that a database migrated up to an earlier schema still takes the rows
    of today's services that leave its later columns empty."""
    values = {c: v for c, v in values.items() if v is not None}
    columns = list(values)
    _check_table(table, columns)
    placeholders = ", ".join(f"${c}" for c in columns)
    statement = f"insert into {table} ({', '.join(columns)}) values ({placeholders})"
    if table in WITH_ID:
        statement += " returning id"
        return cur.execute(statement, values).fetchone()[0]
    cur.execute(statement, values)
    return None


def fetch(cur: duckdb.DuckDBPyConnection, table: str, row_id: int) -> dict | None:
    _check_table(table, [])
    # ``table`` was checked against SCHEMA just above; the id is a bound parameter
    result = cur.execute(f"select * from {table} where id = $id", {"id": row_id})
    row = result.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in result.description], row, strict=True))


def require_row(cur: duckdb.DuckDBPyConnection, table: str, row_id: object, field: str) -> dict:
    """The row, or a French message that the id names nothing."""
    try:
        clean_id = validate.identifier(row_id, field)
    except ValidationError as error:
        raise NotFound(error.message) from error
    row = fetch(cur, table, clean_id)
    if row is None:
        raise NotFound(
            f"{fmt.capitalize_first(ENTITY_LABELS.get(table, table))} n° {clean_id} n'existe pas."
        )
    return row


#: fields that state what an act says: correcting one needs a reason, kept in the
#: audit and shown wherever the value is cited (« corrigé le … par … »)
SOURCED_FIELDS = {
    "legal_act": {
        "reference", "number", "title", "concluded_on", "signed_on", "effective_rule",
        "effective_on", "ends_on", "deliberation_body", "deliberation_number",
        "deliberation_date", "extends_to",
    },
    "clause": {"article", "days", "months", "summary"},
    "budget_line": {"fiscal_year", "amount", "tax_basis"},
    "programme": {"title"},
    "phase": {"title", "number"},
    "orientation": {"title"},
    "action": {"title"},
    "committee": {"name", "mandate", "kind"},
    "organisation": {"name"},
    "person": {"full_name", "role_title"},
}  # fmt: skip


def _check_live(table: str, row: dict) -> None:
    if row.get("cancelled_at") is not None:
        raise ValidationError(
            f"{fmt.capitalize_first(ENTITY_LABELS.get(table, table))} « {_title_of(row)} » a été "
            f"{agreed(table, 'annulé')} le {fmt.datetime_fr(row['cancelled_at'])} : il n'y a "
            "plus rien à modifier."
        )


def _check_version(table: str, row: dict, expected_version: object) -> None:
    seen = validate.integer(expected_version, "version lue", low=1)
    if row["version"] != seen:
        raise ConflictError(
            f"{fmt.capitalize_first(ENTITY_LABELS[table])} « {_title_of(row)} » a été "
            f"{agreed(table, 'modifié')} par "
            f"{row['updated_by']} le {fmt.datetime_fr(row['updated_at'])}, après votre "
            "lecture : rien n'a été enregistré. Rechargez pour voir la valeur actuelle, puis "
            "réappliquez votre modification.",
            row,
        )


def _write_version(
    cur: duckdb.DuckDBPyConnection, actor: Actor, table: str, before: dict, changes: dict
) -> dict:
    """Apply ``changes`` to the row ``before`` (as its caller read it), bump its version,
    move the roll-ups it counts in; the row after."""
    _check_table(table, list(changes))
    assignments = "".join(f"{c} = ${c}, " for c in changes)
    # table and columns come from SCHEMA (checked just above); every value is bound
    cur.execute(
        f"update {table} set {assignments}version = version + 1, updated_at = $updated_at, "
        "updated_by = $updated_by where id = $id",
        {**changes, "updated_at": utcnow(), "updated_by": actor.name, "id": before["id"]},
    )
    after = fetch(cur, table, before["id"])
    if table in ROLLED_UP:
        rollups.touched(cur, table, [before, after])
    return after


def update_versioned(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    row_id: object,
    expected_version: object,
    changes: dict,
    *,
    field: str,
    reason: str | None = None,
) -> tuple[dict, dict]:
    """Apply ``changes`` if the row is still at ``expected_version``; return (before, after).
    A change that changes nothing is refused; correcting what a sourced row says of its
    act needs a reason."""
    if table not in VERSIONED:
        raise ValueError(f"{table} n'est pas versionnée")
    before = require_row(cur, table, row_id, field)
    _check_live(table, before)
    _check_version(table, before, expected_version)
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    if not changed:
        raise ValidationError("Rien à enregistrer : aucune valeur ne change.")
    why = validate.text(reason, "Motif de la correction", required=False, max_len=validate.MAX_TEXT)
    corrected = sorted(set(changed) & SOURCED_FIELDS.get(table, set()))
    if corrected and before.get("source_id") is not None and not why:
        raise ValidationError(
            "Cette valeur vient d'un acte (sa source est citée) : indiquez le motif de la "
            "correction, il sera gardé au journal et affiché avec la valeur corrigée."
        )
    after = _write_version(cur, actor, table, before, changed)
    audit(cur, actor, "update", table, before["id"], before=before, after=after, reason=why)
    return before, after


def archive(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    row_id: object,
    expected_version: object,
    archived_on: object,
    reason: object,
    *,
    field: str,
) -> dict:
    """Take a record out of the current views from ``archived_on`` (it stays in its
    history and in views of earlier dates); ``archived_on=None`` restores it."""
    if table not in ARCHIVABLE:
        raise ValueError(f"{table} ne s'archive pas")
    before = require_row(cur, table, row_id, field)
    _check_version(table, before, expected_version)
    on = validate.date(archived_on, "Date d'archivage", required=False)
    why = validate.text(reason, "Motif", max_len=validate.MAX_TEXT)
    if on is not None and before["archived_on"] is not None:
        raise ValidationError(
            f"« {_title_of(before)} » est déjà {agreed(table, 'archivé')} depuis le "
            f"{fmt.date_fr(before['archived_on'])}."
        )
    if on is None and before["archived_on"] is None:
        raise ValidationError(f"« {_title_of(before)} » n'est pas {agreed(table, 'archivé')}.")
    after = _write_version(cur, actor, table, before, {"archived_on": on, "archive_reason": why})
    operation = "archive" if on is not None else "restore"
    audit(cur, actor, operation, table, before["id"], before=before, after=after, reason=why)
    return after


def cancel(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    row_id: object,
    expected_version: object | None,
    reason: object,
    *,
    field: str,
) -> dict:
    """Mark a record as recorded by mistake: it leaves every view, its row and its
    audit stay. Non-versioned tables (letters) take ``expected_version=None``."""
    if table not in CANCELLABLE:
        raise ValueError(f"{table} ne s'annule pas")
    before = require_row(cur, table, row_id, field)
    _check_live(table, before)
    why = validate.text(reason, "Motif de l'annulation", max_len=validate.MAX_TEXT)
    changes = {"cancelled_at": utcnow(), "cancelled_by": actor.name, "cancel_reason": why}
    if table in VERSIONED:
        _check_version(table, before, expected_version)
        after = _write_version(cur, actor, table, before, changes)
    else:
        _check_table(table, list(changes))
        # table and columns come from SCHEMA (checked just above); values are bound
        cur.execute(
            f"update {table} set cancelled_at = $cancelled_at, cancelled_by = $cancelled_by, "
            "cancel_reason = $cancel_reason where id = $id",
            {**changes, "id": before["id"]},
        )
        after = fetch(cur, table, before["id"])
        if table in ROLLED_UP:
            rollups.touched(cur, table, [before, after])
    audit(cur, actor, "cancel", table, before["id"], before=before, after=after, reason=why)
    return after


def _title_of(row: dict) -> str:
    for key in (
        "title", "name", "full_name", "code", "login", "article", "label", "text", "file_name",
    ):  # fmt: skip
        if row.get(key):
            return fmt.shorten(str(row[key]), 60)
    return f"n° {row.get('id')}"


def add_source(cur: duckdb.DuckDBPyConnection, source: Source | None) -> int | None:
    if source is None:
        return None
    values = {
        "document": validate.text(source.document, "Document source", max_len=300),
        "article": validate.text(source.article, "Article", max_len=200),
        "excerpt": validate.text(source.excerpt, "Extrait", max_len=300),
    }
    return insert(cur, "source_ref", values)


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def audit(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    operation: str,
    entity: str,
    entity_id: object,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
) -> None:
    """Append one row to the audit log (never updated, never deleted)."""
    cur.execute(
        "insert into audit_log (occurred_at, actor, operation, entity, entity_id, before, after,"
        " reason) values ($at, $actor, $op, $entity, $entity_id, $before, $after, $reason)",
        {
            "at": utcnow(),
            "actor": actor.name,
            "op": operation,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": _encoded(before),
            "after": _encoded(after),
            "reason": reason,
        },
    )


def audit_many(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    operation: str,
    entity: str,
    pairs: list[tuple[dict | None, dict | None]],
) -> None:
    """Many audit rows in one statement (bulk writes): ``pairs`` of (before, after)."""
    rows = [
        {
            "entity_id": str((after or before)["id"]),
            "before": _encoded(before),
            "after": _encoded(after),
        }
        for before, after in pairs
    ]
    if rows:
        cur.execute(
            "insert into audit_log (occurred_at, actor, operation, entity, entity_id, before, after)"
            " select $at, $actor, $op, $entity, r.entity_id, r.before, r.after"
            " from (select unnest($rows, recursive := true)) as r",
            {"at": utcnow(), "actor": actor.name, "op": operation, "entity": entity, "rows": rows},
        )


def _encoded(row: dict | None) -> str | None:
    """A row as the audit log stores it: JSON, password hash masked."""
    if row is None:
        return None
    return json.dumps(_public(row), default=_json_default, ensure_ascii=False)


def _public(row: dict | None) -> dict | None:
    """Never log a password hash."""
    if row is None:
        return None
    return {k: ("***" if k == "password_hash" else v) for k, v in row.items()}


def create(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    values: dict,
    *,
    reason: str | None = None,
    origin: origins.Origin | None = None,
) -> int | None:
    """Insert a row (with version bookkeeping where the table has it), record where it
    comes from (``origin``: the act or decision that creates it, or a date given with a
    reason; by default the day it is recorded) and audit both."""
    row = dict(values)
    if table in VERSIONED:
        row.update(updated_by=actor.name, updated_at=utcnow())
    if table in CREATED:
        row.setdefault("created_at", utcnow())
    new_id = insert(cur, table, row)
    after = fetch(cur, table, new_id) if new_id is not None else row
    if new_id is not None:
        written = origins.write(cur, table, new_id, origin)
        if written is not None and (origin is not None and not origin.plain):
            audit(
                cur, actor, "create", "record_origin", f"{table}/{new_id}", after=written,
                reason=written["reason"],
            )  # fmt: skip
    if table in ROLLED_UP:
        rollups.touched(cur, table, [after])
    audit(
        cur,
        actor,
        "create",
        table,
        new_id if new_id is not None else _composite(row),
        after=after,
        reason=reason,
    )
    return new_id


def _composite(row: dict) -> str:
    return "/".join(str(v) for v in row.values() if not isinstance(v, str) or len(v) < 40)


def replace_links(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    owner: dict,
    column: str,
    wanted: list,
    *,
    unchanged: str,
    removed: str,
    field: str,
) -> None:
    """Make the live rows of a link table (``owner``'s columns and one ``column``, with
    who recorded them and when) be ``wanted``: those no longer wanted are cancelled with
    the reason ``removed`` (kept in the audit), new ones created; wanting what is already
    there is refused with ``unchanged``. Table and column names come from the code, and
    are checked against the catalogue before they reach the SQL."""
    known = catalogue.TABLES[table].columns
    if column not in known or not set(owner) <= set(known):
        raise ValueError(f"colonnes inconnues pour {table} : {[column, *owner]}")
    where = " and ".join(f"{key} = ${key}" for key in owner)
    live = dict(
        cur.execute(
            f"select {column}, id from {table} where {where} and cancelled_at is null", owner
        ).fetchall()
    )
    if set(live) == set(wanted):
        raise ValidationError(unchanged)
    for value, row_id in live.items():
        if value not in wanted:
            cancel(cur, actor, table, row_id, None, removed, field=field)
    for value in wanted:
        if value not in live:
            row = {**owner, column: value, "recorded_by": actor.name, "recorded_at": utcnow()}
            create(cur, actor, table, row)


# -- the thin write services, generated from the catalogue ---------------------------------


def archive_service(table: str, role: str, what: str, name: str, *, field: str) -> Callable:
    """The write service ``name`` (registered under that name in the role matrix) that
    archives a row of ``table`` from a date, or brings it back with ``archived_on=None``:
    ``fn(db, actor, row_id, *, expected_version, archived_on, reason)``."""
    if not catalogue.TABLES[table].archivable:
        raise ValueError(f"{table} n'est pas archivable")

    def service(db, actor: Actor, row_id: int, *, expected_version: int, archived_on: object,
                reason: str) -> dict:  # fmt: skip
        with db.transaction() as cur:
            return archive(cur, actor, table, row_id, expected_version, archived_on, reason,
                           field=field)  # fmt: skip

    return _named(service, name, role, what, f"Archive {catalogue.TABLES[table].label}.")


def cancel_service(table: str, role: str, what: str, name: str, *, field: str) -> Callable:
    """The write service ``name`` that cancels a row of ``table`` recorded by mistake
    (it leaves every view, its row and audit stay): ``fn(db, actor, row_id, *,
    expected_version, reason)``, without ``expected_version`` for a table not versioned."""
    entry = catalogue.TABLES[table]
    if not entry.cancellable:
        raise ValueError(f"{table} n'est pas annulable")
    if entry.versioned:

        def service(db, actor: Actor, row_id: int, *, expected_version: int, reason: str) -> dict:
            with db.transaction() as cur:
                return cancel(cur, actor, table, row_id, expected_version, reason, field=field)

    else:

        def service(db, actor: Actor, row_id: int, *, reason: str) -> dict:
            with db.transaction() as cur:
                return cancel(cur, actor, table, row_id, None, reason, field=field)

    return _named(
        service, name, role, what, f"Annule {entry.label} {agreed(table, 'saisi')} par erreur."
    )


def update_service(
    table: str, role: str, what: str, name: str, *, fields: dict, field: str
) -> Callable:
    """The write service ``name`` that corrects a versioned row of ``table`` — each
    change cleaned by ``fields`` (a Spec), the version read checked, the reason audited:
    ``fn(db, actor, row_id, *, expected_version, reason=None, **changes)``."""
    if not catalogue.TABLES[table].versioned:
        raise ValueError(f"{table} n'est pas versionnée")

    def service(db, actor: Actor, row_id: int, *, expected_version: int,
                reason: str | None = None, **changes) -> dict:  # fmt: skip
        cleaned = clean(changes, fields)
        with db.transaction() as cur:
            return update_versioned(cur, actor, table, row_id, expected_version, cleaned,
                                    field=field, reason=reason)[1]  # fmt: skip

    return _named(service, name, role, what, f"Corrige {catalogue.TABLES[table].label}.")


def _named(service: Callable, name: str, role: str, what: str, doc: str) -> Callable:
    service.__name__ = service.__qualname__ = name
    service.__doc__ = doc
    return write_service(role, what)(service)
