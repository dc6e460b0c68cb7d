"""The quarter's data: every read the pack shows, gathered once with the quarter's
dates passed to SQL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker import financing, fmt, history, overview
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.pack import evaluation as evaluation_module
from dashboard.tracker.pack.model import DETAILED_PROGRAMMES, SLIDE_ROWS


def parse_quarter(text: object) -> tuple[int, int]:
    """``2022-T3``, ``T3 2022``, ``2022-Q3`` or ``2022T3`` -> (2022, 3); French message otherwise."""
    value = str(text or "").strip().upper()
    match = re.fullmatch(r"(\d{4})\s*[-_ ]?\s*[TQ]([1-4])", value) or re.fullmatch(
        r"[TQ]([1-4])\s*[-_ ]?\s*(\d{4})", value
    )
    if not match:
        raise ValidationError(
            f"Trimestre « {text} » non reconnu : écrivez par exemple 2022-T3 (ou T3 2022)."
        )
    first, second = match.groups()
    year, quarter = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Année {year} hors de la période suivie (2000 à 2100).")
    return year, quarter


@dataclass
class QuarterData:
    """Everything the pack shows, read once with the quarter's dates passed to SQL."""

    year: int
    quarter: int
    start: dt.date
    end: dt.date
    prev_end: dt.date
    horizon: dt.date
    programme_code: str | None
    programmes: list[dict]
    summaries: list[dict]
    previous: dict[str, dict]
    items: list[dict]
    budget_rows: list[dict]
    money: list[dict]
    lines: list[dict]
    payments: list[dict]
    #: each corrected payment's notes (« Corrigé le … par … ; motif : … »), by id
    payment_corrections: dict
    decisions: list[dict]
    meetings: list[dict]
    changes: list[dict]
    deadlines: list[dict]
    alerts: list[dict]
    gaps: list[dict]
    acts: list[dict]
    evaluation: evaluation_module.EvaluationData
    #: the financing plans read by dimension (financing.views) and the share under CPO
    funding: dict
    shares: list

    @property
    def codes(self) -> set[str]:
        return {p["code"] for p in self.programmes}

    @property
    def detailed(self) -> bool:
        return len(self.programmes) <= DETAILED_PROGRAMMES

    @property
    def label(self) -> str:
        return fmt.quarter_label(self.year, self.quarter)

    @property
    def prev_label(self) -> str:
        return fmt.quarter_label(*fmt.previous_quarter(self.year, self.quarter))


def load(db: Database, year: int, q: int, programme_code: str | None,
         public_threshold: int | None = None) -> QuarterData:  # fmt: skip
    """The quarter's data: figures as of its last day, events dated within it."""
    start, end = fmt.quarter_bounds(year, q)
    prev_end = start - dt.timedelta(days=1)
    horizon = fmt.quarter_bounds(*fmt.next_quarter(*fmt.next_quarter(year, q)))[1]
    code = programme_code
    if code is not None and not db.records("programmes", as_of=fmt.EVERY_DATE, programme_code=code):
        raise ValidationError(f"Programme « {code} » inconnu.")
    programmes = db.records("programmes", as_of=end, programme_code=code)
    # the longest reads first: the pool runs four at a time
    read = db.gather(
        gaps=lambda: completeness_module.completeness(db, code, end),
        item_alerts=lambda: overview.item_alerts(db, end, code, SLIDE_ROWS),
        # many programmes: their packs list phases and orientations, never the actions
        items=lambda: db.records(
            "work_items",
            as_of=end,
            programme_code=code,
            without_actions=len(programmes) > DETAILED_PROGRAMMES,
        ),
        summaries=lambda: overview.summaries(db, end, code),
        previous=lambda: overview.summaries(db, prev_end, code),
        deadlines=lambda: deadlines_module.deadlines(db, code, end),
        budget_rows=lambda: db.records("budget_by_year", as_of=end, programme_code=code),
        money=lambda: db.records("money_by_basis", as_of=end, programme_code=code),
        lines=lambda: db.records("budget_lines", as_of=end, programme_code=code),
        payments=lambda: db.records("payments", programme_code=code, since=start, until=end,
                                    limit=None),
        payment_corrections=lambda: history.corrections(db, "payment", any_record=True),
        decisions=lambda: db.records("decisions", programme_code=code, since=start, until=end),
        meetings=lambda: db.records("meetings", programme_code=code, since=start, until=end),
        changes=lambda: history.changes_between(db, prev_end, end, code),
        acts=lambda: db.records("acts", as_of=end, programme_code=code),
        evaluation=lambda: evaluation_module.load(db, code, start, end, public_threshold),
        funding=lambda: financing.views(db, end, code),
        shares=lambda: financing.multi_year_shares(db, end, code),
    )  # fmt: skip
    return QuarterData(
        year=year,
        quarter=q,
        start=start,
        end=end,
        prev_end=prev_end,
        horizon=horizon,
        programme_code=code,
        programmes=programmes,
        summaries=read["summaries"],
        previous={s["code"]: s for s in read["previous"]},
        items=read["items"],
        budget_rows=read["budget_rows"],
        money=read["money"],
        lines=read["lines"],
        payments=read["payments"],
        payment_corrections=read["payment_corrections"],
        decisions=read["decisions"],
        meetings=read["meetings"],
        changes=read["changes"],
        deadlines=read["deadlines"],
        alerts=overview.alerts(
            db, end, code, programme_summaries=read["summaries"], item_limit=SLIDE_ROWS,
            known={"deadlines": read["deadlines"], "gaps": read["gaps"], "acts": read["acts"],
                   "recommendations": read["evaluation"].recommendations,
                   "items": read["item_alerts"]},
        ),  # the slide shows the first ones
        gaps=read["gaps"],
        acts=read["acts"],
        evaluation=read["evaluation"],
        funding=read["funding"],
        shares=read["shares"],
    )  # fmt: skip
