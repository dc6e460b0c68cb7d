"""The colours of every chart, in the app, the deck, the PDF and the reports: one place.

Each colour that carries meaning (a bar, a line, a point) stands at least 3:1 against
the white background (WCAG 2.1 1.4.11, RGAA 3.3), text colours at least 4.5:1 (RGAA
3.2); the categorical order keeps Okabe-Ito's hues, told apart with the common
colour-vision deficiencies, darkened where they were too light (sky blue, orange,
yellow). ``contrast`` is the WCAG ratio the tests check them with."""

from __future__ import annotations

BACKGROUND = "#ffffff"
INK = "#1f2937"
MUTED = "#4b5563"
#: series in order: blue, vermillion, bluish green, reddish purple, violet, dark gold, ink
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#5E4FA2", "#8C6D00", "#1f2937"]
#: the four stages of spending, always in the same colours
STAGES = {"allocated": "#0072B2", "committed": "#5E4FA2", "ordered": "#D55E00", "paid": "#009E73"}
#: the chronology's lanes
LANES = {"Actes": "#0072B2", "Phases": "#009E73", "Comités": "#CC79A7", "Échéances": "#D55E00"}
#: « today » on a time axis; the planned bars of the calendar (light fill, ``PLAN_EDGE``
#: outline: the outline is the mark that stands out from the background)
TODAY = "#b91c1c"
PLAN_FILL, PLAN_EDGE = "#bfd7f2", "#1f4e79"
ACTUAL = "#1f4e79"


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str = BACKGROUND) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
