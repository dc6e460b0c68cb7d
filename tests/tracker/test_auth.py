"""Login: the right password opens; failures are counted before the password is
checked, per login name and client, per login name and per client, with a delay that
doubles (so that parallel attempts cannot race past the limit, changing address gains
nothing, and strangers never lock an account's owner out of her own browser); real and unknown accounts are refused alike; what was typed is
never stored; a right removed by an administrator ends at once."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from dashboard.tracker import auth, users, work
from dashboard.tracker.errors import PermissionDenied, ValidationError
from tests.conftest import ADMIN

T0 = dt.datetime(2026, 3, 1, 10, 0)
PASSWORD = "phrase de passe correcte"
HERE, THERE = "203.0.113.5", "198.51.100.7"


@pytest.fixture
def account(db):
    users.add_user(
        db,
        ADMIN,
        login="lea",
        display_name="Léa",
        role="contributeur",
        password=PASSWORD,
        provisional=False,
    )
    return db


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def fail(db, at: dt.datetime, *, name="lea", client=HERE) -> str:
    with pytest.raises(auth.LoginRefused) as caught:
        auth.login(db, name, "mauvais", client=client, now=at)
    return caught.value.message


def test_right_password_gives_the_actor_with_its_account(account):
    actor = auth.login(account, "Lea", PASSWORD, client=HERE, now=T0)
    assert (actor.login, actor.role, actor.display_name) == ("lea", "contributeur", "Léa")
    assert actor.user_id is not None and actor.epoch == 1


def test_five_failures_then_a_delay_that_doubles(account):
    for attempt in range(4):
        assert f"{4 - attempt} essai" in fail(account, minutes(attempt * 0.1))
    assert "nouvel essai possible après 11:00" in fail(account, minutes(0.4))  # Paris, UTC+1
    # while the delay runs even the right password is not checked
    with pytest.raises(auth.LoginRefused, match="réessayez après 11:00"):
        auth.login(account, "lea", PASSWORD, client=HERE, now=minutes(0.45))
    # after 30 s, one more failure doubles the delay to 60 s
    assert "après 11:02" in fail(account, minutes(1))
    # once it has passed, the right password opens and the count starts again
    assert auth.login(account, "lea", PASSWORD, client=HERE, now=minutes(3)).login == "lea"
    assert "4 essais" in fail(account, minutes(4))


def test_the_delay_never_exceeds_fifteen_minutes(account):
    for index in range(14):
        message = fail(account, minutes(16 * index))
    last_paris = minutes(16 * 13) + dt.timedelta(hours=1)  # Paris is UTC+1 in March
    assert f"après {last_paris + dt.timedelta(minutes=15):%H:%M}" in message


def test_failures_from_one_machine_do_not_lock_the_account_elsewhere(account):
    for attempt in range(6):
        fail(account, minutes(attempt * 0.1), client=THERE)
    with pytest.raises(auth.LoginRefused, match="réessayez"):
        auth.login(account, "lea", PASSWORD, client=THERE, now=minutes(0.6))
    assert auth.login(account, "lea", PASSWORD, client=HERE, now=minutes(0.6)).login == "lea"


def test_a_client_spraying_many_names_is_slowed(account):
    for index in range(auth.CLIENT_MAX_FAILURES):
        fail(account, minutes(index * 0.01), name=f"inconnu{index}")
    with pytest.raises(auth.LoginRefused, match="réessayez"):
        auth.login(account, "lea", PASSWORD, client=HERE, now=minutes(0.5))


def test_changing_address_gains_nothing_on_one_account(account):
    """A forged X-Forwarded-For (or many machines) gives each attempt a new client: the
    account's own count slows them all the same."""
    for index in range(auth.ACCOUNT_MAX_FAILURES):
        fail(account, minutes(index * 0.01), client=f"10.0.0.{index}")
    with pytest.raises(auth.LoginRefused, match="pour cet identifiant"):
        auth.login(account, "lea", PASSWORD, client="10.0.0.200", now=minutes(0.2))


