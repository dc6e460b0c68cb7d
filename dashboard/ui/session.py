"""Who is using this browser: the signed-in actor, the idle timeout, and the optional
read-only access without login (CDV_PUBLIC_READ=1, for a meeting-room screen).

A browser stays signed in through the HttpOnly cookie that the server's session route
sets (``dashboard/server.py``, ``dashboard/tracker/sessions.py``): every run reads the
cookie sent with the page (``st.context.cookies``) and checks its session against the
account as it is now. Runs without that cookie (AppTest, a browser refusing cookies)
keep the actor in the Streamlit session only."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import urllib.parse

import streamlit as st

from dashboard.tracker import sessions
from dashboard.tracker.access import Actor, still_valid

ACTOR_KEY = "cdv_actor"
SEEN_KEY = "cdv_last_seen"
IDLE_ENV = "CDV_SESSION_IDLE_MINUTES"
PUBLIC_ENV = "CDV_PUBLIC_READ"
DEFAULT_IDLE_MINUTES = 30
OPEN_ROUTE = "/_cdv/session/ouvrir"
CLOSE_ROUTE = "/_cdv/session/fermer"
#: the url path of the page asked for (set by app.py before the page runs)
PAGE_KEY = "cdv_page_path"
#: the actor app.py found for the run under way (only while its page runs)
RUN_KEY = "cdv_run_actor"


def idle_minutes() -> int:
    try:
        return max(1, int(os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_MINUTES


def public_read() -> bool:
    return os.environ.get(PUBLIC_ENV, "").strip().lower() in ("1", "true", "oui", "yes")


def current_actor() -> Actor | None:
    """The signed-in actor, checked against the account on every run: a session idle
    for too long, or whose account was deactivated or had its role or password
    changed (or was replaced by a restore), is signed out and says why. Checked once
    per run: app.py hands its answer to the page it runs (``this_run``)."""
    if RUN_KEY in st.session_state:
        return st.session_state[RUN_KEY]
    token = session_token()
    if token is not None:
        return _from_cookie(token)
    return _from_session_state()


def session_token() -> str | None:
    return _cookie(sessions.COOKIE)


def browser_cookie() -> str | None:
    """This browser's pre-session cookie (set by the server with the first page)."""
    return _cookie(sessions.BROWSER_COOKIE)


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no request context (AppTest): no cookie
        return None
    return value if isinstance(value, str) and value else None


def _from_cookie(token: str) -> Actor | None:
    from dashboard.ui import data

    if st.session_state.get("cdv_ended_token") == token:
        return None
    resumed = sessions.resume(data.database(), token, idle_minutes())
    if resumed.actor is None:
        st.session_state["cdv_ended_token"] = token
        if resumed.ended == "idle":
            st.session_state["cdv_expired"] = True
        elif resumed.ended == "access":
            st.session_state["cdv_revoked"] = True
    return resumed.actor


def _from_session_state() -> Actor | None:
    from dashboard.ui import data

    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    now = dt.datetime.now(dt.UTC)
    seen = st.session_state.get(SEEN_KEY)
    if seen is not None and now - seen > dt.timedelta(minutes=idle_minutes()):
        _forget()
        st.session_state["cdv_expired"] = True
        return None
    if not still_valid(data.database(), actor):
        _forget()
        st.session_state["cdv_revoked"] = True
        return None
    st.session_state[SEEN_KEY] = now
    return actor


@contextlib.contextmanager
def this_run(actor: Actor | None):
    """While the page runs, ``current_actor`` answers ``actor`` without asking the
    database again; a page script run on its own still checks for itself."""
    st.session_state[RUN_KEY] = actor
    try:
        yield
    finally:
        st.session_state.pop(RUN_KEY, None)


def client_address() -> str | None:
    """The browser's address as the server sees it (behind a reverse proxy on the
    same machine, uvicorn takes it from X-Forwarded-For)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests): unknown client
        return None
    return address if isinstance(address, str) else None


def log_in(actor: Actor, next_path: str = "/") -> bool:
    """Sign ``actor`` in here and, in a browser, send it to the session route, which
    sets the cookie that keeps it signed in and lands on ``next_path``; the one-use
    code it carries belongs to this browser (its pre-session cookie). True when the
    browser is on its way there (the caller then stops: a rerun would drop the
    redirect); False where there is no browser to send (AppTest) or it refuses
    cookies."""
    from dashboard.ui import data

    st.session_state[ACTOR_KEY] = actor
    st.session_state[SEEN_KEY] = dt.datetime.now(dt.UTC)
    st.session_state.pop("cdv_expired", None)
    st.session_state.pop("cdv_ended_token", None)
    browser = browser_cookie()
    if actor.user_id is None or not _in_browser() or browser is None:
        return False
    code = sessions.open_handoff(data.database(), actor, next_path, browser=browser)
    redirect(f"{OPEN_ROUTE}?{urllib.parse.urlencode({'code': code})}")
    return True


def _in_browser() -> bool:
    try:
        return st.context.url is not None
    except Exception:  # noqa: BLE001 - no request context
        return False


def log_out(*, via_provider: bool = False) -> bool:
    """End the session everywhere it is used (the cookie's token is revoked), then let
    the server's route clear the cookie, or, for a person the identity provider signed
    in, Streamlit's logout (which ends the provider's session too when it can). True
    when the browser is on its way (the caller stops rather than reruns)."""
    from dashboard.ui import data

    token = session_token()
    if token is not None:
        sessions.revoke(data.database(), token)
    _forget()
    if not _in_browser():
        return False
    if via_provider:
        st.logout()
    else:
        redirect(CLOSE_ROUTE)
    return True


def _forget() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def redirect(url: str) -> None:
    """Send the browser to ``url`` (a path of this server), as ``st.login`` does."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = url
    context.enqueue(message)


def current_path() -> str:
    """This page's path with its query string: where a login lands."""
    page = st.session_state.get(PAGE_KEY, "")
    query = urllib.parse.urlencode(
        [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    )
    return sessions.safe_path("/" + page + (f"?{query}" if query else ""))


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
