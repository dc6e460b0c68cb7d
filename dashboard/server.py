"""The served application (``cdv serve`` runs ``streamlit run`` on this file): the
Streamlit app of ``app.py`` inside Streamlit's own ASGI server (``st.App``), with
what a deployment needs around it: security headers on every HTTP answer, and a
French message instead of a stack trace when a page fails."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.security_headers import SecurityHeaders

_LOG = logging.getLogger("cdv-tracker")


def _on_script_error(error: Exception) -> bool:
    """Log the trace on the server; show the user a French message, never the trace."""
    _LOG.error("Erreur inattendue dans une page", exc_info=error)
    st.error(
        "Une erreur inattendue est survenue sur cette page : rien n'a été enregistré. "
        "Rechargez la page ; si l'erreur persiste, signalez-la à l'administrateur "
        "(le détail est consigné dans le journal du serveur)."
    )
    return True


app = st.App(
    str(Path(__file__).with_name("app.py")),
    middleware=[Middleware(SecurityHeaders)],
    on_script_error=_on_script_error,
)
