"""Logging in: password check and throttling of repeated failures.

An attempt is recorded as *pending* under the database's write lock before its
password is checked, so that parallel attempts are all counted: once five failures
(pending included) stand for one login name from one client, no further password is
checked until a delay has passed, 30 seconds doubling with each new failure up to 15
minutes. A client address that fails 20 times in 15 minutes, whatever the names, is
slowed the same way, and so is a login name that fails 10 times in 15 minutes from
anywhere: changing address (or a forged X-Forwarded-For) gains nothing.

A browser that has signed in to an account before (its pre-session cookie, kept as a
keyed hash) is throttled only by its own failures on that account: the failures of
strangers — from another machine, or from behind the same proxy — never lock the
account's owner out of the browser they use.

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
ACCOUNT_MAX_FAILURES = 10
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
    """When this attempt may be made, or None if it may now: a browser known to the
    account waits for its own failures only; any other attempt for the name from its
    client, for its client, and for the name from everywhere."""
    if counts["known_browser"]:
        limits = [("browser", MAX_FAILURES)]
    else:
        limits = [("pair", MAX_FAILURES), ("client", CLIENT_MAX_FAILURES),
                  ("account", ACCOUNT_MAX_FAILURES)]  # fmt: skip
    waits = [
        counts[f"{what}_last_at"] + _delay(counts[f"{what}_failures"], limit)
        for what, limit in limits
        if counts[f"{what}_failures"] >= limit
    ]
    until = max(waits, default=None)
    return until if until is not None and until > now else None


def _throttle_counts(cur, keys: tuple[str, str, str | None], now: dt.datetime) -> dict:
    login_key, client_key, browser_key = keys
    params = {
        "login_key": login_key,
        "client_key": client_key,
        "browser_key": browser_key,
        "pair_since": now - dt.timedelta(hours=24),
        "client_since": now - dt.timedelta(minutes=WINDOW_MINUTES),
    }
    result = cur.execute(sql("login_throttle"), bind("login_throttle", params))
    return dict(zip([d[0] for d in result.description], result.fetchone(), strict=True))


def _register(
    db: Database, name: str, client: str, browser: str | None, now: dt.datetime
) -> tuple[int, dict | None]:
    """Under the write lock: refuse if throttled, else record a pending attempt.
    Returns the attempt's id and the account row (None for an unknown name)."""
    with db.transaction(affects="none") as cur:
        secret = _secret(cur)
        keys = (
            _key(secret, name),
            _key(secret, "client:" + client),
            _key(secret, "browser:" + browser) if browser else None,
        )
        account = users.account_row(cur, name)
        until = throttled_until(_throttle_counts(cur, keys, now), now)
        outcome = "throttled" if until else "pending"
        attempt = cur.execute(
            "insert into login_attempt (login_key, client_key, browser_key, user_id,"
            " attempted_at, outcome) values ($l, $c, $b, $u, $t, $o) returning id",
            {
                "l": keys[0],
                "c": keys[1],
                "b": keys[2],
                "u": account["id"] if account else None,
                "t": now,
                "o": outcome,
            },
        ).fetchone()[0]
    if until:
        raise LoginRefused(
            "Trop d'échecs de connexion pour cet identifiant ou depuis ce poste : réessayez "
            f"après {fmt.time_fr(until)} (le délai double à chaque nouvel échec, "
            f"{MAX_DELAY_MINUTES} minutes au plus)."
        )
    return attempt, account


def login(
    db: Database,
    login_name: str,
    password: str,
    *,
    client: str | None = None,
    browser: str | None = None,
    now: dt.datetime | None = None,
) -> Actor:
    """The account's actor, or LoginRefused with a French message. ``client`` is the
    address the attempt comes from, ``browser`` its browser's pre-session cookie (for
    the throttle)."""
    now = now or utcnow()
    name = (login_name or "").strip().lower()[:64]
    if not name or not password:
        raise LoginRefused("Saisissez votre identifiant et votre mot de passe.")
    browser = browser[:200] if isinstance(browser, str) and browser else None
    attempt, account = _register(db, name, (client or UNKNOWN_CLIENT)[:200], browser, now)
    usable = account is not None and account["active"]
    stored = account["password_hash"] if usable else _STAND_IN_HASH
    try:
        ok = bcrypt.checkpw(password.encode()[:72], stored.encode()) and usable
    except ValueError:
        ok = False
    with db.transaction(affects="none") as cur:
        cur.execute(
            "update login_attempt set outcome = $o where id = $id",
            {"o": "success" if ok else "failure", "id": attempt},
        )
        counts = None if ok else _throttle_counts(cur, _keys_of(cur, attempt), now)
    if ok:
        return users.actor_of(account)
    until = throttled_until(counts, now)
    if until:
        raise LoginRefused(
            "Identifiant ou mot de passe incorrect. Trop d'échecs : nouvel "
            f"essai possible après {fmt.time_fr(until)} (le délai double à chaque nouvel "
            f"échec, {MAX_DELAY_MINUTES} minutes au plus)."
        )
    left = _tries_left(counts)
    raise LoginRefused(
        f"Identifiant ou mot de passe incorrect ({left} essai{'s' if left > 1 else ''} avant "
        "un délai d'attente)."
    )


def _tries_left(counts: dict) -> int:
    if counts["known_browser"]:
        return MAX_FAILURES - counts["browser_failures"]
    return min(MAX_FAILURES - counts["pair_failures"],
               ACCOUNT_MAX_FAILURES - counts["account_failures"])  # fmt: skip


def _keys_of(cur, attempt: int) -> tuple[str, str, str | None]:
    return cur.execute(
        "select login_key, client_key, browser_key from login_attempt where id = $id",
        {"id": attempt},
    ).fetchone()
