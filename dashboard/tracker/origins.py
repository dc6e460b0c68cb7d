"""Existence is a fact with a date: where a record comes from, and so from when it is
there in every « état au » view (the rule ``record_start`` of ``queries/rules/``).

A record is created by an act (it exists from that act's start, its article cited), by
a decision (from the day of its meeting), or, when nothing says, it exists from the
day it was recorded — unless the person recording it gives an earlier date with a
reason, kept in the audit. A meeting or a decision made known by an act is known from
that act's start."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.naming import act_name, act_row

#: records that always have an origin row (no date of their own says when they exist)
ALWAYS = (
    "programme", "phase", "orientation", "action", "committee", "eval_question",
    "eval_criterion", "indicator", "deliverable", "budget_line",
)  # fmt: skip
#: records that have one only when an act makes them known (else their own date says)
WHEN_GIVEN = ("meeting", "decision")


@dataclass(frozen=True)
class Origin:
    """Where a record comes from: an act and its article, a decision, or a date given
    with its reason. ``Origin()`` is « the day it is recorded »."""

    act_id: int | None = None
    article: str | None = None
    decision_id: int | None = None
    stated_on: dt.date | None = None
    reason: str | None = None

    @property
    def plain(self) -> bool:
        return self == Origin()


def clean(origin: Origin | None, today: dt.date | None = None) -> Origin:
    """The origin checked: one basis at most, a stated date in the past with its reason."""
    if origin is None:
        return Origin()
    if not isinstance(origin, Origin):
        raise ValidationError(
            "L'origine de la fiche est mal formée (acte, décision ou date attendus)."
        )
    for value, field in ((origin.act_id, "Acte"), (origin.decision_id, "Décision")):
        if value is not None:
            validate.identifier(value, field)
    today = today or dt.date.today()
    bases = [
        origin.act_id is not None,
        origin.decision_id is not None,
        origin.stated_on is not None,
    ]
    if sum(bases) > 1:
        raise ValidationError(
            "Une fiche vient d'un acte, d'une décision ou d'une date donnée : choisissez-en une."
        )
    article = validate.text(origin.article, "Article de l'acte", required=False)
    if article and origin.act_id is None:
        raise ValidationError("Un article se cite avec l'acte dont il fait partie.")
    reason = validate.text(
        origin.reason, "Motif de la date d'existence", required=False, max_len=validate.MAX_TEXT
    )
    stated = validate.date(origin.stated_on, "Existe depuis le", required=False)
    if stated is not None:
        if stated > today:
            raise ValidationError(
                f"« Existe depuis le » ne peut pas être dans le futur (reçu : {fmt.date_fr(stated)})."
            )
        if not reason:
            raise ValidationError(
                "Une date d'existence antérieure à l'enregistrement se justifie : indiquez le "
                "motif (il est gardé au journal)."
            )
    return Origin(origin.act_id, article, origin.decision_id, stated, reason)


def _check_refs(cur: duckdb.DuckDBPyConnection, origin: Origin) -> None:
    if origin.act_id is not None:
        row = cur.execute(
            "select cancelled_at from legal_act where id = $id", {"id": origin.act_id}
        ).fetchone()
        if row is None or row[0] is not None:
            raise ValidationError(f"L'acte n° {origin.act_id} n'existe pas (ou a été annulé).")
    if origin.decision_id is not None:
        row = cur.execute(
            "select cancelled_at from decision where id = $id", {"id": origin.decision_id}
        ).fetchone()
        if row is None or row[0] is not None:
            raise ValidationError(
                f"La décision n° {origin.decision_id} n'existe pas (ou a été annulée)."
            )


def _row(table: str, row_id: int, checked: Origin, recorded_on: dt.date) -> dict:
    return {
        "entity": table,
        "entity_id": row_id,
        "act_id": checked.act_id,
        "article": checked.article,
        "decision_id": checked.decision_id,
        "stated_on": checked.stated_on,
        "reason": checked.reason,
        "recorded_on": recorded_on,
    }


def _insert(cur: duckdb.DuckDBPyConnection, row: dict) -> None:
    cur.execute(
        "insert into record_origin values ($entity, $entity_id, $act_id, $article,"
        " $decision_id, $stated_on, $reason, $recorded_on)",
        row,
    )


def write(
    cur: duckdb.DuckDBPyConnection, table: str, row_id: int, origin: Origin | None
) -> dict | None:
    """Record where a new row comes from (inside its creation's transaction); the
    origin row written, or None for a record that needs none."""
    checked = clean(origin)
    if table not in ALWAYS and (table not in WHEN_GIVEN or checked.plain):
        return None
    _check_refs(cur, checked)
    row = _row(table, row_id, checked, dt.date.today())
    _insert(cur, row)
    return row


def replace(
    cur: duckdb.DuckDBPyConnection, actor: Actor, table: str, row_id: int, origin: Origin
) -> tuple[dict | None, dict]:
    """Say anew where an existing row comes from; (before, after) origin rows. The
    recording day stays the first one."""
    checked = clean(origin)
    _check_refs(cur, checked)
    before = get(cur, table, row_id)
    after = _row(table, row_id, checked, before["recorded_on"] if before else dt.date.today())
    if before is not None and {k: before[k] for k in after} == after:
        raise ValidationError("Rien à enregistrer : l'origine de la fiche ne change pas.")
    cur.execute(
        "delete from record_origin where entity = $e and entity_id = $i", {"e": table, "i": row_id}
    )
    _insert(cur, after)
    return before, after


_ORIGIN = "select * from record_origin where entity = $e and entity_id = $i"
_START = "select * from record_start where entity = $e and entity_id = $i"


def _one(cur: duckdb.DuckDBPyConnection, statement: str, table: str, row_id: int) -> dict | None:
    result = cur.execute(statement, {"e": table, "i": row_id})
    row = result.fetchone()
    return dict(zip([d[0] for d in result.description], row, strict=True)) if row else None


def get(cur: duckdb.DuckDBPyConnection, table: str, row_id: int) -> dict | None:
    """The record's origin row, as recorded."""
    return _one(cur, _ORIGIN, table, row_id)


def start_day(cur: duckdb.DuckDBPyConnection, table: str, row_id: int) -> dt.date | None:
    """The day from which the row exists (record_start), read from its origin row alone
    when no act or decision dates it (a key lookup on a contributor's every change)."""
    row = get(cur, table, row_id)
    if row is None:
        return None
    if row["act_id"] is None and row["decision_id"] is None:
        return row["stated_on"] or row["recorded_on"]
    found = start(cur, table, row_id)
    return found["starts_on"] if found else None


def start(cur: duckdb.DuckDBPyConnection, table: str, row_id: int) -> dict | None:
    """From when the row exists (the rule record_start): starts_on, basis, act, article…"""
    return _one(cur, _START, table, row_id)


def described(db, entity: str, entity_id: int) -> str:
    """« existe depuis le … (…) »: the record's origin in French, the act named."""
    rows = db.records("record_origin", entity=entity, entity_id=entity_id)
    if not rows:
        return fmt.exists_since(None)
    row = rows[0]
    label = act_name(act_row(row)) if row["act_kind"] else None
    return fmt.exists_since(row, label)
