"""Connexion: log in, or create the first administrator when no account exists yet.
Shown on the Connexion page and in place of any page asked for without a session;
the login then lands on that page."""

import streamlit as st

from dashboard.tracker import auth, users
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session, sso
from dashboard.ui.layout import APP_NAME
from dashboard.ui.widgets import show_error


def render(next_path: str = "/") -> None:
    """The login form (or the first administrator's), landing on ``next_path``."""
    st.title("Connexion")
    st.caption(f"**{APP_NAME}** — suivi des programmes d'évaluation des contrats de ville")
    db = data.database()
    if users.count_users(db) == 0:
        _first_admin(db, next_path)
        return
    sso.offer(next_path)
    _login(db, next_path)
    if session.public_read():
        st.caption(
            "La consultation sans connexion est ouverte (écran de réunion) : la connexion "
            "sert à modifier les données."
        )


def _first_admin(db: Database, next_path: str) -> None:
    st.header("Créer le premier administrateur")
    st.markdown(
        "Aucun compte n'existe encore. Le premier compte créé est administrateur ; "
        "il crée ensuite les comptes des autres personnes."
    )
    with st.form("first-admin", enter_to_submit=False):
        login = st.text_input("Identifiant (minuscules, chiffres, . _ -)", max_chars=64)
        name = st.text_input("Nom affiché", max_chars=200)
        password = st.text_input("Mot de passe (12 caractères au moins)", type="password")
        again = st.text_input("Confirmez le mot de passe", type="password")
        created = st.form_submit_button("Créer le compte administrateur", type="primary")
    if not created:
        return
    if password != again:
        st.error("Les deux mots de passe diffèrent : rien n'a été enregistré.")
        return
    try:
        users.create_first_admin(db, login=login, display_name=name or login, password=password)
        _sign_in(db, login, password, next_path)
    except TrackerError as error:
        show_error(error)


def _login(db: Database, next_path: str) -> None:
    with st.form("login", enter_to_submit=True):
        login = st.text_input("Identifiant", max_chars=64, autocomplete="username")
        password = st.text_input("Mot de passe", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            _sign_in(db, login, password, next_path)
        except TrackerError as error:
            show_error(error)


def _sign_in(db: Database, login: str, password: str, next_path: str) -> None:
    actor = auth.login(db, login, password, client=session.client_address(),
                       browser=session.browser_cookie())  # fmt: skip
    if session.log_in(actor, next_path):
        st.info("Connexion en cours…", icon=":material/login:")
        st.stop()
    st.rerun()
