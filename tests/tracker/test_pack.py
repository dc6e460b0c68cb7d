"""The quarterly pack: the deck's slides, native charts (series = the database's
figures as of the quarter's last day) and speaker notes; the PDF's text and first page;
the workbook's values and formats; an empty quarter; the command line."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from dashboard.tracker import budget, committees, fmt, pack, palette, status
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.pack.pdf import SERIES as PDF_SERIES
from dashboard.tracker.pack.pdf import FontMissing, pdf_bytes, register_fonts
from dashboard.tracker.pack.pptx import deck_bytes
from dashboard.tracker.pack.xlsx import workbook_bytes
from dashboard.tracker.report import write_pack
from tests.conftest import ADMIN, LEAD

T3_END = dt.date(2022, 9, 30)
TITLES = [
    "Point trimestriel — T3 2022",
    "Chiffres clés au 30 septembre 2022",
    "Avancement des phases et orientations",
    "Budget et dépenses",
    "Plans de financement",
    "Décisions du trimestre (T3 2022)",
    "Indicateurs au 30 septembre 2022",
    "Livrables du trimestre",
    "Réponses aux questions évaluatives",
    "Recommandations : où en est-on",
    "Ce qui a changé depuis T2 2022",
    "Échéances des deux trimestres suivants",
    "Éléments bloqués ou en retard",
    "Ce que le dossier ne dit pas encore",
    "Sources",
]


@pytest.fixture
def pdf_font():
    """The PDF needs a Unicode font: skipped locally without it, required in CI."""
    try:
        register_fonts()
    except FontMissing as error:
        if os.environ.get("CI"):
            pytest.fail(error.message)
        pytest.skip(error.message)


@pytest.fixture
def quarter_db(db):
    """The seed plus a T3 2022 that happened: payments (one after the quarter), a
    technical committee meeting with a decision, an orientation's progress."""
    line = db.records("budget_lines", as_of=T3_END, programme_code="MODERN-PV-2022")[0][
        "budget_line_id"
    ]
    for stage, day, amount in (
        ("commitment", dt.date(2022, 7, 12), "30 000"),
        ("payment_order", dt.date(2022, 9, 15), "10 000,50"),
        ("disbursement", dt.date(2022, 10, 5), "5 000"),  # T4: not in the T3 pack
    ):
        budget.record_payment(
            db, LEAD, budget_line_id=line, stage=stage, occurred_on=day, amount=amount
        )
    committees.record_meeting(
        db,
        LEAD,
        committee_id=2,
        held_on=dt.date(2022, 9, 8),
        place="Marseille",
        decisions=[
            committees.DecisionInput("adopts", "Les quatre orientations sont adoptées.", [])
        ],
    )
    first = status.change_status(
        db,
        LEAD,
        "orientation",
        5,
        to_status="in_progress",
        seen_event_id=None,
        progress=40,
        occurred_on=dt.date(2022, 8, 10),
    )
    status.change_status(
        db,
        ADMIN,
        "orientation",
        5,
        to_status="in_progress",
        seen_event_id=first,
        progress=90,
        occurred_on=dt.date(2022, 11, 2),  # after the quarter
    )
    return db


def test_parse_quarter():
    assert pack.parse_quarter("2022-T3") == (2022, 3)
    assert pack.parse_quarter("T3 2022") == (2022, 3)
    assert pack.parse_quarter(" 2022q4 ") == (2022, 4)
    for bad in ("2022-T5", "T3", "troisième trimestre", "", None, "1999-T1"):
        with pytest.raises(ValidationError):
            pack.parse_quarter(bad)


