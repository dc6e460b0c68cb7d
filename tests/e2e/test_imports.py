"""Imports in real Chromium: a contributeur uploads a spreadsheet of payments, sees the
columns recognised and the rows checked, imports it, and imports it again without a
duplicate; a file with a bad row is refused line by line and writes nothing."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import (
    database_with_accounts,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
)
from tests.e2e.test_french import english_on
from tests.e2e.test_write_flows import go_to, log_in

PAYMENTS = (
    "Programme;Année;Étape;Date;Montant (€);Référence\n"
    "MODERN-PV-2022;2022;engagement;15/03/2022;25 000,00;ENG-NAV-1\n"
    "MODERN-PV-2022;2022;mandatement;15/04/2022;10 000;MAN-NAV-1\n"
)


@pytest.fixture(scope="module")
def import_server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("e2e-imports")
    db_path = database_with_accounts(folder / "cdv.duckdb",
                                     {"lea": ("Léa Contributrice", "contributeur")})  # fmt: skip
    (folder / "paiements.csv").write_text(PAYMENTS, encoding="utf-8")
    (folder / "faux.csv").write_text(PAYMENTS.replace("10 000", "10,0,0"), encoding="utf-8")
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url, folder
    stop_server(process, log)


def upload(page, path) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    wait_ready(page)


def test_a_spreadsheet_of_payments_imported_once(import_server, page):
    url, folder = import_server
    log_in(page, url, "lea")
    go_to(page, "Import d'un tableur")
    assert page.get_by_label("Type de fiches", exact=True).input_value() == "Paiements"
    upload(page, folder / "faux.csv")
    page.get_by_text("ligne 3 : montant invalide : « 10,0,0 »").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Importer", exact=True).count() == 0
    upload(page, folder / "paiements.csv")
    page.get_by_text("Vérifié : 2 ajouté(s), 0 mis à jour, 0 inchangé(s)").wait_for(timeout=60_000)
    # the file's line, for the eye and the ear: its size in French (« 258 o », not « 258.0B »)
    size = (folder / "paiements.csv").stat().st_size
    page.get_by_text(re.compile(rf"^{size} o$")).first.wait_for(timeout=10_000)
    assert english_on(page) == set()
    screenshot(page, "import-tableur")
    page.get_by_role("button", name="Importer", exact=True).click()
    wait_ready(page)
    page.get_by_text("terminé en une transaction : 2 ajouté(s)").wait_for(timeout=60_000)
    upload(page, folder / "paiements.csv")
    page.get_by_text("Vérifié : 0 ajouté(s), 0 mis à jour, 2 inchangé(s)").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
