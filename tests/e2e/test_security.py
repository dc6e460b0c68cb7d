"""Security in real Chromium against ``cdv serve``: the security headers are sent;
hostile text stored in every field loads no outside image and makes no link on any
page; a contributeur deactivated by an administrateur is signed out at the next
interaction, and cannot record anything from the page still open."""

from __future__ import annotations

import pytest

from dashboard.tracker.db import Database
from tests.e2e.conftest import database_with_accounts, start_server, stop_server, wait_ready, watch
from tests.e2e.test_write_flows import choose, go_to, log_in, text_of
from tests.helpers import build_payloads

PAGES = [
    "vue-d-ensemble",
    "avancement",
    "budget",
    "comites",
    "echeances",
    "sources",
    "programmes",
    "presentation",
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, chromium):
    db_path = tmp_path_factory.mktemp("e2e-securite") / "cdv.duckdb"
    database_with_accounts(
        db_path,
        {
            "admin": ("Administratrice", "administrateur"),
            "lea": ("Léa Contributrice", "contributeur"),
        },
    )
    with Database(db_path) as db:
        build_payloads(db)
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="1")
    yield url
    stop_server(process, log)


def test_security_headers_are_sent(hostile_server, page):
    response = page.goto(hostile_server)
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert (
        "'unsafe-inline'"
        not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_makes_no_image_and_no_link(hostile_server, page, path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{hostile_server}/{path}?programme=PIEGE")
    wait_ready(page)
    page.wait_for_load_state("networkidle")  # images and charts that would load have
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("img[src*='evil']").count() == 0
    # (Streamlit's own « #heading » anchors are in-page links, not links out)
    assert page.locator("a[href*='evil']:not([href^='#'])").count() == 0
    assert not [url for url in requests if "evil" in url]
    if path not in ("presentation", "echeances"):
        assert "![i](http://evil.example/md.png)" in text_of(page), path


def test_a_deactivated_contributeur_is_signed_out_at_once(hostile_server, browser):
    lea_context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    admin_context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    lea, admin = watch(lea_context.new_page()), watch(admin_context.new_page())
    try:
        log_in(lea, hostile_server + "/connexion", "lea")
        go_to(lea, "Paiements")
        assert "Chaîne de la dépense" in text_of(lea)

        log_in(admin, hostile_server + "/connexion", "admin")
        go_to(admin, "Administration")
        choose(admin, "Compte", "lea")
        admin.get_by_text("Compte actif", exact=True).click()
        admin.get_by_role("button", name="Enregistrer", exact=True).click()
        wait_ready(admin)
        assert "Compte « lea » mis à jour." in text_of(admin)

        # Léa's next interaction, in the page she still has open
        lea.get_by_label("Montant en euros (ex. 1 000,50)").fill("10")
        lea.get_by_role("button", name="Enregistrer", exact=True).click()
        wait_ready(lea)
        lea.get_by_text("vos droits ont changé", exact=False).wait_for(timeout=60_000)
        assert lea.get_by_role("button", name="Se déconnecter").count() == 0
        # her session cookie no longer opens anything, reloaded or in a new tab
        lea.reload()
        wait_ready(lea)
        assert lea.get_by_role("button", name="Se déconnecter").count() == 0
        assert lea.get_by_role("button", name="Se connecter", exact=True).count() == 1
    finally:
        lea_context.close()
        admin_context.close()
