"""Security headers for every HTTP answer of the served application (pure ASGI
middleware: WebSocket traffic passes untouched).

- Content-Security-Policy: scripts, styles, fonts and images from the tracker itself
  only; no inline script but the one of Streamlit's own page, allowed by its hash
  (computed from the installed Streamlit at start); inline styles (Streamlit's front
  end sets them), ``data:``/``blob:`` images; nothing can frame it.
- X-Frame-Options DENY (for older browsers), nosniff, a strict referrer policy.
HTTPS and its Strict-Transport-Security header belong to the reverse proxy (README)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
        "connect-src 'self' ws: wss:",
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
