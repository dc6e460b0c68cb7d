"""Single sign-on through an OpenID Connect provider that the test starts on
127.0.0.1: Streamlit's ``st.login`` signs the person in at the provider, the tracker
maps the role claim to its role, opens the account and its own session; a person
the claim gives no role is refused in French; logging out ends both sessions."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.conftest import free_port, screenshot, start_server, stop_server, wait_ready
from tests.e2e.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.e2e.test_write_flows import PASSWORD, cdv, text_of

BUTTON = "Se connecter avec Fournisseur de test"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("sso")
    provider = Provider(free_port()).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "secrets.toml").write_text(
        f"""[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider.metadata_url}"

[cdv_sso]
label = "Fournisseur de test"
login_claim = "email"
role_claim = "groups"

[cdv_sso.roles]
"cdv-contributeurs" = "contributeur"
"cdv-administrateurs" = "administrateur"
""",
        encoding="utf-8",
    )
    db_path = folder / "cdv.duckdb"
    cdv("init", "--db", str(db_path))
    cdv(
        "user", "add", "admin", "--db", str(db_path), "--name", "Admin",
        "--role", "administrateur", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    process, url, log = start_server(db_path, port=port, cwd=folder, CDV_PUBLIC_READ="0")
    yield url, provider
    stop_server(process, log)
    provider.stop()


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
