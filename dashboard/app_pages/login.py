"""Connexion: log in, or create the first administrator when no account exists yet."""

import streamlit as st

from dashboard.tracker import auth, users
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.layout import APP_NAME
from dashboard.ui.widgets import show_error

st.title("Connexion")
st.caption(f"**{APP_NAME}** — suivi des programmes d'évaluation des contrats de ville")
db = data.database()
if users.count_users(db) == 0:
    st.subheader("Créer le premier administrateur")
    st.markdown(
        "Aucun compte n'existe encore. Le premier compte créé est administrateur ; "
        "il crée ensuite les comptes des autres personnes."
    )
    with st.form("first-admin"):
        login = st.text_input("Identifiant (minuscules, chiffres, . _ -)", max_chars=64)
        name = st.text_input("Nom affiché", max_chars=200)
        password = st.text_input("Mot de passe (12 caractères au moins)", type="password")
        again = st.text_input("Confirmez le mot de passe", type="password")
        created = st.form_submit_button("Créer le compte administrateur", type="primary")
    if created:
        if password != again:
            st.error("Les deux mots de passe diffèrent : rien n'a été enregistré.")
        else:
            try:
                users.create_first_admin(
                    db, login=login, display_name=name or login, password=password
                )
                session.log_in(auth.login(db, login, password, client=session.client_address()))
                st.rerun()
            except TrackerError as error:
                show_error(error)
else:
    with st.form("login"):
        login = st.text_input("Identifiant", max_chars=64, autocomplete="username")
        password = st.text_input("Mot de passe", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            session.log_in(auth.login(db, login, password, client=session.client_address()))
            st.rerun()
        except TrackerError as error:
            show_error(error)
    if session.public_read():
        st.caption(
            "La consultation sans connexion est ouverte (écran de réunion) : la connexion sert à "
            "modifier les données."
        )
