"""The payment ledger: every commitment, mandate and disbursement, corrections and
cancellations said with their reason, amounts and dates typed, formulas never."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from dashboard.tracker import budget, ledger
from tests.conftest import ADMIN


def _payments(db) -> None:
    first = budget.record_payment(db, ADMIN, budget_line_id=2, stage="commitment",
                                  occurred_on="2022-04-01", amount="60000",
                                  reference="=1+1")  # fmt: skip
    budget.record_payment(db, ADMIN, budget_line_id=2, stage="payment_order",
                          occurred_on="2022-05-02", amount="30000")  # fmt: skip
    cancelled = budget.record_payment(db, ADMIN, budget_line_id=2, stage="disbursement",
                                      occurred_on="2022-06-03", amount="30000")  # fmt: skip
    budget.update_payment(db, ADMIN, first, expected_version=1, amount="50000",
                           reason="Erreur de report")  # fmt: skip
    budget.cancel_payment(db, ADMIN, cancelled, expected_version=1, reason="Saisi en double")


def test_the_ledger_says_every_step_its_corrections_and_cancellations(db):
    _payments(db)
    found = ledger.rows(db)
    assert len(db.records("payment_ledger", programme_code=None, fiscal_year=None)) == len(found)
    assert [(r[10], str(r[12]), r[18].split(" le ")[0]) for r in found] == [
        ("engagement", "50000.00", "en vigueur"),
        ("mandatement", "30000.00", "en vigueur"),
        ("versement", "30000.00", "annulé"),
    ]
    assert "Saisi en double" in found[2][18]
    assert "Erreur de report" in found[0][17]  # the correction and its reason
    assert (found[0][1], found[0][4], found[0][7], found[0][9]) == (
        "MODERN-PV-2022",
        "Métropole Aix-Marseille-Provence",
        2022,
        "TTC",
    )
    assert ledger.rows(db, year=2020) == []
    text = ledger.to_csv(found)
    assert text.startswith("\ufeffN° du paiement;Programme")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][13] == "'=1+1"  # a reference typed like a formula stays text
    book = load_workbook(io.BytesIO(ledger.to_xlsx(found)))
    sheet = book["Grand livre"]
    assert sheet["M2"].value == 50000 and sheet["M2"].number_format == "#,##0.00 €"
    assert sheet["L2"].is_date and sheet["N2"].value == "=1+1" and sheet["N2"].data_type == "s"
