"""The quarterly meeting pack: what the deck, the PDF, the workbook and the
presentation mode show, computed once from the database as of the quarter's last day.

``build(db, "2022-T3", programme_code=None)`` returns a ``Pack``: slides (title, short
lines, an optional table and an optional chart, speaker notes naming each figure's
source) and the full tables of the workbook. The renderers in ``pack.pptx``,
``pack.pdf`` and ``pack.xlsx`` only lay it out, importing only ``pack.model``.

Layout: ``model`` (Pack, Slide, Chart, Sheet), ``data`` (the gathered reads),
one module per section of slides (``cover``, ``progress``, ``money``, ``meetings``,
``evaluation``, ``follow_up``), ``sheets`` (the workbook's tables), ``build``."""

from dashboard.tracker.pack.build import build
from dashboard.tracker.pack.cover import in_force_rule, quarter_meeting
from dashboard.tracker.pack.data import QuarterData, load, parse_quarter
from dashboard.tracker.pack.model import DETAILED_PROGRAMMES, SLIDE_ROWS, Chart, Pack, Sheet, Slide

__all__ = [
    "DETAILED_PROGRAMMES", "SLIDE_ROWS", "Chart", "Pack", "QuarterData", "Sheet", "Slide", "build",
    "in_force_rule", "load", "parse_quarter", "quarter_meeting",
]  # fmt: skip
