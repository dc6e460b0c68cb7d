"""The open-data export of subsidies (SCDL « subventions » 2.1.1): the seed's two
participations of 100 000 €, each with what it lacks to be valid — never invented — and
the schema's rules checked (SIRET and its checksum, RNA, ISO dates and periods, amounts,
enumerations); a formula in a label never reaches a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dashboard.tracker import budget, programmes, scdl
from dashboard.tracker.errors import ValidationError
from tests.conftest import ADMIN
from tests.helpers import snapshot

TODAY = dt.date.today()

#: a fictional SIRET whose checksum holds
FICTIONAL_SIRET = "24130001600011"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_seed_lists_its_two_participations_with_what_they_lack(db):
    both = scdl.lines(db)
    assert [r["budget_line_id"] for r in db.records("scdl_subsidies", fiscal_year=None)] == [1, 2]
    assert [(line.fiscal_year, line.values["montant"]) for line in both] == [
        (2020, "100000.00"),
        (2022, "100000.00"),
    ]
    [line] = scdl.lines(db, 2022)
    values = line.values
    assert (values["nomAttribuant"], values["nomBeneficiaire"], values["nature"],
            values["pourcentageSubvention"]) == (
        "Métropole Aix-Marseille-Provence",
        "GIP Centre de Ressources pour la Politique de la Ville PACA (CRPV PACA)",
        "aide en numéraire", "1")  # fmt: skip
    # what the acts do not say stays empty, and is listed as missing
    assert values["idAttribuant"] == values["dateConvention"] == values["notificationUE"] == ""
    assert line.missing == [
        "SIRET de l'attribuant : non renseigné",
        "date de la convention : non renseigné",
        "conditions de versement (unique ou échelonné) : non renseigné",
        "date ou période de versement : non renseigné",
        "notification à la Commission européenne (oui ou non) : non renseigné",
    ]
    rows = _rows(scdl.to_csv([line]))
    assert list(rows[0]) == list(scdl.COLUMNS) and rows[0]["montant"] == "100000.00"
    assert scdl.report([line]) == [
        "Ligne budgétaire n° 2 (exercice 2022) : " + " ; ".join(line.missing)
    ]


def test_what_is_recorded_fills_the_line(db):
    programmes.update_organisation(db, ADMIN, 1, expected_version=1, siret=FICTIONAL_SIRET)
    for day in ("2022-04-01", "2022-10-03"):
        budget.record_payment(db, ADMIN, budget_line_id=2, stage="commitment", occurred_on=day,
                              amount="50000")  # fmt: skip
        budget.record_payment(db, ADMIN, budget_line_id=2, stage="payment_order", occurred_on=day,
                              amount="50000")  # fmt: skip
        budget.record_payment(db, ADMIN, budget_line_id=2, stage="disbursement", occurred_on=day,
                              amount="50000")  # fmt: skip
    [line] = scdl.lines(db, 2022)
    assert (line.values["idAttribuant"], line.values["conditionsVersement"],
            line.values["datesPeriodeVersement"]) == (
        FICTIONAL_SIRET, "échelonné", "2022-04-01_2022-10-03")  # fmt: skip
    assert line.missing == [
        "date de la convention : non renseigné",
        "notification à la Commission européenne (oui ou non) : non renseigné",
    ]


@pytest.mark.parametrize(("change", "message"), [
    ({"idAttribuant": "24130001600010"}, "n'est pas un SIRET valide"),
    ({"idAttribuant": "2413000160001"}, "n'est pas un SIRET valide"),
    ({"idBeneficiaire": "12345678900012"}, "SIRET du bénéficiaire"),
    ({"rnaBeneficiaire": "W12"}, "numéro RNA du bénéficiaire"),
    ({"dateConvention": "2022-02-30"}, "AAAA-MM-JJ"),
    ({"datesPeriodeVersement": "2022-01-01_2022-13-01"}, "période de versement"),
    ({"montant": "-5"}, "négatif"),
    ({"nature": "chèque"}, "aide en numéraire"),
    ({"conditionsVersement": "mensuel"}, "unique"),
    ({"notificationUE": "peut-être"}, "oui"),
    ({"pourcentageSubvention": "1.5"}, "entre 0 et 1"),
])  # fmt: skip
def test_the_schema_rules_are_checked(change, message):
    valid = {
        "nomAttribuant": "Commune fictive", "idAttribuant": FICTIONAL_SIRET,
        "dateConvention": "2022-03-01", "nomBeneficiaire": "Association fictive",
        "objet": "Fonctionnement", "montant": "25000.00", "nature": "aide en numéraire",
        "conditionsVersement": "unique", "datesPeriodeVersement": "2022-04-01",
        "notificationUE": "non", "pourcentageSubvention": "1",
    }  # fmt: skip
    assert scdl.problems(valid) == []
    assert any(message in p for p in scdl.problems(valid | change))


def test_a_formula_in_a_label_never_reaches_the_spreadsheet(db):
    version = db.scalar("select version from budget_line where id = 2")
    budget.update_budget_line(db, ADMIN, 2, expected_version=version,
                              label='=HYPERLINK("http://x")', reason="essai")  # fmt: skip
    [line] = scdl.lines(db, 2022)
    assert _rows(scdl.to_csv([line]))[0]["objet"].startswith("'=HYPERLINK")


def test_a_siret_with_a_wrong_checksum_is_refused_in_french(db):
    before = snapshot(db)
    with pytest.raises(ValidationError, match="clé de contrôle est fausse"):
        programmes.update_organisation(db, ADMIN, 1, expected_version=1, siret="24130001600010")
    assert snapshot(db) == before


def test_a_subsidy_over_23_000_euros_without_a_convention_is_said(db):
    from dashboard.tracker import completeness

    def gaps() -> list[str]:
        return [g["item"] for g in completeness.completeness(db, "MODERN-PV-2022", TODAY)
                if g["item"].startswith("Convention")]  # fmt: skip

    assert gaps() == []  # the seed's two participations have their act
    budget.create_budget_line(db, ADMIN, programme_id=2, fiscal_year=2023, tax_basis="TTC",
                              amount="30000", label="Participation 2023 (essai)")  # fmt: skip
    budget.create_budget_line(db, ADMIN, programme_id=2, fiscal_year=2023, tax_basis="TTC",
                              amount="20000", label="Petite aide 2023 (essai)")  # fmt: skip
    assert gaps() == ["Convention — Participation 2023 (essai)"]


def test_by_year_gives_each_year_s_lines_and_what_they_lack(db):
    """What the Budget page keeps once per change of the data: the lines of each year,
    newest first, as ``lines`` gives them, with ``report``'s words."""
    years = scdl.by_year(db.records("scdl_subsidies", fiscal_year=None))
    assert list(years) == [2022, 2020]
    for year, found in years.items():
        alone = scdl.lines(db, year)
        assert found.fiscal_year == year
        assert [line.values for line in found.lines] == [line.values for line in alone]
        assert found.missing == scdl.report(alone) and found.missing
    assert scdl.by_year([]) == {}


def test_what_each_line_lacks_is_a_file_to_download(db):
    version = db.scalar("select version from budget_line where id = 2")
    budget.update_budget_line(db, ADMIN, 2, expected_version=version,
                              label='=HYPERLINK("http://x")', reason="essai")  # fmt: skip
    lines = scdl.lines(db)
    rows = list(csv.reader(io.StringIO(scdl.missing_csv(lines))))
    assert rows[0] == ["Ligne budgétaire", "Exercice", "Ce qui manque"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("1", "2020"), ("2", "2022")]
    assert rows[2][2] == " ; ".join(lines[1].missing)
    assert "SIRET de l'attribuant : non renseigné" in rows[2][2]
