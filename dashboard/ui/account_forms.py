"""The accounts' forms of the Administration page: create an account with its role and a
temporary password; change a role, deactivate, set a new password (a removed right ends
at once, whatever the sign-in path)."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import fmt, users
from dashboard.tracker.access import ROLES, Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from dashboard.ui.widgets import show_error


def new_account(db: Database, actor: Actor) -> None:
    with st.form("new-account", clear_on_submit=True):
        st.markdown("**Créer un compte**")
        login = st.text_input("Identifiant")
        name = st.text_input("Nom affiché")
        role = st.selectbox("Rôle", ROLES, format_func=lambda r: fmt.ROLE_LABELS[r])
        password = st.text_input(
            "Mot de passe provisoire (12 caractères au moins)", type="password"
        )
        if st.form_submit_button("Créer le compte"):
            try:
                users.add_user(
                    db, actor, login=login, display_name=name or login, role=role, password=password
                )
                st.session_state["admin-flash"] = (
                    f"Compte « {login.strip().lower()} » créé ({role}). Son mot de passe est "
                    "provisoire : la personne choisira le sien à sa première connexion."
                )
                st.rerun()
            except TrackerError as error:
                show_error(error)


def change_account(db: Database, actor: Actor, rows: list[dict]) -> None:
    st.markdown("**Modifier un compte**")
    by_login = {u["login"]: u for u in rows}
    target = st.selectbox("Compte", list(by_login), key="admin-account")
    current = by_login[target]
    with st.form(f"change-account-{target}"):
        new_role = st.selectbox(
            "Rôle",
            ROLES,
            index=ROLES.index(current["role"]),
            format_func=lambda r: fmt.ROLE_LABELS[r],
        )
        active = st.checkbox("Compte actif", value=current["active"])
        new_password = st.text_input(
            "Nouveau mot de passe provisoire (laisser vide pour garder l'actuel)", type="password"
        )
        if st.form_submit_button("Enregistrer"):
            try:
                users.update_account(
                    db,
                    actor,
                    login=target,
                    role=new_role,
                    active=active,
                    password=new_password or None,
                )
                st.session_state["admin-flash"] = f"Compte « {target} » mis à jour."
                st.rerun()
            except TrackerError as error:
                show_error(error)
