"""Sessions that survive a reload: a one-use code becomes a session whose token only
the browser holds (the database keeps its SHA-256); the session ends at logout, after
the idle timeout, at its absolute expiry, and when its account's access changes;
a link can only land on a path of this app; sessions are in no backup nor export."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.tracker import auth, backup, export, sessions, users
from dashboard.tracker.db import utcnow
from tests.conftest import ADMIN

PASSWORD = "phrase de passe correcte"
#: the pre-session cookie of the browser that signs in
BROWSER = "navigateur-de-lea-" + "x" * 20


@pytest.fixture
def lea(db):
    users.add_user(
        db,
        ADMIN,
        login="lea",
        display_name="Léa",
        role="contributeur",
        password=PASSWORD,
        provisional=False,
    )
    return auth.login(db, "lea", PASSWORD)


def signed_in(db, actor, path="/budget?programme=EVAL-CDV-2015-2020") -> tuple[str, str]:
    code = sessions.open_handoff(db, actor, path, browser=BROWSER)
    return sessions.redeem_handoff(db, code, BROWSER)


def later(monkeypatch, **delta) -> None:
    moment = utcnow() + dt.timedelta(**delta)
    monkeypatch.setattr(sessions, "utcnow", lambda: moment)


def test_a_code_opens_one_session_that_lands_on_the_page_asked(db, lea):
    code = sessions.open_handoff(db, lea, "/budget?programme=EVAL-CDV-2015-2020", browser=BROWSER)
    token, path = sessions.redeem_handoff(db, code, BROWSER)
    assert path == "/budget?programme=EVAL-CDV-2015-2020"
    assert sessions.redeem_handoff(db, code, BROWSER) is None  # once only
    resumed = sessions.resume(db, token, idle_minutes=30)
    assert (resumed.actor.login, resumed.actor.role, resumed.actor.user_id) == (
        "lea",
        "contributeur",
        lea.user_id,
    )


def test_only_hashes_are_stored(db, lea):
    code = sessions.open_handoff(db, lea, browser=BROWSER)
    token, _ = sessions.redeem_handoff(db, code, BROWSER)
    stored = {r[0] for r in db.cursor().execute("select token_hash from user_session").fetchall()}
    assert code not in stored and token not in stored and len(stored) == 2
    assert all(len(h) == 64 for h in stored)


def test_a_code_expires_after_two_minutes(db, lea, monkeypatch):
    code = sessions.open_handoff(db, lea, browser=BROWSER)
    later(monkeypatch, seconds=sessions.HANDOFF_SECONDS + 1)
    assert sessions.redeem_handoff(db, code, BROWSER) is None


def test_a_code_works_only_in_the_browser_that_asked_for_it(db, lea):
    """A link to the session route from another site (« login CSRF »): the code of
    someone else's sign-in, opened in a victim's browser, opens nothing there."""
    code = sessions.open_handoff(db, lea, "/", browser=BROWSER)
    assert sessions.redeem_handoff(db, code, "navigateur-de-la-victime-" + "y" * 20) is None
    assert sessions.redeem_handoff(db, code, None) is None
    assert sessions.redeem_handoff(db, code, BROWSER) is not None  # its own browser still can
    with pytest.raises(ValueError):
        sessions.open_handoff(db, lea, "/", browser=None)
    stored = db.cursor().execute("select browser_hash from user_session").fetchall()
    assert BROWSER not in {row[0] for row in stored}  # only its hash is kept


@pytest.mark.parametrize("value", [None, "", "court", "x" * 500, 42])
def test_a_malformed_code_or_token_gives_nothing(db, value):
    assert sessions.redeem_handoff(db, value, BROWSER) is None
    assert sessions.resume(db, value, idle_minutes=30).actor is None


def test_idle_timeout_then_absolute_expiry(db, lea, monkeypatch):
    token, _ = signed_in(db, lea)
    later(monkeypatch, minutes=20)
    assert sessions.resume(db, token, idle_minutes=30).actor is not None  # used: seen again
    later(monkeypatch, minutes=20 + 31)
    assert sessions.resume(db, token, idle_minutes=30) == sessions.Resumed(None, "idle")
    monkeypatch.undo()
    token, _ = signed_in(db, lea)
    for hour in range(1, sessions.MAX_HOURS + 1):
        later(monkeypatch, hours=hour)
        ended = sessions.resume(db, token, idle_minutes=90).ended
    assert ended == "expired"


def test_logout_ends_the_session_in_every_tab(db, lea):
    token, _ = signed_in(db, lea)
    sessions.revoke(db, token)
    assert sessions.resume(db, token, idle_minutes=30) == sessions.Resumed(None, "logout")


@pytest.mark.parametrize(
    "change",
    [
        lambda db: users.set_role(db, ADMIN, login="lea", role="lecteur"),
        lambda db: users.set_active(db, ADMIN, login="lea", active=False),
        lambda db: users.reset_password(db, ADMIN, login="lea", password="une autre phrase"),
    ],
    ids=["role", "désactivation", "mot de passe"],
)
def test_an_access_change_revokes_every_session_of_the_account(db, lea, change):
    token, _ = signed_in(db, lea)
    code = sessions.open_handoff(db, lea, browser=BROWSER)
    change(db)
    assert sessions.resume(db, token, idle_minutes=30) == sessions.Resumed(None, "access")
    assert sessions.redeem_handoff(db, code, BROWSER) is None
    still_open = (
        db.cursor()
        .execute("select count(*) from user_session where revoked_at is null")
        .fetchone()[0]
    )
    assert still_open == 0


def test_a_change_that_keeps_the_access_keeps_the_session(db, lea):
    token, _ = signed_in(db, lea)
    users.update_account(db, ADMIN, login="lea", role="contributeur", active=True)
    assert sessions.resume(db, token, idle_minutes=30).actor.login == "lea"


@pytest.mark.parametrize(
    ("asked", "lands"),
    [
        ("/budget?programme=EVAL-CDV-2015-2020&onglet=Paiements", None),
        ("/", None),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/budget\r\nSet-Cookie: x=1", "/"),
        ("budget", "/"),
        (None, "/"),
    ],
)
def test_a_link_only_lands_on_a_path_of_this_app(asked, lands):
    assert sessions.safe_path(asked) == (lands or asked)


def test_open_sessions_are_listed_per_account(db, lea):
    signed_in(db, lea)
    signed_in(db, lea)
    [row] = sessions.open_sessions(db)
    assert (row["login"], row["sessions"]) == ("lea", 2)


def test_sessions_are_in_no_backup_and_no_export(db, lea, tmp_path):
    signed_in(db, lea)
    counts = backup.backup(db, tmp_path / "sauvegarde.zip")
    assert "user_session" not in counts
    with db.reader() as cur:
        assert "user_session" not in export.exported_tables(cur)


ISSUER = "https://fournisseur.example"


def provider(db, sub: str, email: str, role: str | None = "lecteur", name: str = "Claire",
             issued_at: float | None = None):  # fmt: skip
    """A sign-in through the provider with a fresh ID token for ``sub``."""
    import time

    return users.sign_in_from_provider(
        db, issuer=ISSUER, subject=sub, issued_at=issued_at or time.time(),
        login=email, display_name=name, role=role,
    )  # fmt: skip


def test_the_identity_provider_opens_then_updates_an_account(db):
    import time

    from dashboard.tracker.errors import ValidationError

    first = provider(db, "claire-42", "Claire.Martin@Metropole.example")
    assert (first.login, first.role) == ("claire.martin_at_metropole.example", "lecteur")
    with pytest.raises(auth.LoginRefused):  # no local password opens it
        auth.login(db, first.login, "n'importe quel mot de passe")
    time.sleep(0.01)  # another ID token: another issue time
    again = provider(db, "claire-42", "claire.new@metropole.example", role="contributeur")
    assert again.user_id == first.user_id and again.role == "contributeur"  # bound by sub
    assert again.epoch == first.epoch + 1  # the old role's sessions ended
    users.set_active(db, ADMIN, login=first.login, active=False)
    with pytest.raises(ValidationError, match="désactivé"):
        provider(db, "claire-42", "claire.martin@metropole.example")
    with pytest.raises(ValidationError, match="aucun rôle"):
        provider(db, "paul-7", "paul@x.example", role=None)
    with pytest.raises(ValidationError, match="identifiant"):
        provider(db, "x-1", "x" * 80)
    with pytest.raises(ValidationError, match="« sub »"):
        users.sign_in_from_provider(db, issuer=ISSUER, subject="", issued_at=time.time(),
                                    login="a@b.example", display_name="A", role="lecteur")  # fmt: skip


def test_people_are_told_apart_by_the_provider_not_by_their_address(db):
    """« jean+compta@ » and « jean_compta@ » normalise alike: two people, two accounts;
    an address equal to a local administrator's login never opens that account."""
    users.add_user(db, ADMIN, login="chef", display_name="Chef", role="administrateur",
                   password=PASSWORD, provisional=False)  # fmt: skip
    one = provider(db, "sub-1", "jean+compta@x.example", name="Jean Compta")
    two = provider(db, "sub-2", "jean_compta@x.example", name="Jeanne Compta")
    assert one.user_id != two.user_id and two.login == one.login + "-2"
    intruder = provider(db, "sub-3", "chef", role="contributeur", name="Intrus")
    assert intruder.login == "chef-2"
    chef = auth.login(db, "chef", PASSWORD)  # untouched: still an administrator
    assert chef.role == "administrateur" and chef.user_id != intruder.user_id


