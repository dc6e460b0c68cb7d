"""Small display pieces: status badges (text + symbol + colour, never colour alone),
progress bars, source notes; and the two ways stored text reaches the page as text,
never as markup: ``escape_markdown`` for Streamlit's markdown elements (titles,
captions, alerts, expander labels) and ``html`` (st.html, no markdown) for our own
HTML, in which every stored value is ``escape``-d."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import TYPE_CHECKING

import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from dashboard.tracker import fmt

if TYPE_CHECKING:
    import pandas as pd

# background / text pairs chosen for a WCAG AA contrast ratio (>= 4.5:1)
STATUS_STYLE = {
    "planned": ("○", "#e8eaed", "#202124"),
    "in_progress": ("◐", "#dbeafe", "#1e3a8a"),
    "delivered": ("●", "#d1fae5", "#065f46"),
    "validated": ("✔", "#065f46", "#ffffff"),
    "blocked": ("■", "#fee2e2", "#991b1b"),
    "cancelled": ("✕", "#f3f4f6", "#374151"),
    None: ("?", "#fff7ed", "#9a3412"),
}


def badge_html(status: str | None) -> str:
    symbol, background, colour = STATUS_STYLE.get(status, STATUS_STYLE[None])
    text = escape(fmt.label(fmt.STATUS_LABELS, status))
    return (
        f'<span class="cdv-badge" style="background:{background};color:{colour};'
        f"border:1px solid {colour};border-radius:0.6rem;padding:0.05rem 0.5rem;"
        f'font-size:0.85rem;white-space:nowrap" aria-label="statut : {text}">'
        f"{symbol} {text}</span>"
    )


def progress_html(progress: float | int | None) -> str:
    if progress is None:
        return f'<span style="color:#5f6368">avancement {fmt.UNKNOWN}</span>'
    value = max(0, min(100, float(progress)))
    return (
        f'<span role="progressbar" aria-valuenow="{value:.0f}" aria-valuemin="0" aria-valuemax="100"'
        f' style="display:inline-block;width:8rem;height:0.6rem;background:#e5e7eb;border-radius:0.3rem;'
        f'vertical-align:middle"><span style="display:block;width:{value:.0f}%;height:100%;'
        f'background:#1f4e79;border-radius:0.3rem"></span></span> '
        f'<span style="font-variant-numeric:tabular-nums">{escape(fmt.percent(value))}</span>'
    )


#: every ASCII punctuation mark that markdown, Streamlit's directives (``:red[…]``,
#: ``:material/…:``), emoji shortcodes or LaTeX (``$``) could read
_MARKDOWN = re.compile(r"""([\\`*_{}\[\]()#+\-.!|<>~$:@&='"%^/])""")
#: GFM turns web and mail addresses into links after parsing, escapes or not: an
#: invisible word joiner (U+2060) inside ``http://``, ``www.`` and before ``@``
#: keeps them plain text without changing what is read
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=\\[:.])|(?=\\@)")


def escape_markdown(text: object) -> str:
    """Stored or typed text made literal for a markdown element: each punctuation mark
    is backslash-escaped (CommonMark shows it as is) and addresses are broken by an
    invisible joiner, so ``![i](http://…)`` or a bare address stays those characters:
    no link, image, heading or icon is made of them."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060", escaped)


def html(markup: str) -> None:
    """Our own HTML (its stored values escaped), rendered without markdown."""
    st.html(markup)


def show_error(error: Exception, suffix: str = "") -> None:
    """A TrackerError's French message, which may quote what was typed."""
    st.error(escape_markdown(getattr(error, "message", str(error)) + suffix))


def empty_state(message: str) -> None:
    st.info(escape_markdown(message), icon=":material/info:")


TILE_CSS = """
<style>
.cdv-tiles {display:grid; grid-template-columns:repeat(auto-fill, minmax(11.5rem, 1fr)); gap:0.6rem;
            margin:0.3rem 0 0.8rem 0}
.cdv-tile {border:1px solid #d0d7de; border-radius:0.5rem; padding:0.55rem 0.75rem; background:#f8fafc}
.cdv-tile .cdv-label {font-size:0.85rem; color:#374151; font-weight:600}
.cdv-tile .cdv-value {font-size:1.45rem; line-height:1.9rem; color:#111827; font-variant-numeric:tabular-nums}
.cdv-tile .cdv-value.cdv-unknown {font-size:1.05rem; color:#9a3412; font-style:italic}
.cdv-tile .cdv-note {font-size:0.78rem; color:#4b5563; line-height:1.1rem}
</style>
"""


def tiles_html(tiles: list[tuple[str, str, str | None]]) -> str:
    """KPI tiles: (label, value, note). A value « non renseigné » is set apart, not hidden."""
    parts = []
    for label, value, note in tiles:
        unknown = " cdv-unknown" if value in (fmt.UNKNOWN, "aucune", "aucune prévue") else ""
        parts.append(
            f'<div class="cdv-tile" role="group" aria-label="{escape(label)}">'
            f'<div class="cdv-label">{escape(label)}</div>'
            f'<div class="cdv-value{unknown}">{escape(value)}</div>'
            + (f'<div class="cdv-note">{escape(note)}</div>' if note else "")
            + "</div>"
        )
    return TILE_CSS + '<div class="cdv-tiles">' + "".join(parts) + "</div>"


#: the session's choice « Tableaux simples » (the menu's toggle): tables as plain HTML
#: instead of Streamlit's grid (a canvas that screen readers and the keyboard reach
#: badly, not tied to its title) — the accessible alternative the statement names
SIMPLE_TABLES = "simple-tables"


def data_table(frame, *, caption: str | None = None, **grid) -> None:
    """A table: Streamlit's grid (``grid`` are ``st.dataframe``'s arguments) or, when the
    person chose « Tableaux simples », the same rows as an HTML table with its title
    (``caption``, else its first columns) and column headers, every value escaped.
    ``frame``: a DataFrame, or its ``arrow_table`` kept from one view to the next."""
    if not st.session_state.get(SIMPLE_TABLES):
        st.dataframe(frame, **grid)
        return
    if isinstance(frame, pa.Table):
        frame = frame.to_pandas()
    html(table_markup(frame, caption, grid.get("placeholder")))


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A DataFrame as the Arrow table Streamlit's grid is sent (Streamlit's own
    conversion): kept with the data it shows (``data.derived``), a large table is not
    converted again at every view (the overview's 502 programmes: about 3.5 ms)."""
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def table_markup(frame, caption: str | None, placeholder: str | None = None) -> str:
    columns = [str(c) for c in frame.columns]
    title = caption or "Tableau : " + ", ".join(columns[:3]) + ("…" if len(columns) > 3 else "")
    rows = [[_cell(v, placeholder) for v in row] for row in frame.itertuples(index=False)]
    return html_table(columns, rows, title, captioned=True)


def html_table(columns: list[str], rows: list[list[str]], label: str, *,
               captioned: bool = False) -> str:  # fmt: skip
    """Text cells as an HTML table, every value escaped, in a frame that scrolls sideways
    (on a phone) and takes the keyboard focus to do so, named ``label`` — shown above it
    as its caption when ``captioned``."""
    head = "".join(f"<th scope='col' style='text-align:left;padding:4px 8px'>{escape(c)}</th>"
                   for c in columns)  # fmt: skip
    body = "".join(
        "<tr>" + "".join(
            f"<td style='padding:4px 8px;border-top:1px solid #d1d5db'>{escape(v)}</td>"
            for v in row
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    caption = (f"<caption style='text-align:left;font-weight:600;padding:4px 0'>"
               f"{escape(label)}</caption>" if captioned else "")  # fmt: skip
    return (
        f"<div role='region' tabindex='0' aria-label='{escape(label)}' style='overflow-x:auto'>"
        f"<table style='border-collapse:collapse;width:100%'>{caption}"
        f"<thead style='background:#e8eef5'><tr>{head}</tr></thead><tbody>{body}</tbody>"
        "</table></div>"
    )


def _cell(value: object, placeholder: str | None) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return fmt.UNKNOWN if placeholder is None else placeholder
    if isinstance(value, dt.datetime):
        return fmt.datetime_fr(value)
    if isinstance(value, dt.date):
        return fmt.date_fr(value)
    if isinstance(value, float):
        return fmt.measure(value)
    return str(value)
