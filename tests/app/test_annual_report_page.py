"""Rapport annuel page: on the demo's contrat de ville, the 2024 report's consultation
(two opinions received, one silence deemed favourable) and its approval are shown; a
contributeur opens the 2025 report and sends its draft to a municipal council; a reply
dated before the sending writes nothing; without a contrat de ville the page says so."""

from __future__ import annotations

import datetime as dt

from dashboard.cli import _demo_annual_report, _demo_council
from dashboard.ingest.load import load, make_demo, read
from dashboard.resources import resource_dir
from dashboard.tracker.access import Actor
from tests.conftest import ADMIN
from tests.helpers import page_text, plain, snapshot

LEAD = Actor("lea", "contributeur", "Léa")
PAGE = "app_pages/annual_report.py"


def _demo(db) -> None:
    make_demo(db)
    for name in ("referentiel-demo.toml", "contrat-de-ville-demo.toml"):
        load(db, ADMIN, read(resource_dir("examples") / name), origin=name)
    _demo_council(db)
    _demo_annual_report(db)


def _pick(at, suffix: str):
    return at.selectbox(key=next(s.key for s in at.selectbox if str(s.key).endswith(suffix)))


def test_the_demo_year_shows_its_consultation_and_approval(signed_in):
    from dashboard.ui import data

    _demo(data.database())
    at = signed_in(LEAD, PAGE, annee="2024")  # the year from the URL
    assert not at.exception, at.exception
    assert at.number_input(key="annee").value == 2024
    shown = page_text(at)
    assert "réputé favorable (sans réponse au 3 avril 2025)" in shown
    assert "favorable avec réserves (avis reçu le 28 mars 2025)" in shown
    assert "Approuvé par délibération du 15 mai 2025" in shown
    assert [m.value for m in at.metric] == ["3", "2", "1", "0"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Rapport annuel (.docx, modifiable)", "Rapport annuel (.pdf)",
                      "Avis annexés (.zip)"]  # fmt: skip


def test_a_contributor_opens_a_year_and_sends_its_draft(signed_in):
    from dashboard.ui import data

    _demo(data.database())
    at = signed_in(LEAD, PAGE)
    year = dt.date.today().year - 1
    at = next(b for b in at.button if b.label == f"Ouvrir le rapport annuel {year}").click().run()
    assert not at.exception, at.exception
    assert any("Rapport annuel enregistré" in plain(s.value) for s in at.success)
    at = signed_in(LEAD, PAGE, onglet="Envoi pour avis")
    _pick(at, "annual-send-kind").set_value("municipal_council").run()
    commune = data.database().scalar("select id from organisation where code = 'COMMUNE-99001'")
    _pick(at, "-org").set_value(commune)
    next(w for w in at.text_input if w.label.startswith("Projet envoyé le")).input(
        dt.date.today().strftime("%d/%m/%Y"))  # fmt: skip
    at = next(b for b in at.button if b.label == "Enregistrer l'envoi").click().run()
    assert not at.exception, at.exception
    assert "en attente (jusqu'au" in page_text(at)
    # an opinion dated before the sending: refused, nothing written
    at = signed_in(LEAD, PAGE, onglet="Avis reçu")
    before = snapshot(data.database())
    _pick(at, "-which").set_value(
        data.database().scalar("select max(id) from annual_report_consultation"))  # fmt: skip
    _pick(at, "-opinion").set_value("favourable")
    next(w for w in at.text_input if w.label.startswith("Reçu le")).input("01/01/2020")
    at = next(b for b in at.button if b.label == "Enregistrer l'avis").click().run()
    assert not at.exception
    assert at.error and snapshot(data.database()) == before


def test_without_a_contrat_de_ville_the_page_says_so(signed_in):
    at = signed_in(LEAD, PAGE)
    assert not at.exception, at.exception
    assert "Aucun contrat de ville enregistré" in page_text(at)