def test_an_old_or_used_provider_answer_opens_nothing(db):
    """Streamlit keeps the provider's answer 30 days in a cookie: replayed after the
    tracker's session ended, or stale, it must not open a session with old claims."""
    import time

    issued = time.time()
    provider(db, "claire-42", "claire@x.example", issued_at=issued)
    with pytest.raises(users.StaleProviderAnswer):  # the same answer again
        provider(db, "claire-42", "claire@x.example", issued_at=issued)
    with pytest.raises(users.StaleProviderAnswer):  # issued an hour ago
        provider(db, "claire-42", "claire@x.example", issued_at=time.time() - 3600)
    with pytest.raises(users.StaleProviderAnswer):  # no issue time at all
        users.sign_in_from_provider(db, issuer=ISSUER, subject="claire-42", issued_at=None,
                                    login="claire@x.example", display_name="C", role="lecteur")  # fmt: skip


@pytest.fixture(
    params=["fichier", pytest.param("postgresql", marks=pytest.mark.xdist_group("postgres"))]
)
def served(request):
    """The store as a server holds it (its reads kept), and a second handle on the same
    store: another server of the shared store, or another part of the one process that
    holds the file."""
    if request.param == "postgresql":
        from dashboard.tracker.pg_db import PostgresDatabase

        db = request.getfixturevalue("pg_db")
        other = PostgresDatabase(db.url)
    else:
        from dashboard.tracker.db import Database

        db = request.getfixturevalue("file_db")
        other = Database(db.path)
    db.keep_reads()
    yield db, other
    other.close()


