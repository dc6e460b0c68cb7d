"""Say where a record comes from after it was created: the act (and article) or the
decision that creates it, or an earlier date with its reason (``origins``). Audited;
the roll-ups of the record's programme follow."""

from __future__ import annotations

from dashboard.tracker import fmt, origins, rollups
from dashboard.tracker.access import Actor, require, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import ENTITY_LABELS, audit, require_row

#: who may say where a record comes from: the role that may create it
_ROLE = {
    "phase": "contributeur", "orientation": "contributeur", "action": "contributeur",
    "eval_question": "contributeur", "eval_criterion": "contributeur",
    "indicator": "contributeur", "deliverable": "contributeur",
    "programme": "administrateur", "committee": "administrateur",
    "meeting": "contributeur", "decision": "contributeur",
}  # fmt: skip


@write_service("contributeur", "dire depuis quand une fiche existe")
def set_origin(
    db: Database, actor: Actor, entity: str, entity_id: int, *, origin: origins.Origin
) -> dict:
    """The record's origin said anew; the origin row after."""
    if entity not in _ROLE:
        raise ValidationError(f"Une fiche de type « {entity} » n'a pas de date d'existence.")
    require(actor, _ROLE[entity], "dire depuis quand cette fiche existe")
    label = fmt.capitalize_first(ENTITY_LABELS.get(entity, entity))
    with db.transaction() as cur:
        row = require_row(cur, entity, entity_id, label)
        before, after = origins.replace(cur, actor, entity, row["id"], origin)
        audit(cur, actor, "update", "record_origin", f"{entity}/{row['id']}", before=before,
              after=after, reason=after["reason"])  # fmt: skip
        if entity in rollups.ITEM_TABLES:
            rollups.refresh_programmes(cur, [row["programme_id"]])
        return after
