"""Paiements: record an engagement, a mandatement or a versement on a budget line.
Amounts are read the French way (« 1 000,50 »); the stages stay in order; going beyond
the line's amount needs a reason, kept in the audit log."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import attachments, data, forms, money_forms, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import data_table, html, tiles_html

actor = session.require("contributeur")
page_header("Paiements", "Chaîne de la dépense : engagement → mandatement → versement.")
forms.flash("payments")
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


def stage_tile(label: str, done: object, before: object, left_label: str) -> tuple:
    """A stage of the chain: unknown (nothing recorded) is not 0."""
    if done is None:
        return label, fmt.UNKNOWN, "aucun paiement enregistré : inconnu, pas nul"
    if before is None:
        return label, fmt.money(done), ""
    return label, fmt.money(done), f"{left_label} : {fmt.money(before - done)}"


html(
    tiles_html(
        [
            ("Montant de la ligne", fmt.money(line["amount"]),
             fmt.TAX_BASIS_LABELS[line["tax_basis"]]),
            stage_tile("Engagé", line["committed"], line["amount"], "reste à engager"),
            stage_tile("Mandaté", line["ordered"], line["committed"], "reste à mandater"),
            stage_tile("Versé", line["paid"], line["ordered"], "reste à verser"),
        ]
    )
)  # fmt: skip

with st.expander("Historique de cette ligne et de ses paiements"):
    history = data.budget_line_history(chosen)
    if history:
        data_table(pd.DataFrame([{
            "Quand": fmt.datetime_fr(h["occurred_at"]), "Par": h["actor"], "Quoi": h["subject"],
            "Opération": h["operation"], "Changement": h["what"], "Motif": h["reason"],
        } for h in history]), hide_index=True, width="stretch")  # fmt: skip
    else:
        st.caption("Aucune entrée au journal pour cette ligne.")

with st.expander("Pièces de la ligne (compte rendu financier…)", icon=":material/attach_file:"):
    st.caption(
        "Le compte rendu financier d'une subvention est dû dans les six mois qui suivent la fin "
        "de l'exercice financé (loi n° 2000-321 du 12 avril 2000, art. 10) : joint ici, il "
        "marque l'échéance comme remise (page Échéances)."
    )
    attachments.downloads("budget_line", chosen, line.get("label") or f"ligne n° {chosen}")
    attachments.uploader("budget_line", chosen, actor, key=f"attach-budget-line-{chosen}")

money_forms.record_payment(data.database(), actor, "payments", chosen)

st.header("Corriger ou annuler un paiement")
money_forms.correct_payment(data.database(), actor, "payments", programme)
