"""Comités et décisions: committees and their mandates, the meetings over time, and
the register of decisions with the items each concerns."""

import datetime as dt
from html import escape

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.ui import attachments, charts, data, filters
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import data_table, empty_state, escape_markdown, html

page_header("Comités et décisions", "Instances de pilotage, séances et relevé des décisions.")
today = dt.date.today()
programme = programme_picker(allow_all=True)

st.header("Comités")
committees = data.records("committees", as_of=today, programme_code=programme)
if not committees:
    empty_state("Aucun comité enregistré pour ce programme.")
for committee in committees:
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(committee['name'])}** — "
            f"{fmt.COMMITTEE_KIND_LABELS[committee['kind']]} "
            f"({escape_markdown(committee['programme_code'])})"
        )
        st.markdown(f"Mandat : {escape_markdown(committee['mandate'] or fmt.UNKNOWN)}")
        last = (
            fmt.date_fr(committee["last_meeting_on"]) if committee["last_meeting_on"] else "aucune"
        )
        st.caption(
            escape_markdown(
                f"{committee['meetings']} réunion(s) enregistrée(s) · dernière : {last} · "
                + cite_row(committee, excerpt=True, label=True)
            )
        )

st.header("Changements depuis la dernière réunion")
held = [c for c in committees if c["last_meeting_on"] is not None]
if not held:
    empty_state("Aucun comité ne s'est encore réuni : rien à comparer.")
else:
    chosen = st.selectbox(
        "Comité",
        held,
        format_func=lambda c: f"{c['name']} ({c['programme_code']})",
        key="changes-committee",
    )
    last_on = chosen["last_meeting_on"]
    # the last meeting's own decisions are its content, not a change since (even when
    # an act made them known later)
    changes = [
        c
        for c in data.changes_between(last_on, today, chosen["programme_code"])
        if c["change_kind"] != "decision" or c["occurred_on"] > last_on
    ]
    st.caption(
        f"Depuis la réunion du {fmt.date_fr(last_on)} (exclue) jusqu'à aujourd'hui, "
        f"{fmt.date_fr(today)} : statuts, décisions, paiements et actes entrés en vigueur "
        "dans cette période."
    )
    if not changes:
        empty_state("Rien n'a changé depuis cette réunion.")
    else:
        data_table(
            pd.DataFrame(
                [
                    {
                        "Date": fmt.date_fr(c["occurred_on"]),
                        "Changement": c["what"],
                        "Commentaire": c["detail"] if c["change_kind"] == "status" else "",
                        "Par": c["actor"],
                    }
                    for c in changes
                ]
            ),
            hide_index=True,
            placeholder=fmt.UNKNOWN,
            width="stretch",
        )

st.header("Réunions")
meetings = [m for m in data.records("meetings", programme_code=programme, since=None, until=None)]
if not meetings:
    empty_state("Aucune réunion enregistrée : les séances des comités apparaîtront ici.")
else:
    figure = charts.meetings(meetings, today, "Réunions des comités dans le temps")
    table = pd.DataFrame(
        [
            {
                "Date": fmt.date_fr(m["held_on"]),
                "Comité": m["committee_name"],
                "Lieu": m["place"] or fmt.UNKNOWN,
                "Décisions": m["decisions"],
                "Source": cite_row(m, label=True),
            }
            for m in meetings
        ]
    )
    dates = sorted(m["held_on"] for m in meetings)
    summary = (
        f"{len(meetings)} réunion(s) du {fmt.date_fr(dates[0])} au {fmt.date_fr(dates[-1])}, "
        f"{sum(m['decisions'] or 0 for m in meetings)} décision(s) enregistrée(s)."
    )
    charts.show(figure, table, summary=summary, key="meetings")
    attachments.section(
        "meeting",
        {
            m["meeting_id"]: f"{m['committee_name']} du {fmt.date_fr(m['held_on'])}"
            for m in meetings
        },
        "Comptes rendus et pièces des séances",
    )

st.header("Relevé des décisions")
decisions = data.records("decisions", programme_code=programme, since=None, until=None)
if not decisions:
    empty_state(
        "Aucune décision enregistrée : les relevés de décisions des comités apparaîtront ici."
    )
for decision in decisions:
    links = []
    for item in decision["items"]:
        key = filters.item_key(item["item_kind"], item["item_id"])
        label = (
            f"Phase {item['position']}"
            if item["item_kind"] == "phase"
            else fmt.DECISION_ITEM_LABELS[item["item_kind"]].capitalize()
        )
        title = fmt.capitalize_first(item["title"] or "")
        href = (
            f"evaluation?programme={decision['programme_code']}&onglet=Livrables"
            if item["item_kind"] == "deliverable"
            else f"avancement?programme={decision['programme_code']}&element={key}"
        )
        links.append(
            f"<li><a href='{escape(href, quote=True)}' target='_self'>{escape(label)}</a> — "
            f"{escape(title[:140])}{'…' if len(title) > 140 else ''}</li>"
        )
    concerns = f"<ul style='margin:0.2rem 0 0 1.2rem'>{''.join(links)}</ul>" if links else ""
    html(
        f"<div style='border-left:4px solid #1f4e79;padding:0.3rem 0.8rem;margin:0.6rem 0'>"
        f"<div style='font-size:0.85rem;color:#374151'>{escape(fmt.date_fr(decision['held_on']))} · "
        f"{escape(decision['committee_name'])} · {escape(fmt.DECISION_KIND_LABELS[decision['kind']])}</div>"
        f"<div style='font-weight:600'>{escape(decision['text'])}</div>"
        f"<div style='font-size:0.9rem'>Éléments concernés :</div>{concerns if concerns else '<em>aucun</em>'}"
        f"<div style='font-size:0.8rem;color:#4b5563'>"
        f"{escape(cite_row(decision, excerpt=True, label=True))}"
        f"</div></div>"
    )
