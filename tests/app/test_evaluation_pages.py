"""AppTest: the Évaluation page (demo data, filtered by territory, « données
fictives » shown), the Saisie de l'évaluation forms (a value saved, a bad one refused
with nothing written) and the Territoires page (a territory added)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.ingest.load import load, make_demo, read
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from tests.conftest import ADMIN
from tests.helpers import charts_sent, page_text, plain, snapshot

DEMO = Path(__file__).parents[2] / "data" / "examples" / "referentiel-demo.toml"
LEAD = Actor("lea", "contributeur", "Léa")
READER = Actor("marc", "lecteur", "Marc")


@pytest.fixture
def demo(db_path):
    with Database(db_path) as db:
        make_demo(db)
        load(db, ADMIN, read(DEMO), origin=DEMO.name)
    return db_path


def submit(at, label: str):
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_the_evaluation_page_filtered_by_a_commune(demo, signed_in):
    at = signed_in(READER, "app_pages/evaluation.py", territoire="commune-99001",
                   onglet="Indicateurs", indicateur="EMP-1")  # fmt: skip
    assert not at.exception, at.exception
    shown = page_text(at)
    assert "Données fictives" in shown
    assert "Questions avec réponse" in shown and "1 sur 2" in shown  # Q2 answered
    assert "Demandeurs d'emploi accompagnés (fictif) — Villefictive" in shown
    [chart] = at.get("plotly_chart")
    assert "Quartier de la Gare" not in chart.proto.spec  # the other commune's QPV
    assert "Quartier des Tilleuls (fictif)" in chart.proto.spec
    table = at.dataframe[-1].value
    totals = table[table["Territoire"] == "Ensemble — Villefictive"]
    assert totals["Valeur"].tolist() == [205.0, 255.0, 320.0]  # Tilleuls + Canal per year
    assert "somme de 2 QPV" in totals["Source"].tolist()[0]


def test_every_tab_of_the_evaluation_page_renders(demo, signed_in):
    for tab in ("Questions", "Indicateurs", "Livrables"):
        at = signed_in(READER, "app_pages/evaluation.py", onglet=tab)
        assert not at.exception, (tab, at.exception)
        assert "Données fictives" in page_text(at)


def test_a_value_entered_in_the_form(demo, signed_in):
    from dashboard.ui import data

    at = signed_in(LEAD, "app_pages/evaluation_entry.py", programme="EVAL-CDV-2015-2020")
    assert not at.exception, at.exception
    period, value = at.text_input[0], at.text_input[1]
    period.input("2025")
    value.input("1 250")
    at = submit(at, "Enregistrer la valeur")
    assert not at.exception
    assert any("Valeur enregistrée." in plain(s.value) for s in at.success)
    stored = data.database().scalar(
        "select value from indicator_value where period_start = '2025-01-01'"
    )
    assert float(stored) == 1250.0


def test_a_bad_value_is_refused_in_french_and_writes_nothing(demo, signed_in):
    from dashboard.ui import data

    at = signed_in(LEAD, "app_pages/evaluation_entry.py", programme="EVAL-CDV-2015-2020")
    before = snapshot(data.database())
    at.text_input[0].input("S1 2025")  # a yearly indicator
    at.text_input[1].input("12,5,0")
    at = submit(at, "Enregistrer la valeur")
    assert any("n'est pas une période" in plain(e.value) for e in at.error)
    assert any("Rien n'a été enregistré" in plain(e.value) for e in at.error)
    assert snapshot(data.database()) == before


def test_every_tab_of_the_entry_page_renders(demo, signed_in):
    for tab in ("Valeurs", "Saisie en tableau", "Corriger une valeur", "Référentiel", "Livrables"):
        at = signed_in(LEAD, "app_pages/evaluation_entry.py", onglet=tab)
        assert not at.exception, (tab, at.exception)


def test_a_lecteur_cannot_open_the_entry_page(demo, signed_in):
    at = signed_in(READER, "app_pages/evaluation_entry.py")
    assert "réservée au rôle contributeur ou supérieur" in page_text(at)
    assert not [f for f in at.get("form")]


def test_the_administrator_adds_a_territory(signed_in):
    from dashboard.ui import data

    at = signed_in(ADMIN, "app_pages/territories.py", onglet="Ajouter")
    assert not at.exception, at.exception
    at.selectbox[0].set_value("commune")
    at.text_input[0].input("13055")
    at.text_input[1].input("Marseille")
    at = submit(at, "Ajouter le territoire")
    assert any("Territoire « Marseille » ajouté." in plain(s.value) for s in at.success)
    assert data.database().scalar("select name from territory where code = '13055'") == "Marseille"


def test_a_recommendation_proposed_then_retained_in_the_page(demo, signed_in):
    """The « Recommandations » tab: a recommendation proposed from a question, then
    retained by a committee decision; refused without its owner, nothing written."""
    import datetime as dt

    from dashboard.tracker import committees
    from dashboard.ui import data

    with Database(demo) as db:
        committees.record_meeting(db, ADMIN, committee_id=1, held_on=dt.date.today(), decisions=[
            committees.DecisionInput("other", "Recommandation retenue (fictif)", [])])  # fmt: skip
    at = signed_in(LEAD, "app_pages/evaluation_entry.py", programme="EVAL-CDV-2015-2020",
                   onglet="Recommandations")  # fmt: skip
    assert not at.exception, at.exception
    [criterion] = [s for s in at.selectbox if s.label.startswith("Critère jugé dont elle découle")]
    assert "Q2 C1 — partiellement atteint (en vigueur)" in criterion.options
    text = [t for t in at.text_area if t.label == "Recommandation"][0]  # the new one's form
    text.input("Associer les conseils citoyens (fictif)")
    due = [t for t in at.text_input if t.label == "Échéance (JJ/MM/AAAA)"][0]
    due.input("30/06/2030")
    before = snapshot(data.database())
    at = submit(at, "Proposer la recommandation")
    assert "un responsable" in " ".join(plain(e.value) for e in at.error)
    assert snapshot(data.database()) == before
    [owner] = [s for s in at.selectbox if s.label == "Organisation responsable"]
    owner.set_value(1)
    at = submit(at, "Proposer la recommandation")
    assert not at.exception, at.exception
    assert "Recommandation enregistrée." in " ".join(plain(s.value) for s in at.success)
    [pick] = [s for s in at.selectbox if s.label == "Recommandation"]
    at = pick.set_value(data.database().scalar("select max(id) from recommendation")).run()
    [status] = [r for r in at.radio if r.label == "Nouvel état"]
    status.set_value("adopted")
    [decision] = [s for s in at.selectbox if s.label.startswith("Décision de comité")]
    decision.set_value(data.database().scalar("select max(id) from decision"))
    at = submit(at, "Enregistrer l'état")
    assert not at.exception, at.exception
    assert data.database().scalar(
        "select arg_max(status, id) from recommendation_event where recommendation_id ="
        " (select max(id) from recommendation)") == "adopted"  # fmt: skip


def test_an_answer_drafted_judged_and_validated_in_the_page(demo, signed_in):
    """The « Réponses argumentées » tab: a draft answer, a criterion judged « non
    évaluable » (refused first without its reason, nothing written), the other on a
    document, then validated by a committee decision; the Évaluation page shows it."""
    import datetime as dt

    from dashboard.tracker import committees, judgements
    from dashboard.ui import data

    with Database(demo) as db:
        committees.record_meeting(db, ADMIN, committee_id=1, held_on=dt.date.today(), decisions=[
            committees.DecisionInput("other", "Réponse validée (fictif)", [])])  # fmt: skip
        draft = db.scalar("select id from judgement where validated_on is null")
        judgements.cancel_judgement(db, ADMIN, draft, expected_version=1,
                                    reason="La démonstration en avait un")  # fmt: skip
    at = signed_in(LEAD, "app_pages/evaluation_entry.py", programme="EVAL-CDV-2015-2020",
                   onglet="Réponses argumentées")  # fmt: skip
    assert not at.exception, at.exception
    [answer] = [t for t in at.text_area if t.label == "Réponse à la question"]
    answer.input("Oui, en partie (fictif)")
    at = submit(at, "Enregistrer le projet")
    assert "Projet de réponse enregistré." in " ".join(plain(s.value) for s in at.success)
    criteria = [b.label for b in at.button if b.label == "Enregistrer le jugement"]
    assert len(criteria) == 2  # question 1 of the demo has two criteria
    verdicts = [r for r in at.radio if r.label == "Jugement"]
    verdicts[0].set_value("not_assessable")
    before = snapshot(data.database())
    at = [b for b in at.button if b.label == "Enregistrer le jugement"][0].click().run()
    assert "pas évaluable" in " ".join(plain(e.value) for e in at.error)
    assert snapshot(data.database()) == before
    for index, (verdict, reasoning) in enumerate(
        (("not_assessable", "Aucune donnée d'emploi par quartier (fictif)"),
         ("met", "Les actions répondent aux besoins relevés (fictif)"))
    ):  # fmt: skip
        [r for r in at.radio if r.label == "Jugement"][index].set_value(verdict)
        [t for t in at.text_area if t.label.startswith("Argumentaire")][index].input(reasoning)
        if verdict == "met":
            [s for s in at.selectbox if s.label == "Solidité de la preuve"][index].set_value("weak")
            [t for t in at.text_input if t.label == "Raison de la solidité"][index].input(
                "Une source"
            )
            [t for t in at.text_input if t.label == "Document cité (titre)"][index].input(
                "Diagnostic (fictif)"
            )
            [t for t in at.text_input if t.label == "Page ou article du document"][index].input(
                "12"
            )
            [t for t in at.text_input if t.label.startswith("Extrait du document")][index].input(
                "besoins relevés dans les deux quartiers"
            )
        at = [b for b in at.button if b.label == "Enregistrer le jugement"][index].click().run()
        assert not at.exception, at.exception
        assert "Jugement enregistré." in " ".join(plain(s.value) for s in at.success), [
            plain(e.value) for e in at.error
        ]
    [decision] = [s for s in at.selectbox if s.label == "Décision qui valide la réponse"]
    decision.set_value(data.database().scalar("select max(id) from decision"))
    at = submit(at, "Enregistrer la validation")
    assert not at.exception, at.exception
    assert "Réponse validée" in " ".join(plain(s.value) for s in at.success)
    view = signed_in(READER, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020")
    assert not view.exception, view.exception
    text = page_text(view)
    assert "Réponse argumentée en vigueur — version 1, validée le" in text
    assert "Diagnostic (fictif), p. 12" in text and "non évaluable" in text


def test_the_report_tab_offers_the_draft_and_validates_it_by_a_decision(demo, signed_in):
    """The « Rapport » tab: the report of the page's date as DOCX and PDF for everyone;
    a contributor records the decision that validates it, then the validated files are
    offered."""
    import datetime as dt

    from dashboard.tracker import committees
    from dashboard.ui import data

    view = signed_in(READER, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020",
                     onglet="Rapport")  # fmt: skip
    assert not view.exception, view.exception
    labels = [b.proto.label for b in view.get("download_button")]
    assert labels == ["Rapport (.docx, projet)", "Rapport (.pdf, projet)"]
    assert not [b for b in view.button if b.label == "Enregistrer la validation"]  # a reader
    with Database(demo) as db:
        committees.record_meeting(db, ADMIN, committee_id=1, held_on=dt.date.today(), decisions=[
            committees.DecisionInput("other", "Rapport validé (fictif)", [])])  # fmt: skip
    at = signed_in(LEAD, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020",
                   onglet="Rapport")  # fmt: skip
    [decision] = [s for s in at.selectbox if s.label == "Décision de comité qui valide le rapport"]
    decision.set_value(data.database().scalar("select max(id) from decision"))
    at = submit(at, "Enregistrer la validation")
    assert not at.exception, at.exception
    assert "Rapport validé et conservé." in " ".join(plain(s.value) for s in at.success)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Rapport validé (.docx)" in labels and "Rapport validé (.pdf)" in labels


def test_the_indicator_map_draws_the_uploaded_contours_or_says_how_to_add_them(demo, signed_in):
    from dashboard.tracker import contours
    from dashboard.tracker.files import Upload

    at = signed_in(READER, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020",
                   onglet="Indicateurs", indicateur="EMP-1")  # fmt: skip
    assert not at.exception, at.exception
    assert "Aucun contour de territoire n'est chargé" in " ".join(plain(i.value) for i in at.info)
    geojson = Path(__file__).parents[2] / "data" / "examples" / "contours-demo.geojson"
    with Database(demo) as db:
        contours.upload_contours(db, ADMIN, kind="qpv", generation=2024,
                                 source_document="Contours fictifs", vintage="fictif",
                                 upload=Upload(geojson.name, geojson.read_bytes()))  # fmt: skip
    at = signed_in(READER, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020",
                   onglet="Indicateurs", indicateur="EMP-1")  # fmt: skip
    assert not at.exception, at.exception
    text = page_text(at)
    assert (
        "Carte, Demandeurs d'emploi accompagnés (fictif) — QPV 2024, 2024 : 3 territoire(s)" in text
    )
    assert "Contours : Contours fictifs, fictif." in text
    assert len(charts_sent(at)) == 2  # the series and the map


def test_the_territories_page_lists_the_contour_sets(signed_in, db_path):
    from dashboard.ingest.load import make_demo
    from dashboard.tracker import contours
    from dashboard.tracker.files import Upload

    geojson = Path(__file__).parents[2] / "data" / "examples" / "contours-demo.geojson"
    with Database(db_path) as db:
        make_demo(db)
        load(db, ADMIN, read(DEMO), origin=DEMO.name)
        contours.upload_contours(db, ADMIN, kind="qpv", generation=2024,
                                 source_document="Contours fictifs", vintage="fictif",
                                 upload=Upload(geojson.name, geojson.read_bytes()))  # fmt: skip
    admin = Actor("root-admin", "administrateur", "Administratrice")
    at = signed_in(admin, "app_pages/territories.py", onglet="Contours")
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert shown.iloc[0]["Territoires"] == "QPV 2024" and shown.iloc[0]["Contours"] == 3
    assert [b.label for b in at.button if b.label == "Charger les contours"]


def test_a_file_name_is_never_read_as_markdown_in_its_download_label(demo, signed_in):
    from dashboard.tracker import files

    with Database(demo) as db:
        deliverable = db.scalar("select min(id) from deliverable")
        files.attach_file(db, ADMIN, entity="deliverable", entity_id=deliverable,
                          upload=files.Upload("**gras** :red[rouge] ![i](image).pdf",
                                              b"%PDF-1.4\n% essai\n"))  # fmt: skip
    at = signed_in(READER, "app_pages/evaluation.py", programme="EVAL-CDV-2015-2020",
                   onglet="Livrables")  # fmt: skip
    assert not at.exception, at.exception
    [label] = [b.proto.label for b in at.get("download_button") if "gras" in b.proto.label]
    assert label.startswith(r"Télécharger \*\*gras\*\* \:red\[rouge\] \!\[i\]\(image\)")
