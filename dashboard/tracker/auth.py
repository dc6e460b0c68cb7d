"""Logging in: password check, and the lockout after repeated failures.

Every attempt is recorded (login, time, outcome: never the password). Five failures
within 15 minutes, since the last success, lock the account until 15 minutes after
the last failure; the message says so and until when."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt, users
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import TrackerError

MAX_FAILURES = 5
LOCK_MINUTES = 15


class LoginRefused(TrackerError):
    """Wrong credentials or a locked account; the message is safe to show."""


def login(db: Database, login_name: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """The account's actor, or LoginRefused with a French message."""
    now = now or utcnow()
    name = (login_name or "").strip().lower()[:64]
    if not name or not password:
        raise LoginRefused("Saisissez votre identifiant et votre mot de passe.")
    lock = locked_until(db, name, now)
    if lock:
        raise LoginRefused(
            f"Compte verrouillé après {MAX_FAILURES} échecs de connexion : réessayez après "
            f"{fmt.time_fr(lock)}, soit {LOCK_MINUTES} minutes après le dernier essai."
        )
    actor = users.authenticate(db, name, password)
    with db.transaction() as cur:
        cur.execute(
            "insert into login_attempt (login, attempted_at, succeeded) values ($l, $t, $s)",
            {"l": name, "t": now, "s": actor is not None},
        )
    if actor is None:
        left = MAX_FAILURES - failures(db, name, now)
        if left <= 0:
            raise LoginRefused(
                f"Identifiant ou mot de passe incorrect. Compte verrouillé pour {LOCK_MINUTES} minutes "
                f"après {MAX_FAILURES} échecs."
            )
        raise LoginRefused(
            f"Identifiant ou mot de passe incorrect ({left} essai{'s' if left > 1 else ''} avant "
            f"verrouillage du compte pour {LOCK_MINUTES} minutes)."
        )
    return actor


def failures(db: Database, name: str, now: dt.datetime) -> int:
    row = db.records(
        "recent_login_failures", login=name, since=now - dt.timedelta(minutes=LOCK_MINUTES)
    )[0]
    return row["failures"]


def locked_until(db: Database, name: str, now: dt.datetime) -> dt.datetime | None:
    row = db.records(
        "recent_login_failures", login=name, since=now - dt.timedelta(minutes=LOCK_MINUTES)
    )[0]
    if row["failures"] >= MAX_FAILURES:
        return row["last_failure_at"] + dt.timedelta(minutes=LOCK_MINUTES)
    return None
