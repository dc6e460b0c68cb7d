"""A session that survives a reload, a new tab and a shared link, in real Chromium:
the link asked for is where the login lands; the cookie is HttpOnly and SameSite=Lax;
logging out ends the session in every tab (a deactivation ending it: test_security);
no link ever ends on Streamlit's English « Page not found »."""

from __future__ import annotations

import pytest

from dashboard.ui.menu import NEEDS
from tests.e2e.conftest import screenshot, wait_ready, watch
from tests.e2e.test_write_flows import log_in, log_out, text_of

SHARED = "/budget?programme=MODERN-PV-2022"


@pytest.fixture(scope="module")
def private_server(signin_server):
    return signin_server[0]


def new_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    return context, watch(context.new_page())


def signed_in_as(page) -> str:
    text = text_of(page)
    return text.split("Connecté : ", 1)[1].split(" ", 1)[0] if "Connecté : " in text else ""


def test_a_shared_link_asks_to_log_in_then_lands_on_its_page(private_server, browser):
    context, page = new_page(browser)
    try:
        page.goto(private_server + SHARED)
        wait_ready(page)
        assert "Page not found" not in text_of(page)
        assert page.get_by_role("button", name="Se connecter", exact=True).count() == 1
        screenshot(page, "session-lien-partage")
        log_in(page, private_server + SHARED, "lea")
        assert page.url.endswith(SHARED)
        assert "Montants alloués par les actes" in text_of(page)  # the budget page itself

        [cookie] = [c for c in context.cookies() if c["name"] == "cdv_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
        assert page.evaluate("() => document.cookie").find("cdv_session") == -1

        page.reload()
        wait_ready(page)
        assert signed_in_as(page) == "Lea" and page.url.endswith(SHARED)

        other = watch(context.new_page())
        other.goto(private_server + "/paiements")
        wait_ready(other)
        assert signed_in_as(other) == "Lea" and "Chaîne de la dépense" in text_of(other)

        log_out(other)
        page.reload()
        wait_ready(page)
        assert signed_in_as(page) == ""
        assert page.get_by_role("button", name="Se connecter", exact=True).count() == 1
    finally:
        context.close()


def test_every_page_link_opens_the_login_never_page_not_found(private_server, page):
    # every page is registered the same way: one of each kind, the root and its alias
    sample = ["", "vue-d-ensemble", "budget", "paiements", "administration", "connexion"]
    assert all(p in NEEDS or p in ("", "vue-d-ensemble", "connexion") for p in sample)
    for path in sample:
        page.goto(f"{private_server}/{path}")
        wait_ready(page)
        text = text_of(page)
        assert "Page not found" not in text and "does not seem to exist" not in text, path
        assert page.get_by_role("button", name="Se connecter", exact=True).count() == 1, path


def test_a_page_above_ones_role_says_so_in_french(private_server, browser):
    context, page = new_page(browser)
    try:
        log_in(page, private_server + "/administration", "lea")
        text = text_of(page)
        assert "réservée au rôle administrateur" in text and "Page not found" not in text
        assert page.get_by_role("link", name="Administration", exact=True).count() == 0
    finally:
        context.close()
