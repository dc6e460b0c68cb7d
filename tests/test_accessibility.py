"""Colours that carry meaning pass WCAG AA contrast (4.5:1 for text), and status is
never told by colour alone."""

from __future__ import annotations

import tomllib

import pytest

from dashboard.resources import resource_dir
from dashboard.tracker import fmt
from dashboard.ui.widgets import STATUS_STYLE, badge_html


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


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
