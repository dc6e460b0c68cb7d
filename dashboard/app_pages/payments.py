"""Paiements: record an engagement, a mandatement or a versement on a budget line.
Amounts are read the French way (« 1 000,50 »); the stages stay in order; going beyond
the line's amount needs a reason, kept in the audit log."""

import datetime as dt

import streamlit as st

from dashboard.tracker import budget, fmt, validate
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, forms, money_forms, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, html, show_error, tiles_html

actor = session.require("contributeur")
page_header("Paiements", "Chaîne de la dépense : engagement → mandatement → versement.")
if flash := st.session_state.pop("payments-flash", None):
    st.success(escape_markdown(flash))
programme = programme_picker(key="payments-programme")
lines = [
    line
    for line in data.records("budget_lines", as_of=dt.date.today(), programme_code=programme)
    if line["kind"] == "financial"
]
if not lines:
    st.info("Ce programme n'a pas de ligne budgétaire : un administrateur peut en créer une.")
    st.stop()
by_id = {line["budget_line_id"]: line for line in lines}
chosen = st.selectbox(
    "Ligne budgétaire",
    list(by_id),
    key="payments-line",
    format_func=lambda i: (
        f"{by_id[i]['fiscal_year']} — {by_id[i]['label'] or 'ligne'} — "
        f"{fmt.money(by_id[i]['amount'])} ({fmt.TAX_BASIS_LABELS[by_id[i]['tax_basis']]})"
    ),
)
line = by_id[chosen]
html(
    tiles_html(
        [
            (
                "Montant de la ligne",
                fmt.money(line["amount"]),
                fmt.TAX_BASIS_LABELS[line["tax_basis"]],
            ),
            (
                "Engagé",
                fmt.money(line["committed"] or 0),
                f"reste à engager : {fmt.money(line['amount'] - (line['committed'] or 0))}",
            ),
            (
                "Mandaté",
                fmt.money(line["ordered"] or 0),
                f"reste à mandater : "
                f"{fmt.money((line['committed'] or 0) - (line['ordered'] or 0))}",
            ),
            (
                "Versé",
                fmt.money(line["paid"] or 0),
                f"reste à verser : {fmt.money((line['ordered'] or 0) - (line['paid'] or 0))}",
            ),
        ]
    )
)

# a new form after each save, so that a saved entry cannot be submitted twice by mistake
with st.form(f"payment-{st.session_state.get('payment-saved', 0)}"):
    stage = st.selectbox(
        "Étape", list(fmt.STAGE_LABELS), format_func=lambda s: fmt.STAGE_LABELS[s].capitalize()
    )
    when = forms.date_field("Date", dt.date.today(), key="payment-day")
    amount = st.text_input("Montant en euros (ex. 1 000,50)", max_chars=30)
    reference = st.text_input("Référence (n° d'engagement, de mandat…)", max_chars=100)
    reason = st.text_area("Motif, si l'engagement dépasse le montant de la ligne", max_chars=5000)
    submitted = st.form_submit_button("Enregistrer", type="primary")

if submitted:
    try:
        budget.record_payment(
            data.database(),
            actor,
            budget_line_id=chosen,
            stage=stage,
            occurred_on=when,
            amount=amount,
            reference=reference or None,
            over_budget_reason=reason or None,
        )
    except TrackerError as error:
        show_error(error, " Rien n'a été enregistré.")
    else:
        st.session_state["payment-saved"] = st.session_state.get("payment-saved", 0) + 1
        st.session_state["payments-flash"] = (
            f"{fmt.STAGE_LABELS[stage].capitalize()} de {fmt.money(validate.amount(amount))} enregistré."
        )
        st.rerun()

st.subheader("Corriger ou annuler un paiement")
forms.flash("payments")
money_forms.correct_payment(data.database(), actor, "payments", programme)
