"""The quarterly pack in real Chromium: choose a quarter, download the three files and
open them, then step through the presentation mode with the arrow keys."""

from __future__ import annotations

import io
import re

import openpyxl
from pptx import Presentation
from pypdf import PdfReader

from tests.e2e.conftest import screenshot, wait_ready


def test_download_the_pack_and_present_it(server, page):
    # T4 2019: the first quarter that knows the COPIL of 21 March 2019 (from avenant n° 2)
    page.goto(f"{server}/presentation?trimestre=2019-T4")
    wait_ready(page)
    assert page.locator("h1", has_text="Présentation trimestrielle").count() == 1
    page.get_by_text("Diapositive 15 / 15").wait_for(timeout=60_000)
    text = page.inner_text("body")
    assert "Point trimestriel — T4 2019" in text
    assert "Les phases 2 et 3 ont été validées" in text  # held in March, made known in T4
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "presentation")

    files = {}
    for label, kind in (
        ("Présentation (.pptx)", "pptx"),
        ("Document (.pdf)", "pdf"),
        ("Classeur (.xlsx)", "xlsx"),
    ):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        path = download.value.path()
        assert download.value.suggested_filename == f"cdv-2019-T4-tous-programmes.{kind}"
        files[kind] = path.read_bytes()
    deck = Presentation(io.BytesIO(files["pptx"]))
    assert deck.slides[4].shapes.title.text == "Plans de financement"
    assert deck.slides[5].shapes.title.text == "Décisions du trimestre (T4 2019)"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Les phases 2 et 3 ont été validées." in pdf_text
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book["Décisions"].max_row == 3  # header + the two decisions of 21 March 2019, known then

    page.get_by_role("button", name="Mode présentation").click()
    wait_ready(page)
    page.get_by_text("Diapositive 1 / 15").wait_for(timeout=60_000)
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=60_000)
    for expected in ("Diapositive 2 / 15", "Diapositive 3 / 15"):
        page.keyboard.press("ArrowRight")
        page.get_by_text(expected).wait_for(timeout=60_000)
    page.get_by_text("Avancement connu pour 0 élément(s) sur 7").wait_for(timeout=60_000)
    screenshot(page, "mode-presentation")
    page.keyboard.press("ArrowLeft")
    page.get_by_text("Diapositive 2 / 15").wait_for(timeout=60_000)
    assert "Chiffres clés au 31 décembre 2019" in page.inner_text("body")


def test_every_slide_fits_the_projector(server, browser):
    """On the meeting-room projector (1920 × 1080) each slide is seen whole, its sources
    line included: nothing to scroll, nothing cut."""
    from tests.e2e.conftest import watch

    context = browser.new_context(locale="fr-FR", viewport={"width": 1920, "height": 1080})
    page = watch(context.new_page())
    overflowing = {}
    try:
        page.goto(f"{server}/presentation?trimestre=2022-T3&mode=presentation")
        wait_ready(page)
        total = int(page.get_by_text(re.compile(r"Diapositive 1 / \d+")).inner_text().split("/")[1])
        for number in range(1, total + 1):
            page.get_by_text(f"Diapositive {number} / {total}").wait_for(timeout=60_000)
            extra = page.evaluate(
                """() => { const m = document.querySelector('[data-testid="stMain"]');
                           return m.scrollHeight - m.clientHeight; }"""
            )
            if extra > 2:
                overflowing[number] = extra
                screenshot(page, f"diapositive-{number}-coupee")
            if number < total:
                page.keyboard.press("ArrowRight")
                wait_ready(page)
    finally:
        context.close()
    assert overflowing == {}, "diapositives plus hautes que l'écran (px de trop)"
