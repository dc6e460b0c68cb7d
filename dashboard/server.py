"""The served application (``cdv serve`` runs ``streamlit run`` on this file): the
Streamlit app of ``app.py`` inside Streamlit's own ASGI server (``st.App``), with
what a deployment needs around it: security headers on every HTTP answer, the two
routes that set and clear the session cookie (a Streamlit page cannot set an HttpOnly
cookie itself), no upload before signing in (``upload_gate``), Streamlit's own
browser words in French (``frontend_fr``), and a
French message instead of a stack trace when a page fails."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

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


app = st.App(
    str(Path(__file__).with_name("app.py")),
    routes=[
        Route(OPEN_ROUTE, open_session, methods=["GET"]),
        Route(CLOSE_ROUTE, close_session, methods=["GET"]),
    ],
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(BrowserCookie),
        Middleware(UploadGate),
        Middleware(FrenchFrontend),
    ],
    on_script_error=_on_script_error,
)
