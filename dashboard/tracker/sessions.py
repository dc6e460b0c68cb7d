"""Sessions that survive a reload, a new tab and a shared link.

A browser signed in holds a random token (256 bits) in an HttpOnly cookie set by the
server's own route; the database keeps only the token's SHA-256, the account, the
access epoch the session was opened with, when it was last used and when it ends.
Logging in on a page cannot set an HttpOnly cookie itself: it opens a one-use
*handoff* code (valid two minutes) and sends the browser to the route, which
redeems the code for a session, sets the cookie and goes on to the page asked for.

A session ends at logout, after ``idle_minutes`` without use, at its absolute expiry
(``MAX_HOURS``), and as soon as its account is deactivated or changes role or
password (the account's access epoch moves; the sessions are marked revoked in the
same transaction)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database, utcnow

COOKIE = "cdv_session"
#: the pre-session cookie: which browser a one-use sign-in code belongs to
BROWSER_COOKIE = "cdv_navigateur"
HANDOFF_SECONDS = 120
MAX_HOURS = 12
#: last use is written at most this often (a read per page view, a write per minute)
TOUCH_SECONDS = 60
#: a path of this app, with its query string: what a link may ask to land on
_PATH = re.compile(r"^/(?!/)[A-Za-z0-9\-._~/%]*(\?[A-Za-z0-9\-._~%&=+,:]*)?$")

REASONS = {
    "logout": "déconnexion",
    "idle": "inactivité",
    "expired": "durée maximale atteinte",
    "access": "droits modifiés (rôle, mot de passe ou compte désactivé)",
    "used": "code de connexion utilisé",
}


@dataclass(frozen=True)
class Resumed:
    """What a token gives back: the actor, or why there is none (a key of REASONS)."""

    actor: Actor | None
    ended: str | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def safe_path(path: object) -> str:
    """``path`` if it is a path of this app (never another site), else ``/``."""
    if isinstance(path, str) and len(path) <= 2000 and _PATH.match(path):
        return path
    return "/"


def _insert(
    cur, kind: str, user_id: int, epoch: int, next_path: str | None, life, browser_hash=None
) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    cur.execute(
        "insert into user_session (token_hash, kind, user_id, access_epoch, next_path,"
        " created_at, last_seen_at, expires_at, browser_hash)"
        " values ($h, $k, $u, $e, $n, $at, $at, $x, $b)",
        {
            "h": _hash(token),
            "k": kind,
            "u": user_id,
            "e": epoch,
            "n": next_path,
            "at": now,
            "x": now + life,
            "b": browser_hash,
        },
    )
    return token


def _browser(value: object) -> str | None:
    """A pre-session cookie's value as it may be (random, URL-safe), else None."""
    return value if isinstance(value, str) and 20 <= len(value) <= 100 else None


def new_browser_token() -> str:
    """The value of a browser's pre-session cookie (set by the server on a page)."""
    return secrets.token_urlsafe(32)


def open_handoff(db: Database, actor: Actor, next_path: str = "/", *, browser: str) -> str:
    """A one-use code that the session route exchanges for a session of ``actor``, for
    the browser whose pre-session cookie is ``browser`` and no other."""
    if actor.user_id is None or actor.epoch is None:
        raise ValueError("seul un compte peut ouvrir une session")
    if _browser(browser) is None:
        raise ValueError("un code de connexion appartient à un navigateur")
    with db.transaction(affects="none") as cur:
        return _insert(
            cur,
            "handoff",
            actor.user_id,
            actor.epoch,
            safe_path(next_path),
            dt.timedelta(seconds=HANDOFF_SECONDS),
            _hash(browser),
        )


