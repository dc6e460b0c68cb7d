"""Mise à jour: change the status and progress of a phase, orientation or action.
The form shows the current value, who set it and when; a save that comes after
someone else's is refused with both values shown, and can be re-applied."""

import datetime as dt
from html import escape

import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import data, filters, forms, session, status_forms
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import badge_html, html, progress_html

actor = session.require("contributeur")
page_header(
    "Mise à jour",
    "Changer le statut ou l'avancement d'une phase, d'une orientation ou d'une action.",
)
today = dt.date.today()
forms.flash("update")
programme = programme_picker(key="update-programme")
items = data.records("work_items", as_of=today, programme_code=programme)
if not items:
    st.info("Ce programme n'a encore ni phase, ni orientation, ni action.")
    st.stop()
chosen, item = filters.item_picker(items, key="update-item")

with st.container(border=True):
    st.markdown("**Valeur actuelle**")
    who = (
        f"par {item['status_by']}, le {fmt.date_fr(item['status_on'])}"
        if item["status"]
        else "aucun statut enregistré"
    )
    html(
        f"{badge_html(item['status'])} {progress_html(item['effective_progress'])} "
        f"<span style='color:#4b5563'>{escape(who)}</span>"
    )

decisions = [
    d
    for d in data.records("decisions", programme_code=programme, since=None, until=None)
    if any(
        i["item_kind"] == item["item_kind"] and i["item_id"] == item["item_id"] for i in d["items"]
    )
]
status_forms.change_status(data.database(), actor, item, chosen, decisions, today)
