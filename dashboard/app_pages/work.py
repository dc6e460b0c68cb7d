"""Phases, orientations et actions (contributeur): create the work of a programme
(an action under an orientation, a phase or the programme itself), correct an item,
archive it or bring it back."""

import datetime as dt

import streamlit as st

from dashboard.ui import data, filters, session, territory_tags, work_forms
from dashboard.ui.forms import flash
from dashboard.ui.layout import page_header, programme_picker

actor = session.require("contributeur")
page_header(
    "Phases, orientations et actions",
    "Créer, corriger et archiver les éléments du travail. Le statut et l'avancement se "
    "changent sur la page Mise à jour.",
)
flash("work")
db = data.database()
code = programme_picker(key="work-programme")
if code is None:
    st.info("Aucun programme en vigueur : un administrateur en crée un (Saisie des programmes).")
    st.stop()
programme = next(p for p in data.programmes() if p["code"] == code)
items = data.records("work_items", as_of=dt.date.today(), programme_code=code)
create, edit, archived = st.tabs(
    ["Créer", "Corriger ou archiver", "Archives"], key="onglet", bind="query-params"
)  # the open tab is kept in the URL: it survives a save, a reload and a link
if create.open:
    with create:
        work_forms.create(db, actor, programme, items)
if edit.open:
    with edit:
        if items:
            _, item = filters.item_picker(items, key="work-item")
            work_forms.edit(db, actor, item)
            if item["item_kind"] == "action":
                territory_tags.form("work", "action", item["item_id"], actor, what="de l'action")
        else:
            st.info("Ce programme n'a encore ni phase, ni orientation, ni action.")
if archived.open:
    with archived:
        work_forms.archived(db, actor, code)
