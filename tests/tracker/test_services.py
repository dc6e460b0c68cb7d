"""Every write service: allowed or refused for every role, and bad input refused
with a French message that leaves the database unchanged."""

from __future__ import annotations

import json

import pytest

from dashboard.tracker.access import ROLES, WRITE_SERVICES, Actor
from dashboard.tracker.errors import ConflictError, PermissionDenied, ValidationError
from tests.conftest import ADMIN
from tests.helpers import rollup_drift, snapshot
from tests.tracker.service_calls import BAD_INPUTS, VALID_CALLS


def test_every_write_service_has_a_valid_call_and_bad_inputs():
    assert set(VALID_CALLS) == set(WRITE_SERVICES)
    assert set(BAD_INPUTS) == set(WRITE_SERVICES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
def test_role_matrix(db, service, role):
    needed, _, function = WRITE_SERVICES[service]
    args, kwargs = VALID_CALLS[service](db)
    actor = Actor(f"user-{role}", role)
    before = snapshot(db)
    if actor.can(needed):
        function(db, actor, *args, **kwargs)
        assert snapshot(db) != before
        assert rollup_drift(db) == []  # every write keeps the roll-ups current
    else:
        with pytest.raises(PermissionDenied, match=f"Votre rôle \\({role}\\)"):
            function(db, actor, *args, **kwargs)
        assert snapshot(db) == before


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
def test_a_call_without_an_actor_is_refused(db, service):
    _, _, function = WRITE_SERVICES[service]
    args, kwargs = VALID_CALLS[service](db)
    before = snapshot(db)
    with pytest.raises(PermissionDenied, match="connectez-vous"):
        function(db, None, *args, **kwargs)
    assert snapshot(db) == before


CASES = [(service, i) for service in sorted(BAD_INPUTS) for i in range(len(BAD_INPUTS[service]))]


@pytest.mark.parametrize(("service", "case"), CASES)
def test_bad_input_is_refused_and_changes_nothing(db, service, case):
    _, _, function = WRITE_SERVICES[service]
    args, kwargs = VALID_CALLS[service](db)
    override, fragment = BAD_INPUTS[service][case]
    before = snapshot(db)
    with pytest.raises((ValidationError, ConflictError)) as caught:
        function(db, ADMIN, *args, **{**kwargs, **override})
    assert fragment.lower() in caught.value.message.lower()
    assert snapshot(db) == before


def test_text_is_stored_as_typed(db):
    from dashboard.tracker import work

    title = "<script>alert('x')</script> ; DROP TABLE phase; --"
    action = work.create_action(db, ADMIN, orientation_id=1, title=title)
    assert db.scalar("select title from action where id = $i", {"i": action}) == title
    assert db.scalar("select count(*) from phase") == 3


def test_stale_update_names_who_changed_it(db):
    from dashboard.tracker import work
    from tests.conftest import LEAD

    work.update_phase(db, ADMIN, 1, expected_version=1, lead="Première")
    before = snapshot(db)
    with pytest.raises(ConflictError) as caught:
        work.update_phase(db, LEAD, 1, expected_version=1, lead="Seconde")
    assert "Admin Test" in caught.value.message
    assert caught.value.current["lead"] == "Première"
    assert snapshot(db) == before


def test_update_writes_an_audit_row_with_before_and_after(db):
    import json

    from dashboard.tracker import work

    work.update_phase(db, ADMIN, 2, expected_version=1, territory="Pays d'Aubagne et de l'Étoile")
    row = db.records("audit_trail", entity="phase", limit=1)[0]
    assert (row["operation"], row["actor"], row["entity_id"]) == ("update", "Admin Test", "2")
    assert json.loads(row["before"])["territory"] is None
    assert json.loads(row["after"])["territory"] == "Pays d'Aubagne et de l'Étoile"
    assert json.loads(row["after"])["version"] == 2


def test_french_amounts_are_read(db):
    from decimal import Decimal

    from dashboard.tracker import budget

    budget.record_payment(
        db, ADMIN, budget_line_id=2, stage="commitment", occurred_on="2022-03-01", amount="1 000,50"
    )
    assert db.scalar("select amount from payment") == Decimal("1000.50")


def test_over_budget_commitment_needs_a_reason_kept_in_the_audit_log(db):
    from dashboard.tracker import budget

    budget.record_payment(
        db,
        ADMIN,
        budget_line_id=2,
        stage="commitment",
        occurred_on="2022-03-01",
        amount="100 000,00",
    )
    payment = budget.record_payment(
        db,
        ADMIN,
        budget_line_id=2,
        stage="commitment",
        occurred_on="2022-04-01",
        amount="10",
        over_budget_reason="Complément voté en séance",
    )
    row = db.records("audit_trail", entity="payment", limit=1)[0]
    assert (row["entity_id"], row["reason"]) == (str(payment), "Complément voté en séance")


def test_passwords_are_hashed_and_never_logged(db):
    from dashboard.tracker import users

    users.add_user(
        db,
        ADMIN,
        login="marie",
        display_name="Marie",
        role="lecteur",
        password="phrase secrète très longue",
        provisional=False,
    )
    stored = db.scalar("select password_hash from app_user where login = 'marie'")
    assert stored.startswith("$2") and "secrète" not in stored
    assert (
        db.scalar(
            "select count(*) from audit_log where after like '%$2%' or after like '%secrète%'"
        )
        == 0
    )
    assert users.authenticate(db, "marie", "phrase secrète très longue").role == "lecteur"
    assert users.authenticate(db, "marie", "mauvais mot de passe") is None
    users.set_active(db, ADMIN, login="marie", active=False)
    assert users.authenticate(db, "marie", "phrase secrète très longue") is None


def test_first_administrator_only_when_no_account_exists(db):
    from dashboard.tracker import users

    users.create_first_admin(
        db, login="premiere", display_name="Première", password="la toute première phrase"
    )
    assert [(u["login"], u["role"]) for u in users.list_users(db)] == [
        ("premiere", "administrateur")
    ]
    with pytest.raises(PermissionDenied, match="existe déjà"):
        users.create_first_admin(
            db, login="intrus", display_name="Intrus", password="une autre phrase"
        )


def test_last_administrator_cannot_demote_themself(db):
    from dashboard.tracker import users

    users.create_first_admin(
        db, login="seule", display_name="Seule", password="la toute première phrase"
    )
    me = Actor("seule", "administrateur", "Seule")
    with pytest.raises(ValidationError, match="dernier administrateur"):
        users.set_role(db, me, login="seule", role="lecteur")


def test_invisible_characters_are_not_an_empty_field(db):
    from dashboard.tracker import programmes

    before = snapshot(db)
    with pytest.raises(ValidationError, match="dépasse"):
        programmes.update_programme(db, ADMIN, 1, expected_version=1, description="\x1e" * 10_050)
    with pytest.raises(ValidationError, match="caractère de contrôle"):
        programmes.update_programme(db, ADMIN, 1, expected_version=1, description="texte\x07")
    assert snapshot(db) == before


def test_bulk_update_is_all_or_nothing_with_errors_per_row(db):
    from dashboard.tracker import work

    first = work.create_action(db, ADMIN, orientation_id=5, title="A")
    second = work.create_action(db, ADMIN, orientation_id=5, title="B")
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        work.bulk_update_actions(
            db,
            ADMIN,
            [
                {"action_id": first, "expected_version": 1, "lead": "Léa"},
                {
                    "action_id": second,
                    "expected_version": 1,
                    "starts_on": "2024-05-01",
                    "ends_on": "2024-04-01",
                },
                {"action_id": 424242, "expected_version": 1, "lead": "x"},
            ],
        )
    message = caught.value.message
    assert message.startswith("Rien n'a été enregistré.")
    assert (
        "ligne 2 : La date « Fin »" in message
        and "ligne 3 : l'action n° 424242 n'existe pas" in message
    )
    assert "ligne 1" not in message
    assert snapshot(db) == before
    # a row refused before the transaction does not shift the numbers of the next ones
    with pytest.raises(ValidationError) as caught:
        work.bulk_update_actions(
            db,
            ADMIN,
            [
                {"action_id": first, "expected_version": 1, "title": ""},
                {"action_id": second, "expected_version": 1, "lead": "ok"},
                {"action_id": 424242, "expected_version": 1, "lead": "x"},
            ],
        )
    assert "ligne 1 : " in caught.value.message
    assert "ligne 3 : l'action n° 424242 n'existe pas" in caught.value.message
    assert "ligne 2" not in caught.value.message
    assert snapshot(db) == before
    assert (
        work.bulk_update_actions(
            db,
            ADMIN,
            [
                {"action_id": first, "expected_version": 1, "lead": "Léa"},
                {"action_id": second, "expected_version": 1, "territory": "Istres-Ouest Provence"},
            ],
        )
        == 2
    )
    assert db.scalar("select lead from action where id = $i", {"i": first}) == "Léa"
    entries = db.records("audit_trail", entity="action", limit=2)
    by_id = {int(e["entity_id"]): e for e in entries}
    first_after, first_before = (json.loads(by_id[first][k]) for k in ("after", "before"))
    assert (first_before["lead"], first_after["lead"]) == (None, "Léa")
    assert (first_before["version"], first_after["version"]) == (1, 2)
    assert first_after["territory"] is None and first_after["title"] == "A"
    assert json.loads(by_id[second]["after"])["territory"] == "Istres-Ouest Provence"
    assert json.loads(by_id[second]["after"])["lead"] is None
    assert all(e["actor"] == ADMIN.name for e in entries)
    # two rows for the same action are refused, naming both lines
    with pytest.raises(ValidationError, match="ligne 2 : l'action n° .* figure déjà ligne 1"):
        work.bulk_update_actions(
            db,
            ADMIN,
            [
                {"action_id": first, "expected_version": 2, "lead": "X"},
                {"action_id": first, "expected_version": 2, "lead": "Y"},
            ],
        )


def test_an_association_has_its_rna_number_beside_its_siret(db):
    """Real conventions name an association by its RNA number, its SIRET or both."""
    from dashboard.tracker import programmes
    from dashboard.tracker.errors import ValidationError

    made = programmes.create_organisation(
        db, ADMIN, code="ASSO-RNA", name="Association fictive", kind="association",
        siret="123 456 789 00015", rna="w 133 012 345",
    )  # fmt: skip
    row = db.records("organisation_records")
    [mine] = [o for o in row if o["organisation_id"] == made]
    assert (mine["siret"], mine["rna"]) == ("12345678900015", "W133012345")
    before = snapshot(db)
    with pytest.raises(ValidationError, match="« W » suivi de 9 chiffres"):
        programmes.create_organisation(db, ADMIN, code="ASSO-2", name="Autre", kind="association",
                                       rna="133012345")  # fmt: skip
    assert snapshot(db) == before
