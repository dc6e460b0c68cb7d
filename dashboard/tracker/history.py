"""What happened to the record: one item's timeline (status events and audit
entries merged), and what changed between two dates (since a committee's last
meeting, since the previous quarter)."""

from __future__ import annotations

import datetime as dt
import json

from dashboard.tracker import fmt
from dashboard.tracker.db import Database

#: French names of the fields an audit entry can show for a work item.
FIELD_LABELS = {
    "title": "intitulé",
    "number": "numéro",
    "position": "rang",
    "starts_on": "début prévu",
    "ends_on": "fin prévue",
    "weight": "poids",
    "lead": "responsable",
    "territory": "territoire",
    "source_id": "source",
    "phase_id": "phase",
    "orientation_id": "orientation",
}
_BOOKKEEPING = {"id", "version", "updated_at", "updated_by", "programme_id"}


def _shown(field: str, value: object) -> str:
    if value is None or value == "":
        return fmt.UNKNOWN
    if field.endswith("_on") and isinstance(value, str):
        try:
            return fmt.date_fr(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe_changes(before: dict | None, after: dict | None) -> str:
    """``intitulé : ancien → nouveau ; …`` for the fields an audit entry changed."""
    before, after = before or {}, after or {}
    if not before:
        return "création de la fiche"
    keys = [k for k in after if k not in _BOOKKEEPING and before.get(k) != after.get(k)]
    if not keys:
        return "aucun champ modifié"
    return " ; ".join(
        f"{FIELD_LABELS.get(k, k)} : {_shown(k, before.get(k))} → {_shown(k, after.get(k))}"
        for k in keys
    )


def describe_audit_entry(entry: dict) -> str:
    """``describe_changes`` for an audit-log row (its before / after stored as JSON)."""
    before = json.loads(entry["before"]) if entry["before"] else None
    after = json.loads(entry["after"]) if entry["after"] else None
    return describe_changes(before, after)


def item_timeline(db: Database, item_kind: str, item_id: int) -> list[dict]:
    """Every entry of an item's history, oldest first, with a French ``what`` line."""
    entries = []
    for row in db.records("item_timeline", item_kind=item_kind, item_id=item_id):
        if row["entry_kind"] == "status":
            what = (
                f"statut : {fmt.label(fmt.STATUS_LABELS, row['from_status'])} → "
                f"{fmt.STATUS_LABELS[row['to_status']]}"
            )
            if row["progress"] is not None:
                what += f" ; avancement {fmt.percent(row['progress'])}"
            if row["decision_text"]:
                what += f" ; décision : {row['decision_text']}"
        else:
            what = describe_audit_entry(row)
        entries.append({**row, "what": what})
    return entries


def changes_between(
    db: Database, since: dt.date, until: dt.date, programme_code: str | None = None
) -> list[dict]:
    """Status changes, decisions and payments dated after ``since`` up to ``until``."""
    rows = db.records("changes_between", since=since, until=until, programme_code=programme_code)
    for row in rows:
        if row["change_kind"] == "status":
            row["what"] = (
                f"{fmt.capitalize_first(row['item_kind'])} « {row['title']} » : "
                f"{fmt.label(fmt.STATUS_LABELS, row['from_status'])} → "
                f"{fmt.STATUS_LABELS[row['to_status']]}"
                + (f" ({fmt.percent(row['progress'])})" if row["progress"] is not None else "")
            )
        elif row["change_kind"] == "decision":
            row["what"] = (
                f"Décision ({fmt.label(fmt.DECISION_KIND_LABELS, row['stage'])}) : {row['detail']}"
            )
        else:
            row["what"] = (
                f"{fmt.capitalize_first(fmt.STAGE_LABELS[row['stage']])} de {fmt.money(row['amount'])}"
                f" sur « {row['title']} »"
            )
    return rows
