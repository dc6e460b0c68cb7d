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


def value_key(row: dict) -> tuple:
    """A value's cell: (indicator, territory — 0 for the whole programme —, period)."""
    return (row["indicator_id"], row["territory_id"] or 0, row["period_start"])


def hidden_values(
    values: list[dict], territories: list[dict], limit: int,
    sums: dict[tuple, float] | None = None,
) -> set[tuple]:  # fmt: skip
    """The cells (``value_key``) of count indicators to show « s », among rows of the
    read ``indicator_values_known``. For each indicator and period, the groups that add
    up: the whole programme's value over the territories of each kind, and each
    territory over those recorded within it. ``sums`` holds totals a publication shows
    beside the values ((indicator, period) -> total, when no value for the whole
    programme is recorded): they count as a visible total too. Rates and amounts are not
    counts of people: never hidden."""
    by_id = {t["id"]: t for t in territories}
    cells: dict[Hashable, float | None] = {}
    cells_of: dict[tuple, list[int]] = {}
    for v in values:
        if v["unit_kind"] != "count":
            continue
        cells[value_key(v)] = float(v["value"]) if v["value"] is not None else None
        cells_of.setdefault((v["indicator_id"], v["period_start"]), []).append(
            v["territory_id"] or 0
        )
    groups: list[Group] = []
    for (indicator, period), places in cells_of.items():
        total = (indicator, 0, period) if 0 in places else None
        if total is None and sums and (indicator, period) in sums:
            total = ("sum", indicator, period)
            cells[total] = float(sums[(indicator, period)])
        rows = [p for p in places if p != 0]
        for kind in {by_id[p]["kind"] for p in rows if p in by_id}:
            same = tuple(
                (indicator, p, period) for p in rows if by_id.get(p, {}).get("kind") == kind
            )
            groups.append(Group(total, same))
        for parent in rows:
            within = tuple((indicator, p, period) for p in rows
                           if parent in (by_id.get(p, {}).get("within_ids") or []))  # fmt: skip
            if within:
                groups.append(Group((indicator, parent, period), within))
    return hidden(cells, groups, limit)


def shown(value: object, key: tuple, secret: set, formatter) -> str:
    """A cell as a publication prints it: « s » when hidden, else formatted."""
    return SECRET if key in secret else formatter(value)


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
