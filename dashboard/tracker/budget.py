"""Budget lines (money or in-kind support granted for a year, by an act and one of
its articles, from a funder to a recipient) and the public-spending chain engagement
-> mandatement -> versement recorded against them; corrections and cancellations
keep the chain consistent and go to the audit with their reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dashboard.tracker import fmt, origins, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.queries import sql
from dashboard.tracker.records import (
    add_source,
    cancel,
    create,
    require_row,
    update_versioned,
)

_STAGE_BEFORE = {"payment_order": "commitment", "disbursement": "payment_order"}
_STAGE_AFTER = {"commitment": "payment_order", "payment_order": "disbursement"}

LINE_FIELDS: Spec = {
    "fiscal_year": lambda v: validate.integer(v, "Exercice", low=2000, high=2100),
    "amount": lambda v: (
        None if v is None or (isinstance(v, str) and not v.strip()) else validate.amount(v)
    ),
    "tax_basis": lambda v: validate.choice(v, fmt.TAX_BASIS_LABELS, "Base (HT / TTC)"),
    "label": lambda v: validate.text(v, "Libellé", required=False),
    "description": lambda v: validate.text(
        v, "Description", required=False, max_len=validate.MAX_TEXT
    ),
    "funding_nature": lambda v: validate.optional_choice(
        v, fmt.FUNDING_NATURE_LABELS, "Nature des crédits"
    ),
}


def _check_kind(kind: str, amount: Decimal | None) -> None:
    if kind == "financial" and amount is None:
        raise ValidationError(
            "Le champ « Montant » est obligatoire pour une participation financière."
        )
    if kind == "in_kind" and amount is not None:
        raise ValidationError(
            "Un apport en nature n'a pas de montant : décrivez-le (locaux, personnel mis à "
            "disposition…) plutôt que de l'estimer."
        )
    if kind == "financial_or_in_kind" and amount is not None:
        raise ValidationError(
            "Un soutien « financier et/ou matériel » s'enregistre tel que l'acte le dit, sans "
            "montant : l'acte n'affirme ni l'un ni l'autre. Quand un montant est arrêté, "
            "enregistrez une participation financière."
        )


def _references(cur, values: dict, **ids) -> None:
    for key, table, value, field in (
        ("act_id", "legal_act", ids.get("act_id"), "Acte"),
        ("clause_id", "clause", ids.get("clause_id"), "Article (clause)"),
        ("funder_id", "organisation", ids.get("funder_id"), "Financeur"),
        ("recipient_id", "organisation", ids.get("recipient_id"), "Bénéficiaire"),
    ):
        if value is not None:
            row = require_row(cur, table, value, field)
            if row.get("cancelled_at") is not None:
                raise ValidationError(f"{field} : cet enregistrement a été annulé.")
            values[key] = row["id"]
    if ids.get("action_id") is not None:
        action = require_row(cur, "action", ids["action_id"], "Action financée")
        if action["programme_id"] != values["programme_id"]:
            raise ValidationError("L'action financée appartient à un autre programme.")
        if action.get("archived_on") is not None:
            raise ValidationError("L'action choisie est archivée : elle ne reçoit plus de crédits.")
        values["action_id"] = action["id"]
    act_id, clause_id = values.get("act_id"), values.get("clause_id")
    if clause_id is not None:
        clause = require_row(cur, "clause", clause_id, "Article (clause)")
        if act_id is not None and clause["act_id"] != act_id:
            raise ValidationError("L'article choisi appartient à un autre acte.")
    if act_id is not None:
        act = require_row(cur, "legal_act", act_id, "Acte")
        if act["programme_id"] != values["programme_id"]:
            raise ValidationError("L'acte choisi appartient à un autre programme.")


def _over_act(cur, line: dict, reason: object, *, line_id: int | None = None) -> str | None:
    """A line beyond what its financing article allows for the year is flagged: it is
    recorded only with the reason of the excess (kept on the line and in the audit),
    never silently. Returns that reason when the line exceeds, else None."""
    if line.get("clause_id") is None or line.get("amount") is None:
        return None
    allowed, granted = cur.execute(
        sql("clause_allowance"),
        {"clause_id": line["clause_id"], "fiscal_year": line["fiscal_year"],
         "without_line_id": line_id, "replaced_line_id": line.get("supersedes_line_id")},
    ).fetchone()  # fmt: skip
    total = granted + line["amount"]
    if allowed is None or total <= allowed:
        return None
    why = validate.text(
        reason, "Motif du dépassement de l'acte", required=False, max_len=validate.MAX_TEXT
    )
    if not why:
        raise ValidationError(
            f"Les lignes qui citent cet article porteraient l'exercice {line['fiscal_year']} "
            f"à {fmt.money(total)}, au-delà des {fmt.money(allowed)} qu'il prévoit : "
            "indiquez le motif du dépassement (un avenant non saisi ? une erreur ?)."
        )
    return why


@write_service("administrateur", "créer une ligne budgétaire")
def create_budget_line(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    fiscal_year: int,
    tax_basis: str,
    amount: Decimal | str | None = None,
    kind: str = "financial",
    act_id: int | None = None,
    clause_id: int | None = None,
    funder_id: int | None = None,
    recipient_id: int | None = None,
    label: str | None = None,
    description: str | None = None,
    supersedes_line_id: int | None = None,
    source: Source | None = None,
    action_id: int | None = None,
    funding_nature: str | None = None,
    over_act_reason: str | None = None,
    origin: origins.Origin | None = None,
) -> int:
    """A line of money (or in-kind support, without amount) for a fiscal year, from one
    funder, for the programme or one of its actions (its financing plan). An avenant
    that changes a year's amount records a new line that supersedes the old one from the
    avenant's start (the old one keeps counting before). Without a dated act, it counts
    from 1 January of its year but not before it is recorded, unless ``origin`` gives
    an earlier date with its reason (audited)."""
    values = clean(
        {"fiscal_year": fiscal_year, "amount": amount, "tax_basis": tax_basis, "label": label,
         "description": description, "funding_nature": funding_nature},
        LINE_FIELDS,
    )  # fmt: skip
    values["kind"] = validate.choice(kind, fmt.BUDGET_KIND_LABELS, "Nature")
    _check_kind(values["kind"], values["amount"])
    with db.transaction() as cur:
        values["programme_id"] = require_row(cur, "programme", programme_id, "Programme")["id"]
        _references(cur, values, act_id=act_id, clause_id=clause_id, funder_id=funder_id,
                    recipient_id=recipient_id, action_id=action_id)  # fmt: skip
        if supersedes_line_id is not None:
            old = require_row(cur, "budget_line", supersedes_line_id, "Ligne remplacée")
            if (
                old["programme_id"] != values["programme_id"]
                or old["fiscal_year"] != values["fiscal_year"]
            ):
                raise ValidationError(
                    "Une ligne ne remplace qu'une ligne du même programme et du même exercice."
                )
            values["supersedes_line_id"] = old["id"]
        values["over_act_reason"] = _over_act(cur, values, over_act_reason)
        values["source_id"] = add_source(cur, source)
        return create(cur, actor, "budget_line", values, reason=values["over_act_reason"],
                      origin=origin)  # fmt: skip


@write_service("administrateur", "corriger une ligne budgétaire")
def update_budget_line(
    db: Database,
    actor: Actor,
    budget_line_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    funder_id: int | None = None,
    recipient_id: int | None = None,
    action_id: int | None = None,
    over_act_reason: str | None = None,
    **changes,
) -> dict:
    """Correct a line (a typo, a funder or an action found later). An amount beyond
    what the line's article allows for the year needs the reason of the excess."""
    cleaned = clean(changes, LINE_FIELDS)
    with db.transaction() as cur:
        line = require_row(cur, "budget_line", budget_line_id, "Ligne budgétaire")
        _check_kind(line["kind"], cleaned.get("amount", line["amount"]))
        refs = {"programme_id": line["programme_id"]}
        _references(cur, refs, funder_id=funder_id, recipient_id=recipient_id,
                    action_id=action_id)  # fmt: skip
        cleaned.update({k: v for k, v in refs.items() if k != "programme_id"})
        if "amount" in cleaned:
            cleaned["over_act_reason"] = _over_act(
                cur, {**line, **cleaned}, over_act_reason or line["over_act_reason"],
                line_id=line["id"],
            )  # fmt: skip
        return update_versioned(
            cur, actor, "budget_line", budget_line_id, expected_version, cleaned,
            field="Ligne budgétaire", reason=reason,
        )[1]  # fmt: skip