@pytest.mark.parametrize(
    "change",
    [
        lambda db, token: sessions.revoke(db, token),
        lambda db, token: users.set_role(db, ADMIN, login="lea", role="lecteur"),
        lambda db, token: users.set_active(db, ADMIN, login="lea", active=False),
    ],
    ids=["déconnexion", "rôle", "désactivation"],
)
def test_a_server_s_kept_session_check_ends_at_once_with_the_session_or_the_right(served, change):
    """A server keeps a member's session check between views (on a file, until the next
    commit, whatever it wrote; on the shared store, never: its other servers write too),
    yet a sign-out or a right removed elsewhere ends the session at its very next view."""
    db, other = served
    users.add_user(db, ADMIN, login="lea", display_name="Léa", role="contributeur",
                   password=PASSWORD, provisional=False)  # fmt: skip
    token, _ = signed_in(db, auth.login(db, "lea", PASSWORD))
    assert sessions.resume(db, token, idle_minutes=30).actor.login == "lea"
    hits = db.read_cache.hits
    assert sessions.resume(db, token, idle_minutes=30).actor.login == "lea"
    kept = db.read_cache.hits > hits
    assert kept == (db.path is not None)  # kept on the file only
    change(other, token)
    ended = sessions.resume(db, token, idle_minutes=30)
    assert ended.actor is None and ended.ended in ("logout", "access")
