"""The pack's slides drawn in the app: a preview (normal type) and the presentation
mode (one slide at a time, large type for a projector, the Streamlit chrome hidden)."""

from __future__ import annotations

from html import escape

import streamlit as st

from dashboard.tracker import fmt, palette
from dashboard.tracker.pack import Chart, Slide
from dashboard.ui import charts
from dashboard.ui.widgets import escape_markdown, html, html_table

COLOURS = list(palette.STAGES.values())

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
.block-container {padding-top: 1.2rem !important; max-width: 100% !important;}
.cdv-slide h2 {font-size: 2.6rem; line-height: 1.15; color: #1f4e79; margin: 0 0 0.8rem 0;}
.cdv-slide li {font-size: 1.55rem; line-height: 1.4; margin-bottom: 0.35rem;}
.cdv-slide table {font-size: 1.25rem;}
.cdv-slide .cdv-count {font-size: 1.1rem; color: #374151;}
</style>
"""


def _value_text(value: float, number_format: str) -> str:
    return fmt.percent(value) if number_format == "percent" else fmt.money(value)


#: on the projector (1080 px), what a slide's chart may take once its title, its lines
#: and its table have theirs: each line beyond two and each table row costs its height
LARGE_HEIGHT, LINE_HEIGHT, ROW_HEIGHT, SMALLEST = 560, 46, 38, 280


def figure(chart: Chart, *, large: bool, room: int | None = None) -> charts.Drawn:
    size = 20 if large else 14
    height = (room or LARGE_HEIGHT) if large else 380
    if chart.horizontal:  # bars of a readable thickness, however few they are
        bars = len(chart.categories) * len(chart.series)
        height = min(height, (150 if large else 110) + (56 if large else 34) * bars)
    spec = charts.Spec(chart.title, height=height)
    spec.layout["font"] = {**charts.FONT, "size": size}
    spec.layout["barmode"] = "group"
    for index, (name, values) in enumerate(chart.series.items()):
        texts = [
            _value_text(v, chart.number_format) if v is not None else fmt.UNKNOWN for v in values
        ]
        trace = {
            "type": "bar",
            "name": name,
            "marker": {"color": COLOURS[index % len(COLOURS)]},
            "hovertext": [
                f"{charts.text(c)} : {t}" for c, t in zip(chart.categories, texts, strict=True)
            ],
            "hoverinfo": "text",
        }
        categories = [charts.text(c) for c in chart.categories]
        if chart.horizontal:
            trace.update(x=values, y=categories, orientation="h")
        else:
            trace.update(x=categories, y=values)
        if chart.number_format == "percent":
            trace.update(text=texts, textposition="auto")
        spec.add(trace)
    value_axis = "xaxis" if chart.horizontal else "yaxis"
    top = chart.top
    ticks = [0, 25, 50, 75, 100] if chart.number_format == "percent" else _money_ticks(top)
    spec.layout[value_axis].update(
        tickvals=ticks,
        ticktext=[_value_text(t, chart.number_format) for t in ticks],
        range=[0, 100] if chart.number_format == "percent" else None,
    )
    if chart.horizontal:
        spec.layout["yaxis"]["autorange"] = "reversed"
    return spec.figure()


def _money_ticks(top: float) -> list[float]:
    if top <= 0:
        return [0]
    step = 10 ** max(0, len(str(int(top))) - 1)
    while top / step > 6:
        step *= 2
    return [step * i for i in range(int(top // step) + 2)]


def _chart_room(slide: Slide) -> int:
    """The chart's height on the projector: the whole slide fits the screen."""
    taken = LINE_HEIGHT * max(0, len(slide.lines) - 2)
    if slide.table is not None:
        taken += ROW_HEIGHT * (len(slide.table[1]) + 1)
    return max(SMALLEST, LARGE_HEIGHT - taken)


def show(slide: Slide, *, number: int, total: int, large: bool, key: str) -> None:
    """One slide: title, lines, chart (plotly, French ticks), table; its sources below."""
    lines = "".join(f"<li>{escape(line)}</li>" for line in slide.lines)
    html(
        f"<div class='cdv-slide'><div class='cdv-count'>Diapositive {number} / {total}</div>"
        f"<h2>{escape(slide.title)}</h2><ul>{lines}</ul></div>"
    )
    if slide.chart is not None:
        st.plotly_chart(
            figure(slide.chart, large=large, room=_chart_room(slide)), width="stretch",
            config=charts.CONFIG, key=key,
        )  # fmt: skip
    if slide.table is not None:
        html(f"<div class='cdv-slide'>{html_table(*slide.table, f'Tableau : {slide.title}')}</div>")
    if slide.notes and not large:
        st.caption(escape_markdown("Sources : " + " · ".join(slide.notes[:6])))
