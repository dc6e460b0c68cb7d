"""Login: the right password opens, the wrong one is counted, five failures lock the
account for 15 minutes (and say so), no password is stored in the attempts."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import auth, users
from tests.conftest import ADMIN

T0 = dt.datetime(2026, 3, 1, 10, 0)
PASSWORD = "phrase de passe correcte"


@pytest.fixture
def account(db):
    users.add_user(
        db, ADMIN, login="lea", display_name="Léa", role="contributeur", password=PASSWORD
    )
    return db


def test_right_password_gives_the_actor(account):
    actor = auth.login(account, "Lea", PASSWORD, now=T0)
    assert (actor.login, actor.role, actor.display_name) == ("lea", "contributeur", "Léa")


def test_five_failures_lock_for_fifteen_minutes(account):
    for attempt in range(4):
        with pytest.raises(auth.LoginRefused, match=f"{4 - attempt} essai"):
            auth.login(account, "lea", "mauvais", now=T0 + dt.timedelta(minutes=attempt))
    with pytest.raises(auth.LoginRefused, match="verrouillé pour 15 minutes"):
        auth.login(account, "lea", "mauvais", now=T0 + dt.timedelta(minutes=4))
    # even the right password is refused while locked, and the message says until when
    with pytest.raises(auth.LoginRefused, match="réessayez après 11:19"):  # Paris, UTC+1
        auth.login(account, "lea", PASSWORD, now=T0 + dt.timedelta(minutes=10))
    # 15 minutes after the last failure, the account opens again
    assert auth.login(account, "lea", PASSWORD, now=T0 + dt.timedelta(minutes=20)).login == "lea"


def test_a_success_resets_the_count(account):
    for minute in range(4):
        with pytest.raises(auth.LoginRefused):
            auth.login(account, "lea", "mauvais", now=T0 + dt.timedelta(minutes=minute))
    auth.login(account, "lea", PASSWORD, now=T0 + dt.timedelta(minutes=5))
    with pytest.raises(auth.LoginRefused, match="4 essais"):
        auth.login(account, "lea", "mauvais", now=T0 + dt.timedelta(minutes=6))


def test_unknown_account_and_empty_fields(account):
    with pytest.raises(auth.LoginRefused, match="incorrect"):
        auth.login(account, "personne", PASSWORD, now=T0)
    with pytest.raises(auth.LoginRefused, match="Saisissez"):
        auth.login(account, "", "", now=T0)


def test_attempts_never_hold_a_password(account):
    with pytest.raises(auth.LoginRefused):
        auth.login(account, "lea", "secret-tape-par-erreur", now=T0)
    auth.login(account, "lea", PASSWORD, now=T0)
    with account.reader() as cur:
        rows = cur.execute("select * from login_attempt").fetchall()
        dump = str(rows) + str(cur.execute("select * from audit_log").fetchall())
    assert len(rows) == 2
    assert "secret-tape-par-erreur" not in dump and PASSWORD not in dump


def test_deactivated_account_cannot_log_in(account):
    users.set_active(account, ADMIN, login="lea", active=False)
    with pytest.raises(auth.LoginRefused, match="incorrect"):
        auth.login(account, "lea", PASSWORD, now=T0)
