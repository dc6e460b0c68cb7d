"""Colours that carry meaning pass WCAG AA contrast (4.5:1 for text, 3:1 for the marks
of a chart: RGAA 3.2 and 3.3), every chart takes its colours from the palette (the
deck's and the PDF's: tests/tracker/test_pack.py), and status is never told by colour
alone."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from dashboard.resources import resource_dir
from dashboard.tracker import fmt, palette
from dashboard.ui.widgets import STATUS_STYLE, badge_html

ROOT = Path(__file__).resolve().parents[1]
MARKS = [*palette.SERIES, *palette.STAGES.values(), *palette.LANES.values(), palette.TODAY,
         palette.ACTUAL, palette.PLAN_EDGE]  # fmt: skip


contrast = palette.contrast


@pytest.mark.parametrize("status", list(STATUS_STYLE))
def test_status_badges_pass_aa(status):
    _, background, text = STATUS_STYLE[status]
    assert contrast(background, text) >= 4.5


@pytest.mark.parametrize("status", list(STATUS_STYLE))
def test_status_badges_say_the_status_in_words(status):
    markup = badge_html(status)
    assert fmt.label(fmt.STATUS_LABELS, status) in markup
    assert "aria-label" in markup


def test_theme_text_passes_aa():
    with open(resource_dir("streamlit") / "config.toml", "rb") as handle:
        theme = tomllib.load(handle)["theme"]
    assert contrast(theme["textColor"], theme["backgroundColor"]) >= 7
    assert contrast(theme["textColor"], theme["secondaryBackgroundColor"]) >= 4.5
    assert contrast(theme["primaryColor"], theme["backgroundColor"]) >= 4.5


def test_unknown_value_tile_passes_aa():
    assert contrast("#9a3412", "#f8fafc") >= 4.5  # « non renseigné » in a KPI tile
    assert contrast("#4b5563", "#f8fafc") >= 4.5  # tile notes


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
