"""The year's obligations in Chromium, as a project lead sees them on the demo: the
rapport annuel 2024 of the fictional contrat de ville opened from a link (contract and
year in the URL), its consultation and approval read, its PDF downloaded and read; the
Budget page's financing plans; each at 1440 × 900, 390 × 844 and 1920 × 1080, screenshots
kept; the same link in a new tab shows the same page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import (
    cdv_command,
    database_with_accounts,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
    watch,
)
from tests.e2e.test_write_flows import log_in

CDV = "CDV-FICTIF-2024-2030"
SIZES = {"bureau": (1440, 900), "telephone": (390, 844), "projecteur": (1920, 1080)}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, chromium):
    path = tmp_path_factory.mktemp("e2e-annual") / "demo.duckdb"
    cdv_command("demo", "--db", str(path))
    database_with_accounts(path, {"lea": ("Léa", "contributeur")})
    process, url, log = start_server(path)
    yield url
    stop_server(process, log)


def test_the_annual_report_and_the_financing_plans_on_the_demo(demo_server, page):
    link = f"{demo_server}/rapport-annuel?contrat={CDV}&annee=2024"
    log_in(page, link, "lea")
    body = page.inner_text("body")
    # the consultation's counts (its table is a canvas grid, read by the AppTest tests)
    assert "Réputés favorables\n\n1" in body and "Avis reçus\n\n2" in body
    assert "Approuvé par délibération du 15 mai 2025" in body
    assert page.locator("[data-testid='stException']").count() == 0
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Rapport annuel (.pdf)").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert pdf.metadata.title.startswith("Rapport annuel politique de la ville 2024")
    assert "Consultation et approbation" in [o.title for o in pdf.outline
                                              if not isinstance(o, list)]  # fmt: skip
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        wait_ready(page)
        assert "Rendu public le 2 juin 2025." in page.inner_text("body")
        screenshot(page, f"rapport-annuel-{name}")

    page.goto(f"{demo_server}/budget?programme={CDV}")
    wait_ready(page)
    body = page.inner_text("body")
    assert "Plans de financement" in body
    assert "Part des financements sous convention pluriannuelle d'objectifs (CPO)" in body
    assert page.locator("[data-testid='stException']").count() == 0
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        wait_ready(page)
        screenshot(page, f"budget-plans-{name}")

    # the same link in a new tab of the signed-in browser: the same report
    other = watch(page.context.new_page())
    other.goto(link)
    wait_ready(other)
    assert "Approuvé par délibération du 15 mai 2025" in other.inner_text("body")
    other.close()
