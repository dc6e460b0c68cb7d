"""The « Déclaration d'accessibilité »: reachable without signing in (the footer link of
every page), in the RGAA's form, its figures those of the latest audit and of the
criteria as judged; the administrator writes the entity, the contact and the
multi-year plan (a bad contact is refused in French and changes nothing)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker import accessibility, fmt
from dashboard.tracker.db import Database
from tests.conftest import ADMIN
from tests.helpers import page_text, snapshot

STATEMENT = "app_pages/accessibility.py"


def test_anyone_reads_the_statement_without_signing_in(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60).run()
    # the footer of the login page links to it, with the state of compliance
    links = [h.proto.body for h in at.html if "Accessibilité" in h.proto.body]
    assert len(links) == 1
    assert f"<a href='accessibilite'>Accessibilité : {accessibility.compliance()}</a>" in links[0]
    at.switch_page(STATEMENT)
    at.run()
    assert not at.exception, at.exception
    shown = page_text(at)
    with Database(db_path) as db:
        found = accessibility.statement(db)
    assert [t.value for t in at.title] == ["Déclaration d'accessibilité"]
    assert f"cdv-tracker est **{found.compliance}** avec le référentiel" in shown
    assert (
        f"{fmt.percent(found.rate * 100, 1)} des critères** du RGAA version 4.1.2".replace(
            "\xa0", " "
        )
        in shown
    )
    assert f"{found.count('conforme')} critères conformes" in shown
    assert f"**{found.places} vues contrôlées**" in shown
    for criterion in found.criteria:
        if criterion.status == "non conforme":
            assert f"Critère {criterion.id} ({criterion.theme})" in shown
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in shown
    assert "contact non renseigné" in shown
    assert [h.value for h in at.header][:2] == ["État de conformité", "Résultats des tests"]


def test_the_administrator_writes_the_contact_and_the_plan(signed_in, db_path):
    at = signed_in(ADMIN, "app_pages/admin.py")
    with Database(db_path) as db:
        before = snapshot(db)
    contact = next(t for t in at.text_input if t.label.startswith("Contact"))
    contact.input("écrivez-nous")
    at = next(b for b in at.button if b.label == "Enregistrer la déclaration").click().run()
    assert any("adresse électronique" in e.value for e in at.error)
    with Database(db_path) as db:
        assert snapshot(db) == before
    contact = next(t for t in at.text_input if t.label.startswith("Contact"))
    contact.input("accessibilite@exemple.fr")
    plan = next(t for t in at.text_area if t.label.startswith("Schéma"))
    plan.input("2027 : **tableaux** accessibles.")
    at = next(b for b in at.button if b.label == "Enregistrer la déclaration").click().run()
    assert not at.error, [e.value for e in at.error]
    at.switch_page(STATEMENT)
    at.run()
    shown = page_text(at)
    assert "accessibilite@exemple.fr" in shown
    assert "2027 : **tableaux** accessibles." in shown  # stored text, never markup


def test_a_rule_failing_in_the_audit_makes_its_criteria_not_met():
    judged = {c.id: c for c in accessibility.criteria({"color-contrast"})}
    assert judged["3.2"].status == "non conforme" and judged["3.2"].failing == ("color-contrast",)
    assert {c.id: c.status for c in accessibility.criteria(set())}["3.2"] == "conforme"
    assert len(judged) == 106


def test_simple_tables_replace_the_grids_with_html_tables(signed_in, db_path):
    """The alternative to Streamlit's grid: the same rows, titled, with column headers,
    « non renseigné » for what is unknown, stored text escaped."""
    from tests.conftest import READER

    at = signed_in(READER, "app_pages/budget.py")
    grids = len(at.dataframe)
    assert grids > 0
    at = at.toggle(key="simple-tables").set_value(True).run()
    assert len(at.dataframe) == 0
    tables = [
        h.proto.body for h in at.html if "<table" in h.proto.body and "<caption" in h.proto.body
    ]
    assert len(tables) == grids
    assert all("<th scope='col'" in t for t in tables)
    assert any("non renseigné" in t for t in tables)
    # the choice holds on the next page of the session
    at.switch_page("app_pages/committees.py")
    at.run()
    assert len(at.dataframe) == 0 and any("<caption" in h.proto.body for h in at.html)
