"""Connexion: the login form, landing on the overview; once signed in, a link there."""

import streamlit as st

from dashboard.ui import login_form, session

if session.current_actor() is None:
    login_form.render("/")
else:
    st.title("Connexion")
    st.success("Vous êtes connecté.")
    st.page_link(
        "app_pages/overview.py", label="Aller à la vue d'ensemble", icon=":material/dashboard:"
    )