@write_service("administrateur", "annuler une ligne budgétaire saisie par erreur")
def cancel_budget_line(
    db: Database, actor: Actor, budget_line_id: int, *, expected_version: int, reason: str
) -> dict:
    with db.transaction() as cur:
        if cur.execute(
            "select count(*) from payment where budget_line_id = $b and cancelled_at is null",
            {"b": budget_line_id},
        ).fetchone()[0]:
            raise ValidationError(
                "Des paiements sont enregistrés sur cette ligne : annulez-les d'abord."
            )
        return cancel(
            cur, actor, "budget_line", budget_line_id, expected_version, reason,
            field="Ligne budgétaire",
        )  # fmt: skip


def stage_totals(cur, budget_line_id: int, *, without: int | None = None) -> dict[str, Decimal]:
    """What is recorded at each stage of a line (cancelled payments, and the payment
    ``without`` being corrected, left out)."""
    rows = cur.execute(
        "select stage, sum(amount) from payment where budget_line_id = $b"
        " and cancelled_at is null and id <> coalesce($w, -1) group by stage",
        {"b": budget_line_id, "w": without},
    ).fetchall()
    totals = {stage: Decimal("0.00") for stage in fmt.STAGE_LABELS}
    totals.update({stage: total for stage, total in rows})
    return totals


