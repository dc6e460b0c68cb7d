"""Logging in: password check and throttling of repeated failures.

An attempt is recorded as *pending* under the database's write lock before its
password is checked, so that parallel attempts are all counted: once five failures
(pending included) stand for one login name from one client, no further password is
checked until a delay has passed, 30 seconds doubling with each new failure up to 15
minutes. A client address that fails 20 times in 15 minutes, whatever the names, is
slowed the same way. Throttling a (name, client) pair rather than an account means
nobody can lock someone else out from another machine.

Refusing a real account and an unknown name costs the same (one bcrypt check against
a stand-in hash), and so do the messages: they never say whether the account exists.
What was typed in the login field is stored only as a keyed hash, never as text."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import bcrypt

from dashboard.tracker import fmt, users
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import TrackerError
from dashboard.tracker.queries import bind, sql

MAX_FAILURES = 5
CLIENT_MAX_FAILURES = 20
WINDOW_MINUTES = 15
FIRST_DELAY_SECONDS = 30
MAX_DELAY_MINUTES = 15
UNKNOWN_CLIENT = "inconnu"
#: checked when the name is unknown or inactive, so that refusing costs the same
_STAND_IN_HASH = bcrypt.hashpw(b"cdv-tracker: compte inexistant", bcrypt.gensalt()).decode()


class LoginRefused(TrackerError):
    """Wrong credentials or a throttled attempt; the message is safe to show."""


def _delay(failures: int, threshold: int) -> dt.timedelta:
    """30 s at the threshold, doubling with each failure beyond it, 15 minutes at most."""
    if failures < threshold:
        return dt.timedelta(0)
    seconds = FIRST_DELAY_SECONDS * 2 ** min(failures - threshold, 10)
    return min(dt.timedelta(seconds=seconds), dt.timedelta(minutes=MAX_DELAY_MINUTES))


def _key(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def _secret(cur) -> str:
    return cur.execute("select value from app_meta where key = 'login_key_secret'").fetchone()[0]


def throttled_until(counts: dict, now: dt.datetime) -> dt.datetime | None:
    """When the pair or the client may try again, or None if it may now."""
    waits = []
    if counts["pair_failures"] >= MAX_FAILURES:
        waits.append(counts["pair_last_at"] + _delay(counts["pair_failures"], MAX_FAILURES))
    if counts["client_failures"] >= CLIENT_MAX_FAILURES:
        waits.append(
            counts["client_last_at"] + _delay(counts["client_failures"], CLIENT_MAX_FAILURES)
        )
    until = max(waits, default=None)
    return until if until is not None and until > now else None


def _throttle_counts(cur, login_key: str, client_key: str, now: dt.datetime) -> dict:
    params = {
        "login_key": login_key,
        "client_key": client_key,
        "pair_since": now - dt.timedelta(hours=24),
        "client_since": now - dt.timedelta(minutes=WINDOW_MINUTES),
    }
    result = cur.execute(sql("login_throttle"), bind("login_throttle", params))
    return dict(zip([d[0] for d in result.description], result.fetchone(), strict=True))


def _register(db: Database, name: str, client: str, now: dt.datetime) -> tuple[int, dict | None]:
    """Under the write lock: refuse if throttled, else record a pending attempt.
    Returns the attempt's id and the account row (None for an unknown name)."""
    with db.transaction() as cur:
        secret = _secret(cur)
        login_key, client_key = _key(secret, name), _key(secret, "client:" + client)
        account = users.account_row(cur, name)
        until = throttled_until(_throttle_counts(cur, login_key, client_key, now), now)
        outcome = "throttled" if until else "pending"
        attempt = cur.execute(
            "insert into login_attempt (login_key, client_key, user_id, attempted_at, outcome)"
            " values ($l, $c, $u, $t, $o) returning id",
            {
                "l": login_key,
                "c": client_key,
                "u": account["id"] if account else None,
                "t": now,
                "o": outcome,
            },
        ).fetchone()[0]
    if until:
        raise LoginRefused(
            "Trop d'échecs de connexion depuis ce poste : réessayez après "
            f"{fmt.time_fr(until)} (le délai double à chaque nouvel échec, "
            f"{MAX_DELAY_MINUTES} minutes au plus)."
        )
    return attempt, account


def login(
    db: Database,
    login_name: str,
    password: str,
    *,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> Actor:
    """The account's actor, or LoginRefused with a French message.
    ``client`` is the address the attempt comes from (for the throttle)."""
    now = now or utcnow()
    name = (login_name or "").strip().lower()[:64]
    if not name or not password:
        raise LoginRefused("Saisissez votre identifiant et votre mot de passe.")
    attempt, account = _register(db, name, (client or UNKNOWN_CLIENT)[:200], now)
    usable = account is not None and account["active"]
    stored = account["password_hash"] if usable else _STAND_IN_HASH
    try:
        ok = bcrypt.checkpw(password.encode()[:72], stored.encode()) and usable
    except ValueError:
        ok = False
    with db.transaction() as cur:
        cur.execute(
            "update login_attempt set outcome = $o where id = $id",
            {"o": "success" if ok else "failure", "id": attempt},
        )
        counts = None if ok else _throttle_counts(cur, *_keys_of(cur, attempt), now)
    if ok:
        return users.actor_of(account)
    until = throttled_until(counts, now)
    if until:
        raise LoginRefused(
            "Identifiant ou mot de passe incorrect. Trop d'échecs depuis ce poste : nouvel "
            f"essai possible après {fmt.time_fr(until)} (le délai double à chaque nouvel "
            f"échec, {MAX_DELAY_MINUTES} minutes au plus)."
        )
    left = MAX_FAILURES - counts["pair_failures"]
    raise LoginRefused(
        f"Identifiant ou mot de passe incorrect ({left} essai{'s' if left > 1 else ''} avant "
        "un délai d'attente)."
    )


def _keys_of(cur, attempt: int) -> tuple[str, str]:
    return cur.execute(
        "select login_key, client_key from login_attempt where id = $id", {"id": attempt}
    ).fetchone()
