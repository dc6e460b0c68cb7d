"""Row-level helpers shared by the write services: insert, versioned update,
provenance and the audit trail. Table and column names come from the fixed
schema below, never from input; values are always bound parameters."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor
from dashboard.tracker.db import utcnow
from dashboard.tracker.errors import ConflictError, NotFound, ValidationError

#: Writable tables and their columns (the schema of queries/migrations).
SCHEMA: dict[str, tuple[str, ...]] = {
    "source_ref": ("document", "article", "excerpt"),
    "organisation": ("code", "name", "kind", "source_id"),
    "person": ("full_name", "organisation_id", "role_title", "source_id"),
    "programme": ("code", "title", "kind", "description", "source_id"),
    "programme_link": ("from_programme_id", "to_programme_id", "kind", "description", "source_id"),
    "programme_note": ("programme_id", "kind", "position", "title", "body", "source_id"),
    "legal_act": (
        "programme_id",
        "kind",
        "reference",
        "number",
        "title",
        "concluded_on",
        "signed_on",
        "effective_rule",
        "effective_on",
        "ends_on",
        "deliberation_body",
        "deliberation_number",
        "deliberation_date",
        "amends_act_id",
        "source_id",
    ),
    "act_party": ("act_id", "organisation_id", "represented_by", "signatory_id", "source_id"),
    "clause": ("act_id", "kind", "article", "days", "months", "summary", "source_id"),
    "phase": (
        "programme_id",
        "number",
        "title",
        "starts_on",
        "ends_on",
        "weight",
        "lead",
        "territory",
        "source_id",
    ),
    "orientation": (
        "programme_id",
        "phase_id",
        "position",
        "title",
        "starts_on",
        "ends_on",
        "weight",
        "lead",
        "territory",
        "source_id",
    ),
    "action": (
        "orientation_id",
        "title",
        "starts_on",
        "ends_on",
        "weight",
        "lead",
        "territory",
        "source_id",
    ),
    "committee": ("programme_id", "kind", "name", "mandate", "source_id"),
    "meeting": (
        "committee_id",
        "held_on",
        "place",
        "attendees",
        "minutes",
        "source_id",
        "recorded_by",
        "recorded_at",
    ),
    "decision": ("meeting_id", "kind", "text", "source_id", "recorded_by", "recorded_at"),
    "decision_item": ("decision_id", "item_kind", "item_id"),
    "budget_line": (
        "programme_id",
        "act_id",
        "clause_id",
        "fiscal_year",
        "amount",
        "tax_basis",
        "funder_id",
        "recipient_id",
        "label",
        "source_id",
    ),
    "payment": (
        "budget_line_id",
        "stage",
        "occurred_on",
        "amount",
        "reference",
        "over_budget_reason",
        "recorded_by",
        "recorded_at",
    ),
    "status_event": (
        "item_kind",
        "item_id",
        "occurred_on",
        "from_status",
        "to_status",
        "progress",
        "comment",
        "decision_id",
        "source_id",
        "actor",
        "recorded_at",
    ),
    "app_user": ("login", "display_name", "role", "password_hash", "active"),
}
#: Tables whose rows carry version / updated_at / updated_by.
VERSIONED = {"programme", "legal_act", "phase", "orientation", "action", "committee", "budget_line"}
WITH_ID = set(SCHEMA) - {"programme_link", "act_party", "decision_item"}

ENTITY_LABELS = {
    "programme": "le programme",
    "legal_act": "l'acte",
    "phase": "la phase",
    "orientation": "l'orientation",
    "action": "l'action",
    "committee": "le comité",
    "budget_line": "la ligne budgétaire",
    "meeting": "la réunion",
    "decision": "la décision",
    "organisation": "l'organisation",
    "person": "la personne",
    "clause": "la clause",
    "payment": "le paiement",
    "app_user": "le compte",
    "programme_note": "la note",
}


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: document, article and a short excerpt (<= 300 characters)."""

    document: str
    article: str
    excerpt: str


def _check_table(table: str, columns: list[str]) -> None:
    allowed = SCHEMA[table] + (("updated_by", "updated_at") if table in VERSIONED else ())
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"colonnes inconnues pour {table} : {unknown}")


def insert(cur: duckdb.DuckDBPyConnection, table: str, values: dict) -> int | None:
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


def update_versioned(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    table: str,
    row_id: object,
    expected_version: object,
    changes: dict,
    *,
    field: str,
) -> tuple[dict, dict]:
    """Apply ``changes`` if the row is still at ``expected_version``; return (before, after)."""
    if table not in VERSIONED:
        raise ValueError(f"{table} n'est pas versionnée")
    before = require_row(cur, table, row_id, field)
    seen = validate.integer(expected_version, "version lue", low=1)
    if before["version"] != seen:
        raise ConflictError(
            f"{fmt.capitalize_first(ENTITY_LABELS[table])} « {_title_of(before)} » a été modifiée par "
            f"{before['updated_by']} le {fmt.datetime_fr(before['updated_at'])}, après votre "
            "lecture : rien n'a été enregistré. Rechargez pour voir la valeur actuelle, puis "
            "réappliquez votre modification.",
            before,
        )
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    _check_table(table, list(changed))
    assignments = ", ".join(f"{c} = ${c}" for c in changed)
    prefix = assignments + ", " if assignments else ""
    statement = (
        f"update {table} set {prefix}version = version + 1, updated_at = $updated_at, "
        "updated_by = $updated_by where id = $id"
    )
    cur.execute(
        statement, {**changed, "updated_at": utcnow(), "updated_by": actor.name, "id": before["id"]}
    )
    after = fetch(cur, table, before["id"])
    audit(cur, actor, "update", table, before["id"], before=before, after=after)
    return before, after


def _title_of(row: dict) -> str:
    for key in ("title", "name", "code", "login"):
        if row.get(key):
            return str(row[key])[:60]
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
) -> int | None:
    """Insert a row (with version bookkeeping where the table has it) and audit it."""
    row = dict(values)
    if table in VERSIONED:
        row.update(updated_by=actor.name, updated_at=utcnow())
    new_id = insert(cur, table, row)
    audit(
        cur,
        actor,
        "create",
        table,
        new_id if new_id is not None else _composite(row),
        after=fetch(cur, table, new_id) if new_id is not None else row,
        reason=reason,
    )
    return new_id


def _composite(row: dict) -> str:
    return "/".join(str(v) for v in row.values() if not isinstance(v, str) or len(v) < 40)
