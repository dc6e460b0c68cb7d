"""Streamlit entry point: page config, login gate, navigation. Nothing else."""

import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import session
from dashboard.ui.layout import APP_NAME, APP_TAGLINE
from dashboard.ui.widgets import escape_markdown

st.set_page_config(page_title=APP_NAME, page_icon="🏛️", layout="wide")

READ_PAGES = [
    st.Page(
        "app_pages/overview.py",
        title="Vue d'ensemble",
        icon=":material/dashboard:",
        url_path="vue-d-ensemble",
        default=True,
    ),
    st.Page(
        "app_pages/progress.py",
        title="Avancement",
        icon=":material/account_tree:",
        url_path="avancement",
    ),
    st.Page(
        "app_pages/budget.py", title="Budget et dépenses", icon=":material/euro:", url_path="budget"
    ),
    st.Page(
        "app_pages/committees.py",
        title="Comités et décisions",
        icon=":material/groups:",
        url_path="comites",
    ),
    st.Page(
        "app_pages/deadlines.py", title="Échéances", icon=":material/event:", url_path="echeances"
    ),
    st.Page(
        "app_pages/sources.py",
        title="Sources et complétude",
        icon=":material/fact_check:",
        url_path="sources",
    ),
    st.Page(
        "app_pages/programme.py",
        title="Programmes et actes",
        icon=":material/history_edu:",
        url_path="programmes",
    ),
    st.Page(
        "app_pages/pack.py",
        title="Présentation trimestrielle",
        icon=":material/slideshow:",
        url_path="presentation",
    ),
]
WRITE_PAGES = [
    st.Page(
        "app_pages/update.py", title="Mise à jour", icon=":material/edit:", url_path="mise-a-jour"
    ),
    st.Page(
        "app_pages/work.py",
        title="Phases et actions",
        icon=":material/add_task:",
        url_path="travaux",
    ),
    st.Page(
        "app_pages/meetings.py", title="Réunions", icon=":material/event_note:", url_path="reunions"
    ),
    st.Page(
        "app_pages/payments.py", title="Paiements", icon=":material/payments:", url_path="paiements"
    ),
    st.Page(
        "app_pages/bulk.py",
        title="Saisie en lot",
        icon=":material/table_edit:",
        url_path="saisie-en-lot",
    ),
]
ADMIN_PAGES = [
    st.Page(
        "app_pages/records.py",
        title="Saisie des actes",
        icon=":material/gavel:",
        url_path="saisie-des-actes",
    ),
    st.Page(
        "app_pages/admin.py",
        title="Administration",
        icon=":material/admin_panel_settings:",
        url_path="administration",
    ),
]
LOGIN = st.Page(
    "app_pages/login.py", title="Connexion", icon=":material/login:", url_path="connexion"
)

actor = session.current_actor()
if actor is None and not session.public_read():
    pages = st.navigation([LOGIN], position="hidden")
else:
    sections = {"Consulter": READ_PAGES}
    if actor is not None and actor.can("contributeur"):
        sections["Mettre à jour"] = WRITE_PAGES
    if actor is not None and actor.can("administrateur"):
        sections["Administrer"] = ADMIN_PAGES
    if actor is None:
        sections["Compte"] = [LOGIN]
    pages = st.navigation(sections, expanded=True)

with st.sidebar:
    if actor is not None:
        st.markdown(f"Connecté : **{escape_markdown(actor.name)}** ({fmt.ROLE_LABELS[actor.role]})")
        if st.button("Se déconnecter", icon=":material/logout:"):
            session.log_out()
            st.rerun()
    elif session.public_read():
        st.caption("Consultation publique (lecture seule).")
    st.caption(f"**{APP_NAME}** — {APP_TAGLINE}")
session.closed_session_notice()
pages.run()
