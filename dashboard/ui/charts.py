"""Plotly figures from DataFrames, in French. The plotly.js bundled with Streamlit has
no French locale, so the separators come from ``layout.separators`` and every date
label and hover text is written by babel beforehand."""

from __future__ import annotations

import datetime as dt
import functools
from html import escape, unescape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.tracker import fmt, palette
from dashboard.ui.widgets import data_table, escape_markdown

SEPARATORS = ",\u202f"  # decimal comma, narrow no-break space for thousands
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1a1a1a")
# the palette's colours (contrast ≥ 3:1, told apart with colour-vision deficiencies)
STAGE_COLOURS = palette.STAGES
STAGE_NAMES = {"allocated": "Alloué", "committed": "Engagé", "ordered": "Mandaté", "paid": "Versé"}
LANE_COLOURS = palette.LANES
#: no plotly mode bar: on a phone or a touch screen it stays over the legend; zooming
#: by dragging and double-clicking back still work, Streamlit's own toolbar gives the
#: full screen, and every chart has its table in the expander below it
CONFIG = {"displaylogo": False, "displayModeBar": False}


def text(value: object) -> str:
    """Stored text for a chart: plotly reads a subset of HTML in labels and hovers
    (links, images in some versions), so every stored value is HTML-escaped."""
    return escape(str(value), quote=False)


@functools.cache
def _template() -> dict:
    """The template plotly gives every new figure (its default one), as plain dicts."""
    return go.Figure().to_dict()["layout"]["template"]


class Drawn(go.Figure):
    """A chart handed to ``st.plotly_chart`` as the plain dicts it was written as, with
    plotly's default template, as a new Figure would carry it. Streamlit takes from a
    figure its ``to_dict()`` alone; a real Figure built its traces' objects from the
    dicts (about 2 ms for a chronology) and deep-copied them all back (1 ms), on every
    view. Nothing else of a Figure is there (it is not initialised as one): build a
    chart with ``Spec``, give it to ``show`` or ``st.plotly_chart``. What is sent is
    what plotly's own validated figure of the same dicts gives (tests/app)."""

    def __init__(self, data: list[dict], layout: dict):  # no Figure.__init__: see above
        self._drawn = {"data": data, "layout": {"template": _template(), **layout}}

    @property
    def title(self) -> str | None:
        return self._drawn["layout"].get("title", {}).get("text")

    def untitled(self, margin_top: int) -> Drawn:
        """The same chart without its title (shown as text of the page above it)."""
        layout = dict(self._drawn["layout"])
        layout["title"] = {k: v for k, v in layout.get("title", {}).items() if k != "text"}
        layout["margin"] = {**layout.get("margin", {}), "t": margin_top}
        return Drawn(self._drawn["data"], layout)

    def to_dict(self) -> dict:
        return self._drawn


class Spec:
    """A chart being written as plain dicts (plotly's schema), handed to Streamlit as
    they are (``Drawn``): plotly's update_* helpers and validation cost about ten times
    more than the drawing data itself. The browser tests draw every chart."""

    def __init__(self, title: str, height: int = 380):
        self.data: list[dict] = []
        self.layout: dict = {
            "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
            "separators": SEPARATORS,
            "font": FONT,
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "legend": {
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.0,
                "xanchor": "right",
                "x": 1,
            },
            "hoverlabel": {"font": {"size": 14}},
            "xaxis": {"gridcolor": "#e5e7eb", "linecolor": "#9ca3af"},
            "yaxis": {"gridcolor": "#e5e7eb", "linecolor": "#9ca3af", "automargin": True},
        }

    def copy(self) -> Spec:
        """Another spec drawing the same traces (shared, not copied: never changed), whose
        layout's lines and labels can be added to without touching this one's."""
        other = Spec.__new__(Spec)
        other.data = list(self.data)
        other.layout = {**self.layout}
        for key in ("shapes", "annotations"):
            if key in other.layout:
                other.layout[key] = list(other.layout[key])
        return other

    def add(self, trace: dict) -> Spec:
        self.data.append(trace)
        return self

    def vline(self, x: str, colour: str, label: str | None = None) -> Spec:
        self.layout.setdefault("shapes", []).append(
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": colour, "width": 2, "dash": "dash"},
            }
        )
        if label:
            self.layout.setdefault("annotations", []).append(
                {
                    "x": x,
                    "y": 1.02,
                    "yref": "paper",
                    "text": label,
                    "showarrow": False,
                    "xanchor": "right",
                    "font": {"color": colour, "size": 13},
                }
            )
        return self

    def hline(self, y: float, colour: str, label: str) -> Spec:
        self.layout.setdefault("shapes", []).append(
            {
                "type": "line",
                "x0": 0,
                "x1": 1,
                "xref": "paper",
                "y0": y,
                "y1": y,
                "line": {"color": colour, "dash": "dot"},
            }
        )
        self.layout.setdefault("annotations", []).append(
            {
                "x": 0,
                "xref": "paper",
                "y": y,
                "text": label,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": colour},
            }
        )
        return self

    def figure(self) -> Drawn:
        return Drawn(self.data, self.layout)


