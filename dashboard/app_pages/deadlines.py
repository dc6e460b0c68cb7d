"""Échéances: the dates computed from the acts' clauses, as a list and a calendar,
downloadable as .ics."""

import calendar
import datetime as dt
from html import escape

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.calendar_export import deadlines_ics
from dashboard.tracker.citation import cite_row
from dashboard.tracker.db import utcnow
from dashboard.ui import data
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import data_table, html

page_header(
    "Échéances",
    "Dates calculées à partir des clauses des actes : termes, préavis de résiliation, "
    "délais de prolongation et de règlement amiable.",
)
today = dt.date.today()
programme = programme_picker(allow_all=True)
deadlines = data.deadlines(programme)
if not deadlines:
    st.info("Aucune échéance : les actes enregistrés ne donnent ni terme ni délai.")
    st.stop()

dated = [d for d in deadlines if d["date"]]
undated = [d for d in deadlines if not d["date"]]
st.download_button(
    "Télécharger les échéances (.ics, pour votre agenda)",
    data=deadlines_ics(dated, utcnow()),
    file_name="echeances-contrats-de-ville.ics",
    mime="text/calendar",
    icon=":material/event:",
    disabled=not dated,
)

st.header("Liste")


def when(deadline: dict) -> str:
    if not deadline["date"]:
        return "sans date tant qu'aucune lettre n'est reçue"
    days = (deadline["date"] - today).days
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    return f"dans {days} jours" if days > 0 else "passée"


items = []
for d in deadlines:
    source = cite_row(d, excerpt=True, label=True)
    date = fmt.date_fr(d["date"]) if d["date"] else "Selon notification"
    items.append(
        "<li style='margin:0 0 0.7rem 0'>"
        f"<strong>{escape(date)}</strong> <span style='color:#4b5563'>({escape(when(d))} · "
        f"{escape(d['programme_code'])})</span><br>{escape(d['label'])}"
        f"<br><span style='font-size:0.85rem'>{escape(fmt.capitalize_first(d['rule']))}</span>"
        f"<br><span style='font-size:0.8rem;color:#4b5563'>{escape(source)}</span></li>"
    )
html("<ul style='padding-left:1.2rem'>" + "".join(items) + "</ul>")
table = pd.DataFrame(
    [
        {
            "Date": fmt.date_fr(d["date"]) if d["date"] else "selon notification",
            "Échéance": d["label"],
            "Comment elle est établie": d["rule"],
            "Programme": d["programme_code"],
        }
        for d in deadlines
    ]
)
with st.expander("Tableau des échéances"):
    data_table(table, hide_index=True, placeholder=fmt.UNKNOWN, width="stretch")

st.header("Calendrier")
months = sorted({(d["date"].year, d["date"].month) for d in dated})
by_day: dict[dt.date, list[dict]] = {}
for d in dated:
    by_day.setdefault(d["date"], []).append(d)
days = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
grids = []
for year, month in months:
    rows = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            hits = by_day.get(day, []) if day.month == month else []
            style = (
                "background:#D55E00;color:#fff;font-weight:700;border-radius:0.3rem" if hits else ""
            )
            title = escape(" ; ".join(h["label"] for h in hits), quote=True)
            text = str(day.day) if day.month == month else ""
            cells.append(
                f"<td style='text-align:center;padding:0.2rem;{style}' title='{title}'>{text}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(
        f"<th style='font-weight:600;font-size:0.8rem;padding:0.2rem'>{d}</th>" for d in days
    )
    listed = "".join(
        f"<li><strong>{fmt.date_fr(h['date'])}</strong> — {escape(h['kind_label'])}</li>"
        for day in sorted(by_day)
        if (day.year, day.month) == (year, month)
        for h in by_day[day]
    )
    grids.append(
        f"<div style='border:1px solid #d0d7de;border-radius:0.5rem;padding:0.6rem;min-width:15rem;flex:1'>"
        f"<div style='font-weight:700;margin-bottom:0.3rem'>{escape(fmt.capitalize_first(fmt.month_year(dt.date(year, month, 1))))}</div>"
        f"<table style='border-collapse:collapse;width:100%' aria-label='{escape(fmt.month_year(dt.date(year, month, 1)))}'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<ul style='font-size:0.85rem;margin:0.4rem 0 0 1rem;padding:0'>{listed}</ul></div>"
    )
html("<div style='display:flex;flex-wrap:wrap;gap:0.8rem'>" + "".join(grids) + "</div>")
st.caption(
    "Jours en orange : une échéance tombe ce jour-là (le détail s'affiche au survol et sous chaque mois)."
)