def test_strangers_never_lock_the_owner_out_of_her_own_browser(account):
    """Behind one proxy every attempt has the same address: strangers failing on Léa's
    name and on many others slow every browser but the one Léa has signed in from."""
    mine = "navigateur-de-lea-" + "z" * 25
    auth.login(account, "lea", PASSWORD, client=HERE, browser=mine, now=T0)
    for index in range(30):
        fail(account, minutes(1 + index * 0.01), name="lea" if index % 2 else f"autre{index}")
    with pytest.raises(auth.LoginRefused, match="réessayez"):  # a new browser waits
        auth.login(account, "lea", PASSWORD, client=HERE, browser="x" * 43, now=minutes(1.3))
    actor = auth.login(account, "lea", PASSWORD, client=HERE, browser=mine, now=minutes(1.3))
    assert actor.login == "lea"
    # her browser is still slowed by its own failures
    for index in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginRefused):
            auth.login(account, "lea", "mauvais", client=HERE, browser=mine,
                       now=minutes(3 + index * 0.01))  # fmt: skip
    with pytest.raises(auth.LoginRefused, match="réessayez"):
        auth.login(account, "lea", PASSWORD, client=HERE, browser=mine, now=minutes(3.1))


def test_unknown_names_get_the_same_messages(account):
    real = [fail(account, minutes(i * 0.1)) for i in range(5)]
    unknown = [fail(account, minutes(i * 0.1), name="personne") for i in range(5)]
    assert real == unknown
    with pytest.raises(auth.LoginRefused, match="Saisissez"):
        auth.login(account, "", "", now=T0)


def test_attempts_never_hold_what_was_typed(account):
    fail(account, T0, name="secret-tape-dans-le-champ-identifiant")
    with pytest.raises(auth.LoginRefused):
        auth.login(account, "lea", "secret-tape-par-erreur", client=HERE, now=T0)
    auth.login(account, "lea", PASSWORD, client=HERE, now=T0)
    with account.reader() as cur:
        rows = cur.execute("select * from login_attempt").fetchall()
        dump = str(rows) + str(cur.execute("select * from audit_log").fetchall())
    assert len(rows) == 3
    for secret in ("secret-tape", PASSWORD, HERE):
        assert secret not in dump


def test_parallel_attempts_check_at_most_five_passwords(account, monkeypatch):
    checked = []
    real_check = auth.bcrypt.checkpw

    def counting(password, hashed):
        checked.append(password)
        return real_check(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", counting)
    refused: list[str] = []
    start = threading.Barrier(40)

    def attempt(index: int) -> None:
        start.wait()
        try:
            auth.login(account, "lea", f"mauvais {index}", client=HERE)
        except auth.LoginRefused as error:
            refused.append(error.message)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 40
    assert len(checked) == auth.MAX_FAILURES
    # the right password now waits for the delay too
    with pytest.raises(auth.LoginRefused, match="réessayez"):
        auth.login(account, "lea", PASSWORD, client=HERE)
    with account.reader() as cur:
        counted = dict(
            cur.execute("select outcome, count(*) from login_attempt group by 1").fetchall()
        )
    assert counted == {"failure": 5, "throttled": 36}


def test_real_and_unknown_accounts_take_the_same_time_to_refuse(account, monkeypatch):
    """An unknown login is refused after the same work as a real one: a password hash is
    checked either way (counted), and the times match (attempts interleaved, each
    side's fastest kept, so that a busy machine slows both alike)."""
    checked = []
    real_checkpw = auth.bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw",
                        lambda *args: checked.append(1) or real_checkpw(*args))  # fmt: skip
    samples = {"lea": [], "personne": []}
    for index in range(7):
        for name in samples:
            # the CPU time of this thread (the hash is checked here): other processes
            # on a loaded machine slow the wall clock, not this
            begin = time.thread_time()
            fail(account, minutes(index * 30), name=name, client=f"10.0.{len(name)}.{index}")
            samples[name].append(time.thread_time() - begin)
    assert len(checked) == 14  # one hash checked per refusal, known account or not
    real, unknown = min(samples["lea"]), min(samples["personne"])
    assert abs(real - unknown) / max(real, unknown) < 0.2, (real, unknown)


def test_deactivated_account_cannot_log_in(account):
    users.set_active(account, ADMIN, login="lea", active=False)
    with pytest.raises(auth.LoginRefused, match="incorrect"):
        auth.login(account, "lea", PASSWORD, client=HERE, now=T0)


