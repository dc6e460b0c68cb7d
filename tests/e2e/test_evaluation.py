"""The evaluation in real Chromium against ``cdv serve`` with login required: a
contributeur enters three values for two QPV and attaches a report to phase 1; a
lecteur then sees them filtered by commune (and not the QPV of the other commune),
and downloads the report."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import (
    cdv_command,
    database_with_accounts,
    press,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
)
from tests.e2e.test_write_flows import choose, go_to, log_in, log_out, text_of

#: what an administrateur set up beforehand (a test database's own territories)
SETUP = """
[[territories]]
kind = "commune"
code = "13201"
name = "Commune Nord (essai)"

[[territories]]
kind = "commune"
code = "13202"
name = "Commune Sud (essai)"

[[territories]]
kind = "qpv"
code = "QN13201A"
name = "Quartier des Lilas (essai)"
generation = 2024
within = ["13201"]

[[territories]]
kind = "qpv"
code = "QN13201B"
name = "Quartier des Roses (essai)"
generation = 2024
within = ["13201"]

[[territories]]
kind = "qpv"
code = "QN13202A"
name = "Quartier du Port (essai)"
generation = 2024
within = ["13202"]

[[indicators]]
programme = "EVAL-CDV-2015-2020"
code = "ACC-1"
name = "Habitants accompagnés (essai)"
unit = "personnes"
unit_kind = "count"
direction = "up"
periodicity = "year"

[[values]]
indicator = { programme = "EVAL-CDV-2015-2020", code = "ACC-1" }
period = "2023"
territory = "QN13202A"
value = "999"
"""
REPORT = b"%PDF-1.4\n% Rapport de la phase 1 (essai navigateur)\n%%EOF\n"


@pytest.fixture(scope="module")
def evaluation_server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("e2e-evaluation")
    db_path = database_with_accounts(
        folder / "cdv.duckdb",
        {"lea": ("Léa Contributrice", "contributeur"), "marc": ("Marc Lecteur", "lecteur")},
    )
    setup = folder / "mise-en-place.toml"
    setup.write_text(SETUP, encoding="utf-8")
    cdv_command("load", str(setup), "--db", str(db_path))
    (folder / "rapport-phase-1.pdf").write_bytes(REPORT)
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url, folder
    stop_server(process, log)


def enter_value(page, period: str, territory: str, value: str) -> None:
    form = page.locator("[data-testid='stForm']").first
    page.get_by_label("Période", exact=True).fill(period)
    choose(page, "Territoire", territory, within=form)
    page.get_by_label("Valeur", exact=True).fill(value)
    page.get_by_role("button", name="Enregistrer la valeur").click()
    wait_ready(page)
    page.get_by_test_id("stAlertContentSuccess").get_by_text("Valeur enregistrée.").wait_for(
        timeout=60_000
    )


def test_values_and_a_report_entered_then_read_by_commune(evaluation_server, page):
    url, folder = evaluation_server

    # 1. the contributeur enters three values for two QPV of the commune Nord
    log_in(page, url, "lea")
    go_to(page, "Saisie de l'évaluation")
    for period, territory, value in (("2023", "Lilas", "120"), ("2024", "Lilas", "150"),
                                     ("2024", "Roses", "80")):  # fmt: skip
        enter_value(page, period, territory, value)

    # 2. a report of phase 1, with its file
    page.goto(url + "/saisie-evaluation?onglet=Livrables")  # a link to the tab
    wait_ready(page)
    page.get_by_text("Nouveau livrable").click()
    page.get_by_label("Titre", exact=True).fill("Rapport de la phase 1 (essai)")
    form = page.locator("[data-testid='stForm']").filter(has_text="Rattaché à")
    assert "Phase 1 —" in form.get_by_label("Rattaché à", exact=True).input_value()  # default
    planned = form.get_by_label("Date prévue (JJ/MM/AAAA)", exact=True)  # its format, in French
    assert planned.input_value() == "" and planned.get_attribute("placeholder") == "JJ/MM/AAAA"
    press(page, page.get_by_role("button", name="Créer le livrable"))
    page.get_by_text("Livrable « Rapport de la phase 1 (essai) » créé.").first.wait_for(
        timeout=60_000
    )
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(folder / "rapport-phase-1.pdf")
    )
    page.get_by_role("button", name="Joindre ce fichier").wait_for(timeout=60_000)
    page.get_by_role("button", name="Joindre ce fichier").click()
    wait_ready(page)
    page.get_by_text("« rapport-phase-1.pdf » a été joint.").wait_for(timeout=60_000)
    screenshot(page, "saisie-evaluation")
    log_out(page)

    # 3. the lecteur, filtered by the commune Nord: its two QPV and their total, not Sud's
    log_in(page, url + "/evaluation?territoire=commune-13201&onglet=Indicateurs", "marc")
    assert page.get_by_role("link", name="Saisie de l'évaluation", exact=True).count() == 0
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator("text=Quartier des Lilas (essai)").first.wait_for(timeout=60_000)
    legend = chart.inner_text()
    assert "Quartier des Roses (essai)" in legend and "Ensemble" in legend
    assert "Quartier du Port" not in legend
    page.get_by_text("Données du graphique (tableau)").click()
    cells = page.locator("[role=gridcell]")
    cells.filter(has_text="Ensemble — Commune Nord (essai)").first.wait_for(state="attached")
    table = " | ".join(cells.all_text_contents())
    assert "230" in table and "120" in table  # 2024: 150 + 80; 2023: 120 alone
    assert "999" not in table  # the commune Sud's QPV is outside the filter
    assert "saisie par Léa Contributrice" in table
    screenshot(page, "evaluation-commune")

    # 4. the report, downloadable by the lecteur; the URL keeps the filter
    page.get_by_role("tab", name="Livrables").click()
    wait_ready(page)
    assert re.search(r"onglet=Livrables", page.url) and "territoire=commune-13201" in page.url
    assert "Aucun livrable pour Commune Nord" in text_of(page)  # not tagged with the commune
    page.goto(url + "/evaluation?onglet=Livrables")
    wait_ready(page)
    cells = page.locator("[role=gridcell]")
    cells.filter(has_text="Rapport de la phase 1 (essai)").first.wait_for(state="attached")
    assert "Phase 1" in " | ".join(cells.all_text_contents())
    button = page.get_by_role("button", name=re.compile(r"Télécharger rapport-phase-1\.pdf"))
    # the file is read back and checked against its hash before it is sent: on a loaded
    # machine (CI, the browser tests of the other worker beside) this took over 30 s once
    with page.expect_download(timeout=120_000) as download:
        button.click()
    assert download.value.suggested_filename == "rapport-phase-1.pdf"
    assert open(download.value.path(), "rb").read() == REPORT
    assert page.locator("[data-testid='stException']").count() == 0
