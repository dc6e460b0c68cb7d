"""The pack of a quarter, assembled from its sections."""

from __future__ import annotations

from dashboard.tracker import secrecy
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.pack import evaluation as evaluation_module
from dashboard.tracker.pack.cover import kpi_slide, quarter_meeting, title_slide
from dashboard.tracker.pack.data import load, parse_quarter
from dashboard.tracker.pack.follow_up import (
    alerts_slide,
    completeness_slide,
    deadlines_slide,
    sources_slide,
)
from dashboard.tracker.pack.meetings import changes_slide, decisions_slide
from dashboard.tracker.pack.model import Pack
from dashboard.tracker.pack.money import budget_slide, funding_slide
from dashboard.tracker.pack.progress import progress_slide
from dashboard.tracker.pack.sheets import sheets


def build(
    db: Database, quarter: str | tuple[int, int], programme_code: str | None = None, *,
    public: bool = False,
) -> Pack:  # fmt: skip
    """The pack of a quarter; ``public``: marked for publication, small counts hidden
    (statistical secrecy at the administrator's threshold)."""
    year, q = parse_quarter(quarter) if isinstance(quarter, str) else quarter
    threshold = secrecy.threshold(db) if public else None
    data = load(db, year, q, programme_code, threshold)
    slides = [
        title_slide(data),
        kpi_slide(data),
        progress_slide(data),
        budget_slide(data),
        funding_slide(data),
        decisions_slide(data),
        evaluation_module.indicators_slide(data.evaluation),
        evaluation_module.deliverables_slide(data.evaluation),
        evaluation_module.answers_slide(data.evaluation),
        evaluation_module.recommendations_slide(data.evaluation),
        changes_slide(data),
        deadlines_slide(data),
        alerts_slide(data),
        completeness_slide(data),
        sources_slide(data),
    ]
    meeting_on = quarter_meeting(data)
    fictional = bool(db.records("demo_flag"))
    return Pack(
        year, q, programme_code, data.programmes, utcnow(), meeting_on, slides, sheets(data),
        fictional, threshold,
    )  # fmt: skip
