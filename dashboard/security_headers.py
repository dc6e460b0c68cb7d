"""Security headers for every HTTP answer of the served application (pure ASGI
middleware: WebSocket traffic passes untouched).

- Content-Security-Policy: scripts, styles, fonts and images from the tracker itself
  only; no inline script but the one of Streamlit's own page, allowed by its hash
  (computed from the installed Streamlit at start); inline styles (Streamlit's front
  end sets them), ``data:``/``blob:`` images; nothing can frame it.
- X-Frame-Options DENY (for older browsers), nosniff, a strict referrer policy.
- ``BrowserCookie``: the pre-session cookie that ties a one-use sign-in code to the
  browser that asked for it (``sessions.redeem_handoff``), set on the first page.
HTTPS and its Strict-Transport-Security header belong to the reverse proxy (README)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.tracker import sessions


def _inline_script_hashes() -> str:
    """'sha256-…' of each inline script of the index.html Streamlit serves."""
    page = Path(streamlit.__file__).parent / "static" / "index.html"
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return ""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
        if "src=" not in attributes and body.strip()
    ]
    return " ".join(hashes)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {_inline_script_hashes()}".strip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        # 'self' covers the app's own WebSocket (ws/wss on the same host, CSP level 3)
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
_ENCODED = [(k.encode(), v.encode()) for k, v in HEADERS.items()]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _ENCODED if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BrowserCookie:
    """Give a browser that has none its pre-session cookie, with the first HTML page it
    gets (before the page opens its WebSocket, whose handshake then carries it):
    random, HttpOnly, SameSite=Lax, Secure over HTTPS, kept a year (it also tells the
    login throttle which browsers an account has signed in from)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        if connection.cookies.get(sessions.BROWSER_COOKIE):
            await self.app(scope, receive, send)
            return
        secure = "; Secure" if connection.url.scheme == "https" else ""
        cookie = (
            f"{sessions.BROWSER_COOKIE}={sessions.new_browser_token()}; Path=/; HttpOnly;"
            f" Max-Age={365 * 24 * 3600};"
            f" SameSite=Lax{secure}"
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("set-cookie", cookie)
                    message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
