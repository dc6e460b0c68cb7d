"""Two ``cdv serve`` replicas over one PostgreSQL store behind the nginx the tracker
ships (``cdv proxy-config``), in real Chromium: a member signs in through the proxy,
loses the replica they were on (killed), and carries on, still signed in, on the other;
what one replica writes the other shows."""

from __future__ import annotations

import os
import signal

import pytest

from dashboard.tracker import store
from tests.e2e.conftest import (
    PASSWORD,
    cdv_command,
    free_port,
    start_server,
    stop_server,
    wait_idle,
    wait_ready,
)
from tests.e2e.test_write_flows import log_in, text_of
from tests.nginx import Nginx

pytestmark = [pytest.mark.xdist_group("postgres"), pytest.mark.slow]

STREAM = "/_stcore/stream"


@pytest.fixture(scope="module")
def deployment(pg_cluster, tmp_path_factory, chromium):
    """The shared store, two replicas, nginx in front: (proxy, {port: process}, url)."""
    folder = tmp_path_factory.mktemp("replicas")
    url = pg_cluster.new_database()
    cdv_command("init", "--db", url)
    cdv_command(
        "user", "add", "lea", "--db", url, "--name", "Léa", "--role", "contributeur",
        "--password-stdin", "--definitif", stdin=PASSWORD + "\n",
    )  # fmt: skip
    env = {
        "CDV_PUBLIC_READ": "0",
        "CDV_TRUSTED_PROXIES": "127.0.0.1",
        # every replica signs Streamlit's cookies alike (the README says so)
        "STREAMLIT_SERVER_COOKIE_SECRET": "secret-commun-des-replicas-de-test",
    }
    replicas = {}
    for number in (1, 2):
        port = free_port()
        replicas[port] = start_server(
            url, port=port, log_path=folder / f"replica-{number}.log", **env
        )
    proxy = Nginx(folder / "nginx", free_port(), [f"127.0.0.1:{p}" for p in replicas])
    yield proxy, replicas, url
    proxy.stop()
    for process, _, log in replicas.values():
        if process.poll() is None:
            stop_server(process, log)
        else:
            log.close()


def _replica_now(page, proxy) -> str:
    """The replica the page's connection was on: nginx logs a WebSocket when it closes,
    so the page is reloaded (its stream closes, a new one opens on the same replica)."""
    before = len(proxy.replicas_of(STREAM))
    page.reload()
    wait_ready(page)
    wait_idle(page)
    logged = proxy.replicas_of(STREAM)
    assert len(logged) > before
    return logged[-1]


def test_a_member_keeps_working_when_their_replica_dies(deployment, page):
    proxy, replicas, url = deployment
    log_in(page, proxy.url + "/avancement", "lea")
    first = _replica_now(page, proxy)
    port = int(first.rsplit(":", 1)[1])
    process, _, _ = replicas[port]
    os.kill(process.pid, signal.SIGKILL)  # the replica dies, its sessions with it
    process.wait()

    # the page reconnects through the proxy, to the other replica, still signed in
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=90_000)
    page.get_by_role("link", name="Mise à jour", exact=True).click()
    wait_ready(page)
    wait_idle(page)
    assert page.get_by_role("button", name="Se déconnecter").count() == 1
    assert "Se connecter" not in [b.strip() for b in page.get_by_role("button").all_inner_texts()]
    now = _replica_now(page, proxy)  # a reload, still signed in
    assert page.get_by_role("button", name="Se déconnecter").count() == 1
    assert now != first and int(now.rsplit(":", 1)[1]) in replicas
    with store.connect(url) as con:  # one session, opened through the first replica
        assert (
            con.execute(
                "select count(*) from user_session where kind = 'session' and revoked_at is null"
            ).fetchone()[0]
            == 1
        )


def test_a_postgresql_restart_is_said_and_the_page_comes_back_by_itself(
    deployment, page, pg_cluster
):
    proxy, _, _ = deployment
    log_in(page, proxy.url + "/comites", "lea")
    pg_cluster.stop()
    try:
        page.reload()
        page.get_by_text("Base momentanément indisponible").wait_for(timeout=60_000)
        # the message and its button come in one run, one after the other: wait for both
        page.get_by_role("button", name="Réessayer").wait_for(timeout=60_000)
        assert page.get_by_role("button", name="Réessayer").count() == 1
    finally:
        pg_cluster.start()
    # nothing clicked: the page tries again by itself, on the page asked, still signed in
    page.get_by_role("heading", name="Comités et décisions").wait_for(timeout=90_000)
    wait_ready(page)
    assert page.get_by_role("button", name="Se déconnecter").count() == 1
    assert "Base momentanément indisponible" not in text_of(page)
