"""Notifications page: a signed-in person gives an address (without a mail server it is
recorded, unverified, and the page says why no link left), subscribes to the pack of
each quarter and stops it; the menu counts the unread notifications; an administrator
reads the send log; a bad address writes nothing."""

from __future__ import annotations

from dashboard.tracker import users
from dashboard.tracker.access import Actor
from dashboard.tracker.db import utcnow
from tests.conftest import ADMIN
from tests.helpers import page_text, plain, snapshot

PAGE = "app_pages/notifications.py"


def _lea(db) -> Actor:
    user_id = users.add_user(db, ADMIN, login="lea", display_name="Léa", role="contributeur",
                             password="une phrase de passe de test", provisional=False)  # fmt: skip
    epoch = db.scalar("select access_epoch from app_user where id = $i", {"i": user_id})
    return Actor("lea", "contributeur", "Léa", user_id, epoch)


def test_an_address_a_subscription_and_the_unread_count(signed_in, monkeypatch):
    from dashboard.ui import data

    for name in ("CDV_SMTP_HOST", "CDV_SMTP_FROM", "CDV_SETTINGS"):
        monkeypatch.delenv(name, raising=False)
    lea = _lea(data.database())
    with data.database().transaction() as cur:
        cur.execute("insert into notification (user_id, dedup_key, kind, subject, body,"
                    " created_at, status) values ($u, 'k1', 'alert', 'Alerte <b>test</b>',"
                    " 'Texte', $now, 'not_sent')", {"u": lea.user_id, "now": utcnow()})  # fmt: skip
    at = signed_in(lea, PAGE)
    assert not at.exception, at.exception
    shown = page_text(at)
    assert "Aucun serveur de messagerie n'est configuré" in shown
    assert data.records("unread_notifications", login="lea")[0]["unread"] == 1  # the menu's count
    next(w for w in at.text_input if w.label == "Adresse électronique").input("lea@exemple.fr")
    at = next(b for b in at.button if b.label.startswith("Enregistrer et recevoir")).click().run()
    assert not at.exception, at.exception
    assert "non vérifiée : le lien de vérification n'a pas pu partir" in page_text(at)
    assert data.database().scalar("select email from app_user where login = 'lea'") == (
        "lea@exemple.fr")  # fmt: skip
    at.selectbox(key=next(s.key for s in at.selectbox if str(s.key).endswith("-kind"))
                 ).set_value("pack")  # fmt: skip
    at = next(b for b in at.button if b.label == "S'abonner").click().run()
    assert "Abonnement enregistré." in page_text(at)
    assert "dossier trimestriel prêt" in page_text(at)


def test_a_bad_address_writes_nothing(signed_in):
    from dashboard.ui import data

    lea = _lea(data.database())
    at = signed_in(lea, PAGE)
    before = snapshot(data.database())
    next(w for w in at.text_input if w.label == "Adresse électronique").input("lea@")
    at = next(b for b in at.button if b.label.startswith("Enregistrer et recevoir")).click().run()
    assert not at.exception
    assert at.error and "n'est pas une adresse électronique valable" in plain(at.error[0].value)
    assert snapshot(data.database()) == before


def test_an_administrator_reads_the_send_log(signed_in):
    at = signed_in(Actor("admin-test", "administrateur", "Admin"), PAGE)
    assert not at.exception, at.exception
    assert "Journal des envois (administration)" in page_text(at)