def redeem_handoff(db: Database, code: object, browser: object) -> tuple[str, str] | None:
    """(session token, path to land on) for a valid unused code presented by the
    browser that asked for it (``browser``: its pre-session cookie), else None. A code
    works once: a second use, one after two minutes, or one from another browser (a
    link from another site) gets nothing."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100 or _browser(browser) is None:
        return None
    now = utcnow()
    with db.transaction(affects="none") as cur:
        row = cur.execute(
            "select s.id, s.user_id, s.access_epoch, s.next_path from user_session s"
            " join app_user u on u.id = s.user_id and u.active"
            " and u.access_epoch = s.access_epoch"
            " where s.token_hash = $h and s.kind = 'handoff' and s.revoked_at is null"
            " and s.expires_at > $now and s.browser_hash = $b",
            {"h": _hash(code), "now": now, "b": _hash(browser)},
        ).fetchone()
        if row is None:
            return None
        cur.execute(
            "update user_session set revoked_at = $now, revoked_reason = 'used' where id = $id",
            {"now": now, "id": row[0]},
        )
        token = _insert(cur, "session", row[1], row[2], None, dt.timedelta(hours=MAX_HOURS))
    return token, safe_path(row[3])


def resume(db: Database, token: object, idle_minutes: int) -> Resumed:
    """The actor of a session token, checked against its account as it is now."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return Resumed(None)
    now = utcnow()
    rows = db.records("session_of_token", token_hash=_hash(token))
    if not rows:
        return Resumed(None)
    row = rows[0]
    if row["revoked_at"] is not None:
        return Resumed(None, row["revoked_reason"])
    ended = _ended(row, now, idle_minutes)
    if ended:
        _end(db, row["session_id"], ended, now)
        return Resumed(None, ended)
    if now - row["last_seen_at"] > dt.timedelta(seconds=TOUCH_SECONDS):
        _touch(db, row["session_id"], now)
    return Resumed(
        Actor(
            row["login"],
            row["role"],
            display_name=row["display_name"],
            user_id=row["user_id"],
            epoch=row["access_epoch"],
            provisional=bool(row["password_provisional"]),
        )
    )


def _ended(row: dict, now: dt.datetime, idle_minutes: int) -> str | None:
    if not row["active"] or row["access_epoch"] != row["session_epoch"]:
        return "access"
    if now >= row["expires_at"]:
        return "expired"
    if now - row["last_seen_at"] > dt.timedelta(minutes=idle_minutes):
        return "idle"
    return None


def _end(db: Database, session_id: int, reason: str, now: dt.datetime) -> None:
    with db.transaction(affects="none") as cur:
        cur.execute(
            "update user_session set revoked_at = $now, revoked_reason = $r"
            " where id = $id and revoked_at is null",
            {"now": now, "r": reason, "id": session_id},
        )


def _touch(db: Database, session_id: int, now: dt.datetime) -> None:
    with db.transaction(affects="none") as cur:
        cur.execute(
            "update user_session set last_seen_at = $now where id = $id and revoked_at is null",
            {"now": now, "id": session_id},
        )


def revoke(db: Database, token: object, reason: str = "logout") -> None:
    """End the session of ``token`` (logout). Unknown tokens are ignored."""
    if isinstance(token, str) and token:
        with db.transaction(affects="none") as cur:
            cur.execute(
                "update user_session set revoked_at = $now, revoked_reason = $r"
                " where token_hash = $h and revoked_at is null",
                {"now": utcnow(), "r": reason, "h": _hash(token)},
            )


def revoke_account(cur, user_id: int, reason: str = "access") -> None:
    """End every open session and code of an account (inside the caller's write)."""
    cur.execute(
        "update user_session set revoked_at = $now, revoked_reason = $r"
        " where user_id = $u and revoked_at is null",
        {"now": utcnow(), "r": reason, "u": user_id},
    )


def open_sessions(db: Database) -> list[dict]:
    """Sessions open now, per account (the administration page)."""
    return db.records("open_sessions", now=utcnow())


__all__ = [
    "BROWSER_COOKIE",
    "COOKIE",
    "Resumed",
    "new_browser_token",
    "open_handoff",
    "redeem_handoff",
    "resume",
    "revoke",
    "revoke_account",
    "safe_path",
]
