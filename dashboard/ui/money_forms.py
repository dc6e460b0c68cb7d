"""Forms over money: budget lines (tied to an act and its article, from a funder to a
recipient; in-kind support without an amount; a line superseding another when an
avenant changes a year's amount), their correction and cancellation; and the
correction or cancellation of a payment."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import budget, fmt, validate
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.ui import data, territory_tags
from dashboard.ui.act_forms import act_label
from dashboard.ui.forms import (
    attempt,
    choose,
    date_field,
    fresh,
    origin_fields,
    reason_field,
    seen_version,
    short,
    source_fields,
)

PAGE = "records"


def _line_label(line: dict) -> str:
    amount = fmt.money(line["amount"]) if line["amount"] is not None else "apport en nature"
    return (
        f"{line['programme_code']} · {line['fiscal_year']} · {amount} "
        f"{fmt.TAX_BASIS_LABELS[line['tax_basis']]}"
        + (f" — {short(line['label'], 50)}" if line["label"] else "")
    )


OVER_ACT_LABEL = "Motif, si la ligne dépasse ce que l'article de l'acte prévoit pour l'exercice"


def _actions(programme_code: str) -> dict[int, str]:
    """The live actions of a programme, for the financing plan of one of them."""
    return {
        w["item_id"]: short(w["title"], 80)
        for w in data.records("work_items", as_of=dt.date.today(), programme_code=programme_code)
        if w["item_kind"] == "action"
    }


def create_line(db: Database, actor: Actor) -> None:
    programmes = {p["programme_id"]: p for p in data.records("programme_records")
                  if p["archived_on"] is None}  # fmt: skip
    programme_id = choose(
        "Programme", {i: f"{p['code']} — {short(p['title'], 70)}" for i, p in programmes.items()},
        key="line-prog",
    )  # fmt: skip
    if programme_id is None:
        return
    code = programmes[programme_id]["code"]
    acts = {a["act_id"]: act_label(a)
            for a in data.records("acts", as_of=fmt.EVERY_DATE, programme_code=code)}  # fmt: skip
    clauses = {
        c[
            "clause_id"
        ]: f"{c['article']} ({fmt.CLAUSE_KIND_LABELS[c['kind']]}) — {short(c['act_title'], 40)}"
        for c in data.records("clauses", as_of=fmt.EVERY_DATE, programme_code=code)
    }
    orgs = {o["organisation_id"]: o["name"] for o in data.records("organisation_records")
            if o["archived_on"] is None}  # fmt: skip
    lines = {b["budget_line_id"]: _line_label(b)
             for b in data.records("budget_line_records", programme_code=code)}  # fmt: skip
    actions = _actions(code)
    name = fresh(f"new-line-{programme_id}")
    with st.form(name):
        st.markdown("**Nouvelle ligne budgétaire**")
        act = choose("Acte qui l'accorde", acts, key=f"{name}-act", none="aucun")
        clause = choose("Article (clause)", clauses, key=f"{name}-clause", none="aucun")
        left, right = st.columns(2)
        year = left.number_input("Exercice", min_value=2000, max_value=2100, value=None, step=1)
        kind = choose("Nature", fmt.BUDGET_KIND_LABELS, key=f"{name}-kind")
        amount = left.text_input(
            "Montant (ex. 50 000 ; vide pour un apport en nature)",
            help="Vide aussi pour un soutien « financier et/ou matériel » : il s'enregistre "
            "tel que l'acte le dit, sans montant.",
        )
        with right:  # never guessed: HT, TTC, or « non précisé » when the act is silent
            basis = choose("Base", fmt.TAX_BASIS_LABELS, key=f"{name}-basis", index=None)
        funder = choose("Financeur", orgs, key=f"{name}-funder", none="non renseigné")
        recipient = choose("Bénéficiaire", orgs, key=f"{name}-recipient", none="non renseigné")
        action = choose("Action financée", actions, key=f"{name}-action",
                        none="le programme dans son ensemble")  # fmt: skip
        nature = choose("Nature des crédits", fmt.FUNDING_NATURE_LABELS, key=f"{name}-nature",
                        none="non renseigné")  # fmt: skip
        label = st.text_input("Libellé")
        description = st.text_area(
            "Description (pour un apport en nature : locaux, personnel…)", max_chars=5000
        )
        supersedes = choose(
            "Remplace la ligne (un avenant change le montant d'un exercice)", lines,
            key=f"{name}-sup", none="aucune",
        )  # fmt: skip
        over_act = st.text_area(OVER_ACT_LABEL, max_chars=5000, key=f"{name}-over")
        origin = origin_fields(name)
        source = source_fields(name)
        if st.form_submit_button("Créer la ligne", type="primary"):
            attempt(
                PAGE, f"new-line-{programme_id}", "Ligne budgétaire créée.",
                lambda: budget.create_budget_line(
                    db, actor, programme_id=programme_id,
                    fiscal_year=None if year is None else int(year), tax_basis=basis,
                    amount=amount or None, kind=kind, act_id=act, clause_id=clause,
                    funder_id=funder, recipient_id=recipient, label=label or None,
                    description=description or None, supersedes_line_id=supersedes,
                    source=source, action_id=action, funding_nature=nature,
                    over_act_reason=over_act or None, origin=origin,
                ),
            )  # fmt: skip


def correct_line(db: Database, actor: Actor) -> None:
    rows = {
        b["budget_line_id"]: b for b in data.records("budget_line_records", programme_code=None)
    }
    if not rows:
        return
    chosen = choose("Ligne à corriger ou annuler", {i: _line_label(b) for i, b in rows.items()},
                    key="line-pick")  # fmt: skip
    line = rows[chosen]
    key = f"line-{chosen}"
    version = seen_version(key, line["version"])
    orgs = {o["organisation_id"]: o["name"] for o in data.records("organisation_records")}
    name = fresh(key)
    with st.form(name):
        amount = st.text_input(
            "Montant", value="" if line["amount"] is None else fmt.number(line["amount"], 2)
        )
        basis = choose(
            "Base", fmt.TAX_BASIS_LABELS, key=f"{name}-basis",
            index=list(fmt.TAX_BASIS_LABELS).index(line["tax_basis"]),
        )  # fmt: skip
        label = st.text_input("Libellé", value=line["label"] or "")
        description = st.text_area("Description", value=line["description"] or "", max_chars=5000)
        org_ids = [None, *orgs]
        funder = choose("Financeur", orgs, key=f"{name}-funder", none="non renseigné",
                        index=org_ids.index(line["funder_id"]))  # fmt: skip
        recipient = choose("Bénéficiaire", orgs, key=f"{name}-recipient", none="non renseigné",
                           index=org_ids.index(line["recipient_id"]))  # fmt: skip
        actions = _actions(line["programme_code"])
        action = choose(
            "Action financée", actions, key=f"{name}-action",
            none="le programme dans son ensemble",
            index=[None, *actions].index(line["action_id"]) if line["action_id"] in actions else 0,
        )  # fmt: skip
        nature = choose(
            "Nature des crédits", fmt.FUNDING_NATURE_LABELS, key=f"{name}-nature",
            none="non renseigné", index=[None, *fmt.FUNDING_NATURE_LABELS].index(
                line["funding_nature"]),
        )  # fmt: skip
        over_act = st.text_area(OVER_ACT_LABEL, value=line["over_act_reason"] or "",
                                max_chars=5000, key=f"{name}-over")  # fmt: skip
        reason = reason_field(f"{name}-reason", required=False)
        left, right = st.columns(2)
        if left.form_submit_button("Enregistrer la ligne"):
            attempt(
                PAGE, key, "Ligne budgétaire enregistrée.",
                lambda: budget.update_budget_line(
                    db, actor, chosen, expected_version=version,
                    amount=amount if line["kind"] == "financial" else None, tax_basis=basis,
                    label=label or None, description=description or None, funder_id=funder,
                    recipient_id=recipient, reason=reason or None, action_id=action,
                    funding_nature=nature, over_act_reason=over_act or None,
                ),
            )  # fmt: skip
        if right.form_submit_button("Annuler la ligne (saisie par erreur)"):
            attempt(
                PAGE, key, "Ligne budgétaire annulée.",
                lambda: budget.cancel_budget_line(db, actor, chosen, expected_version=version,
                                                  reason=reason),
            )  # fmt: skip
    territory_tags.form(PAGE, "budget_line", chosen, actor, what="de la ligne")


def record_payment(db: Database, actor: Actor, page: str, budget_line_id: int) -> None:
    """An engagement, a mandatement or a versement on the chosen line; a new form after
    each save, so that a saved entry cannot be submitted twice by mistake."""
    name = fresh("payment")
    with st.form(name):
        stage = st.selectbox("Étape", list(fmt.STAGE_LABELS),
                             format_func=lambda s: fmt.STAGE_LABELS[s].capitalize())  # fmt: skip
        when = date_field("Date", dt.date.today(), key=f"{name}-day")
        amount = st.text_input("Montant en euros (ex. 1 000,50)")
        reference = st.text_input("Référence (n° d'engagement, de mandat…)")
        reason = st.text_area("Motif, si l'engagement dépasse le montant de la ligne",
                              max_chars=5000)  # fmt: skip
        if st.form_submit_button("Enregistrer", type="primary"):
            attempt(
                page, "payment",
                lambda: f"{fmt.STAGE_LABELS[stage].capitalize()} de "
                f"{fmt.money(validate.amount(amount))} enregistré.",
                lambda: budget.record_payment(
                    db, actor, budget_line_id=budget_line_id, stage=stage, occurred_on=when,
                    amount=amount, reference=reference or None,
                    over_budget_reason=reason or None,
                ),
            )  # fmt: skip


def correct_payment(db: Database, actor: Actor, page: str, programme: str | None) -> None:
    """Correct a payment's date, amount or reference, or cancel it, with a reason."""
    payments = {
        p["payment_id"]: p
        for p in data.records(
            "payments", programme_code=programme, since=None, until=None, limit=50
        )  # fmt: skip
    }
    if not payments:
        st.caption("Aucun paiement enregistré sur ce programme.")
        return
    labels = {
        i: f"{fmt.date_fr(p['occurred_on'])} · {fmt.STAGE_LABELS[p['stage']]} · "
        f"{fmt.money(p['amount'])} ({p['fiscal_year']})"
        for i, p in payments.items()
    }
    chosen = choose("Paiement", labels, key="payment-fix-pick")
    payment = payments[chosen]
    key = f"payment-{chosen}"
    version = seen_version(key, payment["version"])
    name = fresh(key)
    with st.form(name):
        day = date_field("Date", payment["occurred_on"], key=f"{name}-day")
        amount = st.text_input("Montant", value=fmt.number(payment["amount"], 2))
        reference = st.text_input("Référence", value=payment["reference"] or "")
        reason = reason_field(f"{name}-reason", required=True)
        left, right = st.columns(2)
        if left.form_submit_button("Corriger le paiement"):
            attempt(
                page, key, "Paiement corrigé.",
                lambda: budget.update_payment(
                    db, actor, chosen, expected_version=version, occurred_on=day, amount=amount,
                    reference=reference or None, reason=reason,
                ),
            )  # fmt: skip
        if right.form_submit_button("Annuler le paiement"):
            attempt(
                page, key, "Paiement annulé (il reste au journal d'audit).",
                lambda: budget.cancel_payment(db, actor, chosen, expected_version=version,
                                              reason=reason),
            )  # fmt: skip
