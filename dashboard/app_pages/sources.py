"""Sources et complétude: every act with its articles and clauses, every fact with the
document, article and excerpt it comes from, and what the record still lacks."""

from html import escape

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.naming import act_name
from dashboard.ui import data
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import data_table, escape_markdown, html

page_header(
    "Sources et complétude", "D'où vient chaque fait, et ce que le dossier ne dit pas encore."
)
programme = programme_picker(allow_all=True)

st.header("Ce que le dossier ne dit pas encore")
gaps = data.completeness(programme)
if not gaps:
    st.success("Rien ne manque au dossier.")
else:
    st.caption(
        f"{len(gaps)} manque(s) : chacun reste « {fmt.UNKNOWN} » dans les tableaux plutôt qu'inventé."
    )
    html(
        "<ul style='padding-left:1.2rem'>"
        + "".join(
            f"<li style='margin:0 0 0.6rem 0'><strong>{escape(g['item'])}</strong> "
            f"<span style='color:#4b5563'>({escape(g['programme_code'])})</span><br>{escape(g['reason'])}</li>"
            for g in gaps
        )
        + "</ul>"
    )

st.header("Actes et clauses")
clauses = data.records("clauses", as_of=fmt.EVERY_DATE, programme_code=programme)
corrections = data.corrections()
for act in data.records("acts", as_of=fmt.EVERY_DATE, programme_code=programme):
    name = act_name(act)
    with st.expander(escape_markdown(f"{name} — {act['programme_code']}")):
        st.markdown(f"**{escape_markdown(act['title'])}**")
        facts = [
            f"Conclusion : {fmt.date_fr(act['concluded_on'])}",
            f"Signature : {fmt.date_fr(act['signed_on'])}",
            f"Prise d'effet : {fmt.EFFECTIVE_RULE_LABELS[act['effective_rule']]}"
            + (f" ({fmt.date_fr(act['effective_on'])})" if act["effective_on"] else ""),
            f"Terme : {fmt.date_fr(act['ends_on'])}",
            f"Parties et représentants : {act['representatives'] or fmt.UNKNOWN}",
            f"Signataires : {act['signatories'] or fmt.UNKNOWN}",
        ]
        said = fmt.deliberation(
            act["deliberation_body"], act["deliberation_number"], act["deliberation_date"]
        )
        if said:
            facts.append(
                fmt.capitalize_first(said)
                + ("" if act["deliberation_number"] else f" (numéro : {fmt.UNKNOWN})")
            )
        facts += corrections.get(("legal_act", act["act_id"]), [])
        st.markdown("\n".join(f"- {escape_markdown(fact)}" for fact in facts))
        own = [c for c in clauses if c["act_id"] == act["act_id"]]
        if own:
            data_table(
                pd.DataFrame(
                    [
                        {
                            "Article": c["article"],
                            "Clause": fmt.CLAUSE_KIND_LABELS[c["kind"]],
                            "Délai": " ".join(
                                x
                                for x in (
                                    f"{c['months']} mois" if c["months"] else "",
                                    f"{c['days']} jours" if c["days"] else "",
                                )
                                if x
                            )
                            or "—",
                            "Résumé": c["summary"],
                            "Extrait": c["source_excerpt"] or "",
                            "Correction": " ; ".join(
                                corrections.get(("clause", c["clause_id"]), [])
                            ),
                        }
                        for c in own
                    ]
                ),
                hide_index=True,
                placeholder=fmt.UNKNOWN,
                width="stretch",
            )
        st.caption(escape_markdown(cite_row(act, excerpt=True, label=True)))

st.header("Chaque fait et sa source")
facts = data.records("sources")
entity_labels = {
    "organisation": "organisation",
    "person": "personne",
    "programme": "programme",
    "legal_act": "acte",
    "clause": "clause",
    "phase": "phase",
    "orientation": "orientation",
    "action": "action",
    "committee": "comité",
    "meeting": "réunion",
    "decision": "décision",
    "budget_line": "ligne budgétaire",
    "status_event": "statut",
    "programme_note": "constat",
    "programme_link": "lien entre programmes",
}
documents = sorted({f["document"] for f in facts})
chosen = st.multiselect("Document", documents, default=documents, placeholder="Tous")
shown = [f for f in facts if f["document"] in chosen]
st.caption(f"{len(shown)} fait(s) sourcé(s).")


def value(fact: dict) -> str:
    if fact["entity"] == "status_event":
        return f"{fact['label']} → {fmt.label(fmt.STATUS_LABELS, fact['detail'])}"
    return fact["label"]


data_table(
    pd.DataFrame(
        [
            {
                "Document": f["document"],
                "Article": f["article"],
                "Fait": entity_labels.get(f["entity"], f["entity"]),
                "Valeur": value(f),
                "Extrait": f["excerpt"],
            }
            for f in shown
        ]
    ),
    hide_index=True,
    placeholder=fmt.UNKNOWN,
    width="stretch",
    height=420,
    column_config={
        "Valeur": st.column_config.TextColumn(width="large"),
        "Extrait": st.column_config.TextColumn(width="large"),
    },
)
