"""Single sign-on, as an option: Streamlit's own ``st.login`` with OpenID Connect
(the Métropole's identity provider, or ProConnect), configured in
``.streamlit/secrets.toml``. The provider says who the person is and, through one
claim, which role they have in the tracker; the tracker then opens its own session
(the same cookie as a local login), so write services, the audit trail and
revocation work the same way. Local accounts stay the default.

    [auth]                      # read by st.login (see Streamlit's documentation)
    redirect_uri = "https://suivi.example.fr/oauth2callback"
    cookie_secret = "…"
    client_id = "…"
    client_secret = "…"
    server_metadata_url = "https://…/.well-known/openid-configuration"

    [cdv_sso]                   # read by the tracker
    label = "ProConnect"        # the button says « Se connecter avec ProConnect »
    login_claim = "email"       # the claim that names the account
    role_claim = "groups"       # the claim that carries the role (text or list)
    [cdv_sso.roles]             # claim value -> tracker role; no match: refused
    "cdv-administrateurs" = "administrateur"
    "cdv-contributeurs" = "contributeur"
    "cdv-lecteurs" = "lecteur"
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit import config

from dashboard.tracker import users
from dashboard.tracker.access import Actor
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.widgets import escape_markdown

SECTION = "cdv_sso"


def settings() -> dict | None:
    """The [cdv_sso] settings when single sign-on is configured, else None. Without a
    secrets file st.secrets is not touched: reading it starts a file watcher that
    polls five times a second for the server's life."""
    if not any(Path(f).expanduser().is_file() for f in config.get_option("secrets.files")):
        return None
    try:
        if "auth" not in st.secrets or SECTION not in st.secrets:
            return None
        return st.secrets[SECTION].to_dict()
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None


def offer(next_path: str) -> None:
    """The « Se connecter avec … » button above the local login form."""
    config = settings()
    if config is None:
        return
    label = str(config.get("label", "le fournisseur d'identité"))
    if st.button(f"Se connecter avec {label}", type="primary", icon=":material/badge:"):
        st.login()
    st.caption("Ou avec un compte local :")


def signed_in_actor() -> Actor | None:
    """When the provider has just signed this browser in and the tracker has no
    session yet: the account bound to the person's stable identifier at the provider
    (issuer + « sub »; created, or updated with the role its claim gives), then the
    tracker's own session, which ends like any other. Streamlit keeps the provider's
    answer in a cookie for 30 days: an answer older than a few minutes, or one that
    has already opened a session, opens nothing — the person signs in with the
    provider again, which reads their role (or its removal) anew. None otherwise."""
    config = settings()
    if config is None or not _provider_signed_in():
        return None
    claims = st.user.to_dict()
    answer = (claims.get("iss"), claims.get("sub"), claims.get("iat"))
    if st.session_state.get("cdv_sso_seen") == answer:
        return None  # refused once, or already used by this browser: not again
    st.session_state["cdv_sso_seen"] = answer
    try:
        actor = users.sign_in_from_provider(
            data.database(),
            issuer=claims.get("iss"),
            subject=claims.get("sub"),
            issued_at=claims.get("iat"),
            login=claims.get(config.get("login_claim", "email")),
            display_name=claims.get("name"),
            role=role_of(claims, config),
        )
    except users.StaleProviderAnswer:
        return None  # the login page offers the provider's button: a new round trip
    except TrackerError as error:
        st.error(escape_markdown(f"Connexion refusée : {error.message}"))
        return None
    if session.log_in(actor, "/"):
        st.stop()
    return actor


def _provider_signed_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - no request context (AppTest)
        return False


def role_of(claims: dict, config: dict) -> str | None:
    """The highest tracker role that one of the role claim's values maps to."""
    value = claims.get(config.get("role_claim", "groups"))
    values = value if isinstance(value, list) else [value]
    roles = config.get("roles", {})
    found = [roles[v] for v in values if isinstance(v, str) and v in roles]
    for role in ("administrateur", "contributeur", "lecteur"):
        if role in found:
            return role
    return None


def provider_signed_in() -> bool:
    return settings() is not None and _provider_signed_in()
