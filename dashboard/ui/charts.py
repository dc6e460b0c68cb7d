"""Plotly figures from DataFrames, in French. The plotly.js bundled with Streamlit has
no French locale, so the separators come from ``layout.separators`` and every date
label and hover text is written by babel beforehand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.tracker import fmt

SEPARATORS = ",\u202f"  # decimal comma, narrow no-break space for thousands
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1a1a1a")
# Okabe-Ito: distinguishable with the common colour-vision deficiencies
STAGE_COLOURS = {
    "allocated": "#0072B2",
    "committed": "#56B4E9",
    "ordered": "#E69F00",
    "paid": "#009E73",
}
STAGE_NAMES = {"allocated": "Alloué", "committed": "Engagé", "ordered": "Mandaté", "paid": "Versé"}
LANE_COLOURS = {
    "Actes": "#0072B2",
    "Phases": "#009E73",
    "Comités": "#CC79A7",
    "Échéances": "#D55E00",
}
CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "svg"},
}


def new_figure() -> go.Figure:
    """A figure that skips plotly's per-property validation (4x faster to build; the
    traces below are plain dicts written against plotly's schema, and the tests draw
    every chart in a real browser)."""
    return go.Figure(_validate=False)


def base_layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)),
        separators=SEPARATORS,
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=60, b=10),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        hoverlabel=dict(font_size=14),
    )
    fig.update_xaxes(gridcolor="#e5e7eb", linecolor="#9ca3af")
    fig.update_yaxes(gridcolor="#e5e7eb", linecolor="#9ca3af")
    return fig


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
    fig: go.Figure, table: pd.DataFrame, *, caption: str | None = None, key: str | None = None
) -> None:
    """The chart, then its data as a table in an expander (accessible alternative)."""
    st.plotly_chart(fig, width="stretch", config=CONFIG, key=key)
    if caption:
        st.caption(caption)
    with st.expander("Données du graphique (tableau)"):
        st.dataframe(table, hide_index=True, width="stretch")


def timeline(
    rows: list[dict], today: dt.date, start: dt.date, end: dt.date, title: str
) -> go.Figure:
    fig = new_figure()
    for lane, colour in LANE_COLOURS.items():
        lane_rows = [r for r in rows if r["lane"] == lane]
        if not lane_rows:
            continue
        fig.add_trace(
            dict(
                type="scatter",
                x=[r["date"] for r in lane_rows],
                y=[lane] * len(lane_rows),
                mode="markers",
                name=lane,
                marker=dict(
                    size=14,
                    color=colour,
                    line=dict(width=1, color="#1a1a1a"),
                    symbol={
                        "Actes": "square",
                        "Phases": "circle",
                        "Comités": "diamond",
                        "Échéances": "triangle-up",
                    }[lane],
                ),
                customdata=[[fmt.date_fr(r["date"]), r["label"], r["source"]] for r in lane_rows],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>",
            )
        )
    fig.add_vline(x=today.isoformat(), line=dict(color="#b91c1c", width=2, dash="dash"))
    fig.add_annotation(
        x=today.isoformat(),
        y=1.02,
        yref="paper",
        text=f"Aujourd'hui ({fmt.date_fr(today)})",
        showarrow=False,
        font=dict(color="#b91c1c", size=13),
        xanchor="right",
    )
    values, texts = year_ticks(start, end)
    fig.update_xaxes(range=[start.isoformat(), end.isoformat()], tickvals=values, ticktext=texts)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(LANE_COLOURS)))
    return base_layout(fig, title, height=330)


def money_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Grouped bars: one group per (year, programme, basis), one bar per stage."""
    fig = new_figure()
    for stage, colour in STAGE_COLOURS.items():
        fig.add_trace(
            dict(
                type="bar",
                x=frame["group"],
                y=frame[stage].astype(float),
                name=STAGE_NAMES[stage],
                marker_color=colour,
                customdata=[[fmt.money(v)] for v in frame[stage]],
                hovertemplate="%{x}<br>"
                + STAGE_NAMES[stage]
                + " : %{customdata[0]}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="euros", tickformat=",.0f", ticksuffix="\u00a0€", rangemode="tozero")
    return base_layout(fig, title)


def cumulative(frame: pd.DataFrame, allocated: float, title: str) -> go.Figure:
    fig = new_figure()
    for stage in ("committed", "ordered", "paid"):
        part = frame[frame["stage"] == stage]
        if part.empty:
            continue
        fig.add_trace(
            dict(
                type="scatter",
                x=part["occurred_on"],
                y=part["cumulative"].astype(float),
                mode="lines+markers",
                line_shape="hv",
                name=STAGE_NAMES[stage] + " (cumul)",
                line=dict(color=STAGE_COLOURS[stage], width=3),
                customdata=[
                    [fmt.date_fr(d), fmt.money(v)]
                    for d, v in zip(part["occurred_on"], part["cumulative"], strict=True)
                ],
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    fig.add_hline(
        y=allocated,
        line=dict(color=STAGE_COLOURS["allocated"], dash="dot"),
        annotation_text=f"Alloué : {fmt.money(allocated)}",
        annotation_position="top left",
    )
    fig.update_yaxes(title="euros", tickformat=",.0f", ticksuffix="\u00a0€", rangemode="tozero")
    start = pd.Timestamp(frame["occurred_on"].min()).date()
    end = pd.Timestamp(frame["occurred_on"].max()).date()
    values, texts = month_ticks(start, end)
    fig.update_xaxes(tickvals=values, ticktext=texts)
    return base_layout(fig, title)


def gantt(rows: list[dict], today: dt.date, title: str) -> go.Figure:
    """Planned periods (light) and actual ones (from the status log), one row per item."""
    fig = new_figure()
    labels = [r["label"] for r in rows]
    for key, name, colour, width in (
        ("planned", "Prévu", "#93c5fd", 0.8),
        ("actual", "Réalisé", "#1f4e79", 0.4),
    ):
        bars = [r for r in rows if r.get(f"{key}_start") and r.get(f"{key}_end")]
        if not bars:
            continue
        fig.add_trace(
            dict(
                type="bar",
                y=[r["label"] for r in bars],
                x=[
                    (r[f"{key}_end"] - r[f"{key}_start"]).days * 86_400_000 or 86_400_000
                    for r in bars
                ],
                base=[r[f"{key}_start"].isoformat() for r in bars],
                orientation="h",
                name=name,
                marker_color=colour,
                width=width,
                customdata=[
                    [
                        fmt.date_fr(r[f"{key}_start"]),
                        fmt.date_fr(r[f"{key}_end"]),
                        r["status_label"],
                    ]
                    for r in bars
                ],
                hovertemplate="%{y}<br>" + name + " : du %{customdata[0]} au %{customdata[1]}"
                "<br>Statut : %{customdata[2]}<extra></extra>",
            )
        )
    fig.add_vline(x=today.isoformat(), line=dict(color="#b91c1c", width=2, dash="dash"))
    fig.update_xaxes(type="date")
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
        fig.update_xaxes(tickvals=values, ticktext=texts)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    return base_layout(fig, title, height=max(260, 60 + 34 * len(labels)))
