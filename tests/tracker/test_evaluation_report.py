"""The evaluation report written from the record: a DOCX with Word's headings, a TOC
field, numbered figures with their alternative text and data table, the same as PDF
(« Projet » on every page until validated), small counts protected with secondary
suppression, the past at its date, the validated version kept exactly as it was."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dashboard.ingest.load import load, make_demo, read
from dashboard.tracker import committees, evaluation, judgements, secrecy, territories
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.evaluation_report import build
from dashboard.tracker.evaluation_report.docx import docx_bytes
from dashboard.tracker.evaluation_report.pdf import pdf_bytes
from dashboard.tracker.evaluation_report.stored import validate_report, validated, validated_file
from tests.conftest import ADMIN, LEAD
from tests.helpers import snapshot

EVAL = "EVAL-CDV-2015-2020"
TODAY = dt.date.today()
DEMO = Path(__file__).parents[2] / "data" / "examples" / "referentiel-demo.toml"


@pytest.fixture
def demo(db):
    make_demo(db)
    load(db, ADMIN, read(DEMO), origin=DEMO.name)
    return db


def _texts(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_docx_has_word_headings_a_toc_figures_with_alt_text_and_their_tables(demo):
    report = build(demo, EVAL, TODAY)
    document = Document(io.BytesIO(docx_bytes(report)))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert level_one[:2] == ["Contexte", "Méthode"]
    assert level_one[-2:] == ["Recommandations", "Annexes"]
    assert [t for t in level_one if t.startswith("Question")] == [
        "Question 1 : Le contrat de ville a-t-il amélioré l'accès à l'emploi des habitants "
        "des quartiers ? (fictif)",
        "Question 2 : Les habitants ont-ils été associés au pilotage ? (fictif)",
    ]
    assert {"Heading 2", "Heading 3"} <= {style for style, _ in headings}
    body = document.element.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert document.settings.element.xpath("./w:updateFields")
    # every figure is an image with its alternative text, a caption and its data table
    pictures = document.inline_shapes
    assert len(pictures) == len(report.figures) == 4  # EMP-1, EMP-2, EMP-3, PART-1
    for shape, figure in zip(pictures, report.figures, strict=True):
        description = shape._inline.docPr.get("descr")
        assert description == figure.alt and "Diagramme en barres" in description
        assert any(ch.isdigit() for ch in description)  # its key figures, not only its title
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert [c for c in captions if c.startswith("Figure ")] == [
        f"Figure {f.number} — {f.title}" for f in report.figures
    ]
    data_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Territoire"]
    assert len(data_tables) == len(report.figures)
    text = _texts(document)
    assert "Source : Bilan annuel fictif 2022, p. 12" in text
    header = document.sections[0].header.paragraphs[0].text
    assert "PROJET" in header and "DONNÉES FICTIVES" in header
    # the answers: Q2 validated (in force), Q1 a draft said as such
    assert "Réponse (version 1, validée le 4 décembre 2025" in text
    assert "Projet de réponse (non validé) (version 1, non validée)" in text
    assert "C2. Pertinence des actions d'insertion (fictif) — non évaluable" in text


def test_the_pdf_is_the_same_report_with_projet_on_every_page(demo, tmp_path):
    report = build(demo, EVAL, TODAY)
    data = pdf_bytes(report)
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) >= 6
    assert all("PROJET" in page.extract_text() for page in pdf.pages)
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert outline == [s.title for s in report.sections if s.level == 1]
    assert pdf.metadata.title == report.title
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm absent : pages non regardées")
    (tmp_path / "r.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "5", "-l", "5", str(tmp_path / "r.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    import numpy as np
    from PIL import Image

    [png] = sorted(tmp_path.glob("page*.png"))
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    dark = int((pixels.sum(axis=2) < 300).sum())
    blue = int(((pixels[..., 2] > 150) & (pixels[..., 0] < 60)).sum())  # the figure's bars
    assert dark > 500 and blue > 200


def _groups_ok(values: dict, groups: list[secrecy.Group], hidden: set) -> bool:
    """No group with a visible total has exactly one hidden detail among known cells."""
    for g in groups:
        details = [d for d in g.details if values.get(d) is not None]
        if g.total is None or values.get(g.total) is None or g.total in hidden:
            continue
        if sum(d in hidden for d in details) == 1:
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=2, max_size=7),
    st.integers(0, 80),
)
def test_a_hidden_count_can_never_be_recomputed_from_a_total(details, total):
    keys = [f"d{i}" for i in range(len(details))]
    values = dict(zip(keys, details, strict=True)) | {"total": total}
    groups = [secrecy.Group("total", tuple(keys)), secrecy.Group(keys[0], tuple(keys[1:2]))]
    hidden = secrecy.hidden(values, groups, 11)
    assert {k for k, v in values.items() if v is not None and v < 11} <= hidden
    assert _groups_ok(values, groups, hidden)


def test_small_counts_never_leave_in_the_report_and_stay_in_the_internal_views(db):
    commune = territories.create_territory(db, ADMIN, kind="commune", code="13001", name="Aix")
    places = [territories.create_territory(db, ADMIN, kind="qpv", code=f"QN01301{c}",
                                           name=f"Quartier {c}", generation=2024,
                                           within=[commune])
              for c in "ABC"]  # fmt: skip
    question = evaluation.create_question(db, ADMIN, programme_id=1, text="Q ?", criteria=["C"])
    criterion = db.scalar("select id from eval_criterion where question_id = $q", {"q": question})
    indicator = evaluation.create_indicator(
        db, ADMIN, programme_id=1, code="HAB", name="Habitants accompagnés", unit="personnes",
        unit_kind="count", direction="up", periodicity="year", criterion_id=criterion,
    )  # fmt: skip
    rows = [(places[0], "4"), (places[1], "30"), (places[2], "25"), (commune, "34"), (None, "59")]
    evaluation.record_values(db, ADMIN, [
        {"indicator_id": indicator, "period": "2023", "territory_id": t, "value": v}
        for t, v in rows
    ])  # fmt: skip
    report = build(db, EVAL, TODAY)
    [figure] = report.figures
    shown = {row[0]: row[1] for row in figure.table.rows}
    assert shown["Quartier A (QPV 2024)"] == "s"  # 4 < 11: primary
    # 59 − 34 and 34 − 30 would give it away: the smallest others go too
    hidden = [k for k, v in shown.items() if v == "s"]
    assert len(hidden) >= 2 and "4" not in shown.values()
    visible = {k: int(v) for k, v in shown.items() if v != "s"}
    # no total or difference gives one hidden cell back
    if "Ensemble du programme" in visible:
        details = [k for k in shown if "QPV" in k]
        assert sum(shown[k] == "s" for k in details) != 1
    if "Aix (commune)" in visible:
        assert sum(shown[k] == "s" for k in ("Quartier A (QPV 2024)", "Quartier B (QPV 2024)",
                                             "Quartier C (QPV 2024)")) != 1  # fmt: skip
    assert figure.series["Quartier A (QPV 2024)"] == [None]  # no bar for a secret value
    assert "4" not in figure.alt.split("Quartier A (QPV 2024) :")[1].split(";")[0]
    document = Document(io.BytesIO(docx_bytes(report)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Territoire")
    assert [r.cells[1].text for r in table.rows[1:]] == [figure.table.rows[i][1]
                                                         for i in range(len(figure.table.rows))]  # fmt: skip
    internal = {r["territory_name"]: r["value"] for r in
                db.records("indicator_values_known", programme_code=EVAL, as_of=TODAY)}  # fmt: skip
    assert int(internal["Quartier A"]) == 4  # the internal views keep the value
    # the threshold is the administrator's: at 3, 4 is no longer secret
    secrecy.set_secret_threshold(db, ADMIN, value=3)
    again = build(db, EVAL, TODAY).figures[0]
    assert {row[0]: row[1] for row in again.table.rows}["Quartier A (QPV 2024)"] == "4"
    before = snapshot(db)
    with pytest.raises(ValidationError, match="entre 1 et 1 000"):
        secrecy.set_secret_threshold(db, ADMIN, value="0")
    assert snapshot(db) == before


def _backdate(db, judgement_id: int, day: dt.date) -> None:
    at = dt.datetime.combine(day, dt.time(9))
    with db.transaction() as cur:
        cur.execute("update judgement set created_at = $t, validated_at = $t where id = $j",
                    {"t": at, "j": judgement_id})  # fmt: skip
        cur.execute("update criterion_judgement set recorded_at = $t where judgement_id = $j",
                    {"t": at, "j": judgement_id})  # fmt: skip


def test_a_past_date_shows_the_version_in_force_then(demo):
    with demo.transaction() as cur:  # as if the référentiel had been recorded early in 2025
        cur.execute("update record_origin set recorded_on = date '2025-01-02'"
                    " where recorded_on = current_date")  # fmt: skip
    first = demo.scalar("select id from judgement where validated_on is not null")
    _backdate(demo, first, dt.date(2025, 12, 4))
    yesterday = TODAY - dt.timedelta(days=1)

    def answer_of_q2(day: dt.date) -> str:
        report = build(demo, EVAL, day)
        section = next(s for s in report.sections if s.title.startswith("Question 2"))
        return section.blocks[0]

    assert answer_of_q2(dt.date(2025, 11, 30)) == (
        "Aucune réponse argumentée enregistrée au 30 novembre 2025."
    )
    before = answer_of_q2(yesterday)
    assert before.startswith("Réponse (version 1, validée le 4 décembre 2025")
    question = demo.scalar("select question_id from judgement where id = $j", {"j": first})
    second = judgements.draft_judgement(demo, LEAD, question_id=question, answer="Oui (fictif)")
    committees.record_meeting(demo, ADMIN, committee_id=1, held_on=TODAY, decisions=[
        committees.DecisionInput("other", "Version 2 validée (fictif)", [])])  # fmt: skip
    judgements.validate_judgement(demo, LEAD, second, expected_version=1,
                                  decision_id=demo.scalar("select max(id) from decision"))  # fmt: skip
    assert answer_of_q2(TODAY).startswith("Réponse (version 2, validée le")
    assert answer_of_q2(yesterday) == before  # recording today never changes the past


def test_the_validated_report_is_kept_exactly_as_it_was(demo):
    committees.record_meeting(demo, ADMIN, committee_id=1, held_on=TODAY, decisions=[
        committees.DecisionInput("other", "Le rapport d'évaluation est validé (fictif)", [])])  # fmt: skip
    decision = demo.scalar("select max(id) from decision")
    before = snapshot(demo)
    with pytest.raises(ValidationError, match="précède la date du rapport"):
        validate_report(demo, LEAD, programme_code=EVAL, as_of=TODAY,
                        decision_id=demo.scalar("select min(id) from decision"))  # fmt: skip
    with pytest.raises(ValidationError, match="choisissez-la"):
        validate_report(demo, LEAD, programme_code=EVAL, as_of=TODAY, decision_id=None)
    assert snapshot(demo) == before
    report_id = validate_report(demo, LEAD, programme_code=EVAL, as_of=TODAY, decision_id=decision)
    [row] = validated(demo, EVAL, TODAY)
    assert demo.records("evaluation_reports", programme_code=EVAL, as_of=TODAY) == [row]
    assert validated(demo, EVAL, TODAY - dt.timedelta(days=1)) == []  # known from today
    assert (row["id"], row["validated_on"]) == (report_id, TODAY)
    name, kept_pdf = validated_file(demo, EVAL, report_id, "pdf")
    assert name.endswith("-valide.pdf")
    pages = PdfReader(io.BytesIO(kept_pdf)).pages
    assert not any("PROJET" in p.extract_text() for p in pages)
    assert "Validé par décision du" in pages[0].extract_text()
    _, kept_docx = validated_file(demo, EVAL, report_id, "docx")
    assert "PROJET" not in Document(io.BytesIO(kept_docx)).sections[0].header.paragraphs[0].text
    # anything recorded later: a new draft's report differs, the validated one does not
    judgements.draft_judgement(demo, LEAD, question_id=demo.scalar(
        "select question_id from judgement where validated_on is not null"), answer="Autre (fictif)")  # fmt: skip
    assert validated_file(demo, EVAL, report_id, "pdf")[1] == kept_pdf
    assert validated_file(demo, EVAL, report_id, "docx")[1] == kept_docx


def _small_counts(db) -> int:
    """A count indicator over three QPV of a commune in 2023, with a whole-programme value."""
    commune = territories.create_territory(db, ADMIN, kind="commune", code="13001", name="Aix")
    places = [territories.create_territory(db, ADMIN, kind="qpv", code=f"QN01301{c}",
                                           name=f"Quartier {c}", generation=2024, within=[commune])
              for c in "ABC"]  # fmt: skip
    indicator = evaluation.create_indicator(
        db, ADMIN, programme_id=1, code="HAB", name="Habitants accompagnés", unit="personnes",
        unit_kind="count", direction="up", periodicity="year",
    )  # fmt: skip
    evaluation.record_values(db, ADMIN, [
        {"indicator_id": indicator, "period": "2023", "territory_id": t, "value": v}
        for t, v in ((places[0], "4"), (places[1], "30"), (places[2], "25"), (None, "59"))
    ])  # fmt: skip
    return indicator


def test_a_public_pack_and_a_public_export_hide_small_counts_and_say_so(db, tmp_path):
    import json

    from openpyxl import load_workbook

    from dashboard.tracker import export, pack
    from dashboard.tracker.pack.xlsx import workbook_bytes

    _small_counts(db)

    def sheet_values(built) -> dict:
        [sheet] = [s for s in built.sheets if s.name == "Valeurs des indicateurs"]
        return {row[8]: row[9] for row in sheet.rows if row[1] == "HAB"}

    quarter = f"{TODAY.year}-T{(TODAY.month - 1) // 3 + 1}"  # the values are known from today
    internal = pack.build(db, quarter, EVAL)
    assert {k: int(v) for k, v in sheet_values(internal).items()} == {
        None: 59,
        "Quartier A": 4,
        "Quartier B": 30,
        "Quartier C": 25,
    }
    public = pack.build(db, quarter, EVAL, public=True)
    shown = sheet_values(public)
    assert shown["Quartier A"] == "s" and sum(v == "s" for v in shown.values()) >= 2
    assert "VERSION PUBLIQUE" in public.stamp and public.file_stem.endswith("-public")
    book = load_workbook(io.BytesIO(workbook_bytes(public)), read_only=True)
    cells = [c for row in book["Valeurs des indicateurs"].iter_rows(values_only=True) for c in row]
    assert "s" in cells and 4 not in cells
    about = [row for row in book["Lisez-moi"].iter_rows(values_only=True)]
    assert (
        "Publication",
        "version publique : effectifs inférieurs à 11 masqués (« s », secret statistique)",
    ) in about
    document = json.loads(export.to_json(db, public=True))
    values = {v["territory"]: v["value"] for v in document["values"]
              if v["indicator"]["code"] == "HAB"}  # fmt: skip
    assert values["QN01301A"] == "s" and document["public"]["secret_threshold"] == 11
    assert {v["value"] for v in json.loads(export.to_json(db))["values"]} >= {"4"}  # internal
    exported = tmp_path / "public.json"
    exported.write_text(json.dumps(document), encoding="utf-8")
    before = snapshot(db)
    with pytest.raises(ValidationError, match="export public"):
        load(db, ADMIN, read(exported), origin="public.json")
    assert snapshot(db) == before
