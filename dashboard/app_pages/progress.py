"""Avancement: the work tree with statuses and progress, a Gantt, filters in the URL,
and each item's history and sources."""

from html import escape

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.ui import charts, data, filters
from dashboard.ui.layout import as_of_picker, page_header, programme_picker
from dashboard.ui.widgets import badge_html, data_table, escape_markdown, html, progress_html

UNKNOWN_CODE = "unknown"
ACTIONS_SHOWN_UP_TO = 120

page_header(
    "Avancement", "Phases, orientations et actions : statut, avancement, historique et sources."
)
top = st.columns([2, 1])
with top[0]:
    programme = programme_picker()
as_of = as_of_picker(top[1], "Statuts tels qu'ils étaient à cette date.")
items = data.records("work_items", as_of=as_of, programme_code=programme)
leads = sorted({i["lead"] for i in items if i["lead"]})
status_options = [*fmt.STATUS_LABELS, UNKNOWN_CODE]
columns = st.columns(3)
with columns[0]:
    statuses = filters.multiselect(
        "Statut",
        "statut",
        status_options,
        key="f-status",
        format_func=lambda c: fmt.UNKNOWN if c == UNKNOWN_CODE else fmt.STATUS_LABELS[c],
    )
territory, scope = filters.territory(columns[1], key="f-territory", as_of=as_of)
tagged = {
    t["entity_id"]: set(t["territory_ids"]) for t in data.records("territory_tags", entity="action")
}
with columns[2]:
    chosen_leads = filters.multiselect("Responsable", "responsable", leads, key="f-lead")


def keep(item: dict) -> bool:
    status = item["status"] or UNKNOWN_CODE
    return (not statuses or status in statuses) and (
        not chosen_leads or item["lead"] in chosen_leads
    )


def in_territory(items: list[dict]) -> list[dict]:
    """With a territory chosen: the actions tagged with it (or a territory within it),
    and the phases and orientations above them, for context."""
    if scope is None:
        return items
    actions = [
        i for i in items if i["item_kind"] == "action" and tagged.get(i["item_id"], set()) & scope
    ]
    phases = {a["phase_id"] for a in actions}
    orientations = {a["orientation_id"] for a in actions}
    return [i for i in items if i in actions
            or (i["item_kind"] == "phase" and i["item_id"] in phases)
            or (i["item_kind"] == "orientation" and i["item_id"] in orientations)]  # fmt: skip


shown = in_territory([i for i in items if keep(i)])
st.caption(f"{len(shown)} élément(s) affiché(s) sur {len(items)}.")
if not shown:
    st.info("Aucun élément ne correspond à ces filtres : retirez-en un pour élargir la vue.")
    st.stop()


def line(item: dict) -> str:
    kind = fmt.ITEM_KIND_LABELS[item["item_kind"]]
    head = f"Phase {item['phase_number']}" if item["item_kind"] == "phase" else kind.capitalize()
    meta = []
    if item["status_on"]:
        meta.append(f"depuis le {fmt.date_fr(item['status_on'])}")
    if item["lead"]:
        meta.append(f"responsable : {item['lead']}")
    if item["territory"]:
        meta.append(item["territory"])
    return (
        f"{badge_html(item['status'])} <strong>{escape(head)}</strong> — {escape(fmt.capitalize_first(item['title']))} "
        f"<br><span style='margin-left:0.2rem'>{progress_html(item['effective_progress'])}</span> "
        f"<span style='color:#4b5563;font-size:0.85rem'>{escape(' · '.join(meta))}</span>"
    )


st.header("Arborescence")
actions = [i for i in shown if i["item_kind"] == "action"]
with_actions = (
    st.toggle(
        f"Afficher les actions ({len(actions)})",
        value=len(actions) <= ACTIONS_SHOWN_UP_TO,
        key="f-actions",
        help="Sur un grand programme, filtrez par statut, territoire ou responsable pour alléger la liste.",
    )
    if actions
    else False
)
depth = {"phase": 0, "orientation": 1, "action": 2}
blocks = []
for item in shown:
    if item["item_kind"] == "action" and not with_actions:
        continue
    level = (
        depth[item["item_kind"]] if item["phase_id"] or item["item_kind"] != "orientation" else 0
    )
    if item["item_kind"] == "action" and not item["phase_id"]:
        level = 1
    blocks.append(
        f"<div role='listitem' style='margin:0.35rem 0 0.35rem {level * 1.6}rem;"
        f"line-height:1.6'>{line(item)}</div>"
    )
