"""The rapport annuel politique de la ville (issue 24, part 1): the demo year's report is
generated from the record (DOCX and PDF, opened and looked at), its consultation is
recorded — one opinion received in time, one silence counted as favourable at its
deadline, one opinion with reserves — approved by a deliberation and published; each
step is a dated deadline (.ics) and a late one is an alert; bad input is refused in
French and writes nothing; a view « au » a date does not move when later steps are
recorded."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from dashboard.cli import _demo_annual_report, _demo_council, main
from dashboard.ingest.load import load, make_demo, read
from dashboard.resources import resource_dir
from dashboard.tracker import annual_report as ar
from dashboard.tracker import calendar_export, deadlines, overview
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.evaluation_report import annual
from dashboard.tracker.evaluation_report.docx import docx_bytes
from dashboard.tracker.evaluation_report.pdf import pdf_bytes
from dashboard.tracker.files import Upload
from tests.conftest import ADMIN
from tests.helpers import snapshot

CDV = "CDV-FICTIF-2024-2030"
TODAY = dt.date.today()
PDF = b"%PDF-1.4\n% avis\n%%EOF\n"


@pytest.fixture
def demo(db):
    """The seed, the demo's territories and contrat de ville, its conseil citoyen and its
    rapport annuel 2024 — as ``cdv demo`` builds them."""
    make_demo(db)
    for name in ("referentiel-demo.toml", "contrat-de-ville-demo.toml"):
        load(db, ADMIN, read(resource_dir("examples") / name), origin=name)
    assert _demo_council(db)
    assert _demo_annual_report(db)
    assert not _demo_annual_report(db)  # once
    return db


def _report(db, as_of: dt.date, year: int = 2024) -> dict:
    return next(r for r in ar.reports(db, as_of, CDV) if r["year"] == year)


def _states(db, as_of: dt.date) -> dict[str, str]:
    return {r["body"]: ar.state_label(r)
            for r in ar.consultations(db, _report(db, as_of)["report_id"], as_of)}  # fmt: skip


def test_the_consultation_counts_silence_as_favourable_at_its_deadline(demo):
    early = _states(demo, dt.date(2025, 3, 25))
    assert early == {
        "Commune de Villefictive (fictive)": "favorable (avis reçu le 24 mars 2025)",
        "Commune d'Exempleville (fictive)": "en attente (jusqu'au 3 avril 2025)",
        "Conseil citoyen des quartiers fictifs": "en attente (jusqu'au 3 avril 2025)",
    }
    after = _states(demo, dt.date(2025, 4, 10))
    assert after["Commune d'Exempleville (fictive)"] == (
        "réputé favorable (sans réponse au 3 avril 2025)")  # fmt: skip
    assert after["Conseil citoyen des quartiers fictifs"] == (
        "favorable avec réserves (avis reçu le 28 mars 2025)")  # fmt: skip
    # the named reads the page and the documents use
    # (the files were attached today: known from today, not from the day of the opinion)
    [row] = demo.records("annual_reports", as_of=TODAY, programme_code=CDV)
    rows = demo.records("annual_report_consultations", report_id=row["report_id"], as_of=TODAY)
    assert [(r["state"], r["files"]) for r in rows] == [
        ("answered", ["avis-conseil-citoyen-fictif.pdf"]), ("deemed_favourable", []),
        ("answered", ["avis-villefictive-fictif.pdf"])]  # fmt: skip
    past = demo.records("annual_report_consultations", report_id=row["report_id"],
                        as_of=dt.date(2025, 4, 10))  # fmt: skip
    assert [r["files"] for r in past] == [[], [], []]
    report = _report(demo, dt.date(2025, 4, 10))
    assert (report["sent"], report["answered"], report["deemed_favourable"], report["pending"],
            report["approved_on"]) == (3, 2, 1, 0, None)  # fmt: skip
    done = _report(demo, TODAY)
    assert (done["approved_on"], done["published_on"]) == (dt.date(2025, 5, 15),
                                                           dt.date(2025, 6, 2))  # fmt: skip
    # the conseil citoyen's opinion is one of its own opinions, its file attached there
    council = demo.records("citizen_councils", as_of=TODAY)[0]
    opinions = demo.records("citizen_council_opinions", council_id=council["id"], as_of=TODAY)
    assert any(o["subject"].startswith("Avis sur le projet de rapport annuel 2024 : favorable "
                                       "avec réserves") for o in opinions)  # fmt: skip


def test_each_step_is_a_deadline_and_a_late_one_an_alert(demo):
    def steps(as_of):
        return sorted(((d["kind"], d["date"], d["met_on"])
                       for d in deadlines.deadlines(demo, CDV, as_of)
                       if d["kind"].startswith("annual_report")), key=str)  # fmt: skip

    # three opinions awaited until 3 April 2025 (the planned deliberation and publication
    # are known from the day they were recorded, not before)
    assert steps(dt.date(2025, 3, 20)) == [("annual_report_opinion", dt.date(2025, 4, 3), None)] * 3
    assert steps(TODAY) == [
        ("annual_report_approval", dt.date(2025, 5, 15), dt.date(2025, 5, 15)),
        ("annual_report_opinion", dt.date(2025, 4, 3), dt.date(2025, 3, 24)),
        ("annual_report_opinion", dt.date(2025, 4, 3), dt.date(2025, 3, 28)),
        ("annual_report_opinion", dt.date(2025, 4, 3), dt.date(2025, 4, 3)),  # silence
        ("annual_report_publication", dt.date(2025, 6, 2), dt.date(2025, 6, 2)),
    ]
    every = [d for d in deadlines.deadlines(demo, CDV, TODAY) if d["kind"].startswith("annual")]
    assert all("décret n° 2015-1118" in d["rule"] for d in every
               if d["kind"] == "annual_report_opinion")  # fmt: skip
    assert any(d["label"].endswith("réputé favorable (sans réponse à l'échéance)") for d in every)
    ics = calendar_export.deadlines_ics(every, dt.datetime(2025, 3, 20, 9)).decode()
    uids = [line for line in ics.splitlines() if line.startswith("UID:")]
    assert ics.count("BEGIN:VEVENT") == 5 and len(set(uids)) == 5
    # a year whose planned deliberation has passed without it: late, said in red
    programme = demo.scalar("select id from programme where code = $c", {"c": CDV})
    ar.create_report(demo, ADMIN, programme_id=programme, year=2025,
                     planned_approval_on=TODAY - dt.timedelta(days=3))  # fmt: skip
    alerts = overview.alerts(demo, TODAY, CDV)
    late = [a for a in alerts if a["text"].startswith("En retard")]
    assert [a["level"] for a in late] == ["error"]
    assert "Délibération approuvant le rapport annuel 2025" in late[0]["text"]


def _docx_text(data: bytes) -> tuple[list[str], str]:
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_demo_year_is_a_document_in_the_order_of_the_decree(demo, tmp_path):
    report = annual.build_annual(demo, CDV, 2024)
    headings, text = _docx_text(docx_bytes(report))
    level1 = [s.title for s in report.sections if s.level == 1]
    assert level1 == [
        "Rappel des principales orientations du contrat de ville",
        "Évolution de la situation dans les quartiers prioritaires",
        "Les actions de l'année 2024 et les moyens mobilisés",
        "L'évaluation : avancement et enseignements",
        "Perspectives",
        "Consultation et approbation",
        "Annexe — avis et documents joints",
    ]
    assert all(title in headings for title in level1)
    for said in ("Médiation sociale de proximité (fictif)", "Actions menées ou financées par l'EPCI",
                 "Crédits spécifiques de la politique de la ville", "État (programme 147 / ANCT)",
                 "réputé favorable (sans réponse au 3 avril 2025)",
                 "Approuvé par délibération du 15 mai 2025",
                 "avis-conseil-citoyen-fictif.pdf", "DONNÉES FICTIVES"):  # fmt: skip
        assert said in text, said
    assert "PROJET" not in text  # approved: no draft stamp
    pdf = PdfReader(io.BytesIO(pdf_bytes(report)))
    assert pdf.metadata.title == "Rapport annuel politique de la ville 2024 — " + (
        report.programme_title)  # fmt: skip
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert outline == level1
    every = "\n".join(page.extract_text() for page in pdf.pages)
    assert "réputé favorable" in every and "Crédits mobilisés en 2024" in every
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm absent : pages non regardées")
    (tmp_path / "r.pdf").write_bytes(pdf_bytes(report))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    import numpy as np
    from PIL import Image

    [png] = sorted(tmp_path.glob("page*.png"))
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert int((pixels.sum(axis=2) < 300).sum()) > 500  # text drawn on the first page


def test_a_draft_says_so_and_a_past_date_does_not_move(demo):
    before_sending = annual.build_annual(demo, CDV, 2024, dt.date(2025, 3, 1))
    _, text = _docx_text(docx_bytes(before_sending))
    assert "PROJET — non approuvé par l'assemblée délibérante" in text
    assert "Aucun envoi du projet n'est enregistré à cette date." in text
    at = dt.date(2025, 4, 10)
    first = _docx_text(docx_bytes(annual.build_annual(demo, CDV, 2024, at)))
    # recorded today: a new consultation of the 2024 report is refused (approved); a new
    # 2025 report and its sending change nothing of the 2024 report at that date
    programme = demo.scalar("select id from programme where code = $c", {"c": CDV})
    later = ar.create_report(demo, ADMIN, programme_id=programme, year=2025)
    ar.send_draft(demo, ADMIN, report_id=later, consulted="citizen_council", sent_on=TODAY,
                  council_id=demo.records("citizen_councils", as_of=TODAY)[0]["id"])  # fmt: skip
    again = _docx_text(docx_bytes(annual.build_annual(demo, CDV, 2024, at)))
    strip = [line for line in first[1].splitlines() if not line.startswith("Généré le")]
    assert strip == [line for line in again[1].splitlines() if not line.startswith("Généré le")]


def _flow(db) -> tuple[int, int]:
    programme = db.scalar("select id from programme where code = $c", {"c": CDV})
    report = ar.create_report(db, ADMIN, programme_id=programme, year=2025)
    commune = db.scalar("select id from organisation where code = 'COMMUNE-99001'")
    sent = ar.send_draft(db, ADMIN, report_id=report, consulted="municipal_council",
                         sent_on=TODAY - dt.timedelta(days=10), organisation_id=commune)  # fmt: skip
    return report, sent


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db, r, s: ar.create_report(db, ADMIN, programme_id=1, year=2024),
         "porte sur un contrat de ville"),
        (lambda db, r, s: ar.create_report(
            db, ADMIN, programme_id=db.scalar("select programme_id from annual_report"),
            year=2024), "existe déjà"),
        (lambda db, r, s: ar.send_draft(db, ADMIN, report_id=r, consulted="municipal_council",
                                        sent_on=TODAY, delay_months=0,
                                        organisation_id=db.scalar(
                                            "select id from organisation where code = "
                                            "'COMMUNE-99002'")),
         "ne peut pas être inférieur à un mois"),
        (lambda db, r, s: ar.send_draft(db, ADMIN, report_id=r, consulted="municipal_council",
                                        sent_on=TODAY, organisation_id=db.scalar(
                                            "select id from organisation where code = "
                                            "'ASSO-MEDIATION-FICTIVE'")),
         "n'est pas une collectivité"),
        (lambda db, r, s: ar.record_answer(db, ADMIN, s, expected_version=1, opinion="favourable",
                                           answered_on=TODAY - dt.timedelta(days=20)),
         "ne peut précéder l'envoi"),
        (lambda db, r, s: ar.record_answer(db, ADMIN, s, expected_version=1, opinion="ravi",
                                           answered_on=TODAY),
         "Valeur inconnue pour « Avis »"),
        (lambda db, r, s: ar.approve(db, ADMIN, r, expected_version=1, approved_on=TODAY,
                                     follow_up="Rien"),
         "a jusqu'au"),
        (lambda db, r, s: ar.publish(db, ADMIN, r, expected_version=1, published_on=TODAY),
         "une fois approuvé"),
        (lambda db, r, s: ar.record_answer(db, ADMIN, s, expected_version=1, opinion="favourable",
                                           answered_on=TODAY,
                                           upload=Upload("avis.exe", b"MZ\x90\x00")),
         "PDF, DOCX"),
    ],
)  # fmt: skip
def test_bad_steps_are_refused_in_french_and_write_nothing(demo, call, message):
    report, sent = _flow(demo)
    before = snapshot(demo)
    with pytest.raises(ValidationError, match=message):
        call(demo, report, sent)
    assert snapshot(demo) == before


def test_the_cli_writes_every_contract_report_and_its_annexes(demo, db_path, tmp_path, capsys):
    demo.close()
    out = tmp_path / "rapports"
    assert main(["rapport", "annuel", "--annee", "2024", "--out", str(out),
                 "--db", str(db_path)]) == 0  # fmt: skip
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    stem = f"rapport-annuel-2024-{CDV}-{TODAY.isoformat()}"
    assert written == sorted([
        f"{stem}.docx", f"{stem}.pdf",
        "avis - Commune de Villefictive (fictive) - avis-villefictive-fictif.pdf",
        "avis - Conseil citoyen des quartiers fictifs - avis-conseil-citoyen-fictif.pdf",
    ])  # fmt: skip
    assert (out / f"{stem}-annexes").is_dir()
    assert main(["rapport", "annuel", "--annee", "2024", "--programme", "MODERN-PV-2022",
                 "--out", str(out), "--db", str(db_path)]) == 1  # fmt: skip
    assert "n'est pas un contrat de ville" in capsys.readouterr().err
