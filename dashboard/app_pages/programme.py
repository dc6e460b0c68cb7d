"""Programme: the history of the legal acts (initial convention, avenants, later
conventions) and the lineage between programmes."""

import datetime as dt
from html import escape

import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.naming import act_name
from dashboard.ui import attachments, data
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, html

page_header("Programmes et actes", "L'histoire des actes et la filiation entre les programmes.")
chosen = programme_picker(allow_all=True)

programmes = [p for p in data.programmes() if chosen is None or p["code"] == chosen]
links = [
    link
    for link in data.records("programme_links")
    if chosen is None or chosen in (link["from_code"], link["to_code"])
]
notes = data.records("programme_notes")

st.header("Filiation des programmes")
if links:
    for link in links:
        html(
            "<div style='display:flex;align-items:center;gap:0.8rem;flex-wrap:wrap;margin:0.4rem 0'>"
            f"<div style='border:2px solid #0072B2;border-radius:0.5rem;padding:0.5rem 0.8rem'>"
            f"<strong>{escape(link['from_title'])}</strong><br><small>{escape(link['from_code'])}</small></div>"
            f"<div style='font-size:1.1rem'>— {escape(fmt.LINK_KIND_LABELS[link['kind']])} →</div>"
            f"<div style='border:2px solid #009E73;border-radius:0.5rem;padding:0.5rem 0.8rem'>"
            f"<strong>{escape(link['to_title'])}</strong><br><small>{escape(link['to_code'])}</small></div></div>"
        )
        st.caption(
            escape_markdown(
                (link["description"] or "") + " — " + cite_row(link, excerpt=True, label=True)
            )
        )
else:
    st.info("Aucun lien enregistré entre programmes.")

st.header("Histoire des actes")
today = dt.date.today()
acts = data.records("acts", as_of=fmt.EVERY_DATE, programme_code=chosen)
in_force_today = {a["act_id"]: a for a in data.records("acts", as_of=today, programme_code=chosen)}
corrections = data.corrections("legal_act")
if not acts:
    st.info("Aucun acte enregistré.")


def act_lines(act: dict) -> list[str]:
    """What an act says of its dates, « tel que signé » then « tel que modifié »."""
    signature = (
        f"signé le {fmt.date_fr(act['signed_on'])}"
        if act["signed_on"]
        else "date de signature non indiquée dans l'acte, qui prend effet à sa signature"
        if act["effective_rule"] == "at_signature"
        else "date de signature non renseignée"
    )
    lines = [
        " · ".join(
            part
            for part in (
                f"conclu le {fmt.date_fr(act['concluded_on'])}" if act["concluded_on"] else None,
                signature,
                f"en vigueur depuis le {fmt.date_fr(act['starts_on'])} "
                f"({fmt.ACT_START_BASIS_LABELS[act['start_basis']]})",
            )
            if part
        ),
        f"Tel que signé : terme {fmt.date_fr(act['ends_on'])}",
    ]
    if act["short_name"]:
        lines.append(f"Nom court saisi (l'acte ne le donne pas) : {act['short_name']}")
    if act["framework_act_id"]:
        lines.append(f"Dans le cadre de : {every_name.get(act['framework_act_id'], fmt.UNKNOWN)}")
    framed = [every_name[a["act_id"]] for a in every_act if a["framework_act_id"] == act["act_id"]]
    if framed:
        lines.append("Cadre de : " + " ; ".join(framed))
    current = in_force_today.get(act["act_id"])
    if current is None:
        lines.append(f"Pas encore en vigueur au {fmt.date_fr(today)}")
    elif current["extended_by"]:
        lines.append(
            f"Tel que modifié au {fmt.date_fr(today)} : terme {fmt.date_fr(current['term_on'])} "
            f"(prolongé par l'avenant n° {act_numbers.get(current['extended_by'], '?')})"
        )
    if act["extends_to"]:
        lines.append(
            f"Cet avenant porte le terme de l'acte modifié au {fmt.date_fr(act['extends_to'])}"
        )
    if act["terminated_on"]:
        lines.append(
            f"Résilié à effet du {fmt.date_fr(act['terminated_on'])} : {act['termination_reason']}"
        )
    said = fmt.deliberation(
        act["deliberation_body"], act["deliberation_number"], act["deliberation_date"]
    )
    if said:
        lines.append(
            fmt.capitalize_first(said)
            + ("" if act["deliberation_number"] else f" (numéro : {fmt.UNKNOWN})")
        )
    lines.append(f"Parties et représentants : {act['representatives'] or fmt.UNKNOWN}")
    lines.append(f"Signataires : {act['signatories'] or fmt.UNKNOWN}")
    if act["starts_after_amended_term"]:
        lines.append("Attention : cet avenant prend effet après le terme de l'acte qu'il modifie.")
    return lines


act_numbers = {a["act_id"]: a["number"] for a in acts}
# every programme's acts: an act may frame (or be framed by) one of another programme
every_act = (
    acts if chosen is None else data.records("acts", as_of=fmt.EVERY_DATE, programme_code=None)
)
every_name = {a["act_id"]: act_name(a) for a in every_act}
steps = []
for act in acts:
    name = act_name(act)
    colour = "#E69F00" if act["kind"] == "amendment" else "#0072B2"
    details = "".join(
        f"<div style='font-size:0.9rem'>{escape(line)}</div>" for line in act_lines(act)
    )
    fixes = "".join(
        f"<div style='font-size:0.85rem;color:#9a3412'>{escape(note)}</div>"
        for note in corrections.get(("legal_act", act["act_id"]), [])
    )
    steps.append(
        f"<li style='margin:0 0 0.9rem 0;padding-left:0.6rem;border-left:4px solid {colour}'>"
        f"<div style='font-weight:700'>{escape(name)}</div>"
        f"<div style='font-size:0.9rem'>{escape(fmt.capitalize_first(fmt.ACT_KIND_LABELS[act['kind']]))} · "
        f"{escape(act['programme_title'])}</div>{details}{fixes}"
        f"<div style='font-size:0.8rem;color:#4b5563'>"
        f"{escape(cite_row(act, label=True))}</div></li>"
    )
html("<ol style='list-style:none;padding-left:0'>" + "".join(steps) + "</ol>")
attachments.section(
    "legal_act",
    {a["act_id"]: act_name(a) for a in acts},
    "Exemplaires signés et pièces des actes",
)  # fmt: skip
known = {a["number"] for a in acts if a["kind"] == "amendment" and a["number"]}
if known and max(known) > len(known):
    st.warning(
        "La numérotation des avenants comporte des trous : les avenants manquants ne figurent pas "
        "dans les sources (voir « Sources et complétude »).",
        icon=":material/help:",
    )

for programme in programmes:
    own = [n for n in notes if n["programme_code"] == programme["code"]]
    if own:
        st.header(f"Constats à l'origine du programme « {escape_markdown(programme['title'])} »")
        for note in own:
            with st.expander(
                escape_markdown(f"{note['position']}. {fmt.capitalize_first(note['title'])}")
            ):
                st.markdown(escape_markdown(fmt.capitalize_first(note["body"])))
                st.caption(escape_markdown(cite_row(note, label=True)))
