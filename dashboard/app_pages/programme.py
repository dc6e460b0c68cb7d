"""Programme: the history of the legal acts (initial convention, avenants, later
conventions) and the lineage between programmes."""

from html import escape

import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.naming import act_name
from dashboard.ui import data
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, html, source_note

page_header("Programmes et actes", "L'histoire des actes et la filiation entre les programmes.")
chosen = programme_picker(allow_all=True)

programmes = [p for p in data.programmes() if chosen is None or p["code"] == chosen]
links = [
    link
    for link in data.records("programme_links")
    if chosen is None or chosen in (link["from_code"], link["to_code"])
]
notes = data.records("programme_notes")

st.subheader("Filiation des programmes")
if links:
    for link in links:
        html(
            "<div style='display:flex;align-items:center;gap:0.8rem;flex-wrap:wrap;margin:0.4rem 0'>"
            f"<div style='border:2px solid #0072B2;border-radius:0.5rem;padding:0.5rem 0.8rem'>"
            f"<strong>{escape(link['from_title'])}</strong><br><small>{escape(link['from_code'])}</small></div>"
            "<div style='font-size:1.1rem' aria-label='alimente'>— alimente →</div>"
            f"<div style='border:2px solid #009E73;border-radius:0.5rem;padding:0.5rem 0.8rem'>"
            f"<strong>{escape(link['to_title'])}</strong><br><small>{escape(link['to_code'])}</small></div></div>"
        )
        st.caption(
            escape_markdown(
                (link["description"] or "")
                + " — "
                + source_note(
                    link["source_document"], link["source_article"], link["source_excerpt"]
                )
            )
        )
else:
    st.info("Aucun lien enregistré entre programmes.")

st.subheader("Histoire des actes")
acts = [
    a
    for a in data.records("acts", programme_code=chosen)
    if chosen is None or a["programme_code"] == chosen
]
if not acts:
    st.info("Aucun acte enregistré.")
steps = []
for act in acts:
    name = act_name(
        act["kind"],
        act["number"],
        act["reference"],
        act["amends_reference"],
        act["programme_title"],
    )
    dates = [
        f"conclu le {fmt.date_fr(act['concluded_on'])}" if act["concluded_on"] else None,
        f"signé le {fmt.date_fr(act['signed_on'])}"
        if act["signed_on"]
        else f"signature : {fmt.UNKNOWN}",
        f"terme : {fmt.date_fr(act['ends_on'])}",
    ]
    if act["deliberation_body"]:
        dates.append(
            f"délibération du {act['deliberation_body']} du {fmt.date_fr(act['deliberation_date'])} "
            f"(n° {act['deliberation_number'] or fmt.UNKNOWN})"
        )
    colour = "#0072B2" if act["kind"] == "agreement" else "#E69F00"
    steps.append(
        f"<li style='margin:0 0 0.9rem 0;padding-left:0.6rem;border-left:4px solid {colour}'>"
        f"<div style='font-weight:700'>{escape(name)}</div>"
        f"<div style='font-size:0.9rem'>{escape(fmt.ACT_KIND_LABELS[act['kind']].capitalize())} · "
        f"{escape(act['programme_title'])} · {escape(' · '.join(d for d in dates if d))}</div>"
        f"<div style='font-size:0.8rem;color:#4b5563'>"
        f"{escape(source_note(act['source_document'], act['source_article']))}</div></li>"
    )
html("<ol style='list-style:none;padding-left:0'>" + "".join(steps) + "</ol>")
known = {a["number"] for a in acts if a["kind"] == "amendment"}
if known and max(known) > len(known):
    st.warning(
        "La numérotation des avenants comporte des trous : les avenants manquants ne figurent pas "
        "dans les sources (voir « Sources et complétude »).",
        icon=":material/help:",
    )

for programme in programmes:
    own = [n for n in notes if n["programme_code"] == programme["code"]]
    if own:
        st.subheader(f"Constats à l'origine du programme « {escape_markdown(programme['title'])} »")
        for note in own:
            with st.expander(
                escape_markdown(f"{note['position']}. {fmt.capitalize_first(note['title'])}")
            ):
                st.markdown(escape_markdown(fmt.capitalize_first(note["body"])))
                st.caption(
                    escape_markdown(source_note(note["source_document"], note["source_article"]))
                )
