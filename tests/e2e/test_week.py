"""A project lead's week, in real Chromium against ``cdv serve`` with login required.

Before the week, the packs of three past quarters are downloaded. Then an administrateur creates the
2024-2030 programme and records an avenant (fictional) to the 2022 convention, signed on
12 December 2022, that extends its term to 31 December 2023 with 50 000 € TTC for 2023;
a contributeur adds three actions to the new programme, edits them in one go, records
an engagement dated in T4 2022 and corrects it. After the week, those packs have the
same slide texts and figures as before, and the T4 2022 pack shows the new term, the
2023 amount, the avenant among the quarter's changes and the corrected engagement."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation

from tests.e2e.conftest import (
    database_with_accounts,
    press,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
)
from tests.e2e.test_write_flows import (
    choose,
    go_to,
    log_in,
    log_out,
    text_of,
)

NEW_PROGRAMME = "EVAL-CDV-2024-2030"
ACTIONS = (
    "Atelier de cadrage avec les Conseils de Territoire (fictif)",
    "Questionnaire aux communes (fictif)",
    "Restitution au comité de pilotage (fictif)",
)


@pytest.fixture(scope="module")
def week_server(tmp_path_factory, chromium):
    db_path = tmp_path_factory.mktemp("e2e-semaine") / "cdv.duckdb"
    database_with_accounts(
        db_path,
        {
            "admin": ("Administratrice", "administrateur"),
            "lea": ("Léa Contributrice", "contributeur"),
        },
    )
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url
    stop_server(process, log)


#: quarters before the week's first dated record (12 December 2022): T2 2018 (3 phases,
#: before avenant n° 2), T4 2019 (its first quarter in force), T3 2022
PAST_QUARTERS = ("T2 2018", "T4 2019", "T3 2022")

#: the one text that rightly differs between two generations of the same quarter
GENERATED = re.compile(r"généré le \d{1,2}(er)? \w+ \d{4} à \d{2}:\d{2}")


def deck_facts(data: bytes) -> list[dict]:
    """What a reader of the deck sees, slide by slide: every text, every table cell,
    every chart's categories and values, and the speaker notes (the generation time
    set aside)."""
    slides = []
    for slide in Presentation(io.BytesIO(data)).slides:
        texts, charts = [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(
                    GENERATED.sub("généré le (moment de la génération)", shape.text_frame.text)
                )
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
            if shape.has_chart:
                plot = shape.chart.plots[0]
                charts.append(
                    {
                        "categories": list(plot.categories),
                        "series": {s.name: list(s.values) for s in plot.series},
                    }
                )
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"texts": texts, "charts": charts, "notes": notes})
    return slides


def download_deck(page, quarter: str) -> bytes:
    go_to(page, "Présentation trimestrielle")
    choose(page, "Trimestre", quarter)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Présentation (.pptx)").click()
    return download.value.path().read_bytes()


def type_date(field, typed: str) -> None:
    """A date field of a form: typed as JJ/MM/AAAA, as a person does."""
    field.fill(typed)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    wait_ready(page)


def saved(page, message: str) -> None:
    page.get_by_test_id("stAlertContentSuccess").filter(has_text=message).wait_for()


def form(page, heading: str):
    return page.get_by_test_id("stForm").filter(has_text=heading)


def create_programme(page) -> None:
    go_to(page, "Saisie des actes")
    new = form(page, "Nouveau programme")
    new.get_by_label("Code (majuscules, chiffres, tirets)").fill(NEW_PROGRAMME)
    new.get_by_label("Intitulé", exact=True).fill(
        "Évaluation du contrat de ville 2024-2030 (fictif)"
    )
    choose(page, "Succède au programme", "EVAL-CDV-2015-2020", new)
    press(page, new.get_by_role("button", name="Créer le programme"))
    saved(page, f"Programme « {NEW_PROGRAMME} » créé.")


def record_extension_avenant(page) -> None:
    open_tab(page, "Actes et avenants")
    choose(page, "Type d'acte", "avenant")
    new = form(page, "Enregistrer un avenant")
    choose(page, "Acte modifié", "MODERN-PV-2022", new)
    new.get_by_label("Numéro de l'avenant").fill("1")
    type_date(
        new.get_by_label("Nouveau terme de l'acte modifié, si l'avenant le prolonge (JJ/MM/AAAA)"),
        "31/12/2023",
    )
    new.get_by_label("Intitulé (tel qu'il figure sur l'acte)").fill(
        "Avenant n° 1 à la convention de partenariat (FICTIF, exemple de test)"
    )
    type_date(new.get_by_label("Date de signature (JJ/MM/AAAA)", exact=True), "12/12/2022")
    choose(page, "Prise d'effet", "signature", new)
    press(page, new.get_by_role("button", name="Enregistrer l'acte"))
    saved(page, "enregistré.")

    open_tab(page, "Budget")
    choose(page, "Programme", "MODERN-PV-2022")
    line = form(page, "Nouvelle ligne budgétaire")
    choose(page, "Acte qui l'accorde", "Avenant n° 1", line)
    line.get_by_label("Exercice", exact=True).fill("2023")
    line.get_by_label("Montant (ex. 50 000 ; vide pour un apport en nature)", exact=True).fill(
        "50 000"
    )
    choose(page, "Base", "TTC", line)
    line.get_by_label("Libellé", exact=True).fill("Exercice 2023 (fictif)")
    press(page, line.get_by_role("button", name="Créer la ligne"))
    saved(page, "Ligne budgétaire créée.")


def add_three_actions(page) -> None:
    go_to(page, "Phases et actions")
    choose(page, "Programme", NEW_PROGRAMME)
    page.get_by_text("le programme directement", exact=True).click()
    wait_ready(page)
    for title in ACTIONS:
        new = form(page, "Créer l'action")
        new.get_by_label("Intitulé", exact=True).fill(title)
        press(page, new.get_by_role("button", name="Créer l'action"))
        saved(page, f"Action « {title} » créée.")


GRID_HAS_FOCUS = """() => document.activeElement !== null
    && document.activeElement.closest("[data-testid='stDataFrame']") !== null"""


def bulk_edit(page) -> None:
    """The lead of the three actions typed in the table, cell after cell, saved in one go."""
    go_to(page, "Saisie en lot")
    choose(page, "Programme", NEW_PROGRAMME)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    grid = page.get_by_test_id("stDataFrame")
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default row (and header) height, in CSS pixels
    # the first row's « N° » cell (the grid takes the focus a frame later), then three
    # cells to the right: « Responsable »
    page.mouse.click(box["x"] + 20, box["y"] + row_height * 1.5)
    page.wait_for_function(GRID_HAS_FOCUS)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    for done in range(1, len(ACTIONS) + 1):
        page.keyboard.press("Enter")  # opens the cell's editor
        editor = page.locator("textarea.gdg-input")
        editor.fill("Équipe du CRPV")
        editor.press("Enter")  # keeps the value, moves one row down, reruns the page
        editor.wait_for(state="detached")
        wait_ready(page)
        page.get_by_text(f"{done} ligne(s) modifiée(s).").wait_for()
    press(page, page.get_by_role("button", name="Enregistrer les modifications"))
    saved(page, "3 action(s) enregistrée(s), en une seule transaction.")


def record_and_correct_an_engagement(page) -> None:
    go_to(page, "Paiements")
    choose(page, "Programme", "MODERN-PV-2022")
    new = page.get_by_test_id("stForm").first
    type_date(new.get_by_label("Date (JJ/MM/AAAA)", exact=True), "15/11/2022")
    new.get_by_label("Montant en euros (ex. 1 000,50)").fill("1 000,50")
    new.get_by_label("Référence (n° d'engagement, de mandat…)").fill("ENG-SEMAINE-1")
    press(page, new.get_by_role("button", name="Enregistrer", exact=True))
    saved(page, "Engagement de 1 000,50 € enregistré.")

    fix = page.get_by_test_id("stForm").filter(has_text="Corriger le paiement")
    fix.get_by_label("Montant", exact=True).fill("1 200")
    fix.get_by_label("Motif (obligatoire)").fill("Montant lu sur le bon d'engagement")
    press(page, fix.get_by_role("button", name="Corriger le paiement"))
    saved(page, "Paiement corrigé.")


def test_a_project_leads_week_leaves_last_quarter_as_it_was(week_server, page):
    url = week_server
    log_in(page, url, "admin")
    before = {quarter: deck_facts(download_deck(page, quarter)) for quarter in PAST_QUARTERS}

    create_programme(page)
    record_extension_avenant(page)
    screenshot(page, "semaine-avenant")
    log_out(page)

    log_in(page, url, "lea")
    add_three_actions(page)
    bulk_edit(page)
    screenshot(page, "semaine-saisie-en-lot")
    record_and_correct_an_engagement(page)

    go_to(page, "Avancement")
    choose(page, "Programme", NEW_PROGRAMME)
    shown = text_of(page)
    assert all(title in shown for title in ACTIONS)
    assert shown.count("Équipe du CRPV") >= 3

    # every past quarter's deck reads as it did: the week's records are dated later, and
    # what was recorded today without an earlier date exists from today
    for quarter in PAST_QUARTERS:
        assert deck_facts(download_deck(page, quarter)) == before[quarter], quarter
    t4 = deck_facts(download_deck(page, "T4 2022"))
    t4_text = (
        "\n".join("\n".join(slide["texts"]) + "\n" + slide["notes"] for slide in t4)
        .replace("\u202f", " ")
        .replace("\u00a0", " ")
    )
    assert "31 décembre 2023 (au lieu du 31 décembre 2022 : modifié ce trimestre)" in t4_text
    assert "150 000 € TTC" in t4_text  # 100 000 € for 2022 and the avenant's 50 000 € for 2023
    assert "Avenant n° 1 à la convention de partenariat (FICTIF" in t4_text
    # the corrected engagement counts at its corrected amount, and says it was corrected
    assert "1 200 €" in t4_text
    assert "1 000,50 €" not in t4_text.replace("montant : 1 000,50 € → 1 200 €", "")
    assert "Engagement du 15 novembre 2022 (1 200 €, MODERN-PV-2022) : Corrigé le" in t4_text
    assert "motif : Montant lu sur le bon d'engagement" in t4_text
    assert NEW_PROGRAMME not in t4_text  # created today: not in force at the end of 2022
    # the avenant signed that quarter is among « Ce qui a changé », with its effects
    assert "Entrée en vigueur : Avenant n° 1 à la convention de partenariat (FICTIF" in t4_text
    assert "nouveau terme 31 décembre 2023 ; 50 000 € accordés" in t4_text
