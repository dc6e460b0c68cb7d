"""Statistical secrecy (« secret statistique ») for what is marked for publication: the
evaluation report, and the pack and exports made with ``--public``.

A count below the threshold (the administrator's setting ``secret_threshold``, 11 by
default) is shown « s » (primary suppression). So that it cannot be recomputed from a
total or a difference, every group that adds up — a total and its details, a territory
and the territories within it — never has exactly one hidden cell among its visible
total: the smallest other visible cell is hidden too, and so on until no group gives
any hidden cell away (secondary suppression). Internal views keep every value."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import audit

#: what a protected cell shows
SECRET = "s"
DEFAULT_THRESHOLD = 11
SETTING = "secret_threshold"
LEGEND = (
    "« s » : secret statistique — effectif inférieur à {threshold}, ou masqué pour qu'il ne "
    "puisse pas être déduit d'un total ou d'une différence."
)


@dataclass(frozen=True)
class Group:
    """Cells that add up: ``total`` (None when the total is not shown) and its details."""

    total: Hashable | None
    details: tuple[Hashable, ...]


def hidden(
    values: dict[Hashable, float | None], groups: Iterable[Group], threshold: int
) -> set[Hashable]:
    """The cells to show « s »: those below ``threshold`` (unknown cells, None, are not
    secret: they are not shown at all), then the complementary cells that keep each one
    from being recomputed through any group."""
    secret = {k for k, v in values.items() if v is not None and v < threshold}
    groups = [g for g in groups if g.details]
    changed = True
    while changed:
        changed = False
        for group in groups:
            details = [d for d in group.details if values.get(d) is not None]
            hidden_here = [d for d in details if d in secret]
            total_known = group.total is not None and values.get(group.total) is not None
            if not total_known or group.total in secret or len(hidden_here) != 1:
                continue
            visible = sorted((d for d in details if d not in secret),
                             key=lambda d: (values[d], str(d)))  # fmt: skip
            secret.add(visible[0] if visible else group.total)
            changed = True
    return secret


def threshold(db: Database) -> int:
    """The threshold set by the administrator (11 when none is set)."""
    found = db.scalar("select value from app_meta where key = $k", {"k": SETTING})
    return int(found) if found else DEFAULT_THRESHOLD


@write_service("administrateur", "régler le seuil du secret statistique")
def set_secret_threshold(db: Database, actor: Actor, *, value: object) -> int:
    """Record the threshold (an integer from 1 to 1 000; 11 is the usual rule), audited."""
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise ValidationError("Le seuil du secret statistique est un nombre entier.") from error
    if not 1 <= number <= 1000:
        raise ValidationError("Le seuil du secret statistique est compris entre 1 et 1 000.")
    with db.transaction() as cur:
        before = cur.execute("select value from app_meta where key = $k", {"k": SETTING}).fetchone()
        if before and int(before[0]) == number:
            raise ValidationError("Rien à enregistrer : le seuil ne change pas.")
        cur.execute("delete from app_meta where key = $k", {"k": SETTING})
        cur.execute("insert into app_meta values ($k, $v)", {"k": SETTING, "v": str(number)})
        audit(cur, actor, "update", "app_meta", SETTING,
              before={SETTING: int(before[0]) if before else DEFAULT_THRESHOLD},
              after={SETTING: number})  # fmt: skip
    return number