def test_deck_slides_charts_and_notes_follow_the_database(quarter_db):
    content = pack.build(quarter_db, "2022-T3")
    deck = Presentation(io.BytesIO(deck_bytes(content)))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == TITLES
    first = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "1er juillet – 30 septembre 2022" in first
    assert "Réunion du comité : 8 septembre 2022" in first

    charts = {
        s.shapes.title.text: shape.chart
        for s in deck.slides
        for shape in s.shapes
        if shape.has_chart
    }
    # progress: the figures of 30 September (40 %), not November's 90 %
    items = quarter_db.records("work_items", as_of=T3_END, programme_code=None)
    known = [
        i
        for i in items
        if i["item_kind"] in ("phase", "orientation") and i["effective_progress"] is not None
    ]
    [progress_series] = charts["Avancement des phases et orientations"].plots[0].series
    assert list(progress_series.values) == [float(i["effective_progress"]) for i in known]
    assert 40.0 in progress_series.values and 90.0 not in progress_series.values
    # budget: allocated / committed / ordered / paid per year and basis, as of 30 September
    rows = sorted(
        quarter_db.records("budget_by_year", as_of=T3_END, programme_code=None),
        key=lambda r: (r["fiscal_year"], r["programme_code"]),
    )
    series = {s.name: list(s.values) for s in charts["Budget et dépenses"].plots[0].series}
    assert series == {
        name: [None if r[column] is None else float(r[column]) for r in rows]
        for name, column in (
            ("Alloué", "allocated"),
            ("Engagé", "committed"),
            ("Mandaté", "ordered"),
            ("Versé", "paid"),
        )
    }
    assert series["Engagé"][-1] == 30000.0 and series["Mandaté"][-1] == 10000.5
    # 2020: no payment recorded, unknown (no bar); 2022: the October versement is not in T3
    assert series["Versé"] == [None, 0.0]

    notes = {s.shapes.title.text: s.notes_slide.notes_text_frame.text for s in deck.slides}
    assert all(text.startswith("Sources :") and len(text) > 20 for text in notes.values())
    assert (
        "la Politique de la ville et de ses dispositifs connexes, Article 2 Condition financière"
        in notes["Budget et dépenses"]
    )
    budget_text = (
        "\n".join(s.text_frame.text for s in deck.slides[3].shapes if s.has_text_frame)
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )
    # unknown is said, never 0: the 2020 line has no payment recorded
    assert "engagé non renseigné" in budget_text and "engagé 30 000 €" in budget_text
    assert "30 septembre 2022" in notes["Avancement des phases et orientations"]
    funding = "\n".join(
        [s.text_frame.text for s in deck.slides[4].shapes if s.has_text_frame]
        + [c.text for s in deck.slides[4].shapes if s.has_table for r in s.table.rows
           for c in r.cells]
    )  # fmt: skip
    # the Métropole's two participations; neither their nature nor a CPO is said by the acts
    assert "Métropole ou EPCI" in funding and "Nature des crédits — non renseigné" in funding
    assert "aucun acte ne dit s'il est pluriannuel" in funding
    decisions = "\n".join(s.text_frame.text for s in deck.slides[5].shapes if s.has_text_frame)
    assert "Les quatre orientations sont adoptées." in decisions


def test_the_default_deck_is_laid_out_for_16_9(quarter_db):
    deck = Presentation(io.BytesIO(deck_bytes(pack.build(quarter_db, "2022-T3"))))
    for slide in deck.slides:
        title = slide.shapes.title
        # the title spans the slide, centred: not the left two thirds of a 4:3 layout
        assert title.width > deck.slide_width * 0.8, slide.shapes.title.text
        middle = title.left + title.width / 2
        assert abs(middle - deck.slide_width / 2) < Inches(0.2)
        assert 0 <= title.top and title.top + title.height <= deck.slide_height
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width + Inches(0.05)


def test_the_deck_reads_french_in_libreoffice(quarter_db, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice absent : rendu de la présentation non vérifié")
    deck = tmp_path / "pack.pptx"
    deck.write_bytes(deck_bytes(pack.build(quarter_db, "2022-T3")))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profil",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "pack.pdf").pages)
    flat = text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "100 000 €" in flat  # the chart's axis, in PowerPoint's number format
    assert not re.search(r"\d,\d{3}", flat)  # never « 120,000 € »
    assert "Avancemen\nt" not in text and "Programm\ne" not in text


def test_a_template_gives_its_size_and_layouts_and_loses_its_slides(quarter_db, tmp_path):
    model = Presentation()
    model.slide_width, model.slide_height = Inches(10), Inches(5.625)
    sample = model.slides.add_slide(model.slide_layouts[5])
    sample.shapes.title.text = "DIAPOSITIVE DU MODÈLE"
    path = tmp_path / "modele.pptx"
    model.save(path)
    deck = Presentation(io.BytesIO(deck_bytes(pack.build(quarter_db, "2022-T3"), path)))
    assert deck.slide_width == Inches(10)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == TITLES and "DIAPOSITIVE DU MODÈLE" not in titles
    bad = tmp_path / "faux.pptx"
    bad.write_text("pas un pptx")
    with pytest.raises(ValidationError, match="n'est pas un fichier PowerPoint"):
        deck_bytes(pack.build(quarter_db, "2022-T3"), bad)


def test_pdf_text_is_french_and_its_first_page_is_drawn(quarter_db, tmp_path, pdf_font):
    content = pdf_bytes(pack.build(quarter_db, "2022-T3"))
    reader = PdfReader(io.BytesIO(content))
    total = len(reader.pages)
    assert total < len(TITLES)  # pages are filled, not one slide per page
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} / {total}" in page.extract_text()
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "\ufffd" not in text
    flat = text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "100 000 €" in flat and "30 000 €" in flat and "10 000,50 €" in flat
    assert "1er juillet – 30 septembre 2022" in flat
    assert "généré le" in flat
    assert all(t in flat for t in TITLES)
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("DejaVu" in f for f in fonts), fonts  # embedded Unicode font
    if shutil.which("pdftoppm") is None:
        message = "pdftoppm absent (apt-get install poppler-utils) : rendu non vérifié"
        if os.environ.get("CI"):
            pytest.fail(message + " ; obligatoire en CI.")
        pytest.skip(message)
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    from PIL import Image

    [png] = tmp_path.glob("p*.png")
    image = Image.open(png).convert("L")
    low, high = image.getextrema()
    dark = sum(image.histogram()[:128])
    assert high - low > 100 and dark > 500  # text is drawn, not a blank page


