"""Project leads at work, in real Chromium against ``cdv serve`` with login required:
a contributeur logs in, moves phase 2 to « livré », records a COPIL meeting whose
decision validates it, and enters an engagement typed the French way; then a lecteur
logs in, sees all three and no edit control, and the « État au » view of 2020 still
shows the status as it was then (unknown)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.tracker import fmt
from tests.e2e.conftest import (
    PASSWORD,
    database_with_accounts,
    screenshot,
    start_server,
    stop_server,
    wait_idle,
    wait_ready,
)

DECISION = "La phase 2 est validée (essai navigateur)."


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory, chromium):
    db_path = tmp_path_factory.mktemp("e2e-write") / "cdv.duckdb"
    database_with_accounts(
        db_path, {"lea": ("Léa Contributrice", "contributeur"), "marc": ("Marc Lecteur", "lecteur")}
    )
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url
    stop_server(process, log)


def text_of(page) -> str:
    text = page.inner_text("body").replace("\u202f", " ").replace("\u00a0", " ")
    return text.replace("\u2060", "")


def log_in(page, url: str, login: str, password: str = PASSWORD) -> None:
    """Open ``url``, sign in on the form it shows; the browser then goes through the
    session route (which sets the cookie) and lands back on ``url``'s page."""
    page.goto(url)
    wait_ready(page)
    page.get_by_label("Identifiant", exact=True).fill(login)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    with page.expect_navigation(url=lambda u: "/_cdv/" not in u, timeout=60_000):
        page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    wait_idle(page)


def log_out(page) -> None:
    """Sign out: the server's route clears the cookie and shows the login form."""
    with page.expect_navigation(url=re.compile(r"/connexion$"), timeout=60_000):
        page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Se connecter", exact=True).wait_for(timeout=60_000)
    wait_idle(page)


def go_to(page, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    wait_ready(page)


def choose(page, label: str, option: str, within=None) -> None:
    """Pick in a Streamlit selectbox / multiselect (the one in ``within``, a form say):
    open it, then click the option. The app reruns unless the field sits in a form or
    the option was already chosen."""
    wanted = page.get_by_role("option", name=re.compile(re.escape(option), re.IGNORECASE))
    field = (within or page).get_by_label(label, exact=True)
    in_form = field.locator("xpath=ancestor::*[@data-testid='stForm']").count() > 0
    for _ in range(3):  # a rerun finishing under the click can close the list: reopen it
        field.click()
        page.keyboard.type(option)  # long lists show only some options: filter them
        try:
            wanted.first.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_idle(page)
            continue
        unchanged = wanted.first.get_attribute("aria-selected") == "true"
        wanted.first.click()
        if in_form or unchanged:
            wait_idle(page)
        else:
            wait_ready(page)
        return
    screenshot(page, "echec-choix")
    raise AssertionError(f"option « {option} » introuvable dans « {label} »")


def test_contributeur_writes_and_lecteur_reads(accounts_server, page):
    url = accounts_server

    # 1. the contributeur records phase 2 « livré » (the acts gave it no status)
    log_in(page, url, "lea")
    go_to(page, "Mise à jour")
    choose(page, "Élément", "Exploitation du référentiel")
    assert "aucun statut enregistré" in text_of(page)
    choose(page, "Nouveau statut", "livré")
    page.get_by_label("Commentaire", exact=True).fill("Rapport remis (essai navigateur).")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_ready(page)
    # said at the top of the page (and in a toast, as every save)
    page.get_by_test_id("stAlertContentSuccess").get_by_text("Enregistré : livré").wait_for(
        timeout=60_000
    )

    # 2. a COPIL meeting whose decision validates phase 2
    go_to(page, "Réunions")
    # the first form records a meeting (the second corrects one already recorded)
    page.get_by_label("Lieu", exact=True).first.fill("Marseille, salle du conseil")
    page.get_by_label("Participants", exact=True).first.fill("Métropole AMP ; GIP CRPV PACA")
    choose(page, "Nature", "Validation")
    page.get_by_label("Texte de la décision", exact=True).first.fill(DECISION)
    choose(page, "Éléments concernés", "Exploitation du référentiel")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Enregistrer la séance").click()
    wait_ready(page)
    page.get_by_text("1 élément(s) passé(s) à « validé »").wait_for(timeout=60_000)

    # 3. an engagement typed the French way on the 2022 budget line
    go_to(page, "Paiements")
    choose(page, "Programme", "modernisation")
    page.get_by_label("Montant en euros (ex. 1 000,50)", exact=True).fill("1 000,50")
    page.get_by_label("Référence (n° d'engagement, de mandat…)", exact=True).fill("ENG-E2E-1")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_ready(page)
    page.get_by_test_id("stAlertContentSuccess").get_by_text(
        re.compile(r"Engagement de 1\s000,50\s€ enregistré")
    ).wait_for(timeout=60_000)
    screenshot(page, "paiements")
    log_out(page)

    # 4. the lecteur sees the three changes and no edit control
    log_in(page, url, "marc")
    for link in ("Mise à jour", "Réunions", "Paiements", "Saisie en lot", "Administration"):
        assert page.get_by_role("link", name=link, exact=True).count() == 0
    go_to(page, "Avancement")
    choose(page, "Élément", "Exploitation du référentiel")
    tree = text_of(page).split("Détail d'un élément")[0]
    assert "validé Phase 2 — Exploitation du référentiel d'évaluation" in tree
    cells = page.locator("[role=gridcell]")
    cells.filter(has_text="Léa Contributrice").first.wait_for(state="attached")
    history = " | ".join(cells.all_text_contents())
    assert "statut : livré → validé ; décision : " + DECISION in history
    assert "statut : non renseigné → livré" in history and "Léa Contributrice" in history
    assert page.locator("[data-testid='stForm']").count() == 0
    go_to(page, "Comités et décisions")
    shown = text_of(page)
    assert DECISION in shown
    # the meeting recorded today is now the committee's last one
    assert f"Depuis la réunion du {fmt.date_fr(dt.date.today())} (exclue)" in shown
    go_to(page, "Budget et dépenses")
    choose(page, "Programme", "modernisation")
    assert "Aucun paiement enregistré" not in text_of(page)
    go_to(page, "Vue d'ensemble")
    assert "1 000,50 €" in text_of(page)  # the « engagé » tile of the 2022 programme
    assert page.locator("[data-testid='stException']").count() == 0

    # 5. the « État au » view of 1 January 2020 shows phase 2 as it was then
    go_to(page, "Avancement")
    # a segmented date field (day / month / year): type the digits, then confirm the day
    # in the calendar that opens on that month
    page.get_by_label("État au", exact=True).get_by_role("spinbutton").first.click()
    page.keyboard.type("01012020")
    page.get_by_role("button", name=re.compile(r"mercredi 1 janvier 2020")).click()  # calendar day
    wait_ready(page)
    page.get_by_text("Vue reconstituée au 1er janvier 2020").wait_for(timeout=60_000)
    tree = text_of(page).split("Détail d'un élément")[0]
    assert "non renseigné Phase 2 — Exploitation du référentiel d'évaluation" in tree
    assert "validé Phase 2" not in tree
    screenshot(page, "etat-au-2020")
