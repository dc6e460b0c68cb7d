"""Territoires (administrateur): the Métropole, Conseils de Territoire, communes and
QPV as records, entered one by one or loaded from a CSV of the official lists, and
linked (a QPV in its communes, a QPV of 2015 and its successor), and their official
contours for the maps."""

import datetime as dt

import streamlit as st

from dashboard.ui import data, forms, session
from dashboard.ui import territory_forms as f
from dashboard.ui.layout import page_header
from dashboard.ui.territory_forms import Places

actor = session.require("administrateur")
page_header(
    "Territoires",
    "Métropole, Conseils de Territoire, communes (code INSEE), quartiers prioritaires (QPV, "
    "code officiel, génération 2015 ou 2024) et quartiers en veille active. Aucune liste "
    "n'est fournie d'office : saisissez-les ou chargez la liste officielle.",
)
forms.flash("territories")
places = Places(data.database(), actor, data.records("territories", as_of=dt.date.today()))

# the open tab is in the URL (?onglet=Ajouter) and only that one runs
tabs = st.tabs(["Liste", "Ajouter", "Charger un fichier CSV", "Relier", "Corriger ou archiver",
                "Contours"], key="onglet", bind="query-params")  # fmt: skip
for tab, render in zip(
    tabs, (f.list_tab, f.add_tab, f.csv_tab, f.link_tab, f.edit_tab, f.contours_tab), strict=True
):
    with tab:
        if tab.open:
            render(places)