def _check_chain(totals: dict[str, Decimal], line: dict, stage: str, reason: str | None) -> None:
    """The stages stay in order: mandated <= committed, paid <= mandated; committing
    beyond the line's amount needs a reason."""
    for later, earlier in _STAGE_BEFORE.items():
        if totals[later] > totals[earlier]:
            raise ValidationError(
                f"Le total {fmt.STAGE_LABELS[later]} ({fmt.money(totals[later])}) dépasserait le "
                f"total {fmt.STAGE_LABELS[earlier]} ({fmt.money(totals[earlier])}) : enregistrez "
                f"d'abord l'étape « {fmt.STAGE_LABELS[earlier]} »."
            )
    if (
        stage == "commitment"
        and line["amount"] is not None
        and totals["commitment"] > line["amount"]
        and not reason
    ):
        raise ValidationError(
            f"Cet engagement porterait le total engagé à {fmt.money(totals['commitment'])}, "
            f"au-delà du montant de la ligne ({fmt.money(line['amount'])}) : indiquez le motif "
            "du dépassement."
        )


PAYMENT_FIELDS: Spec = {
    "occurred_on": lambda v: validate.date(v, "Date"),
    "amount": lambda v: validate.amount(v, positive=True),
    "reference": lambda v: validate.text(v, "Référence", required=False, max_len=100),
}


def _not_future(day: dt.date) -> None:
    if day > dt.date.today():
        raise ValidationError(
            f"La date ({fmt.date_fr(day)}) est dans le futur : on enregistre une opération faite."
        )


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
    values = clean(
        {"occurred_on": occurred_on, "amount": amount, "reference": reference}, PAYMENT_FIELDS
    )
    values["stage"] = validate.choice(stage, fmt.STAGE_LABELS, "Étape")
    reason = validate.text(
        over_budget_reason, "Motif du dépassement", required=False, max_len=validate.MAX_TEXT
    )
    _not_future(values["occurred_on"])
    with db.transaction() as cur:
        line = require_row(cur, "budget_line", budget_line_id, "Ligne budgétaire")
        if line["cancelled_at"] is not None or line["kind"] != "financial":
            raise ValidationError(
                "On ne paie que sur une ligne de participation financière en vigueur."
            )
        totals = stage_totals(cur, line["id"])
        totals[values["stage"]] += values["amount"]
        _check_chain(totals, line, values["stage"], reason)
        if not (values["stage"] == "commitment" and totals["commitment"] > (line["amount"] or 0)):
            reason = None
        values.update(
            budget_line_id=line["id"],
            over_budget_reason=reason,
            recorded_by=actor.name,
            recorded_at=utcnow(),
        )
        return create(cur, actor, "payment", values, reason=reason)


@write_service("contributeur", "corriger un paiement")
def update_payment(
    db: Database,
    actor: Actor,
    payment_id: int,
    *,
    expected_version: int,
    reason: str,
    **changes,
) -> dict:
    """Correct a payment's date, amount or reference (a typo), with a reason; the chain
    is checked again with the corrected amount."""
    cleaned = clean(changes, PAYMENT_FIELDS)
    why = validate.text(reason, "Motif de la correction", max_len=validate.MAX_TEXT)
    if "occurred_on" in cleaned:
        _not_future(cleaned["occurred_on"])
    with db.transaction() as cur:
        payment = require_row(cur, "payment", payment_id, "Paiement")
        line = require_row(cur, "budget_line", payment["budget_line_id"], "Ligne budgétaire")
        totals = stage_totals(cur, line["id"], without=payment["id"])
        totals[payment["stage"]] += cleaned.get("amount", payment["amount"])
        _check_chain(totals, line, payment["stage"], payment["over_budget_reason"] or why)
        return update_versioned(
            cur, actor, "payment", payment_id, expected_version, cleaned, field="Paiement",
            reason=why,
        )[1]  # fmt: skip


@write_service("contributeur", "annuler un paiement saisi par erreur")
def cancel_payment(
    db: Database, actor: Actor, payment_id: int, *, expected_version: int, reason: str
) -> dict:
    with db.transaction() as cur:
        payment = require_row(cur, "payment", payment_id, "Paiement")
        line = require_row(cur, "budget_line", payment["budget_line_id"], "Ligne budgétaire")
        totals = stage_totals(cur, line["id"], without=payment["id"])
        later = _STAGE_AFTER.get(payment["stage"])
        if later and totals[later] > totals[payment["stage"]]:
            raise ValidationError(
                f"Sans ce paiement, le total {fmt.STAGE_LABELS[later]} "
                f"({fmt.money(totals[later])}) dépasserait le total "
                f"{fmt.STAGE_LABELS[payment['stage']]} ({fmt.money(totals[payment['stage']])}) : "
                f"annulez d'abord l'étape « {fmt.STAGE_LABELS[later]} »."
            )
        return cancel(cur, actor, "payment", payment_id, expected_version, reason, field="Paiement")
