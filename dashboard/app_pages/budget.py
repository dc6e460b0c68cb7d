"""Budget et dépenses: allocated by year and programme against committed, ordered and
paid; cumulative consumption; the payments. Each amount shows its tax basis, and
totals are given per basis, never mixed silently."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import charts, data
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import empty_state, escape_markdown, source_note

page_header(
    "Budget et dépenses",
    "Montants alloués par les actes, puis la chaîne de la dépense : "
    "engagement → mandatement → versement.",
)
today = dt.date.today()
programme = programme_picker(allow_all=True)

years = [
    r
    for r in data.records("budget_by_year", as_of=today, programme_code=programme)
    if programme is None or r["programme_code"] == programme
]
if not years:
    empty_state("Aucune ligne budgétaire : les montants alloués par les actes apparaîtront ici.")
    st.stop()

st.subheader("Totaux par base fiscale")
totals: dict[str, dict] = {}
for row in years:
    entry = totals.setdefault(
        row["tax_basis"], {"allocated": 0, "committed": 0, "ordered": 0, "paid": 0}
    )
    for stage in entry:
        entry[stage] += row[stage]
payments_any = any(r["committed"] or r["ordered"] or r["paid"] for r in years)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Base": fmt.TAX_BASIS_LABELS[basis],
                "Alloué": fmt.money(v["allocated"]),
                "Engagé": fmt.money(v["committed"]) if payments_any else fmt.UNKNOWN,
                "Mandaté": fmt.money(v["ordered"]) if payments_any else fmt.UNKNOWN,
                "Versé": fmt.money(v["paid"]) if payments_any else fmt.UNKNOWN,
            }
            for basis, v in sorted(totals.items())
        ]
    ),
    hide_index=True,
    width="stretch",
)
if len(totals) > 1:
    st.warning(
        "Les montants relèvent de bases différentes (HT, TTC ou non précisée) : ils sont présentés "
        "séparément et ne sont pas additionnés.",
        icon=":material/warning:",
    )
if "unspecified" in totals:
    st.caption("« non précisé » : l'acte donne le montant sans dire s'il est HT ou TTC.")

frame = pd.DataFrame(years)
frame["group"] = [
    f"{r['fiscal_year']} · {r['programme_code']} · {fmt.TAX_BASIS_LABELS[r['tax_basis']]}"
    for r in years
]
figure = charts.money_bars(
    frame, "Alloué, engagé, mandaté et versé par exercice, programme et base"
)
table = pd.DataFrame(
    [
        {
            "Exercice": r["fiscal_year"],
            "Programme": r["programme_code"],
            "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
            "Alloué": fmt.money(r["allocated"]),
            "Engagé": fmt.money(r["committed"]),
            "Mandaté": fmt.money(r["ordered"]),
            "Versé": fmt.money(r["paid"]),
            "Consommation": fmt.percent(r["consumption_rate"], 1)
            if payments_any and r["consumption_rate"] is not None
            else fmt.UNKNOWN,
        }
        for r in years
    ]
)
charts.show(
    figure,
    table,
    key="money-bars",
    caption=None
    if payments_any
    else "Aucun paiement enregistré : seules les barres « alloué » sont tracées.",
)

st.subheader("Consommation cumulée")
PAYMENT_ROWS = 200
payments = data.records("payments", programme_code=programme, limit=PAYMENT_ROWS)
flow = data.frame("payment_flow", programme_code=programme)
if flow.empty:
    empty_state("Aucun versement enregistré : les paiements saisis apparaîtront ici.")
else:
    for basis, part in flow.groupby("tax_basis"):
        allocated = float(totals.get(basis, {}).get("allocated", 0))
        figure = charts.cumulative(
            part, allocated, f"Cumul engagé, mandaté et versé — base {fmt.TAX_BASIS_LABELS[basis]}"
        )
        table = pd.DataFrame(
            [
                {
                    "Date": fmt.date_fr(r.occurred_on),
                    "Étape": fmt.STAGE_LABELS[r.stage],
                    "Montant": fmt.money(r.amount),
                    "Cumul": fmt.money(r.cumulative),
                }
                for r in part.itertuples()
            ]
        )
        charts.show(figure, table, key=f"cumulative-{basis}")

st.subheader("Lignes budgétaires")
lines = [
    r
    for r in data.records("budget_lines", programme_code=programme)
    if programme is None or r["programme_code"] == programme
]
st.dataframe(
    pd.DataFrame(
        [
            {
                "Programme": r["programme_code"],
                "Exercice": r["fiscal_year"],
                "Libellé": r["label"] or "",
                "Montant": fmt.money(r["amount"]),
                "Base": fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                "Financeur": r["funder"] or fmt.UNKNOWN,
                "Bénéficiaire": r["recipient"] or fmt.UNKNOWN,
                "Source": source_note(r["source_document"], r["source_article"]),
            }
            for r in lines
        ]
    ),
    hide_index=True,
    width="stretch",
)
for r in lines:
    if r["source_excerpt"]:
        st.caption(
            escape_markdown(
                f"{r['fiscal_year']} — « {r['source_excerpt']} » "
                f"({r['source_document']}, {r['source_article']})"
            )
        )

st.subheader("Paiements")
if payments:
    if len(payments) == PAYMENT_ROWS:
        st.caption(f"Les {PAYMENT_ROWS} paiements les plus récents.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Date": fmt.date_fr(p["occurred_on"]),
                    "Étape": fmt.STAGE_LABELS[p["stage"]],
                    "Montant": fmt.money(p["amount"]),
                    "Base": fmt.TAX_BASIS_LABELS[p["tax_basis"]],
                    "Exercice": p["fiscal_year"],
                    "Référence": p["reference"] or "",
                    "Saisi par": p["recorded_by"],
                }
                for p in payments
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    empty_state(
        "Aucun paiement enregistré (engagement, mandatement ou versement) : les acteurs saisiront "
        "ici la chaîne de la dépense."
    )
