"""The living record in AppTest: an administrateur creates a programme, records an
avenant that extends a convention, corrects an act (a reason is required for what an
act says), creates budget lines (French amounts, ambiguous ones refused), an
organisation and a committee; a contributeur creates, corrects and archives work items,
corrects a meeting, corrects and cancels a payment. Bad input gets a French message and
writes nothing; a save made meanwhile by someone else is refused naming who."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.tracker import budget
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from tests.helpers import plain, snapshot

ADMIN = Actor("root-admin", "administrateur", "Administratrice")
LEAD = Actor("lea", "contributeur", "Léa")
EVERY = dt.date(2100, 1, 1)


def widget(widgets, label: str, index: int = 0):
    found = [w for w in widgets if w.label == label]
    assert len(found) > index, f"pas de « {label} » ({len(found)} trouvés)"
    return found[index]


def successes(at) -> str:
    return "\n".join(plain(s.value) for s in at.success)


def errors(at) -> str:
    return "\n".join(plain(e.value) for e in at.error)


def open_tab(at, label: str):
    """Open a tab of a page whose tabs are kept in the URL (only the open one is built)."""
    at.session_state["onglet"] = label
    return at.run()


@pytest.fixture
def records(signed_in):
    """``records(tab)``: Saisie des actes as an administrateur, on that tab."""
    return lambda tab: open_tab(signed_in(ADMIN, "app_pages/records.py"), tab)


def test_create_a_programme_then_refuse_its_code_twice(records, db_path):
    at = records("Programmes")
    assert not at.exception
    widget(at.text_input, "Code (majuscules, chiffres, tirets)").input("EVAL-CDV-2024-2030")
    widget(at.text_input, "Intitulé").input("Évaluation du contrat de ville 2024-2030")
    at = widget(at.button, "Créer le programme").click().run()
    assert "Programme « EVAL-CDV-2024-2030 » créé." in successes(at)
    with Database(db_path) as db:
        before = snapshot(db)
    widget(at.text_input, "Code (majuscules, chiffres, tirets)").input("EVAL-CDV-2024-2030")
    widget(at.text_input, "Intitulé").input("Doublon")
    at = widget(at.button, "Créer le programme").click().run()
    assert "déjà utilisé" in errors(at) and "Rien n'a été enregistré" in errors(at)
    with Database(db_path) as db:
        assert snapshot(db) == before


def test_record_an_avenant_that_extends_the_2022_convention(records, db_path):
    at = records("Actes et avenants")
    at.selectbox(key="new-act-kind").set_value("amendment").run()
    form = "new-act-amendment-0"
    acts = at.selectbox(key=f"{form}-amends")
    acts.select_index(next(i for i, o in enumerate(acts.options)
                           if "MODERN-PV-2022 · Convention de partenariat" in o))  # fmt: skip
    widget(at.number_input, "Numéro de l'avenant").set_value(1)
    at.text_input(key=f"{form}-ext").input("31/12/2023")
    widget(at.text_input, "Intitulé (tel qu'il figure sur l'acte)").input(
        "Avenant n° 1 (fictif) à la convention de 2022"
    )
    at.text_input(key=f"{form}-sig").input("12/12/2022")
    at.selectbox(key=f"{form}-rule").set_value("at_signature")
    at = widget(at.button, "Enregistrer l'acte").click().run()
    assert not at.exception, at.exception
    assert "enregistré" in successes(at), errors(at)
    with Database(db_path) as db:
        terms = {
            day: next(
                a["term_on"]
                for a in db.records("acts", as_of=day, programme_code="MODERN-PV-2022")
                if a["kind"] == "agreement"
            )
            for day in (dt.date(2022, 9, 30), dt.date(2022, 12, 31))
        }
    assert terms == {dt.date(2022, 9, 30): dt.date(2022, 12, 31),
                     dt.date(2022, 12, 31): dt.date(2023, 12, 31)}  # fmt: skip


def test_correcting_what_an_act_says_needs_a_reason(records, db_path):
    at = records("Actes et avenants")
    with Database(db_path) as db:
        before = snapshot(db)
    acts = at.selectbox(key="correct-act-pick")
    assert acts.value is not None
    form = f"act-{acts.value}-0"
    at.text_input(key=f"{form}-delib-number").input("DEL-2019-042")
    at = widget(at.button, "Enregistrer la correction").click().run()
    assert "indiquez le motif de la correction" in errors(at)
    with Database(db_path) as db:
        assert snapshot(db) == before
    at.text_input(key=f"{form}-delib-number").input("DEL-2019-042")
    at.text_input(key=f"{form}-reason").input("Numéro lu sur la délibération publiée")
    at = widget(at.button, "Enregistrer la correction").click().run()
    assert "Acte corrigé." in successes(at), errors(at)
    with Database(db_path) as db:
        [entry] = db.records("corrections", entity="legal_act")
    assert entry["reason"] == "Numéro lu sur la délibération publiée"


def test_budget_lines_french_amounts_and_ambiguity(records, db_path):
    at = records("Budget")
    form = "new-line-1-0"
    widget(at.number_input, "Exercice").set_value(2019)
    widget(at.text_input, "Montant (ex. 50 000 ; vide pour un apport en nature)").input("1.000")
    at.selectbox(key=f"{form}-basis").set_value("HT")
    at = widget(at.button, "Créer la ligne").click().run()
    assert "ambigu" in errors(at) and "« 1 000,50 »" in errors(at)
    widget(at.number_input, "Exercice").set_value(2019)
    widget(at.text_input, "Montant (ex. 50 000 ; vide pour un apport en nature)").input("25 000,50")
    at.selectbox(key=f"{form}-basis").set_value("HT")
    at = widget(at.button, "Créer la ligne").click().run()
    assert "Ligne budgétaire créée." in successes(at), errors(at)
    with Database(db_path) as db:
        years = {
            (r["fiscal_year"], r["amount"])
            for r in db.records("budget_line_records", programme_code="EVAL-CDV-2015-2020")
        }
    assert (2019, Decimal("25000.50")) in years


def test_in_kind_support_has_no_amount(records, db_path):
    at = records("Budget")
    form = "new-line-1-0"
    widget(at.number_input, "Exercice").set_value(2020)
    at.selectbox(key=f"{form}-kind").set_value("in_kind")
    widget(at.text_input, "Montant (ex. 50 000 ; vide pour un apport en nature)").input("")
    at = widget(at.button, "Créer la ligne").click().run()
    # the base is never guessed: left empty, it is asked for
    assert "« Base (HT / TTC) » est à choisir parmi « HT », « TTC », « non précisé »" in errors(at)
    widget(at.number_input, "Exercice").set_value(2020)
    at.selectbox(key=f"{form}-kind").set_value("in_kind")
    at.selectbox(key=f"{form}-basis").set_value("unspecified")
    widget(at.text_input, "Montant (ex. 50 000 ; vide pour un apport en nature)").input("5 000")
    at = widget(at.button, "Créer la ligne").click().run()
    assert "apport en nature n'a pas de montant" in errors(at)
    widget(at.number_input, "Exercice").set_value(2020)
    at.selectbox(key=f"{form}-kind").set_value("in_kind")
    at.selectbox(key=f"{form}-basis").set_value("unspecified")
    widget(at.text_input, "Montant (ex. 50 000 ; vide pour un apport en nature)").input("")
    widget(at.text_area, "Description (pour un apport en nature : locaux, personnel…)").input(
        "Mise à disposition d'une salle"
    )
    at = widget(at.button, "Créer la ligne").click().run()
    assert "Ligne budgétaire créée." in successes(at), errors(at)


def test_a_budget_line_saved_meanwhile_is_not_overwritten(records, db_path):
    at = records("Budget")
    picked = at.selectbox(key="line-pick").value
    with Database(db_path) as db:
        line = next(
            r for r in db.records("budget_line_records", programme_code=None)
            if r["budget_line_id"] == picked
        )  # fmt: skip
        budget.update_budget_line(
            db, Actor("autre", "administrateur", "Bruno Autre"), picked,
            expected_version=line["version"], label="Corrigé par Bruno",
        )  # fmt: skip
    widget(at.text_input, "Libellé", 1).input("Ma correction")
    at = widget(at.button, "Enregistrer la ligne").click().run()
    assert "Bruno Autre" in errors(at)
    # the form now shows Bruno's value; re-applied on it, the change goes through
    widget(at.text_input, "Libellé", 1).input("Ma correction")
    at = widget(at.button, "Enregistrer la ligne").click().run()
    assert "Ligne budgétaire enregistrée." in successes(at), errors(at)


def test_an_organisation_with_a_bad_siret_is_refused(records, db_path):
    at = records("Organisations et personnes")
    with Database(db_path) as db:
        before = snapshot(db)
    widget(at.text_input, "Code (majuscules, chiffres, tirets)").input("ASSO-QUARTIERS")
    widget(at.text_input, "Nom").input("Association des quartiers")
    widget(at.text_input, "SIRET (14 chiffres, pour une association)").input("123 456")
    at = widget(at.button, "Créer l'organisation").click().run()
    assert "14 chiffres" in errors(at)
    with Database(db_path) as db:
        assert snapshot(db) == before


@pytest.fixture
def work_page(signed_in):
    return signed_in(LEAD, "app_pages/work.py", programme="EVAL-CDV-2015-2020")


def test_a_contributeur_creates_an_action_under_a_phase_then_archives_it(work_page, db_path):
    at = work_page
    assert not at.exception, at.exception
    at = at.radio(key="work-under").set_value("phase").run()
    widget(at.text_input, "Intitulé").input("Atelier de restitution (fictif)")
    # it existed before it was recorded: the date and its reason (kept in the audit)
    widget(at.text_input, "Existe depuis le (JJ/MM/AAAA)").input("08/01/2024")
    widget(at.text_input, "Motif de cette date").input("Prévu au comité de janvier 2024")
    # the weight is written the French way (a number field would show « 1.00 »)
    weight = widget(at.text_input, "Poids (pour la progression pondérée, de 0,01 à 1 000)")
    assert weight.value == "1"
    weight.input("1,5")
    at = widget(at.button, "Créer l'action").click().run()
    assert "Action « Atelier de restitution (fictif) » créée." in successes(at), errors(at)
    with Database(db_path) as db:
        items = db.records("work_items", as_of=dt.date.today(), programme_code="EVAL-CDV-2015-2020")
    action = next(i for i in items if i["title"] == "Atelier de restitution (fictif)")
    assert action["phase_id"] is not None and action["orientation_id"] is None
    assert float(action["weight"]) == 1.5
    # archived from today: out of today's views, still in its history and earlier views
    at = open_tab(at, "Corriger ou archiver")
    picker = at.selectbox(key="work-item")
    picker.select_index(next(i for i, o in enumerate(picker.options) if "Atelier" in o))
    at = picker.run()
    widget(at.text_input, "Motif").input("Atelier annulé")
    at = widget(at.button, "Archiver").click().run()
    assert "Élément archivé." in successes(at), errors(at)
    with Database(db_path) as db:
        today = db.records("work_items", as_of=dt.date.today(), programme_code="EVAL-CDV-2015-2020")
        before = db.records("work_items", as_of=dt.date.today() - dt.timedelta(days=1),
                            programme_code="EVAL-CDV-2015-2020")  # fmt: skip
        history = db.records("item_timeline", item_kind="action", item_id=action["item_id"])
    assert "Atelier de restitution (fictif)" not in [i["title"] for i in today]
    assert "Atelier de restitution (fictif)" in [i["title"] for i in before]
    assert [h["entry_kind"] for h in history] == ["create", "archive"]


def test_an_action_with_an_end_before_its_start_is_refused(work_page, db_path):
    at = work_page
    form = "new-action-EVAL-CDV-2015-2020-0"
    with Database(db_path) as db:
        before = snapshot(db)
    widget(at.text_input, "Intitulé").input("Action mal datée")
    at.text_input(key=f"{form}-start").input("01/05/2024")
    at.text_input(key=f"{form}-end").input("01/04/2024")
    at = widget(at.button, "Créer l'action").click().run()
    assert "précède" in errors(at)
    with Database(db_path) as db:
        assert snapshot(db) == before


def test_an_impossible_date_is_refused_never_replaced(work_page, db_path):
    """30/02/2023 does not become 28/02/2023: it is refused, with the field's own label,
    and nothing is saved."""
    at = work_page
    form = "new-action-EVAL-CDV-2015-2020-0"
    with Database(db_path) as db:
        before = snapshot(db)
    widget(at.text_input, "Intitulé").input("Action au 30 février")
    at.text_input(key=f"{form}-start").input("30/02/2023")
    at = widget(at.button, "Créer l'action").click().run()
    assert not at.exception
    shown = errors(at)
    assert "« Début prévu » n'est pas une date valide (reçu : « 30/02/2023 »" in shown
    assert "28/02/2023" not in shown and "28 février" not in shown
    assert at.text_input(key=f"{form}-start").value == "30/02/2023"  # kept as typed
    with Database(db_path) as db:
        assert snapshot(db) == before


def test_payment_corrected_then_cancelled(signed_in, db_path):
    with Database(db_path) as db:
        budget.record_payment(db, LEAD, budget_line_id=2, stage="commitment",
                              occurred_on=dt.date(2022, 7, 1), amount="30 000")  # fmt: skip
    at = signed_in(LEAD, "app_pages/payments.py", programme="MODERN-PV-2022")
    assert not at.exception, at.exception
    widget(at.button, "Corriger le paiement")
    widget(at.text_input, "Montant").input("35 000")
    at = widget(at.button, "Corriger le paiement").click().run()
    assert "obligatoire" in errors(at)  # the reason
    widget(at.text_input, "Montant").input("35 000")
    widget(at.text_input, "Motif (obligatoire)").input("Montant mal recopié")
    at = widget(at.button, "Corriger le paiement").click().run()
    assert "Paiement corrigé." in successes(at), errors(at)
    widget(at.text_input, "Motif (obligatoire)").input("Saisi sur la mauvaise ligne")
    at = widget(at.button, "Annuler le paiement").click().run()
    assert "Paiement annulé" in successes(at), errors(at)
    with Database(db_path) as db:
        assert db.records("payments", programme_code=None, since=None, until=None,
                          limit=None) == []  # fmt: skip
        operations = [e["operation"] for e in db.records("audit_trail", entity="payment", limit=5)]
    assert operations == ["cancel", "update", "create"]


def test_a_meeting_corrected_with_a_reason(signed_in, db_path):
    at = signed_in(LEAD, "app_pages/meetings.py", programme="EVAL-CDV-2015-2020")
    assert not at.exception, at.exception
    widget(at.text_input, "Lieu", 1).input("Marseille, siège de la Métropole")
    widget(at.text_input, "Motif (obligatoire)").input("Lieu retrouvé dans le compte rendu")
    at = widget(at.button, "Corriger la séance").click().run()
    assert "Séance corrigée." in successes(at), errors(at)
    with Database(db_path) as db:
        [meeting] = db.records("meetings", programme_code=None, since=None, until=None)
    assert meeting["place"] == "Marseille, siège de la Métropole"


def test_a_party_recorded_without_its_representative_is_corrected_from_the_page(records, db_path):
    """The 2017 convention's parties are recorded without representatives (avenant n° 2
    does not give them): an administrator names them on the « Parties » tab."""
    at = records("Parties")
    picker = at.selectbox(key="party-act-pick")
    picker.select_index(next(i for i, o in enumerate(picker.options) if "DEVT 013" in o
                             and "Avenant" not in o))  # fmt: skip
    at = picker.run()
    organisation = at.selectbox(key="party-org")
    organisation.select_index(
        next(i for i, o in enumerate(organisation.options) if "Aix-Marseille" in o)
    )
    at = organisation.run()
    assert "Corriger la partie « Métropole Aix\\-Marseille\\-Provence »" in " ".join(
        m.value for m in at.markdown
    )  # Markdown, escaped
    [represented] = [s for s in at.selectbox if s.label == "Représentée par"]
    represented.select_index(next(i for i, o in enumerate(represented.options) if "Vassal" in o))
    widget(at.text_input, "Motif (obligatoire pour corriger un fait tiré d'un acte)").input(
        "Nommée dans la délibération de 2017"
    )
    at = widget(at.button, "Corriger cette partie").click().run()
    assert "Partie corrigée." in successes(at), errors(at)
    with Database(db_path) as db:
        [act] = [a for a in db.records("acts", as_of=dt.date(2018, 1, 1),
                                       programme_code="EVAL-CDV-2015-2020")]  # fmt: skip
        [entry] = db.records("audit_trail", entity="act_party", limit=1)
    assert "Martine Vassal" in act["representatives"]
    assert entry["reason"] == "Nommée dans la délibération de 2017"


def test_an_over_long_title_is_refused_with_its_limit_and_its_own_label(work_page, db_path):
    """Pasted whole (the field does not cut or empty it), then refused by the service with
    the limit and the label the form shows; nothing written."""
    at = work_page
    with Database(db_path) as db:
        before = snapshot(db)
    widget(at.text_input, "Intitulé").input("Atelier " + "x" * 600)
    at = widget(at.button, "Créer l'action").click().run()
    assert "Le champ « Intitulé » dépasse 500 caractères (reçu : 608)." in errors(at)
    with Database(db_path) as db:
        assert snapshot(db) == before
