"""Colours that carry meaning stand out (RGAA 3.2 and 3.3, WCAG 2.1 1.4.3 and 1.4.11):
every chart colour of the palette at least 3:1 against the white background, the text
colours 4.5:1; the app's charts, the deck's and the PDF's take their colours from the
palette and nowhere else (the deck's and the PDF's: tests/tracker/test_pack.py)."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.tracker import palette

ROOT = Path(__file__).resolve().parents[2]
MARKS = [*palette.SERIES, *palette.STAGES.values(), *palette.LANES.values(), palette.TODAY,
         palette.ACTUAL, palette.PLAN_EDGE]  # fmt: skip


def test_the_contrast_ratio_is_the_wcag_one():
    assert round(palette.contrast("#000000"), 1) == 21.0
    assert palette.contrast("#ffffff") == 1.0
    assert round(palette.contrast("#767676"), 2) == 4.54  # the lightest grey passing 4.5:1


def test_every_mark_stands_3_to_1_and_every_text_colour_4_5_to_1():
    assert {c: round(palette.contrast(c), 2) for c in MARKS if palette.contrast(c) < 3} == {}
    assert palette.contrast(palette.INK) >= 4.5 and palette.contrast(palette.MUTED) >= 4.5


def test_charts_take_their_mark_colours_from_the_palette_only():
    """The hex colours left in the chart modules are the background, the grid, the
    axis lines, text and outlines (each checked here), never a series."""
    allowed = {"#ffffff", "#e5e7eb", "#9ca3af", "#1a1a1a", "#111827", "#1f2937"}
    for name in ("dashboard/ui/charts.py", "dashboard/tracker/evaluation_report/figures.py"):
        found = set(re.findall(r"#[0-9A-Fa-f]{6}", (ROOT / name).read_text()))
        assert found <= allowed, f"{name} : {found - allowed}"
    for text_colour in ("#1a1a1a", "#111827", "#1f2937"):
        assert palette.contrast(text_colour) >= 4.5
