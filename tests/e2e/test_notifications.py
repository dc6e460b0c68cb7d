"""Notifications end to end, with a real mail server (aiosmtpd on 127.0.0.1) and real
Chromium: ``cdv user email`` mails a verification link that Chromium opens; ``cdv
notify``, run twice at once, mails the reminder once; its link opens the right page once
signed in; its unsubscribe link works in a browser that never signed in."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from dashboard.tracker import acts, programmes
from dashboard.tracker.db import Database
from tests.conftest import ADMIN
from tests.e2e.conftest import (
    database_with_accounts,
    free_port,
    start_server,
    stop_server,
)
from tests.e2e.test_write_flows import log_in

TODAY = dt.date.today()


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


def _cdv(*args: str, env: dict) -> subprocess.CompletedProcess:
    import os
    import shutil
    import sys
    from pathlib import Path

    cdv = shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")
    return subprocess.run([cdv, *args], env={**os.environ, **env}, text=True,
                          capture_output=True, timeout=300)  # fmt: skip


def test_mails_arrive_once_and_their_links_work_in_chromium(tmp_path, browser, page):
    inbox = Inbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        _flow(tmp_path, browser, page, inbox, smtp_port)
    finally:
        controller.stop()


def _flow(tmp_path, browser, page, inbox, smtp_port) -> None:
    path = database_with_accounts(tmp_path / "cdv.duckdb", {"lea": ("Léa", "contributeur")})
    with Database(path) as db:
        programme = programmes.create_programme(db, ADMIN, code="NOTIF-2026", kind="other",
                                                title="Programme de test")  # fmt: skip
        acts.create_act(db, ADMIN, programme_id=programme, kind="agreement",
                        title="Convention de test", signed_on=TODAY - dt.timedelta(days=30),
                        effective_rule="at_signature", ends_on=TODAY + dt.timedelta(days=7))  # fmt: skip
    port = free_port()
    env = {"CDV_SMTP_HOST": "127.0.0.1", "CDV_SMTP_PORT": str(smtp_port),
           "CDV_SMTP_SECURITY": "none", "CDV_SMTP_FROM": "suivi@cdv.example",
           "CDV_BASE_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    done = _cdv("user", "email", "lea", "lea@exemple.fr", "--db", str(path), env=env)
    assert done.returncode == 0, done.stderr
    [verification] = inbox.messages
    [link] = [u for u in _links(verification) if "/_cdv/verifier-adresse" in u]

    process, url, log = start_server(path, port=port, **env)
    opened = browser.new_context(locale="fr-FR").new_page()
    opened.goto(link)
    assert "Adresse lea@exemple.fr vérifiée" in opened.inner_text("body")
    stop_server(process, log)

    runs = [subprocess.Popen([*_command(), "notify", "--db", str(path)],
                             env=_env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]  # fmt: skip
    codes = [run.wait(timeout=300) for run in runs]
    assert 0 in codes and set(codes) <= {0, 2}  # the second waits its turn or says the base is busy
    assert _cdv("notify", "--db", str(path), env=env).returncode == 0  # and again: nothing new
    subjects = [m["Subject"] for m in inbox.messages[1:]]
    assert len(subjects) == len(set(subjects)) and any(s.startswith("Échéance") for s in subjects)
    reminder = next(m for m in inbox.messages if m["Subject"].startswith("Échéance"))
    [page_link] = [u for u in _links(reminder) if "/echeances" in u]
    [stop] = [u for u in _links(reminder) if "/_cdv/desabonnement" in u]

    process, url, log = start_server(path, port=port, **env)
    try:
        log_in(page, page_link, "lea")  # the link's page, once signed in
        body = page.inner_text("body")
        assert "/echeances" in page.url and "NOTIF-2026" in body
        assert re.search(r"Notifications \(\d+ non lues?\)", body)  # the menu's count
        stranger = browser.new_context(locale="fr-FR").new_page()  # never signed in
        stranger.goto(stop)
        assert "C'est fait : vous ne recevrez plus les rappels d'échéances" in (
            stranger.inner_text("body"))  # fmt: skip
    finally:
        stop_server(process, log)
    with Database(path) as db:
        assert db.scalar("select count(*) from subscription where kind = 'reminder'"
                         " and cancelled_at is not null") == 1  # fmt: skip


def _command() -> list[str]:
    import shutil
    import sys
    from pathlib import Path

    return [shutil.which("cdv") or str(Path(sys.executable).parent / "cdv")]


def _env(extra: dict) -> dict:
    import os

    return {**os.environ, **extra}


pytestmark = pytest.mark.usefixtures("chromium")
