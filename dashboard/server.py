"""The served application (``cdv serve`` runs ``streamlit run`` on this file): the
Streamlit app of ``app.py`` inside Streamlit's own ASGI server (``st.App``), with
what a deployment needs around it: security headers on every HTTP answer, the two
routes that set and clear the session cookie (a Streamlit page cannot set an HttpOnly
cookie itself), no upload before signing in (``upload_gate``), Streamlit's own
browser words in French (``frontend_fr``), and a
French message instead of a stack trace when a page fails."""

from __future__ import annotations

import logging
import os
import threading
import time
from html import escape
from pathlib import Path

import streamlit as st
import streamlit.runtime.runtime as streamlit_runtime
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route
from streamlit.runtime.scriptrunner.script_cache import ScriptCache

from dashboard.frontend_fr import FrenchFrontend
from dashboard.security_headers import BrowserCookie, SecurityHeaders
from dashboard.tracker import sessions
from dashboard.ui.session import CLOSE_ROUTE, OPEN_ROUTE
from dashboard.upload_gate import UploadGate

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


def _secure(request: Request) -> bool:
    """Served over HTTPS, directly or behind a proxy named in CDV_TRUSTED_PROXIES
    (uvicorn then takes the scheme from its X-Forwarded-Proto; from anyone else the
    header is not believed)."""
    return request.url.scheme == "https"


def _database():
    """The app's own Database (one per process), imported here: at module import time
    Streamlit's runtime does not exist yet and its caches would not be shared."""
    from dashboard.ui import data

    return data.database()


def _redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(sessions.safe_path(path), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


async def open_session(request: Request) -> RedirectResponse:
    """Exchange a login's one-use code for a session: set the HttpOnly cookie, then
    go to the page the login asked for. A used, expired or unknown code, or one from
    another browser than the one that signed in (a link from another site: « login
    CSRF »), sets nothing."""
    code = request.query_params.get("code")
    browser = request.cookies.get(sessions.BROWSER_COOKIE)
    redeemed = await run_in_threadpool(sessions.redeem_handoff, _database(), code, browser)
    if redeemed is None:
        return _redirect("/connexion")
    token, path = redeemed
    response = _redirect(path)
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=sessions.MAX_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


def _same_site(request: Request) -> bool:
    """The request comes from the tracker's own pages (or the person typed the
    address), never from a link or form of another site: the browser's
    ``Sec-Fetch-Site`` says so, or, from a browser too old to send it, a Referer of
    this origin (sent here: the referrer policy is « same-origin »)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    referer = request.headers.get("referer", "")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return referer == origin or referer.startswith(origin + "/")


async def close_session(request: Request) -> RedirectResponse:
    """Logout: revoke the cookie's session (if the page has not already) and clear it.
    Only from the tracker's own pages: a link from another site signs nobody out."""
    if not _same_site(request):
        return _redirect("/")
    token = request.cookies.get(sessions.COOKIE)
    await run_in_threadpool(sessions.revoke, _database(), token)
    response = _redirect("/connexion")
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _page(title: str, said: str) -> HTMLResponse:
    """A small French page for the links of the mails (no sign-in needed): the message
    escaped, a link to the tracker."""
    response = HTMLResponse(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} — '
        f'cdv-tracker</title><meta name="viewport" content="width=device-width"></head><body '
        f'style="font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">'
        f"<h1>{escape(title)}</h1><p>{escape(said)}</p>"
        '<p><a href="/">Ouvrir cdv-tracker</a></p></body></html>'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def verify_address(request: Request) -> HTMLResponse:
    """The verification link of a mail: the address is verified, or why not."""
    from dashboard.tracker import notifications

    said = await run_in_threadpool(notifications.verify, _database(),
                                   request.query_params.get("jeton"))  # fmt: skip
    return _page("Adresse électronique", said)


async def unsubscribe(request: Request) -> HTMLResponse:
    """The unsubscribe link of a mail: that subscription stops, without signing in."""
    from dashboard.tracker import notifications

    said = await run_in_threadpool(notifications.unsubscribe_link, _database(),
                                   request.query_params.get("jeton"))  # fmt: skip
    return _page("Désabonnement", said)


def _notify_every(minutes: int) -> None:
    """The notifications, computed and sent by the server itself every ``minutes``
    (``CDV_NOTIFY_MINUTES``): DuckDB lets one process hold the file, so while the
    tracker is served, ``cdv notify`` cannot run beside it. A failure is logged, never
    stops the server nor a page."""
    import datetime as dt

    from dashboard.tracker import mail, notifications

    while True:
        time.sleep(minutes * 60)
        try:
            report = notifications.run(_database(), mail.settings(), dt.date.today())
            _LOG.info("Notifications : %s nouvelle(s), %s envoyée(s), %s refusée(s).",
                      report.new, report.sent, report.failed)  # fmt: skip
        except Exception:  # noqa: BLE001 - a scheduled job logs, never stops the server
            _LOG.exception("Les notifications n'ont pas pu être calculées")


def _start_notifications() -> None:
    raw = os.environ.get("CDV_NOTIFY_MINUTES", "0").strip() or "0"
    minutes = int(raw) if raw.isdigit() else 0
    if minutes > 0:
        threading.Thread(target=_notify_every, args=(minutes,), daemon=True,
                         name="cdv-notifications").start()  # fmt: skip


class KeptScriptCache(ScriptCache):
    """Streamlit's cache of the compiled pages, kept for the life of the process.
    Streamlit empties it whenever the last session leaves (so that, with file watching
    off, an edited page is read again): every member arriving on a quiet server, and a
    member alone who reloads, had ``app.py`` and the page parsed and compiled again —
    about a quarter of a cached view's CPU. ``cdv serve`` watches no file
    (``fileWatcherType = "none"``): the code under a running server never changes, a new
    version is a restart."""

    def clear(self) -> None:
        """Kept (see the class)."""


#: the runtime (created when the server starts, after this module is read) takes this
#: cache for its sessions
streamlit_runtime.ScriptCache = KeptScriptCache

_start_notifications()

app = st.App(
    str(Path(__file__).with_name("app.py")),
    routes=[
        Route(OPEN_ROUTE, open_session, methods=["GET"]),
        Route(CLOSE_ROUTE, close_session, methods=["GET"]),
        Route("/_cdv/verifier-adresse", verify_address, methods=["GET"]),
        Route("/_cdv/desabonnement", unsubscribe, methods=["GET"]),
    ],
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(BrowserCookie),
        Middleware(UploadGate),
        Middleware(FrenchFrontend),
    ],
    on_script_error=_on_script_error,
)
