"""Nobody sends a file before signing in (pure ASGI middleware in front of Streamlit's
upload route, ``/_stcore/upload_file/…``).

Streamlit keeps every uploaded file in memory for the session that sent it, and its
route only checks that the session exists: a browser on the login page could park
files there. This gate answers 403, in French and without reading the body, to any
upload whose request does not carry the cookie of a tracker session valid now (the
same check as a page's: idle time, 12-hour limit, account active, rights unchanged).
No page takes an upload from a public reader, so none is let through without one.
Streamlit's own limit (``server.maxUploadSize``, 30 MB) then bounds what a signed-in
person can send."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.tracker import sessions

UPLOAD_PATH = "/_stcore/upload_file/"
REFUSAL = "Connectez-vous avant d'envoyer un fichier : aucun fichier n'a été reçu."


def _signed_in(token: str | None) -> bool:
    from dashboard.ui import data
    from dashboard.ui.session import idle_minutes

    if token is None:
        return False
    return sessions.resume(data.database(), token, idle_minutes()).actor is not None


class UploadGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") == "PUT"
            and UPLOAD_PATH in scope.get("path", "")
            and not await run_in_threadpool(
                _signed_in, HTTPConnection(scope).cookies.get(sessions.COOKIE)
            )
        ):
            response = PlainTextResponse(REFUSAL, status_code=403)
            response.headers["Cache-Control"] = "no-store"
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
