"""Notifications through a real mail server (issue 25): aiosmtpd listens on 127.0.0.1,
``cdv notify`` computes what is due and mails it; the tests read what arrived — subject,
body, links, the unsubscribe link that works without signing in —, prove that nothing is
sent twice (two runs, two runs at once, a run killed after handing a message over),
nothing to a deactivated account, nothing when the server refuses (retried later,
reported), nothing from a demo database; stored text is escaped in the HTML."""

from __future__ import annotations

import datetime as dt
import re
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from dashboard.tracker import acts, mail, notifications, users
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.e2e.conftest import free_port
from tests.helpers import snapshot

TODAY = dt.date.today()
PASSWORD = "une phrase de passe de test"


class Inbox:
    """What the SMTP server received; it refuses recipients named ``refuse@…``."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("refuse@"):
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = mail.MailSettings(host="127.0.0.1", port=port,
                               security="none", user=None, password=None,
                               sender="suivi@cdv.example", base_url="https://cdv.example")  # fmt: skip
    yield inbox, config
    controller.stop()


def _account(db: Database, login: str, role: str, email: str) -> Actor:
    user_id = users.add_user(db, ADMIN, login=login, display_name=login.capitalize(), role=role,
                             password=PASSWORD, provisional=False)  # fmt: skip
    epoch = db.scalar("select access_epoch from app_user where id = $i", {"i": user_id})
    actor = Actor(login, role, login.capitalize(), user_id, epoch)
    token = notifications.set_email(db, ADMIN, email=email, login=login)
    assert "vérifiée" in notifications.verify(db, token)
    return actor


def _deadline_in(db: Database, days: int) -> None:
    """A convention of a new programme whose term is ``days`` from today."""
    from dashboard.tracker import programmes

    programme = programmes.create_programme(db, ADMIN, code="NOTIF-2026", kind="other",
                                            title="Programme <b>de test</b>")  # fmt: skip
    acts.create_act(db, ADMIN, programme_id=programme, kind="agreement",
                    title="Convention de test", signed_on=TODAY - dt.timedelta(days=30),
                    effective_rule="at_signature", ends_on=TODAY + dt.timedelta(days=days))  # fmt: skip


def test_a_reminder_arrives_once_with_its_links_and_its_unsubscribe_works(db, smtp):
    inbox, config = smtp
    _account(db, "lea", "contributeur", "lea@exemple.fr")
    _deadline_in(db, 7)
    report = notifications.run(db, config, TODAY)
    assert report.failed == 0 and report.sent >= 1
    reminders = [m for m in inbox.messages if m["Subject"].startswith("Échéance")]
    [message] = [m for m in reminders if "NOTIF-2026" in m["Subject"]]
    assert message["To"] == "lea@exemple.fr" and message["From"] == "suivi@cdv.example"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://cdv.example/echeances?programme=NOTIF-2026" in text
    assert '<html lang="fr">' in html and "Ouvrir la page" in html
    stop = message["List-Unsubscribe"].strip("<>")
    assert stop.startswith("https://cdv.example/_cdv/desabonnement?jeton=")
    # a second run sends nothing again
    count = len(inbox.messages)
    assert notifications.run(db, config, TODAY).sent == 0
    assert len(inbox.messages) == count
    # the unsubscribe link works without signing in; the next steps stop
    said = notifications.unsubscribe_link(db, stop.split("jeton=")[1])
    assert said.startswith("C'est fait : vous ne recevrez plus les rappels d'échéances")
    assert notifications.unsubscribe_link(db, stop.split("jeton=")[1]).startswith("Vous étiez déjà")
    assert notifications.unsubscribe_link(db, "faux.jeton") == (
        "Ce lien de désabonnement n'est pas valable.")  # fmt: skip
    assert not [p for p in notifications.due(db, TODAY + dt.timedelta(days=7))
                if p.kind == "reminder"]  # fmt: skip


def test_two_runs_at_once_send_each_message_once(db, smtp):
    inbox, config = smtp
    _account(db, "lea", "contributeur", "lea@exemple.fr")
    _account(db, "marc", "administrateur", "marc@exemple.fr")
    _deadline_in(db, 0)
    runs = [threading.Thread(target=notifications.run, args=(db, config, TODAY)) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)
    keys = [(m["To"], m["Subject"]) for m in inbox.messages]
    assert keys and len(keys) == len(set(keys))
    sent = db.scalar("select count(*) from notification where status = 'sent'")
    assert sent == len(keys)


def test_a_run_killed_after_handing_a_message_over_never_resends_it(db, smtp):
    inbox, config = smtp
    _account(db, "lea", "contributeur", "lea@exemple.fr")
    _deadline_in(db, 30)
    # the first run claims and marks « sending », then dies before saying « sent »
    with db.transaction() as cur:
        notifications._claim(
            cur,
            notifications.due(db, TODAY),
            {s["id"]: s for s in db.records("notification_subscriptions")},
        )
        cur.execute("update notification set status = 'sending', attempts = 1,"
                    " next_attempt_at = $old", {"old": dt.datetime(2000, 1, 1)})  # fmt: skip
    report = notifications.run(db, config, TODAY)
    assert report.sent == 0 and report.uncertain >= 1 and inbox.messages == []
    assert db.scalar("select count(*) from notification where status = 'uncertain'") >= 1


def test_nothing_for_a_deactivated_account_nor_from_a_demo_database(db, smtp):
    from dashboard.ingest.load import make_demo

    inbox, config = smtp
    _account(db, "lea", "contributeur", "lea@exemple.fr")
    _deadline_in(db, 7)
    users.set_active(db, ADMIN, login="lea", active=False)
    assert notifications.run(db, config, TODAY).sent == 0 and inbox.messages == []
    users.set_active(db, ADMIN, login="lea", active=True)
    make_demo(db)
    report = notifications.run(db, config, TODAY)
    assert report.sent == 0 and inbox.messages == []
    assert db.scalar("select count(*) from notification where status = 'not_sent'") >= 1


def test_a_refusing_server_is_said_in_french_and_retried_later(db, smtp):
    inbox, config = smtp
    _account(db, "refuse", "contributeur", "refuse@exemple.fr")
    _deadline_in(db, 7)
    report = notifications.run(db, config, TODAY)
    assert report.sent == 0 and report.failed >= 1
    assert "Le serveur de messagerie a refusé le destinataire" in "\n".join(report.lines)
    row = db.records("notification_log", limit=1)[0]
    assert row["status"] == "failed" and row["attempts"] == 1
    # not tried again before its back-off
    assert notifications.run(db, config, TODAY).failed == 0
    down = mail.MailSettings("127.0.0.1", 1, "none", None, None, "suivi@cdv.example", "http://x")
    with pytest.raises(mail.MailError, match="est injoignable"):
        notifications.test_mail(db, down, "lea@exemple.fr")


def test_stored_text_is_escaped_and_no_secret_travels(db, smtp):
    _, config = smtp
    said = mail.message(config, "lea@exemple.fr", "<b>Titre</b>",
                        'Phase « <script>alert(1)</script> » bloquée', "/avancement", "jeton")  # fmt: skip
    html = said.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert PASSWORD not in said.as_string()


def test_a_bad_address_is_refused_in_french_and_changes_nothing(db):
    before = snapshot(db)
    with pytest.raises(ValidationError, match="n'est pas une adresse électronique valable"):
        notifications.set_email(db, ADMIN, email="lea@", login="import-actes")
    assert snapshot(db) == before


def test_the_cli_sends_a_test_message_and_says_what_the_server_answered(db_path, smtp, capsys,
                                                                       monkeypatch):  # fmt: skip
    from dashboard.cli import main

    inbox, config = smtp
    monkeypatch.setenv("CDV_SMTP_HOST", config.host)
    monkeypatch.setenv("CDV_SMTP_PORT", str(config.port))
    monkeypatch.setenv("CDV_SMTP_SECURITY", "none")
    monkeypatch.setenv("CDV_SMTP_FROM", config.sender)
    assert main(["notify", "--test", "lea@exemple.fr", "--db", str(db_path)]) == 0
    assert "accepté par 127.0.0.1" in capsys.readouterr().out
    assert inbox.messages[0]["Subject"] == "Message d'essai de cdv-tracker"
    assert main(["notify", "--dry-run", "--db", str(db_path)]) == 0
    assert "seraient enregistrée(s)" in capsys.readouterr().out


def test_the_centre_counts_the_unread_and_marks_them_read(db, smtp):
    _, config = smtp
    lea = _account(db, "lea", "contributeur", "lea@exemple.fr")
    _deadline_in(db, 7)
    notifications.run(db, config, TODAY)
    mine = notifications.mine(db, lea)
    [row] = db.records("unread_notifications", login="lea")
    assert mine and row["unread"] == len(mine)
    subs = db.records("my_subscriptions", login="lea")
    assert {s["kind"] for s in subs} == {"reminder", "alert", "digest"}  # a contributeur's
    assert subs[0]["email"] == "lea@exemple.fr" and subs[0]["email_verified_at"] is not None
    assert notifications.mark_read(db, lea, notification_ids=[n["id"] for n in mine]) == len(mine)
    assert db.records("unread_notifications", login="lea")[0]["unread"] == 0
    # someone else's notifications are not theirs to mark
    marc = _account(db, "marc", "lecteur", "marc@exemple.fr")
    with pytest.raises(ValidationError, match="Rien à marquer"):
        notifications.mark_read(db, marc, notification_ids=[mine[0]["id"]])
    assert db.records("my_notifications", user_id=lea.user_id, limit=5)


def test_alerts_go_out_grouped_and_each_only_once(db, smtp):
    from dashboard.tracker import status, work

    inbox, config = smtp
    _account(db, "lea", "contributeur", "lea@exemple.fr")
    _deadline_in(db, 7)
    notifications.run(db, config, TODAY)
    first = [m for m in inbox.messages if "alerte" in m["Subject"]]
    assert first and all(re.match(r"\d+ nouvelles? alertes? \(", m["Subject"]) for m in first)
    signalled = db.scalar("select count(*) from notified_item")
    assert signalled >= len(first)
    # nothing new: no alert message on the next run
    notifications.run(db, config, TODAY)
    assert len([m for m in inbox.messages if "alerte" in m["Subject"]]) == len(first)
    # an item blocked today: one message with that alert only
    programme = db.scalar("select id from programme where code = 'NOTIF-2026'")
    action = work.create_action(db, ADMIN, programme_id=programme, title="Action <i>bloquée</i>")
    status.change_status(db, ADMIN, "action", action, to_status="blocked", seen_event_id=None,
                         occurred_on=TODAY)  # fmt: skip
    notifications.run(db, config, TODAY)
    later = [m for m in inbox.messages if "alerte" in m["Subject"]][len(first) :]
    assert [m["Subject"] for m in later] == ["1 nouvelle alerte (NOTIF-2026)"]
    text = later[0].get_body(("plain",)).get_content()
    assert "Action <i>bloquée</i>" in text
    assert "&lt;i&gt;" in later[0].get_body(("html",)).get_content()
    # an indicator with no value for its closed periods: signalled once, named
    from dashboard.tracker import evaluation
    from dashboard.tracker.origins import Origin

    evaluation.create_indicator(
        db,
        ADMIN,
        programme_id=programme,
        code="IND-1",
        name="Taux d'emploi",
        unit="%",
        unit_kind="rate",
        direction="up",
        periodicity="quarter",
        origin=Origin(
            stated_on=TODAY - dt.timedelta(days=400), reason="indicateur suivi depuis l'an dernier"
        ),
    )
    notifications.run(db, config, TODAY)
    notifications.run(db, config, TODAY)
    missing = [m for m in inbox.messages if "alerte" in m["Subject"]][len(first) + 1 :]
    assert [m["Subject"] for m in missing] == ["1 nouvelle alerte (NOTIF-2026)"]
    assert (
        "Valeur manquante pour une période close — IND-1 — Taux d'emploi : Aucune valeur pour les "
        "deux dernières périodes closes : aucune valeur n'est saisie."
    ) in missing[0].get_body(("plain",)).get_content()


def test_a_notification_refused_at_every_attempt_is_reported_to_the_administrators(db, smtp):
    inbox, config = smtp
    _account(db, "refuse", "contributeur", "refuse@exemple.fr")
    _account(db, "marc", "administrateur", "marc@exemple.fr")
    _deadline_in(db, 7)
    notifications.run(db, config, TODAY)
    # its last attempt has failed (the back-off skipped: set as after five refusals)
    with db.transaction() as cur:
        cur.execute("update notification set attempts = $max where status = 'failed'",
                    {"max": notifications.MAX_ATTEMPTS})  # fmt: skip
    report = notifications.run(db, config, TODAY)
    assert report.reported >= 1
    notifications.run(db, config, TODAY)  # the report is mailed to the administrator, once
    told = [m for m in inbox.messages if m["Subject"].startswith("Notification non envoyée")]
    assert told and {m["To"] for m in told} == {"marc@exemple.fr"}
    assert "Le serveur de messagerie a refusé" in told[0].get_body(("plain",)).get_content()
    assert notifications.run(db, config, TODAY).reported == 0
