"""Saisie de l'évaluation (contributeur): indicator values one at a time or many at
once in a table (checked per row, all or nothing), corrections with their reason; the
référentiel (questions, criteria, indicators, targets, état de la réponse and its
evidence); deliverables with their dates, territories and files."""

import datetime as dt

import streamlit as st

from dashboard.ui import (
    data,
    deliverable_forms,
    forms,
    judgement_forms,
    recommendation_forms,
    session,
)
from dashboard.ui import evaluation_forms as f
from dashboard.ui.evaluation_forms import Entry
from dashboard.ui.layout import page_header, programme_picker

actor = session.require("contributeur")
page_header(
    "Saisie de l'évaluation",
    "Valeurs des indicateurs, référentiel, réponses argumentées, livrables et recommandations.",
)
forms.flash("evaluation")
programme = programme_picker(key="entry-programme")
if programme is None:
    st.info("Aucun programme enregistré.")
    st.stop()
today = dt.date.today()
entry = Entry(
    db=data.database(),
    actor=actor,
    programme=programme,
    programme_id=next(p["programme_id"] for p in data.programmes() if p["code"] == programme),
    today=today,
    indicators=data.records("indicators", programme_code=programme, as_of=today),
    places=data.records("territories", as_of=today),
)

# the open tab is in the URL and only that one runs (each holds its own forms)
tabs = st.tabs(["Valeurs", "Saisie en tableau", "Corriger une valeur", "Référentiel",
                "Réponses argumentées", "Livrables", "Recommandations"], key="onglet",
               bind="query-params")  # fmt: skip
for tab, render in zip(tabs, (f.one_value_tab, f.value_table_tab, f.correction_tab,
                              f.referential_tab, judgement_forms.answers_tab,
                              deliverable_forms.deliverables_tab,
                              recommendation_forms.recommendations_tab), strict=True):  # fmt: skip
    with tab:
        if tab.open:
            render(entry)
