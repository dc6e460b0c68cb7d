"""The evaluation's answers, report and map in real Chromium against ``cdv serve`` on a
demonstration database (``cdv demo``: two questions judged, three recommendations, three
fictional QPV contours): a lecteur reads the answer in force and the map, downloads the
report and opens it; a contributeur sees the draft and its criteria; each page looked at
on a phone, a desk and a projector."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.e2e.conftest import (
    PASSWORD,
    cdv_command,
    screenshot,
    start_server,
    stop_server,
    watch,
)
from tests.e2e.test_french import PHONE
from tests.e2e.test_write_flows import log_in, log_out

SIZES = {"telephone": (390, 844), "poste": (1440, 900), "projecteur": (1920, 1080)}
PROGRAMME = "programme=EVAL-CDV-2015-2020"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("e2e-judgements")
    db_path = folder / "demo.duckdb"
    cdv_command("demo", "--db", str(db_path))
    for login, name, role in (("lea", "Léa Contributrice", "contributeur"),
                              ("marc", "Marc Lecteur", "lecteur")):  # fmt: skip
        cdv_command("user", "add", login, "--db", str(db_path), "--name", name, "--role", role,
                    "--password-stdin", "--definitif", stdin=PASSWORD + "\n")  # fmt: skip
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url
    stop_server(process, log)


def look(browser, url: str, login: str, name: str, ready) -> None:
    """The page as a person opens it on each screen: a fresh window of that size (a phone
    as Streamlit recognises one, its menu closed), signed in, once ``ready`` has found
    what the page must show."""
    for size, (width, height) in SIZES.items():
        phone = PHONE if width < 600 else {}
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height},
                                      **phone)  # fmt: skip
        page = watch(context.new_page())
        try:
            log_in(page, url, login)
            ready(page)
            screenshot(page, f"{name}-{size}")
        finally:
            context.close()


def answer_in_force(page) -> None:
    page.get_by_text(
        "Réponse argumentée en vigueur — version 1, validée le 4 décembre 2025"
    ).click()
    page.get_by_text("C1. Participation des conseils citoyens (fictif)").first.wait_for(
        timeout=60_000)  # fmt: skip
    page.get_by_text("Solidité de la preuve : moyenne").first.wait_for(timeout=60_000)


def map_drawn(page) -> None:
    page.get_by_text("Carte, Demandeurs d'emploi accompagnés (fictif) — QPV 2024").wait_for(
        timeout=60_000)  # fmt: skip
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length == 2")


def draft_shown(page) -> None:
    page.get_by_text("Projet : version 1, non validée").wait_for(timeout=60_000)
    page.get_by_text("C2. Pertinence des actions d'insertion (fictif) — non évaluable").first.wait_for(
        timeout=60_000)  # fmt: skip
    page.get_by_role("button", name="Enregistrer la validation").wait_for(timeout=60_000)


def test_a_reader_reads_the_answer_the_map_and_the_report(demo_server, browser, page):
    url = demo_server
    look(browser, f"{url}/evaluation?{PROGRAMME}&onglet=Questions", "marc",
         "evaluation-reponses", answer_in_force)  # fmt: skip
    look(browser, f"{url}/evaluation?{PROGRAMME}&onglet=Indicateurs&indicateur=EMP-1", "marc",
         "evaluation-carte", map_drawn)  # fmt: skip

    log_in(page, f"{url}/evaluation?{PROGRAMME}&onglet=Rapport", "marc")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Rapport (.docx, projet)").click()
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Contexte", "Méthode"] and "Recommandations" in headings
    assert len(document.inline_shapes) == 7  # four figures and three maps
    screenshot(page, "evaluation-rapport")
    log_out(page)


def test_a_contributor_sees_the_draft_and_its_criteria(demo_server, browser):
    look(browser, f"{demo_server}/saisie-evaluation?{PROGRAMME}&onglet=R%C3%A9ponses%20"
         "argument%C3%A9es", "lea", "saisie-reponses", draft_shown)  # fmt: skip
