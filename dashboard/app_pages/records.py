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


def programmes_tab() -> None:
    programme_forms.create_programme(db, actor)
    st.divider()
    programme_forms.edit_programme(db, actor)


def acts_tab() -> None:
    act_forms.create_act(db, actor)
    st.divider()
    st.markdown("**Corriger ou annuler un acte**")
    act_forms.correct_act(db, actor)


def budget_tab() -> None:
    money_forms.create_line(db, actor)
    st.divider()
    money_forms.correct_line(db, actor)


def committees_tab() -> None:
    programme_forms.create_committee(db, actor)
    st.divider()
    programme_forms.edit_committee(db, actor)


SECTIONS = {
    "Programmes": programmes_tab,
    "Actes et avenants": acts_tab,
    "Parties": lambda: act_forms.parties(db, actor),
    "Clauses": lambda: act_forms.clauses(db, actor),
    "Lettres et résiliation": lambda: act_forms.lifecycle(db, actor),
    "Budget": budget_tab,
    "Organisations et personnes": lambda: programme_forms.organisations(db, actor),
    "Comités": committees_tab,
}
# the open tab is kept in the URL (?onglet=…): it survives a save, a reload and a link;
# only the open one is built
tabs = st.tabs(list(SECTIONS), key="onglet", bind="query-params")
for tab, section in zip(tabs, SECTIONS.values(), strict=True):
    if tab.open:
        with tab:
            section()
