"""Single sign-on through an OpenID Connect provider that the test starts on
127.0.0.1: Streamlit's ``st.login`` signs the person in at the provider, the tracker
maps the role claim to its role, opens the account and its own session; a person
the claim gives no role is refused in French; logging out ends both sessions."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_ready
from tests.e2e.oidc_provider import BUTTON
from tests.e2e.test_write_flows import text_of


@pytest.fixture(scope="module")
def sso_server(signin_server):
    return signin_server


def sign_in_with_provider(page, url: str) -> None:
    page.goto(url + "/paiements")
    wait_ready(page)
    with page.expect_navigation(url=lambda u: u.rstrip("/") == url, timeout=60_000):
        page.get_by_role("button", name=BUTTON).click()
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def test_the_provider_signs_in_with_the_role_its_claim_gives(sso_server, page):
    url, provider = sso_server
    provider.person = {
        "sub": "claire-42",
        "email": "Claire.Martin@metropole.example",
        "name": "Claire Martin",
        "groups": ["autre-groupe", "cdv-contributeurs"],
    }
    sign_in_with_provider(page, url)
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    wait_ready(page)
    assert "Connecté : Claire Martin (contributeur)" in text_of(page)
    screenshot(page, "sso-connecte")

    page.goto(url + "/paiements")
    wait_ready(page)
    assert "Chaîne de la dépense" in text_of(page)  # a contributeur's page

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name=BUTTON).wait_for(timeout=60_000)
    page.goto(url + "/paiements")
    wait_ready(page)
    assert page.get_by_role("button", name=BUTTON).count() == 1
    assert "Connecté" not in text_of(page)


def test_a_person_without_a_mapped_role_is_refused_in_french(sso_server, page):
    url, provider = sso_server
    provider.person = {
        "sub": "paul-7",
        "email": "paul@ailleurs.example",
        "name": "Paul",
        "groups": ["autre-groupe"],
    }
    sign_in_with_provider(page, url)
    page.get_by_text("Connexion refusée", exact=False).wait_for(timeout=60_000)
    text = text_of(page)
    assert "aucun rôle dans le tracker" in text and "Connecté" not in text
