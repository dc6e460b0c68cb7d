"""Single sign-on through an OpenID Connect provider that the test starts on
127.0.0.1: Streamlit's ``st.login`` signs the person in at the provider, the tracker
maps the role claim to its role, opens the account bound to the person's identifier
at the provider and its own session, which ends like any other; a person the claim
gives no role is refused in French; logging out ends both sessions."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WATCHERS, screenshot, wait_idle, wait_ready, watch
from tests.e2e.oidc_provider import BUTTON
from tests.e2e.test_write_flows import log_in, text_of


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


def signed_in_as(page) -> str:
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    wait_idle(page)
    return next(line for line in text_of(page).splitlines() if line.startswith("Connecté"))


def test_two_people_whose_addresses_look_alike_get_two_accounts(sso_server, browser):
    """Before, « jean+compta@ » and « jean_compta@ » landed in one account (the second
    person was signed in as the first); an address equal to a local administrator's
    login took that account over and demoted it."""
    url, provider = sso_server
    seen = []
    for sub, email, name in (("jean-1", "jean+compta@metropole.example", "Jean Compta"),
                             ("jean-2", "jean_compta@metropole.example", "Jeanne Compta"),
                             ("intrus-3", "admin", "Intrus")):  # fmt: skip
        context = browser.new_context(locale="fr-FR")
        page = watch(context.new_page())
        try:
            provider.person = {"sub": sub, "email": email, "name": name,
                               "groups": ["cdv-contributeurs"]}  # fmt: skip
            sign_in_with_provider(page, url)
            seen.append(signed_in_as(page))
        finally:
            WATCHERS.pop(id(page), None)
            context.close()
    assert seen == ["Connecté : Jean Compta (contributeur)",
                    "Connecté : Jeanne Compta (contributeur)",
                    "Connecté : Intrus (contributeur)"]  # fmt: skip
    context = browser.new_context(locale="fr-FR")
    page = watch(context.new_page())
    try:
        log_in(page, url + "/", "admin")  # the local administrator is still herself
        assert signed_in_as(page) == "Connecté : Admin (administrateur)"
    finally:
        WATCHERS.pop(id(page), None)
        context.close()


def test_an_ended_session_needs_the_provider_again_which_reads_the_role_anew(sso_server, page):
    """Streamlit's identity cookie (30 days) used to reopen a tracker session with the
    claims of the first sign-in: the 12-hour limit, the idle timeout and a removal at
    the provider were bypassed. Now the tracker session ends like any other, and the
    next one needs the provider, whose answer then says the role was removed."""
    url, provider = sso_server
    provider.person = {"sub": "sophie-9", "email": "sophie@metropole.example",
                       "name": "Sophie", "groups": ["cdv-contributeurs"]}  # fmt: skip
    sign_in_with_provider(page, url)
    assert signed_in_as(page) == "Connecté : Sophie (contributeur)"
    # the tracker's session ends (as after 12 hours, or idle): its cookie is gone,
    # Streamlit's identity cookie stays
    page.context.clear_cookies(name="cdv_session")
    assert any(c["name"].startswith("_streamlit_user") for c in page.context.cookies())
    page.goto(url + "/paiements")
    wait_ready(page)
    assert "Connecté" not in text_of(page)
    assert page.get_by_role("button", name=BUTTON).count() == 1
    # meanwhile, the provider removed her from the tracker's groups
    provider.person = {**provider.person, "groups": ["autre-groupe"]}
    page.get_by_role("button", name=BUTTON).click()
    page.get_by_text("Connexion refusée", exact=False).wait_for(timeout=60_000)
    assert "aucun rôle dans le tracker" in text_of(page) and "Connecté" not in text_of(page)
