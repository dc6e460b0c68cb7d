"""Réunions and Paiements pages: a contributeur records a meeting whose decision
validates an item, and a payment typed the French way; bad input gets a French
message and writes nothing."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.tracker.access import Actor
from tests.helpers import plain, snapshot, start_phases

LEAD = Actor("lea", "contributeur", "Léa")

AMOUNT = "Montant en euros (ex. 1 000,50)"


def field(at, label: str):
    """The first text field of that label, the new record's form coming first (dates
    are typed fields too: never found by position)."""
    return next(w for w in at.text_input if w.label == label)


@pytest.fixture
def page(signed_in):
    def open_page(path: str, **params) -> AppTest:
        return signed_in(LEAD, path, **params)

    return open_page


def submit(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_a_meeting_whose_decision_validates_phase_1(page):
    from dashboard.tracker import status
    from dashboard.ui import data

    at = page("app_pages/meetings.py", programme="EVAL-CDV-2015-2020")
    assert not at.exception
    field(at, "Lieu").input("Hôtel de la Métropole")
    at.selectbox(key="d-kind-0").set_value("validates")
    at.text_area(key="d-text-0").input("La phase 1 est validée.")
    at.multiselect(key="d-items-0").set_value(["phase-1"])
    at = submit(at, "Enregistrer la séance")
    assert not at.exception
    assert any("1 élément(s) passé(s) à « validé »" in plain(s.value) for s in at.success)
    latest = status.current_status(data.database(), "phase", 1)
    assert (latest["to_status"], latest["actor"]) == ("validated", "Léa")
    assert at.text_area(key="d-text-0").value == "" and field(at, "Lieu").value == ""


def test_a_refused_meeting_writes_nothing(page):
    from dashboard.ui import data

    start_phases(data.database(), 2)
    at = page("app_pages/meetings.py", programme="EVAL-CDV-2015-2020")
    before = snapshot(data.database())
    at.selectbox(key="d-kind-0").set_value("validates")
    at.text_area(key="d-text-0").input("Validation de la phase 2")
    at.multiselect(key="d-items-0").set_value(["phase-2"])  # in progress: cannot be validated
    at = submit(at, "Enregistrer la séance")
    assert any(
        "non autorisé" in e.value and "Rien n'a été enregistré" in plain(e.value) for e in at.error
    )
    assert snapshot(data.database()) == before


def test_a_payment_typed_the_french_way(page):
    from decimal import Decimal

    from dashboard.ui import data

    at = page("app_pages/payments.py", programme="MODERN-PV-2022")
    assert not at.exception
    field(at, AMOUNT).input("1 000,50")
    at = submit(at, "Enregistrer")
    assert not at.exception
    assert any(
        "Engagement de 1\u202f000,50\u00a0€ enregistré." in plain(s.value) for s in at.success
    )
    assert data.database().scalar("select amount from payment") == Decimal("1000.50")
    assert field(at, AMOUNT).value == ""  # a fresh form: the entry cannot be sent twice


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-50", "positif"),
        ("abc", "doit être un nombre"),
        ("150 000", "motif du dépassement"),
        ("<script>alert(1)</script>", "doit être un nombre"),
        ("1; DROP TABLE payment", "doit être un nombre"),
    ],
)
def test_a_bad_payment_gets_a_french_message(page, amount, message):
    from dashboard.ui import data

    at = page("app_pages/payments.py", programme="MODERN-PV-2022")
    before = snapshot(data.database())
    field(at, AMOUNT).input(amount)
    at = submit(at, "Enregistrer")
    assert not at.exception
    assert any(message in plain(e.value) for e in at.error)
    assert snapshot(data.database()) == before


def test_the_bulk_save_message_stays_until_the_next_edit_or_programme(page):
    """After « Enregistrer », the message survives the reruns that follow (the table
    sends its state again); it is about one programme and goes with it."""
    from dashboard.tracker import work
    from dashboard.ui import data

    work.create_action(data.database(), LEAD, orientation_id=1, title="Atelier")
    at = page("app_pages/bulk.py", programme="EVAL-CDV-2015-2020")
    said = "1 action(s) enregistrée(s), en une seule transaction."
    at.session_state["bulk-flash"] = ("EVAL-CDV-2015-2020", said)  # as the save leaves it
    for _ in range(2):  # the run after the save, then one more
        at.run()
        assert [plain(s.value) for s in at.success] == [said]
    at.session_state["bulk-flash"] = ("MODERN-PV-2022", said)  # saved on another programme
    at.run()
    assert not at.success


def test_bulk_page_lists_the_actions_and_saves_nothing_until_asked(page, db_path):
    from dashboard.tracker import work
    from dashboard.ui import data

    db = data.database()
    work.create_action(db, LEAD, orientation_id=1, title="Atelier avec les bailleurs")
    at = page("app_pages/bulk.py", programme="EVAL-CDV-2015-2020")
    assert not at.exception
    assert any(t.value == "Saisie en lot" for t in at.title)
    assert any("0 ligne(s) modifiée(s)." in plain(c.value) for c in at.caption)
    [save] = [b for b in at.button if b.label == "Enregistrer les modifications"]
    assert save.disabled