def year_ticks(start: dt.date, end: dt.date) -> tuple[list[str], list[str]]:
    years = range(start.year, end.year + 1)
    return [f"{y}-01-01" for y in years], [str(y) for y in years]


def month_ticks(start: dt.date, end: dt.date, step: int = 3) -> tuple[list[str], list[str]]:
    values, texts = [], []
    current = dt.date(start.year, ((start.month - 1) // step) * step + 1, 1)
    while current <= end:
        values.append(current.isoformat())
        texts.append(
            f"{fmt.format_month(current)}<br>{current.year}"
            if current.month == 1 or not texts
            else fmt.format_month(current)
        )
        month = current.month + step
        current = dt.date(current.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return values, texts


def show(
    fig: Drawn,
    table: pd.DataFrame,
    *,
    summary: str,
    caption: str | None = None,
    key: str | None = None,
) -> None:
    """The chart under its title, what it shows in words (its key figures: the text
    alternative a screen reader reads, RGAA 1.1 and 1.6), then its data as a table in an
    expander. The title is text of the page, not of the figure: it wraps on a phone
    instead of running off the chart, and never sits under the legend."""
    title = fig.title
    if title:
        st.markdown(f"**{escape_markdown(unescape(title))}**")
        fig = fig.untitled(margin_top=40)
    st.plotly_chart(fig, width="stretch", config=CONFIG, key=key)
    st.markdown(escape_markdown(f"En bref : {summary}"))
    if caption:
        st.caption(caption)
    with st.expander("Données du graphique (tableau)"):
        data_table(table, hide_index=True, placeholder=fmt.UNKNOWN, width="stretch")


def timeline(rows: list[dict], today: dt.date, start: dt.date, end: dt.date, title: str) -> Drawn:
    spec = Spec(title, height=330)
    symbols = {
        "Actes": "square",
        "Phases": "circle",
        "Comités": "diamond",
        "Échéances": "triangle-up",
    }
    for lane, colour in LANE_COLOURS.items():
        lane_rows = [r for r in rows if r["lane"] == lane]
        if lane_rows:
            spec.add(
                {
                    "type": "scatter",
                    "x": [r["date"] for r in lane_rows],
                    "y": [lane] * len(lane_rows),
                    "mode": "markers",
                    "name": lane,
                    "marker": {
                        "size": 14,
                        "color": colour,
                        "line": {"width": 1, "color": "#1a1a1a"},
                        "symbol": symbols[lane],
                    },
                    "customdata": [
                        [fmt.date_fr(r["date"]), text(r["label"]), text(r["source"])]
                        for r in lane_rows
                    ],
                    "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i>"
                    "<extra></extra>",
                }
            )
    # one short word: on a phone a label with its date ran off the chart (the date is the
    # page's « données au »)
    spec.vline(today.isoformat(), palette.TODAY, "Aujourd'hui")
    values, texts = year_ticks(start, end)
    spec.layout["xaxis"].update(
        range=[start.isoformat(), end.isoformat()], tickvals=values, ticktext=texts
    )
    spec.layout["yaxis"].update(categoryorder="array", categoryarray=list(reversed(LANE_COLOURS)))
    return spec.figure()


def money_bars(
    frame: pd.DataFrame, title: str, stages: tuple[str, ...] = tuple(STAGE_COLOURS)
) -> Drawn:
    """Grouped bars: one group per (year, programme, basis), one bar per stage shown."""
    spec = Spec(title)
    for stage, colour in STAGE_COLOURS.items():
        if stage not in stages:
            continue
        spec.add(
            {
                "type": "bar",
                "x": [text(g) for g in frame["group"]],
                # an unknown figure (no payment recorded) is no bar, never a bar at 0
                "y": [None if pd.isna(v) else float(v) for v in frame[stage]],
                "name": STAGE_NAMES[stage],
                "marker": {"color": colour},
                "customdata": [[fmt.UNKNOWN if pd.isna(v) else fmt.money(v)] for v in frame[stage]],
                "hovertemplate": "%{x}<br>"
                + STAGE_NAMES[stage]
                + " : %{customdata[0]}<extra></extra>",
            }
        )
    spec.layout["barmode"] = "group"
    spec.layout["yaxis"].update(
        title={"text": "euros"}, tickformat=",.0f", ticksuffix="\u00a0€", rangemode="tozero"
    )
    return spec.figure()


#: payment stages (their codes in the data) and the series they draw
STAGE_SERIES = {"commitment": "committed", "payment_order": "ordered", "disbursement": "paid"}


def cumulative(lines: Spec, allocated: float) -> Drawn:
    """The stepped lines of ``cumulative_lines``, and the allocated amount."""
    spec = lines.copy()
    if allocated:
        spec.hline(allocated, STAGE_COLOURS["allocated"], f"Alloué : {fmt.money(allocated)}")
    return spec.figure()


def cumulative_lines(frame: pd.DataFrame, title: str) -> Spec:
    """One stepped line per stage of the spending chain (the data's stage codes:
    commitment, payment_order, disbursement): made once per change of the data, never
    changed (``cumulative`` draws it with the allocated amount)."""
    spec = Spec(title)
    for stage, series in STAGE_SERIES.items():
        part = frame[frame["stage"] == stage]
        if part.empty:
            continue
        spec.add(
            {
                "type": "scatter",
                "x": [pd.Timestamp(d).date().isoformat() for d in part["occurred_on"]],
                "y": [float(v) for v in part["cumulative"]],
                "mode": "lines+markers",
                "line": {"shape": "hv", "color": STAGE_COLOURS[series], "width": 3},
                "name": STAGE_NAMES[series] + " (cumul)",
                "customdata": [
                    [fmt.date_fr(d), fmt.money(v)]
                    for d, v in zip(part["occurred_on"], part["cumulative"], strict=True)
                ],
                "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            }
        )
    spec.layout["yaxis"].update(
        title={"text": "euros"}, tickformat=",.0f", ticksuffix="\u00a0€", rangemode="tozero"
    )
    start = pd.Timestamp(frame["occurred_on"].min()).date()
    end = pd.Timestamp(frame["occurred_on"].max()).date()
    values, texts = month_ticks(start, end)
    spec.layout["xaxis"].update(tickvals=values, ticktext=texts)
    return spec


LABEL_CHARS = 34


def short_labels(labels: list[str], limit: int) -> list[str]:
    """Each label cut at a word with « … », kept distinct (two rows never merge)."""
    shown: list[str] = []
    for label in labels:
        candidate = fmt.shorten(label, limit)
        number = 2
        while candidate in shown:
            candidate = f"{fmt.shorten(label, limit - 4)} ({number})"
            number += 1
        shown.append(candidate)
    return shown


def gantt(rows: list[dict], today: dt.date, title: str) -> Drawn:
    """Planned periods (light) and actual ones (from the status log), one row per item.
    Row labels are cut short (a phone keeps room for the bars); the hover gives the
    whole title."""
    short = short_labels([r["label"] for r in rows], LABEL_CHARS)
    rows = [{**r, "short": text(s)} for r, s in zip(rows, short, strict=True)]
    labels = [r["short"] for r in rows]
    spec = Spec(title, height=max(260, 60 + 34 * len(labels)))
    for key, name, colour, width in (
        ("planned", "Prévu", palette.PLAN_FILL, 0.8),
        ("actual", "Réalisé", palette.ACTUAL, 0.4),
    ):
        bars = [r for r in rows if r.get(f"{key}_start") and r.get(f"{key}_end")]
        if not bars:
            continue
        spec.add(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "marker": {"color": colour, "line": {"color": palette.PLAN_EDGE, "width": 1}},
                "width": width,
                "y": [r["short"] for r in bars],
                "x": [((r[f"{key}_end"] - r[f"{key}_start"]).days or 1) * 86_400_000 for r in bars],
                "base": [r[f"{key}_start"].isoformat() for r in bars],
                "customdata": [
                    [
                        fmt.date_fr(r[f"{key}_start"]),
                        fmt.date_fr(r[f"{key}_end"]),
                        r["status_label"],
                        text(r["label"]),
                    ]
                    for r in bars
                ],
                "hovertemplate": "%{customdata[3]}<br>"
                + name
                + " : du %{customdata[0]} au %{customdata[1]}"
                "<br>Statut : %{customdata[2]}<extra></extra>",
            }
        )
    spec.vline(today.isoformat(), palette.TODAY)
    spec.layout["xaxis"]["type"] = "date"
    dates = [
        d
        for r in rows
        for d in (
            r.get("planned_start"),
            r.get("actual_start"),
            r.get("planned_end"),
            r.get("actual_end"),
        )
        if d
    ]
    if dates:
        start, end = min(dates), max(max(dates), today)
        values, texts = (
            year_ticks(start, end) if (end - start).days > 900 else month_ticks(start, end)
        )
        spec.layout["xaxis"].update(tickvals=values, ticktext=texts)
    spec.layout["yaxis"].update(categoryorder="array", categoryarray=list(reversed(labels)))
    return spec.figure()


def meetings(rows: list[dict], today: dt.date, title: str) -> Drawn:
    spec = Spec(title, height=260)
    for kind, colour, symbol in (
        ("copil", palette.SERIES[3], "diamond"),
        ("cotech", palette.SERIES[0], "circle"),
    ):
        part = [m for m in rows if m["committee_kind"] == kind]
        if part:
            spec.add(
                {
                    "type": "scatter",
                    "x": [m["held_on"] for m in part],
                    "y": [text(m["committee_name"]) for m in part],
                    "mode": "markers",
                    "name": fmt.COMMITTEE_KIND_LABELS[kind].capitalize(),
                    "marker": {
                        "size": 16,
                        "color": colour,
                        "symbol": symbol,
                        "line": {"width": 1, "color": "#1a1a1a"},
                    },
                    "customdata": [[fmt.date_fr(m["held_on"]), m["decisions"]] for m in part],
                    "hovertemplate": "%{y}<br>%{customdata[0]}<br>%{customdata[1]} décision(s)<extra></extra>",
                }
            )
    dates = [m["held_on"] for m in rows]
    start, end = min(min(dates), dt.date(2017, 1, 1)), max(max(dates), today)
    values, texts = year_ticks(start, end)
    spec.layout["xaxis"].update(
        tickvals=values, ticktext=texts, range=[f"{start.year}-01-01", f"{end.year}-12-31"]
    )
    return spec.figure()


SERIES_COLOURS = palette.SERIES
#: beyond this many territories, the chart keeps the total and the table has the rest
SERIES_UP_TO = 7


def indicator(rows: list[dict], title: str, unit: str) -> Drawn:
    """An indicator's values per period: one line per territory (the first
    ``SERIES_UP_TO``), the total when there is one (counts and amounts), and the
    targets as diamonds. Periods are categories in order (« S1 2023 », « 2024 »)."""
    order = sorted({(r["period_start"], r["period"]) for r in rows})
    periods = [label for _, label in order]
    spec = Spec(title)
    detail = [r for r in rows if r["row_kind"] == "detail" and not r["own"]]
    names = sorted({r["territory_name"] or "Ensemble" for r in detail})
    for index, name in enumerate(names[:SERIES_UP_TO]):
        own = [r for r in detail if (r["territory_name"] or "Ensemble") == name]
        spec.add(_line(own, text(name), SERIES_COLOURS[index % len(SERIES_COLOURS)], unit, 2))
    totals = [r for r in rows if r["row_kind"] == "total" and r["value"] is not None]
    if totals:
        spec.add(_line(totals, "Ensemble", palette.INK, unit, 4))
    targets = [r for r in rows if r["row_kind"] == "total" and r["target"] is not None]
    if targets:
        spec.add({
            "type": "scatter", "mode": "markers", "name": "Cible",
            "x": [r["period"] for r in targets], "y": [float(r["target"]) for r in targets],
            "marker": {"symbol": "diamond-open", "size": 14, "color": palette.SERIES[1],
                       "line": {"width": 2}},
            "hovertemplate": "%{x} : cible %{y:,.4~f} " + text(unit) + "<extra></extra>",
        })  # fmt: skip
    spec.layout["xaxis"].update(type="category", categoryorder="array", categoryarray=periods)
    spec.layout["yaxis"].update(title={"text": text(unit)}, rangemode="tozero")
    return spec.figure()


def _line(rows: list[dict], name: str, colour: str, unit: str, width: int) -> dict:
    return {
        "type": "scatter", "mode": "lines+markers", "name": name,
        "x": [r["period"] for r in rows], "y": [float(r["value"]) for r in rows],
        "line": {"color": colour, "width": width}, "marker": {"size": 7},
        "hovertemplate": "%{x} : %{y:,.4~f} " + text(unit) + f"<extra>{name}</extra>",
    }  # fmt: skip


def territory_map(drawn: list, title: str, unit: str, ratio: float) -> Drawn:
    """Territories coloured by their value (light to dark blue), each labelled with its
    name and value (never colour alone), on blank axes: no tile server, no network.
    ``drawn`` holds ``contours.Area``; ``ratio`` keeps the shapes' proportions."""
    from plotly.colors import sample_colorscale

    spec = Spec(title, height=460)
    known = [a.value for a in drawn if a.value is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    for area in drawn:
        share = 0.5 if high == low or area.value is None else (area.value - low) / (high - low)
        colour = (
            "#e5e7eb"
            if area.value is None
            else sample_colorscale("Blues", [0.25 + 0.75 * share])[0]
        )
        shown = (
            ("s (secret statistique)" if area.secret else fmt.UNKNOWN)
            if area.value is None
            else f"{fmt.measure(area.value)} {unit}"
        )
        for ring in area.rings:
            spec.data.append({
                "type": "scatter", "x": [p[0] for p in ring], "y": [p[1] for p in ring],
                "mode": "lines", "fill": "toself", "fillcolor": colour,
                "line": {"color": "#1f2937", "width": 1}, "hoverinfo": "text",
                "text": f"{text(area.label)} : {text(shown)}", "showlegend": False,
            })  # fmt: skip
        # the label on a white box: readable on the darkest blue
        spec.layout.setdefault("annotations", []).append({
            "x": area.anchor[0], "y": area.anchor[1], "showarrow": False,
            "text": f"{text(fmt.shorten(area.label, 28))}<br>{text(shown)}",
            "font": {"size": 12, "color": "#111827"}, "bgcolor": "rgba(255,255,255,0.88)",
            "borderpad": 2,
        })  # fmt: skip
    hidden_axis = {"visible": False, "showgrid": False, "zeroline": False}
    spec.layout["xaxis"] = {**hidden_axis}
    spec.layout["yaxis"] = {**hidden_axis, "scaleanchor": "x", "scaleratio": ratio}
    spec.layout["hovermode"] = "closest"
    return spec.figure()