html("<div role='list' aria-label='Arborescence des éléments suivis'>" + "".join(blocks) + "</div>")

st.header("Calendrier des travaux")
gantt_rows = []
for item in shown:
    if item["item_kind"] == "action" and not with_actions:
        continue
    actual_end = item["finished_on"] or (as_of if item["started_on"] else None)
    label = (
        f"Phase {item['phase_number']}"
        if item["item_kind"] == "phase"
        else f"{fmt.ITEM_KIND_LABELS[item['item_kind']].capitalize()} {item['item_id']}"
    )
    gantt_rows.append(
        {
            "label": f"{label} : {fmt.capitalize_first(item['title'])[:50]}",
            "planned_start": item["starts_on"],
            "planned_end": item["ends_on"],
            "actual_start": item["started_on"],
            "actual_end": actual_end,
            "status_label": fmt.label(fmt.STATUS_LABELS, item["status"]),
        }
    )
bars = [r for r in gantt_rows if (r["planned_start"] and r["planned_end"]) or r["actual_start"]]
if bars:
    figure = charts.gantt(
        bars, as_of, "Périodes prévues et réalisées (d'après l'historique des statuts)"
    )
    table = pd.DataFrame(
        [
            {
                "Élément": r["label"],
                "Début prévu": fmt.date_fr(r["planned_start"]),
                "Fin prévue": fmt.date_fr(r["planned_end"]),
                "Début réel": fmt.date_fr(r["actual_start"]),
                "Fin réelle ou date de la vue": fmt.date_fr(r["actual_end"]),
                "Statut": r["status_label"],
            }
            for r in bars
        ]
    )
    started = sum(1 for r in bars if r["actual_start"])
    planned = sum(1 for r in bars if r["planned_start"] and r["planned_end"])
    charts.show(
        figure,
        table,
        summary=f"{len(bars)} élément(s) : {planned} avec une période prévue, {started} "
        f"commencé(s) d'après l'historique des statuts au {fmt.date_fr(as_of)}.",
        caption="Barre claire : période prévue ; barre foncée : du premier passage "
        "« en cours » à la livraison (ou jusqu'à la date de la vue).",
        key="gantt",
    )
else:
    st.info(
        "Aucune date de début ni de passage « en cours » n'est renseignée pour ces éléments : "
        "le calendrier apparaîtra dès qu'elles seront saisies."
    )

st.header("Détail d'un élément")
chosen, item = filters.item_picker(shown, key="f-item")
with st.container(border=True):
    html(line(item))
    st.caption(
        escape_markdown(
            cite_row(item, excerpt=True, label=True)
            + " · "
            + fmt.capitalize_first(data.origin(item["item_kind"], item["item_id"]))
        )
    )
    if item["item_kind"] == "action":
        carried = {
            r["action_id"]: r["axes"]
            for r in data.records("action_axes", programme_code=item["programme_code"])
        }.get(item["item_id"])
        if carried:
            st.markdown(escape_markdown("Axes du contrat de ville : " + " ; ".join(carried)))
    history = data.item_timeline(item["item_kind"], item["item_id"], item["programme_code"])
    statuses = [h for h in history if h["entry_kind"] == "status"]
    st.markdown("**Historique** (statuts et modifications de la fiche)")
    data_table(
        pd.DataFrame(
            [
                {
                    "Enregistré le": fmt.datetime_fr(h["happened_at"]),
                    "Date d'effet": fmt.date_fr(h["occurred_on"]),
                    "Par": h["actor"],
                    "Changement": h["what"],
                    "Commentaire ou motif": h["comment"] or "",
                    "Source": cite_row(h, label=True) if h["source_document"] else "",
                }
                for h in history
            ]
        ),
        hide_index=True,
        placeholder=fmt.UNKNOWN,
        width="stretch",
    )
    if not statuses:
        st.info("Aucun statut enregistré pour cet élément : il s'affiche « non renseigné ».")
    decisions = data.records("item_decisions", item_kind=item["item_kind"], item_id=item["item_id"])
    if decisions:
        st.markdown("**Décisions qui le concernent**")
        for d in decisions:
            st.markdown(
                escape_markdown(
                    f"{fmt.date_fr(d['held_on'])} · {d['committee_name']} · "
                    f"{fmt.DECISION_KIND_LABELS[d['kind']]} : {d['text']} — "
                    + cite_row(d, label=True)
                )
            )
