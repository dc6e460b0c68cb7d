"""Every funder's euros (issue 24, part 3): the financing plans — the budget lines of a
programme, one per funder, year and (when it is known) action — read by funder, by kind
of funder, by nature of credits, by year, by action and by territory, and the share of
the year's cash that comes under multi-year conventions against the 50 % the Quartiers
2030 circular aims at. The sums are the SQL's (``funding_by``, ``multi_year_share``);
here they get their French labels. What is not said stays « non renseigné »."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.tracker import fmt
from dashboard.tracker.db import Database

#: the ways to read the plans, in the order a comité reads them
DIMENSIONS = {
    "funder_category": "Par catégorie de financeur",
    "funder": "Par financeur",
    "nature": "Par nature des crédits",
    "fiscal_year": "Par exercice",
    "action": "Par action",
    "territory": "Par territoire",
}
#: what the first column of each view is called
KEY_LABELS = {
    "funder_category": "Catégorie de financeur",
    "funder": "Financeur",
    "nature": "Nature des crédits",
    "fiscal_year": "Exercice",
    "action": "Action",
    "territory": "Territoire",
}
NOT_SAID = {
    "action": "le programme dans son ensemble (aucune action désignée)",
    "territory": "aucun territoire rattaché",
}


def label(dimension: str, row: dict) -> str:
    """The French name of a row's key; « non renseigné » when the record does not say."""
    key = row["key"]
    if key is None:
        return NOT_SAID.get(dimension, fmt.UNKNOWN)
    if dimension == "funder_category":
        return fmt.capitalize_first(fmt.FUNDER_CATEGORY_LABELS[key])
    if dimension == "nature":
        return fmt.capitalize_first(fmt.FUNDING_NATURE_LABELS[key])
    return row["label"] or key


def views(
    db: Database, as_of: dt.date, programme_code: str | None = None, fiscal_year: int | None = None
) -> dict[str, list[dict]]:
    """Each dimension's rows (with ``name``, its French label), in DIMENSIONS order;
    dimensions without any line are left out."""
    return by_dimension(db.records("funding_by", as_of=as_of, programme_code=programme_code,
                                   fiscal_year=fiscal_year))  # fmt: skip


def by_dimension(rows: list[dict]) -> dict[str, list[dict]]:
    """The rows of ``funding_by`` (however read: a page reads them through its cache)
    grouped by dimension, each with its French ``name``."""
    out: dict[str, list[dict]] = {d: [] for d in DIMENSIONS}
    for row in rows:
        out[row["dimension"]].append({**row, "name": label(row["dimension"], row)})
    return {d: r for d, r in out.items() if r}


@dataclass(frozen=True)
class Share:
    fiscal_year: int
    tax_basis: str
    granted: object
    multi_year: object
    single_year: object
    not_said: object
    share: float | None

    @property
    def meets_target(self) -> bool | None:
        """Whether the known part reaches the target; None when nothing is known."""
        return None if self.share is None else self.share >= fmt.MULTI_YEAR_TARGET

    @property
    def verdict(self) -> str:
        if self.share is None:
            return "non renseigné : aucun acte ne dit s'il est pluriannuel"
        said = f"{fmt.percent(self.share, 1)} (objectif : {fmt.MULTI_YEAR_TARGET}\u00a0%)"
        reached = "objectif atteint" if self.meets_target else "sous l'objectif"
        partial = " — sur la part connue seulement" if self.not_said else ""
        return f"{said}, {reached}{partial}"


def multi_year_shares(
    db: Database, as_of: dt.date, programme_code: str | None = None
) -> list[Share]:
    return shares(db.records("multi_year_share", as_of=as_of, programme_code=programme_code))


def shares(rows: list[dict]) -> list[Share]:
    """The rows of ``multi_year_share`` as Shares (their verdict against the target)."""
    return [Share(**row) for row in rows]