def test_workbook_values_equal_the_database(quarter_db):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(pack.build(quarter_db, "2022-T3"))))
    assert book.sheetnames == [
        "Lisez-moi",
        "Éléments",
        "Lignes budgétaires",
        "Paiements du trimestre",
        "Décisions",
        "Valeurs des indicateurs",
        "Livrables",
        "Jugements",
        "Recommandations",
        "Changements",
        "Échéances",
        "Financements",
        "Complétude",
    ]
    # the financing plans by kind of funder add up to the money in force, per basis
    funding = book["Financements"]
    header = [c.value for c in funding[1]]
    granted: dict[str, float] = {}
    for row in funding.iter_rows(2, values_only=True):
        entry = dict(zip(header, row, strict=True))
        if entry["Lecture"] == "Par catégorie de financeur" and entry["Accordé"] is not None:
            granted[entry["Base"]] = granted.get(entry["Base"], 0) + entry["Accordé"]
    money = quarter_db.records("money_by_basis", as_of=T3_END, programme_code=None)
    assert granted == {fmt.TAX_BASIS_LABELS[m["tax_basis"]]: float(m["allocated"])
                       for m in money if m["allocated"] is not None}  # fmt: skip
    payments = book["Paiements du trimestre"]
    assert payments.freeze_panes == "A2" and payments.auto_filter.ref == "A1:J3"  # … « Correction »
    header = [c.value for c in payments[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in payments.iter_rows(2)]
    expected = quarter_db.records(
        "payments", programme_code=None, since=dt.date(2022, 7, 1), until=T3_END, limit=None
    )
    assert sorted(r["Montant"] for r in rows) == sorted(float(p["amount"]) for p in expected)
    assert {r["Date"].date() for r in rows} == {p["occurred_on"] for p in expected}
    amount_cell = payments.cell(2, header.index("Montant") + 1)
    assert isinstance(amount_cell.value, float) and "€" in amount_cell.number_format
    assert payments.cell(2, header.index("Date") + 1).is_date
    assert payments.column_dimensions["F"].width >= 12

    lines = book["Lignes budgétaires"]
    header = [c.value for c in lines[1]]
    by_year = {row[header.index("Exercice")].value: row for row in lines.iter_rows(2)}
    assert by_year[2022][header.index("Alloué")].value == 100000
    assert by_year[2022][header.index("Engagé")].value == 30000
    assert by_year[2022][header.index("Versé")].value == 0  # October's versement excluded

    items = book["Éléments"]
    header = [c.value for c in items[1]]
    progress = {
        row[header.index("Intitulé")].value: row[header.index("Avancement")]
        for row in items.iter_rows(2)
    }
    cell = next(c for t, c in progress.items() if t.startswith("Le développement de nouveaux"))
    assert cell.value == pytest.approx(0.4) and cell.number_format == "0%"
    decisions = [row[4].value for row in book["Décisions"].iter_rows(2)]
    assert decisions == ["Les quatre orientations sont adoptées."]


def test_a_quarter_without_data_gives_a_short_honest_pack(db, tmp_path, pdf_font):
    written = write_pack(db, "2016-T1", tmp_path / "vide")
    assert sorted(written) == ["pdf", "pptx", "xlsx"]
    assert all(p.stat().st_size > 1000 for p in written.values())
    deck = Presentation(str(written["pptx"]))
    texts = "\n".join(
        shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
    )
    assert "Aucune décision ce trimestre." in texts
    assert "Aucune réunion de comité enregistrée ce trimestre" in texts
    assert "Aucune ligne budgétaire en vigueur à cette date : montants non renseignés." in texts
    assert "Aucun programme en vigueur à cette date" in texts


def test_one_programme_and_unknown_programme(quarter_db):
    content = pack.build(quarter_db, "2022-T3", "MODERN-PV-2022")
    assert [p["code"] for p in content.programmes] == ["MODERN-PV-2022"]
    assert content.file_stem == "cdv-2022-T3-MODERN-PV-2022"
    with pytest.raises(ValidationError, match="inconnu"):
        pack.build(quarter_db, "2022-T3", "INCONNU")


def test_cdv_report_writes_the_three_files(db_path, tmp_path, pdf_font):
    from dashboard.cli import main

    out = tmp_path / "dossier"
    assert main(["report", "--db", str(db_path), "--quarter", "2022-T3", "--out", str(out)]) == 0
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".pptx", ".xlsx"]
    assert main(["report", "--db", str(db_path), "--quarter", "2022-T7", "--out", str(out)]) == 1


