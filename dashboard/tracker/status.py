"""Status and progress of phases, orientations and actions: an append-only log.

The current status is the latest event; the status as of a date is the latest
event on or before it. Allowed moves: planned -> in_progress -> delivered ->
validated; any -> blocked or cancelled; blocked -> in_progress. The first event
of an item may record any status it was found in; ``validated`` always needs the
decision that validates the item. Re-stating the same status records a new
progress or comment.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard.tracker import catalogue, fmt, origins, rollups, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ConflictError, ValidationError
from dashboard.tracker.records import add_source, insert, require_row

STATUSES = tuple(fmt.STATUS_LABELS)
ITEM_TABLES = {t: t for t in catalogue.ITEM_TABLES}
_NEXT = {
    "planned": {"in_progress"},
    "in_progress": {"delivered"},
    "delivered": {"validated"},
    "validated": set(),
    "blocked": {"in_progress"},
    "cancelled": set(),
}
_FROM_ANY = {"blocked", "cancelled"}


def allowed_targets(current: str | None) -> list[str]:
    """The statuses an item in ``current`` may move to (``current`` itself: a progress note)."""
    if current is None:
        return list(STATUSES)
    targets = {current} | _NEXT[current] | _FROM_ANY
    return [s for s in STATUSES if s in targets]


def latest_event(cur: duckdb.DuckDBPyConnection, item_kind: str, item_id: int) -> dict | None:
    """The item's latest event as item_status keeps it (one lookup by key, not a search
    of the log): its id, status, date, and the progress as it stands (the last one
    stated)."""
    result = cur.execute(
        "select event_id as id, status as to_status, progress, status_on as occurred_on"
        " from item_status where item_kind = $k and item_id = $i",
        {"k": item_kind, "i": item_id},
    )
    row = result.fetchone()
    return dict(zip([d[0] for d in result.description], row, strict=True)) if row else None


def _recorded_by(cur: duckdb.DuckDBPyConnection, event_id: int) -> tuple[str, dt.datetime]:
    return cur.execute(
        "select actor, recorded_at from status_event where id = $e", {"e": event_id}
    ).fetchone()


def current_status(db: Database, item_kind: str, item_id: int) -> dict | None:
    """The item's latest status event as recorded (who, when, the progress it stated),
    or None when its status was never recorded."""
    with db.reader() as cur:
        latest = latest_event(cur, item_kind, item_id)
        if latest is None:
            return None
        result = cur.execute(
            "select id, to_status, progress, occurred_on, actor, recorded_at from status_event"
            " where id = $e",
            {"e": latest["id"]},
        )
        row = result.fetchone()
        return dict(zip([d[0] for d in result.description], row, strict=True)) if row else None


@write_service("contributeur", "changer le statut ou l'avancement")
def change_status(
    db: Database,
    actor: Actor,
    item_kind: str,
    item_id: int,
    *,
    to_status: str,
    seen_event_id: int | None,
    progress: int | None = None,
    occurred_on: dt.date | str | None = None,
    comment: str | None = None,
    decision_id: int | None = None,
    source: Source | None = None,
) -> int:
    """Append a status event; ``seen_event_id`` is the latest event the user saw (None: none)."""
    kind = validate.choice(item_kind, fmt.ITEM_KIND_LABELS, "Type d'élément")
    target = validate.choice(to_status, fmt.STATUS_LABELS, "Statut")
    clean_progress = validate.integer(progress, "Avancement (%)", low=0, high=100, required=False)
    when = validate.date(occurred_on, "Date du changement", required=False) or dt.date.today()
    note = validate.text(comment, "Commentaire", required=False, max_len=validate.MAX_TEXT)
    seen = validate.integer(seen_event_id, "Dernier événement lu", low=1, required=False)
    if when > dt.date.today():
        raise ValidationError(f"La date du changement ({fmt.date_fr(when)}) est dans le futur.")
    if target in ("delivered", "validated") and clean_progress not in (None, 100):
        raise ValidationError(
            f"Un élément {fmt.STATUS_LABELS[target]} est avancé à 100 % (reçu : {clean_progress} %)."
        )

    # a status change writes none of what the existence rules read (kept_rules)
    with db.transaction(statuses_only=True) as cur:
        item = require_row(cur, ITEM_TABLES[kind], item_id, fmt.capitalize_first(kind))
        latest = latest_event(cur, kind, item["id"])
        if (latest["id"] if latest else None) != seen:
            who, when_recorded = _recorded_by(cur, latest["id"]) if latest else (None, None)
            raise ConflictError(
                f"Le statut de « {item['title'][:60]} » a été modifié par {who} le "
                f"{fmt.datetime_fr(when_recorded)} en « "
                f"{fmt.STATUS_LABELS[latest['to_status']]} », après votre lecture : rien n'a été "
                "enregistré. Rechargez pour voir la valeur actuelle, puis réappliquez votre "
                "changement."
                if latest
                else f"Le statut de « {item['title'][:60]} » a changé depuis votre lecture : rechargez.",
                latest,
            )
        current = latest["to_status"] if latest else None
        if target not in allowed_targets(current):
            options = ", ".join(f"« {fmt.STATUS_LABELS[s]} »" for s in allowed_targets(current))
            raise ValidationError(
                f"Passage de « {fmt.STATUS_LABELS[current]} » à « {fmt.STATUS_LABELS[target]} » non "
                f"autorisé. Depuis « {fmt.STATUS_LABELS[current]} » : {options}."
            )
        if (
            latest
            and target == current
            and clean_progress in (None, latest["progress"])
            and not note
            and decision_id is None
            and source is None
        ):
            raise ValidationError(
                f"Rien à enregistrer : « {item['title'][:60]} » est déjà "
                f"« {fmt.STATUS_LABELS[current]} »"
                + (f" à {latest['progress']} %" if latest["progress"] is not None else "")
                + ". Changez le statut ou l'avancement, ou ajoutez un commentaire."
            )
        if item.get("archived_on") is not None:
            raise ValidationError(
                f"« {item['title'][:60]} » est archivé(e) depuis le "
                f"{fmt.date_fr(item['archived_on'])} : son statut ne change plus."
            )
        exists_from = origins.start_day(cur, kind, item["id"])
        if exists_from is not None and when < exists_from:
            raise ValidationError(
                f"« {item['title'][:60]} » n'existe qu'à partir du {fmt.date_fr(exists_from)} : "
                f"un statut ne peut pas être daté du {fmt.date_fr(when)}. S'il existait avant, "
                "dites-le d'abord sur sa fiche (« Existe depuis le », avec le motif)."
            )
        if latest and when < latest["occurred_on"]:
            raise ValidationError(
                f"La date du changement ({fmt.date_fr(when)}) précède celle du dernier statut "
                f"enregistré ({fmt.date_fr(latest['occurred_on'])})."
            )
        decision = _check_decision(cur, decision_id, kind, item["id"], target)
        event_id = insert(
            cur,
            "status_event",
            {
                "item_kind": kind,
                "item_id": item["id"],
                "occurred_on": when,
                "from_status": current,
                "from_progress": latest["progress"] if latest else None,
                "to_status": target,
                "progress": clean_progress,
                "comment": note,
                "decision_id": decision,
                "source_id": add_source(cur, source),
                "actor": actor.name,
                "recorded_at": utcnow(),
            },
        )
        _record_current(cur, kind, item, event_id, target, clean_progress, when, latest, actor)
        return event_id


def _record_current(
    cur: duckdb.DuckDBPyConnection,
    kind: str,
    item: dict,
    event_id: int,
    target: str,
    progress: int | None,
    when: dt.date,
    latest: dict | None,
    actor: Actor,
) -> None:
    """Keep item_status equal to the log's latest row (progress: the last one stated;
    who recorded it; the day the item first went in progress, the day it was last
    delivered or validated), and the programme's roll-up moved by the difference;
    ``latest`` is the item's row as latest_event read it (None when it has none). An
    update of the item's row (its key unchanged), else an insert: half the cost of an
    upsert. Events of an item are recorded in date order: the first « en cours » is the
    earliest, the last delivery the latest."""
    params = {"k": kind, "i": item["id"], "e": event_id, "s": target, "p": progress, "d": when,
              "a": actor.name}  # fmt: skip
    if latest is not None:
        cur.execute(
            "update item_status set event_id = $e, status = $s, progress = coalesce($p, progress),"
            " status_on = $d, status_by = $a,"
            " started_on = coalesce(started_on, case when $s = 'in_progress' then $d end),"
            " finished_on = case when $s in ('delivered', 'validated') then $d else finished_on end"
            " where item_kind = $k and item_id = $i",
            params,
        )
    else:
        cur.execute(
            "insert into item_status values ($k, $i, $e, $s, $p, $d, $a,"
            " case when $s = 'in_progress' then $d end,"
            " case when $s in ('delivered', 'validated') then $d end)",
            params,
        )
    old_status, old_progress = (latest["to_status"], latest["progress"]) if latest else (None, None)
    new_progress = progress if progress is not None else old_progress
    rollups.status_changed(
        cur, item, kind, (old_status, old_progress), (target, new_progress), when
    )


def _check_decision(
    cur: duckdb.DuckDBPyConnection, decision_id: object, kind: str, item_id: int, target: str
) -> int | None:
    if decision_id is None:
        if target == "validated":
            raise ValidationError(
                "Une validation s'appuie sur la décision qui valide l'élément : "
                "choisissez-la (ou enregistrez d'abord la réunion)."
            )
        return None
    decision = require_row(cur, "decision", decision_id, "Décision")
    if target == "validated":
        concerns = cur.execute(
            "select 1 from decision_item where decision_id = $d and item_kind = $k and item_id = $i",
            {"d": decision["id"], "k": kind, "i": item_id},
        ).fetchone()
        if decision["kind"] != "validates" or not concerns:
            raise ValidationError("La décision choisie ne valide pas cet élément.")
    return decision["id"]


def revert(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    kind: str,
    item_id: int,
    to_status: str,
    occurred_on: dt.date,
    comment: str,
) -> None:
    """Undo a validation whose decision was cancelled: a new event back to the status
    before it (the log is never rewritten). Called by the committees service inside
    its transaction, which has checked that the validation is the item's latest event."""
    item = require_row(cur, ITEM_TABLES[kind], item_id, fmt.capitalize_first(kind))
    latest = latest_event(cur, kind, item_id)
    event_id = insert(
        cur,
        "status_event",
        {
            "item_kind": kind,
            "item_id": item_id,
            "occurred_on": occurred_on,
            "from_status": "validated",
            "from_progress": latest["progress"] if latest else None,
            "to_status": to_status,
            "progress": None,
            "comment": comment,
            "actor": actor.name,
            "recorded_at": utcnow(),
        },
    )
    _record_current(cur, kind, item, event_id, to_status, None, occurred_on, latest, actor)
