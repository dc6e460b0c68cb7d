"""Programmes et actes (administrateur): create, correct, archive or cancel the legal
record: programmes, acts and avenants, parties, clauses, registered letters and
résiliation, budget lines, organisations and persons, committees."""

import streamlit as st

from dashboard.ui import act_forms, data, money_forms, programme_forms, session
from dashboard.ui.forms import flash
from dashboard.ui.layout import page_header

actor = session.require("administrateur")
page_header(
    "Saisie des programmes et des actes",
    "Créer, corriger, archiver : chaque écriture est vérifiée, tracée au journal d'audit, et "
    "rien de ce qui a une histoire n'est supprimé.",
)
flash("records")
db = data.database()
tabs = st.tabs(
    [
        "Programmes",
        "Actes et avenants",
        "Parties",
        "Clauses",
        "Lettres et résiliation",
        "Budget",
        "Organisations et personnes",
        "Comités",
    ]
)
with tabs[0]:
    programme_forms.create_programme(db, actor)
    st.divider()
    programme_forms.edit_programme(db, actor)
with tabs[1]:
    act_forms.create_act(db, actor)
    st.divider()
    st.markdown("**Corriger ou annuler un acte**")
    act_forms.correct_act(db, actor)
with tabs[2]:
    act_forms.parties(db, actor)
with tabs[3]:
    act_forms.clauses(db, actor)
with tabs[4]:
    act_forms.lifecycle(db, actor)
with tabs[5]:
    money_forms.create_line(db, actor)
    st.divider()
    money_forms.correct_line(db, actor)
with tabs[6]:
    programme_forms.organisations(db, actor)
with tabs[7]:
    programme_forms.create_committee(db, actor)
    st.divider()
    programme_forms.edit_committee(db, actor)
