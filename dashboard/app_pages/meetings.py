"""Réunions: record a committee meeting (held, or planned for a later date) and the
decisions taken, with the items each concerns. A decision that validates items moves
them to « validé » in the same transaction."""

import datetime as dt

import streamlit as st

from dashboard.ui import data, forms, meeting_forms, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown

actor = session.require("contributeur")
page_header("Réunions", "Enregistrer une séance de comité et son relevé de décisions.")
if flash := st.session_state.pop("meetings-flash", None):
    st.success(escape_markdown(flash))
forms.flash("meetings")
today = dt.date.today()
programme = programme_picker(key="meetings-programme")
committee_rows = data.records("committees", as_of=today, programme_code=programme)
if not committee_rows:
    st.info("Ce programme n'a pas de comité : un administrateur peut en créer un.")
    st.stop()
names = {c["committee_id"]: c["name"] for c in committee_rows}
committee = st.selectbox("Comité", list(names), format_func=names.get, key="meetings-committee")
meeting_forms.record_meeting(data.database(), actor, programme, committee, today)

st.header("Corriger ou annuler une séance ou une décision")
meeting_forms.correct_meeting(data.database(), actor, programme)
