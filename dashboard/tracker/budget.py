"""Budget lines (money granted for a year) and the public-spending chain
engagement -> mandatement -> versement recorded against them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.records import (
    Source,
    add_source,
    create,
    require_row,
    update_versioned,
)

_STAGE_BEFORE = {"payment_order": "commitment", "disbursement": "payment_order"}


@write_service("administrateur", "créer une ligne budgétaire")
def create_budget_line(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    fiscal_year: int,
    amount: Decimal | str,
    tax_basis: str,
    act_id: int | None = None,
    clause_id: int | None = None,
    funder_id: int | None = None,
    recipient_id: int | None = None,
    label: str | None = None,
    source: Source | None = None,
) -> int:
    values = {
        "fiscal_year": validate.integer(fiscal_year, "Exercice", low=2000, high=2100),
        "amount": validate.amount(amount),
        "tax_basis": validate.choice(tax_basis, fmt.TAX_BASIS_LABELS, "Base (HT / TTC)"),
        "label": validate.text(label, "Libellé", required=False),
    }
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        for key, table, value, field in (
            ("act_id", "legal_act", act_id, "Acte"),
            ("clause_id", "clause", clause_id, "Clause"),
            ("funder_id", "organisation", funder_id, "Financeur"),
            ("recipient_id", "organisation", recipient_id, "Bénéficiaire"),
        ):
            if value is not None:
                values[key] = require_row(cur, table, value, field)["id"]
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "budget_line", values)


@write_service("administrateur", "modifier une ligne budgétaire")
def update_budget_line(
    db: Database,
    actor: Actor,
    budget_line_id: int,
    *,
    expected_version: int,
    amount: Decimal | str | None = None,
    tax_basis: str | None = None,
    label: str | None = None,
) -> dict:
    changes = {}
    if amount is not None:
        changes["amount"] = validate.amount(amount)
    if tax_basis is not None:
        changes["tax_basis"] = validate.choice(tax_basis, fmt.TAX_BASIS_LABELS, "Base (HT / TTC)")
    if label is not None:
        changes["label"] = validate.text(label, "Libellé", required=False)
    with db.transaction() as cur:
        return update_versioned(
            cur,
            actor,
            "budget_line",
            budget_line_id,
            expected_version,
            changes,
            field="Ligne budgétaire",
        )[1]


def stage_totals(cur, budget_line_id: int) -> dict[str, Decimal]:
    rows = cur.execute(
        "select stage, sum(amount) from payment where budget_line_id = $b group by stage",
        {"b": budget_line_id},
    ).fetchall()
    totals = {stage: Decimal("0.00") for stage in fmt.STAGE_LABELS}
    totals.update({stage: total for stage, total in rows})
    return totals


@write_service("contributeur", "enregistrer un paiement")
def record_payment(
    db: Database,
    actor: Actor,
    *,
    budget_line_id: int,
    stage: str,
    occurred_on: dt.date | str,
    amount: Decimal | str,
    reference: str | None = None,
    over_budget_reason: str | None = None,
) -> int:
    """One step of the spending chain. A mandatement never exceeds what was engaged, a
    versement never exceeds what was mandated; an engagement beyond the line's amount
    needs an explicit reason, kept in the audit log."""
    values = {
        "stage": validate.choice(stage, fmt.STAGE_LABELS, "Étape"),
        "occurred_on": validate.date(occurred_on, "Date"),
        "amount": validate.amount(amount, positive=True),
        "reference": validate.text(reference, "Référence", required=False, max_len=100),
    }
    reason = validate.text(
        over_budget_reason, "Motif du dépassement", required=False, max_len=validate.MAX_TEXT
    )
    if values["occurred_on"] > dt.date.today():
        raise ValidationError(
            f"La date ({fmt.date_fr(values['occurred_on'])}) est dans le futur : "
            "on enregistre une opération faite."
        )
    with db.transaction() as cur:
        line = require_row(cur, "budget_line", budget_line_id, "Ligne budgétaire")
        totals = stage_totals(cur, line["id"])
        stage_name = values["stage"]
        new_total = totals[stage_name] + values["amount"]
        before = _STAGE_BEFORE.get(stage_name)
        if before and new_total > totals[before]:
            raise ValidationError(
                f"Le total {fmt.STAGE_LABELS[stage_name]} ({fmt.money(new_total)}) dépasserait le "
                f"total {fmt.STAGE_LABELS[before]} ({fmt.money(totals[before])}) : enregistrez d'abord "
                f"l'étape « {fmt.STAGE_LABELS[before]} »."
            )
        if stage_name == "commitment" and new_total > line["amount"]:
            if not reason:
                raise ValidationError(
                    f"Cet engagement porterait le total engagé à {fmt.money(new_total)}, au-delà du "
                    f"montant de la ligne ({fmt.money(line['amount'])}) : indiquez le motif du "
                    "dépassement."
                )
        else:
            reason = None
        values.update(
            budget_line_id=line["id"],
            over_budget_reason=reason,
            recorded_by=actor.name,
            recorded_at=utcnow(),
        )
        return create(cur, actor, "payment", values, reason=reason)
