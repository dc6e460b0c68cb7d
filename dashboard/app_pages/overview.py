"""Vue d'ensemble: where each programme stands, at a glance."""

import datetime as dt

import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import data
from dashboard.ui.layout import page_header, source_caption

page_header("Vue d'ensemble")

today = dt.date.today()
programmes = {p["code"]: p for p in data.records("programmes")}
for row in data.records("programme_overview", as_of=today):
    programme = programmes[row["code"]]
    with st.container(border=True):
        st.subheader(row["title"])
        period = f"{fmt.date_fr(programme['starts_on'])} → {fmt.date_fr(programme['ends_on'])}"
        st.caption(
            f"{row['code']} · {fmt.label(fmt.PROGRAMME_KIND_LABELS, row['kind'])} · {period}"
        )
        bases = [fmt.TAX_BASIS_LABELS[b] for b in (row["tax_bases"] or "").split(",") if b]
        basis = " + ".join(bases) if bases else fmt.UNKNOWN
        cols = st.columns(4)
        cols[0].metric("Alloué", fmt.money(row["allocated"]), help=f"Base : {basis}")
        cols[1].metric(
            "Versé",
            fmt.money(row["paid"]) if row["payments"] else fmt.UNKNOWN,
            help="Aucun paiement enregistré" if not row["payments"] else None,
        )
        cols[2].metric("Phases livrées", f"{row['phases_delivered']} / {row['phases_total']}")
        progress = (
            fmt.percent(row["weighted_progress"])
            if row["weighted_progress"] is not None
            else fmt.UNKNOWN
        )
        cols[3].metric(
            "Progression pondérée",
            progress,
            help=f"Calculée sur {row['progress_known']} élément(s) renseigné(s) sur {row['items_total']}",
        )
        st.caption(source_caption(programme["source_document"], programme["source_article"]))

st.subheader("Ce que le dossier ne dit pas encore")
for gap in data.completeness():
    st.markdown(f"- **{gap['item']}** — {gap['reason']}")
