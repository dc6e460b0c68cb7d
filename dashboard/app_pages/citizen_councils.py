"""Conseils citoyens: each council with the QPV it represents, its members by collège
(habitants, associations et acteurs locaux) and their mandates, its representatives in
the comités de pilotage, and its opinions as dated documents — at a chosen date.
Names are shown to signed-in people only; contributeurs record and update."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import citizen_councils as cc
from dashboard.tracker import fmt
from dashboard.ui import attachments, data, forms, session
from dashboard.ui import council_forms as f
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import data_table, empty_state, escape_markdown

page_header(
    "Conseils citoyens",
    "Un conseil citoyen par quartier prioritaire, composé d'habitants tirés au sort et "
    "d'associations et acteurs locaux, qui siège dans les instances de pilotage du contrat "
    "de ville (loi n° 2014-173 du 21 février 2014, art. 7).",
)
forms.flash(f.PAGE)
actor = session.current_actor()
today = dt.date.today()
as_of = st.date_input("État au", value=today, max_value=today, format="DD/MM/YYYY",
                      key="conseils-au")  # fmt: skip

councils = data.records("citizen_councils", as_of=as_of)
if not councils:
    empty_state("Aucun conseil citoyen enregistré à cette date.")
members_in_force: dict[int, dict] = {}
for council in councils:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(council['name'])}**")
        constituted = (fmt.date_fr(council["established_on"]) if council["established_on"]
                       else fmt.UNKNOWN)  # fmt: skip
        st.caption(escape_markdown(
            f"Quartiers : {council['qpv_names'] or fmt.UNKNOWN} · constitué le {constituted}"
        ))  # fmt: skip
        left, middle, right, last = st.columns(4)
        left.metric("Habitants", council["residents"])
        middle.metric("Associations et acteurs locaux", council["local_actors"])
        right.metric("Représentants en comité", council["seats"])
        last.metric("Avis reçus", council["opinions"])
        members = data.records("citizen_council_members", council_id=council["id"], as_of=as_of)
        for member in members:
            members_in_force[member["id"]] = {**member, "council": council["name"]}
        if actor is not None and members:
            data_table(
                pd.DataFrame([{
                    "Membre": m["full_name"],
                    "Collège": cc.COLLEGES[m["college"]],
                    "Désigné le": fmt.date_fr(m["appointed_on"]),
                    "Renouvelé le": fmt.date_fr(m["renewed_on"]) if m["renewed_on"] else "—",
                    "Représente le conseil dans": m["committees"] or "—",
                } for m in members]),
                hide_index=True, width="stretch",
            )  # fmt: skip
        opinions = data.records("citizen_council_opinions", council_id=council["id"], as_of=as_of)
        for opinion in opinions:
            st.markdown(escape_markdown(
                f"Avis du {fmt.date_fr(opinion['received_on'])} sur "
                f"{cc.ABOUT[opinion['about']]} : {opinion['subject']}"
            ))  # fmt: skip
            attachments.downloads("citizen_council_opinion", opinion["id"], opinion["subject"])

if actor is not None and actor.can("contributeur"):
    st.header("Enregistrer")
    territories = data.records("territories", as_of=today)
    qpvs = {t["id"]: t["name"] for t in territories if t["kind"] == "qpv"}
    current = {c["id"]: c["name"] for c in data.records("citizen_councils", as_of=today)}
    committees = {c["committee_id"]: c["name"] for c in data.records("committees", as_of=today,
                                                            programme_code=None)}  # fmt: skip
    # the open tab is in the URL (?onglet=Avis) and only that one runs
    tabs = st.tabs(["Nouveau conseil", "Membre", "Mandat", "Représentation", "Avis"],
                   key="onglet", bind="query-params")  # fmt: skip
    renders = (
        lambda: f.create_form(actor, qpvs),
        lambda: f.member_form(actor, current),
        lambda: f.mandate_form(actor, members_in_force),
        lambda: f.seat_form(actor, members_in_force, committees),
        lambda: f.opinion_form(actor, current),
    )
    for tab, render in zip(tabs, renders, strict=True):
        with tab:
            if tab.open:
                render()