@pytest.mark.parametrize(
    "change",
    [
        lambda db: users.set_active(db, ADMIN, login="lea", active=False),
        lambda db: users.set_role(db, ADMIN, login="lea", role="lecteur"),
        lambda db: users.reset_password(db, ADMIN, login="lea", password="une autre phrase"),
    ],
    ids=["désactivé", "rétrogradé", "mot de passe changé"],
)
def test_a_removed_right_ends_at_once_in_the_write_services(account, change):
    actor = auth.login(account, "lea", PASSWORD, client=HERE, now=T0)
    work.create_action(account, actor, orientation_id=1, title="Avant")
    change(account)
    with pytest.raises(PermissionDenied, match="reconnectez-vous"):
        work.create_action(account, actor, orientation_id=1, title="Après")
    assert account.scalar("select count(*) from action where title = 'Après'") == 0


def test_a_display_name_change_keeps_the_session(account):
    actor = auth.login(account, "lea", PASSWORD, client=HERE, now=T0)
    users.update_account(account, ADMIN, login="lea", role="contributeur", active=True)
    work.create_action(account, actor, orientation_id=1, title="Toujours là")


def test_the_last_active_administrator_stays(db):
    users.add_user(db, ADMIN, login="chef", display_name="Chef", role="administrateur",
                   password=PASSWORD, provisional=False)  # fmt: skip
    for change in (
        lambda: users.set_active(db, ADMIN, login="chef", active=False),
        lambda: users.set_role(db, ADMIN, login="chef", role="contributeur"),
        lambda: users.update_account(db, ADMIN, login="chef", role="lecteur", active=True),
    ):
        with pytest.raises(ValidationError, match="dernier administrateur actif"):
            change()
    users.add_user(db, ADMIN, login="adjointe", display_name="Adjointe",
                   role="administrateur", password=PASSWORD, provisional=False)  # fmt: skip
    users.set_active(db, ADMIN, login="chef", active=False)
    with pytest.raises(ValidationError, match="dernier administrateur actif"):
        users.set_role(db, ADMIN, login="adjointe", role="lecteur")


def test_changing_a_password_changes_nothing_else(account):
    before = account.records("users")
    users.update_account(account, ADMIN, login="lea", role="contributeur", active=True,
                         password="nouvelle phrase secrète")  # fmt: skip
    after = account.records("users")
    assert [(u["login"], u["role"], u["active"]) for u in after] == [
        (u["login"], u["role"], u["active"]) for u in before
    ]
    assert users.authenticate(account, "lea", "nouvelle phrase secrète") is not None


def test_a_password_set_by_an_administrator_must_be_replaced_before_any_write(db):
    """The password an administrator gives someone is provisional: signed in with it,
    the person can write nothing until they have chosen their own; choosing it ends
    the account's sessions (the page signs in again with the new one)."""
    from dashboard.tracker import sessions
    from dashboard.tracker.access import PROVISIONAL
    from tests.helpers import snapshot

    users.add_user(db, ADMIN, login="nina", display_name="Nina", role="contributeur",
                   password="donne-par-l-admin")  # fmt: skip
    nina = auth.login(db, "nina", "donne-par-l-admin")
    assert nina.provisional
    code = sessions.open_handoff(db, nina, "/", browser="b" * 43)
    token, _ = sessions.redeem_handoff(db, code, "b" * 43)
    assert sessions.resume(db, token, idle_minutes=30).actor.provisional  # every reload too
    before = snapshot(db)
    with pytest.raises(PermissionDenied, match="propre mot de passe"):
        work.create_action(db, nina, orientation_id=1, title="Action de Nina")
    assert snapshot(db) == before and PROVISIONAL.startswith("Choisissez")
    users.change_own_password(db, nina, current="donne-par-l-admin", new="la phrase de nina")
    assert sessions.resume(db, token, idle_minutes=30).actor is None  # sessions ended
    nina = auth.login(db, "nina", "la phrase de nina")
    assert not nina.provisional
    work.create_action(db, nina, orientation_id=1, title="Action de Nina")
    # a new password from an administrator is provisional again; one's own is not
    users.reset_password(db, ADMIN, login="nina", password="encore-l-admin-1")
    assert auth.login(db, "nina", "encore-l-admin-1").provisional
    users.add_user(db, ADMIN, login="chef", display_name="Chef", role="administrateur",
                   password="chef-provisoire-1")  # fmt: skip
    chef = auth.login(db, "chef", "chef-provisoire-1")
    users.change_own_password(db, chef, current="chef-provisoire-1", new="chef-definitif-1")
    chef = auth.login(db, "chef", "chef-definitif-1")
    users.reset_password(db, chef, login="chef", password="chef-nouveau-mot")
    assert not auth.login(db, "chef", "chef-nouveau-mot").provisional
