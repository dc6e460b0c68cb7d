"""An item's timeline (status events + audit entries), the changes of a period, and
corrections of clauses (optimistic check on the values read)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from dashboard.tracker import acts, history, work
from dashboard.tracker.access import Actor
from dashboard.tracker.errors import ConflictError, PermissionDenied, ValidationError
from tests.helpers import snapshot

ADMIN = Actor("admin", "administrateur", "Alice Admin")
OTHER = Actor("chef", "administrateur", "Bruno Chef")
LEAD = Actor("lead", "contributeur", "Léa Lead")


def test_item_timeline_merges_status_events_and_record_changes(tiny):
    work.update_phase(tiny, LEAD, 1, expected_version=1, lead="Équipe CRPV", weight=3)
    entries = history.item_timeline(tiny, "phase", 1)
    kinds = [e["entry_kind"] for e in entries]
    assert kinds == ["create", "status", "status", "status", "status", "update"]
    assert entries[0]["what"] == "création de la fiche"
    assert entries[1]["what"] == "statut : non renseigné → à venir"
    assert entries[2]["what"] == "statut : à venir → en cours ; avancement 40\xa0%"
    assert entries[4]["what"] == ("statut : livré → validé ; décision : Phase 1 validée")
    update = entries[-1]
    assert update["actor"] == "Léa Lead"
    assert "responsable : non renseigné → Équipe CRPV" in update["what"]
    assert "poids : 2.00 → 3.00" in update["what"]
    assert "version" not in update["what"]
    # other items' entries stay out
    assert [e["entry_kind"] for e in history.item_timeline(tiny, "phase", 2)] == [
        "create",
        "status",
    ]
    assert history.item_timeline(tiny, "action", 999) == []


def test_dates_in_an_audit_change_are_written_the_french_way():
    assert (
        history.describe_changes(
            {"ends_on": None, "version": 1}, {"ends_on": "2021-03-01", "version": 2}
        )
        == "fin prévue : non renseigné → 1er mars 2021"
    )
    assert history.describe_changes({"title": "A"}, {"title": "A"}) == "aucun champ modifié"


def test_changes_between_two_dates(tiny):
    rows = history.changes_between(tiny, dt.date(2020, 4, 1), dt.date(2020, 6, 15))
    assert [(r["occurred_on"], r["change_kind"]) for r in rows] == [
        (dt.date(2020, 6, 15), "decision"),
        (dt.date(2020, 6, 15), "status"),
        (dt.date(2020, 6, 1), "status"),
        # avenant 3, in force at the earliest on its deliberation's day: a change too
        (dt.date(2020, 5, 4), "act"),
        (dt.date(2020, 5, 1), "payment"),
        (dt.date(2020, 5, 1), "status"),
    ]
    assert rows[0]["what"] == "Décision (validation du travail rendu) : Phase 1 validée"
    assert rows[2]["what"] == "Phase « Phase un » : en cours → livré"
    assert rows[3]["what"].startswith("Entrée en vigueur : Avenant 3 (date inconnue : au plus tôt")
    assert rows[4]["what"].startswith("Versement de 500")
    assert rows[4]["amount"] == D("500.00")
    # the start is excluded, the end included; another programme sees nothing
    assert history.changes_between(tiny, dt.date(2020, 6, 15), dt.date(2030, 1, 1)) == []
    assert history.changes_between(tiny, dt.date(2019, 1, 1), dt.date(2030, 1, 1), "TEST-B") == []


def _seen(db, clause_id):
    """The version of the clause as a form would read it."""
    return db.scalar("select version from clause where id = $i", {"i": clause_id})


def test_update_clause_corrects_and_audits(db):
    seen = _seen(db, 1)
    after = acts.update_clause(
        db, ADMIN, 1, expected_version=seen, summary="Résumé relu", reason="Relecture"
    )
    assert after["summary"] == "Résumé relu"
    entry = db.records("audit_trail", entity="clause", limit=1)[0]
    assert entry["actor"] == "Alice Admin" and entry["operation"] == "update"
    assert '"Résumé relu"' in entry["after"]


def test_update_clause_second_writer_is_told_who_saved_first(db):
    seen = _seen(db, 1)
    acts.update_clause(db, OTHER, 1, expected_version=seen, summary="Première correction",
                       reason="Relecture")  # fmt: skip
    before = snapshot(db)
    with pytest.raises(ConflictError) as caught:
        acts.update_clause(db, ADMIN, 1, expected_version=seen, summary="Seconde correction",
                           reason="Relecture")  # fmt: skip
    assert "Bruno Chef" in caught.value.message
    assert caught.value.current["summary"] == "Première correction"
    assert snapshot(db) == before
    # re-applied on the current version, it goes through
    acts.update_clause(db, ADMIN, 1, expected_version=_seen(db, 1), summary="Seconde correction",
                       reason="Relecture")  # fmt: skip
    assert db.scalar("select summary from clause where id = 1") == "Seconde correction"


def test_update_clause_refuses_a_settlement_without_days_and_contributors(db):
    settle = next(
        c["clause_id"]
        for c in db.records("clauses", as_of=dt.date(2100, 1, 1), programme_code=None)
        if c["kind"] == "amicable_settlement"
    )
    before = snapshot(db)
    with pytest.raises(ValidationError, match="délai en jours"):
        acts.update_clause(db, ADMIN, settle, expected_version=_seen(db, settle), days=None,
                           reason="Relecture")  # fmt: skip
    with pytest.raises(PermissionDenied):
        acts.update_clause(db, LEAD, settle, expected_version=_seen(db, settle), summary="x")
    assert snapshot(db) == before


def test_a_budget_line_has_its_history_and_its_payments(db):
    """The Paiements page shows, under the chosen line, every entry of its history and of
    its payments': creation, correction (before -> after, who, why), cancellation."""
    from dashboard.tracker import budget
    from tests.conftest import ADMIN

    line = db.scalar("select min(id) from budget_line")
    paid = budget.record_payment(db, ADMIN, budget_line_id=line, stage="commitment",
                                 occurred_on=dt.date(2022, 10, 3), amount="1000")  # fmt: skip
    budget.update_payment(db, ADMIN, paid, expected_version=1, amount="1200",
                          reason="faute de frappe")  # fmt: skip
    version = db.scalar("select version from budget_line where id = $i", {"i": line})
    budget.update_budget_line(db, ADMIN, line, expected_version=version, label="Subvention",
                              reason="libellé de l'acte")  # fmt: skip
    budget.cancel_payment(db, ADMIN, paid, expected_version=2, reason="saisie en double")
    entries = history.budget_line_history(db, line)
    mine = [(e["subject"], e["operation"]) for e in entries if e["actor"] == ADMIN.name]
    payment = f"engagement du 3 octobre 2022 (paiement n° {paid})"
    assert mine == [
        (payment, "création"),
        (payment, "correction"),
        ("la ligne", "correction"),
        (payment, "annulation"),
    ]
    corrected = next(
        e for e in entries if e["subject"] == payment and e["operation"] == "correction"
    )
    assert corrected["what"] == "montant : 1\u202f000\u00a0€ → 1\u202f200\u00a0€"
    assert corrected["reason"] == "faute de frappe"
    # the line's seed entry comes first: it was loaded before anything else
    assert entries[0]["subject"] == "la ligne"
    # another line's history holds none of this
    other = db.scalar("select max(id) from budget_line")
    assert all(payment != e["subject"] for e in history.budget_line_history(db, other))
