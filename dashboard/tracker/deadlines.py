"""Deadlines computed from the acts and their clauses, in French."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt
from dashboard.tracker.db import Database
from dashboard.tracker.naming import act_name

KIND_LABELS = {
    "term": "Terme de l'acte",
    "termination_notice_deadline": "Dernier jour pour notifier une résiliation",
    "extension_deadline": "Dernier jour pour signer un avenant de prolongation",
    "amicable_settlement_delay": "Délai de règlement amiable",
}


def _delay(days: int | None, months: int | None) -> str:
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days:
        parts.append(f"{days} jours calendaires")
    return " et ".join(parts)


def label(row: dict) -> str:
    name = act_name(
        row["act_kind"],
        row["act_number"],
        row["act_reference"],
        row.get("amends_reference"),
        row.get("programme_title"),
    )
    article = f" ({row['clause_article'].lower()})" if row.get("clause_article") else ""
    kind = row["kind"]
    if kind == "term":
        return f"Terme : {name}{article}"
    if kind == "termination_notice_deadline":
        return (
            f"Dernier jour pour envoyer la lettre de résiliation d'effet avant le terme "
            f"du {fmt.date_fr(row['act_ends_on'])} : {name} — préavis de "
            f"{_delay(row['days'], row['months'])}{article}"
        )
    if kind == "extension_deadline":
        return f"Dernier jour pour signer un avenant de prolongation (avant le terme) : {name}{article}"
    if kind == "amicable_settlement_delay":
        return (
            f"Règlement amiable d'un litige : {_delay(row['days'], row['months'])} à compter de la "
            f"réception d'une lettre recommandée, puis saisine du tribunal — {name}{article} ; "
            "daté dès qu'une lettre est reçue"
        )
    return f"{KIND_LABELS.get(kind, kind)} : {name}"


def deadlines(db: Database, programme_code: str | None = None) -> list[dict]:
    """Every deadline (of one programme, or all): date (None for a delay that starts
    with a future letter), kind, French label, programme, source."""
    return _labelled(db, db.records("deadlines", programme_code=programme_code), programme_code)


def next_by_programme(db: Database, today: dt.date) -> dict[str, dict]:
    """Each programme's next dated deadline (only those are labelled)."""
    chosen: dict[str, dict] = {}
    for row in db.records("deadlines", programme_code=None):
        if row["due_on"] and row["due_on"] >= today:
            best = chosen.get(row["programme_code"])
            if best is None or row["due_on"] < best["due_on"]:
                chosen[row["programme_code"]] = row
    return {d["programme_code"]: d for d in _labelled(db, list(chosen.values()), None)}


def _labelled(db: Database, rows: list[dict], programme_code: str | None) -> list[dict]:
    acts = (
        {a["act_id"]: a for a in db.records("acts", programme_code=programme_code)} if rows else {}
    )
    result = []
    for row in rows:
        act = acts[row["act_id"]]
        row = {
            **row,
            "amends_reference": act["amends_reference"],
            "programme_title": act["programme_title"],
        }
        result.append(
            {
                "date": row["due_on"],
                "kind": row["kind"],
                "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
                "label": label(row),
                "programme_code": row["programme_code"],
                "act_id": row["act_id"],
                "source": {
                    "document": row["source_document"],
                    "article": row["source_article"],
                    "excerpt": row["source_excerpt"],
                }
                if row["source_document"]
                else None,
            }
        )
    return result


def upcoming(rows: list[dict], today: dt.date, within_days: int) -> list[dict]:
    horizon = today + dt.timedelta(days=within_days)
    return [d for d in rows if d["date"] and today <= d["date"] <= horizon]
