"""Who is using this browser session: the logged-in actor, the idle timeout, and the
optional read-only access without login (CDV_PUBLIC_READ=1, for a meeting-room screen)."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from dashboard.tracker.access import Actor, still_valid

ACTOR_KEY = "cdv_actor"
SEEN_KEY = "cdv_last_seen"
IDLE_ENV = "CDV_SESSION_IDLE_MINUTES"
PUBLIC_ENV = "CDV_PUBLIC_READ"
DEFAULT_IDLE_MINUTES = 30


def idle_minutes() -> int:
    try:
        return max(1, int(os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_MINUTES


def public_read() -> bool:
    return os.environ.get(PUBLIC_ENV, "").strip().lower() in ("1", "true", "oui", "yes")


def current_actor() -> Actor | None:
    """The logged-in actor, checked against the account on every run: a session idle
    for too long, or whose account was deactivated or had its role or password
    changed (or was replaced by a restore), is logged out."""
    from dashboard.ui import data

    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    now = dt.datetime.now(dt.UTC)
    seen = st.session_state.get(SEEN_KEY)
    if seen is not None and now - seen > dt.timedelta(minutes=idle_minutes()):
        log_out()
        st.session_state["cdv_expired"] = True
        return None
    if not still_valid(data.database(), actor):
        log_out()
        st.session_state["cdv_revoked"] = True
        return None
    st.session_state[SEEN_KEY] = now
    return actor


def client_address() -> str | None:
    """The browser's address as the server sees it (behind a reverse proxy on the
    same machine, uvicorn takes it from X-Forwarded-For)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests): unknown client
        return None
    return address if isinstance(address, str) else None


def log_in(actor: Actor) -> None:
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SEEN_KEY] = dt.datetime.now(dt.UTC)
    st.session_state.pop("cdv_expired", None)


def log_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def require(role: str) -> Actor:
    """The actor if their role allows this page; otherwise a French message and stop.
    (Hiding the page is not the protection: every write service checks the role again.)"""
    actor = current_actor()
    if actor is None or not actor.can(role):
        st.error(
            f"Cette page est réservée au rôle {role} ou supérieur"
            + (" : connectez-vous." if actor is None else f" (votre rôle : {actor.role}).")
        )
        st.stop()
    return actor


def closed_session_notice() -> None:
    """Say why the session just ended, on whatever page the user lands."""
    if st.session_state.pop("cdv_expired", False):
        st.info(f"Session fermée après {idle_minutes()} minutes d'inactivité : reconnectez-vous.")
    if st.session_state.pop("cdv_revoked", False):
        st.warning(
            "Session fermée : vos droits ont changé (compte désactivé, rôle ou mot de passe "
            "modifié, ou base restaurée). Reconnectez-vous. Rien n'a été enregistré."
        )