def _cells(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets if ws.title != "Lisez-moi"}  # fmt: skip


def test_the_workbook_written_side_by_side_is_the_one_written_alone(quarter_db, tmp_path, pdf_font):
    """``cdv report`` writes the workbook in a copy of its process while it writes the deck
    and the PDF: the same files as one after the other."""
    alone = write_pack(quarter_db, "2022-T3", tmp_path / "seul")
    aside = write_pack(quarter_db, "2022-T3", tmp_path / "cote", side_by_side=True)
    assert list(aside) == list(alone) == ["pptx", "xlsx", "pdf"]
    assert _cells(aside["xlsx"]) == _cells(alone["xlsx"])
    assert sum(len(rows) for rows in _cells(aside["xlsx"]).values()) > 20
    assert [p.extract_text() for p in PdfReader(aside["pdf"]).pages] == [
        p.extract_text() for p in PdfReader(alone["pdf"]).pages
    ]


def test_a_copy_that_fails_leaves_the_file_to_the_process_itself(tmp_path):
    from dashboard.tracker import report

    target = tmp_path / "classeur.xlsx"
    done = []

    def failing() -> None:
        target.write_bytes(b"moitie")
        raise RuntimeError("la copie échoue")

    report._finish(report._aside(failing), lambda: done.append(target.write_bytes(b"entier")))
    assert done and target.read_bytes() == b"entier"  # written again, whole, here
    done.clear()
    report._finish(report._aside(lambda: target.write_bytes(b"copie")), lambda: done.append(1))
    assert not done and target.read_bytes() == b"copie"  # the copy's, not written twice


def test_without_a_unicode_font_the_deck_and_workbook_are_still_written(db, tmp_path, monkeypatch):
    from dashboard.tracker.pack import pdf as pack_pdf

    monkeypatch.setattr(pack_pdf, "register_fonts", _no_font)
    with pytest.raises(FontMissing) as caught:
        write_pack(db, "2022-T3", tmp_path / "dossier")
    assert "fonts-dejavu-core" in caught.value.message and "Déjà écrits" in caught.value.message
    assert sorted(p.suffix for p in (tmp_path / "dossier").iterdir()) == [".pptx", ".xlsx"]


def _no_font():
    raise FontMissing(pack_pdf_hint())


def pack_pdf_hint() -> str:
    from dashboard.tracker.pack.pdf import INSTALL_HINT

    return INSTALL_HINT


def test_the_deck_and_the_pdf_draw_their_series_in_the_palette(quarter_db):
    content = pack.build(quarter_db, "2022-T3")
    deck = Presentation(io.BytesIO(deck_bytes(content)))
    fills = set()
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                for series in shape.chart.plots[0].series:
                    fills.add(f"#{series.format.fill.fore_color.rgb}".lower())
    assert fills and fills <= {c.lower() for c in palette.STAGES.values()}
    assert all(palette.contrast(c) >= 3 for c in fills)
    assert [c.hexval()[2:].lower() for c in PDF_SERIES] == [
        c.lstrip("#").lower() for c in palette.STAGES.values()
    ]
