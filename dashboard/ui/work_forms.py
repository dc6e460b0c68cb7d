"""Forms over the work tree (contributeur): create a phase, an orientation or an action
(an action may sit under an orientation, a phase or the programme itself), correct one,
archive one (it leaves the current views, stays in its history and in earlier views)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import existence, fmt, work
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.origins import Origin
from dashboard.ui import data
from dashboard.ui.forms import (
    attempt,
    choose,
    date_field,
    fresh,
    origin_fields,
    reason_field,
    seen_version,
    short,
)
from dashboard.ui.widgets import escape_markdown

PAGE = "work"
CREATE_LABELS = {
    "phase": "Créer la phase",
    "orientation": "Créer l'orientation",
    "action": "Créer l'action",
}


def _fields(key: str, item: dict | None = None) -> dict:
    """Title, planned dates, lead, territory and weight of an item."""
    item = item or {}
    title = st.text_input("Intitulé", value=item.get("title") or "", key=f"{key}-title")  # fmt: skip
    left, right = st.columns(2)
    with left:
        starts = date_field("Début prévu", item.get("starts_on"), key=f"{key}-start")
        lead = st.text_input("Responsable", value=item.get("lead") or "", key=f"{key}-lead")  # fmt: skip
    with right:
        ends = date_field("Fin prévue", item.get("ends_on"), key=f"{key}-end")
        territory = st.text_input("Territoire", value=item.get("territory") or "",
                                  key=f"{key}-territory")  # fmt: skip
    # a text field: a number field would show « 1.00 », an English decimal point
    weight = st.text_input("Poids (pour la progression pondérée, de 0,01 à 1 000)",
                           value=fmt.decimal_fr(item.get("weight") or 1),
                           key=f"{key}-weight")  # fmt: skip
    return {
        "title": title,
        "starts_on": starts,
        "ends_on": ends,
        "lead": lead or None,
        "territory": territory or None,
        "weight": str(weight),
    }


def create(db: Database, actor: Actor, programme: dict, items: list[dict]) -> None:
    kind = st.radio(
        "Créer", ["action", "orientation", "phase"], horizontal=True, key="work-kind",
        format_func=lambda k: fmt.ITEM_KIND_LABELS[k],
    )  # fmt: skip
    phases = {i["item_id"]: f"Phase {i['phase_number']} — {short(i['title'], 70)}"
              for i in items if i["item_kind"] == "phase"}  # fmt: skip
    orientations = {i["item_id"]: short(i["title"], 90) for i in items
                    if i["item_kind"] == "orientation"}  # fmt: skip
    target = None
    if kind == "action":
        # outside the form: what the form shows depends on it
        target = st.radio(
            "Sous", ["orientation", "phase", "programme"], horizontal=True, key="work-under",
            format_func=lambda k: {"orientation": "une orientation", "phase": "une phase",
                                   "programme": "le programme directement"}[k],
        )  # fmt: skip
    name = fresh(f"new-{kind}-{programme['code']}")
    with st.form(name):
        parent: dict = {}
        number = None
        if kind == "phase":
            number = st.number_input("Numéro de la phase", min_value=1, max_value=99, value=None,
                                     step=1, key=f"{name}-number")  # fmt: skip
        elif kind == "orientation":
            parent["phase_id"] = choose("Phase", phases, key=f"{name}-phase", none="aucune")
        elif target == "orientation":
            parent["orientation_id"] = choose("Orientation", orientations, key=f"{name}-o")
        elif target == "phase":
            parent["phase_id"] = choose("Phase", phases, key=f"{name}-p")
        else:
            parent["programme_id"] = programme["programme_id"]
        values = _fields(name)
        values["origin"] = origin_fields(name)
        if st.form_submit_button(CREATE_LABELS[kind], type="primary"):
            attempt(PAGE, f"new-{kind}-{programme['code']}",
                    f"{fmt.capitalize_first(fmt.ITEM_KIND_LABELS[kind])} « {short(values['title'], 60)} » créée.",
                    lambda: _create(db, actor, kind, programme, parent, values,
                                    None if number is None else int(number)))  # fmt: skip


def _create(db, actor, kind: str, programme: dict, parent: dict, values: dict, number):
    if kind == "phase":
        return work.create_phase(db, actor, programme_id=programme["programme_id"],
                                 number=number, **values)  # fmt: skip
    if kind == "orientation":
        return work.create_orientation(db, actor, programme_id=programme["programme_id"],
                                       phase_id=parent.get("phase_id"), **values)  # fmt: skip
    return work.create_action(db, actor, **parent, **values)


SERVICES = {"phase": work.update_phase, "orientation": work.update_orientation,
            "action": work.update_action}  # fmt: skip


def edit(db: Database, actor: Actor, item: dict) -> None:
    """Correct an item's fields (a reason when its title comes from an act), or archive it."""
    kind, item_id = item["item_kind"], item["item_id"]
    key = f"edit-{kind}-{item_id}"
    version = seen_version(key, item["version"])
    name = fresh(key)
    with st.form(name):
        values = _fields(name, item)
        reason = reason_field(f"{name}-reason", required=False)
        if st.form_submit_button("Enregistrer"):
            attempt(PAGE, key, "Modification enregistrée.",
                    lambda: SERVICES[kind](db, actor, item_id, expected_version=version,
                                           reason=reason or None, **values))  # fmt: skip
    if kind == "action":
        _axes(db, actor, item)
    with st.form(fresh(f"origin-{key}")):
        st.markdown("**Depuis quand cet élément existe**")
        st.caption(escape_markdown(fmt.capitalize_first(data.origin(kind, item_id))))
        on = date_field("Existe depuis le", None, key=f"origin-{key}-on",
                        help="La date à partir de laquelle les vues « état au » le montrent.")  # fmt: skip
        why = st.text_input("Motif de cette date", key=f"origin-{key}-why")
        if st.form_submit_button("Enregistrer la date d'existence"):
            attempt(PAGE, f"origin-{key}", "Date d'existence enregistrée.",
                    lambda: existence.set_origin(db, actor, kind, item_id,
                                                 origin=Origin(stated_on=on, reason=why or None)))  # fmt: skip
    with st.form(fresh(f"archive-{key}")):
        st.markdown("**Archiver cet élément**")
        on = date_field(
            "À partir du", dt.date.today(), key=f"archive-{key}-on",
            help="Il quitte les vues actuelles ; il reste dans son historique et dans les vues "
            "« état au » d'avant cette date. Rien n'est supprimé.",
        )  # fmt: skip
        why = st.text_input("Motif", key=f"archive-{key}-why")
        if st.form_submit_button("Archiver"):
            attempt(PAGE, f"archive-{key}", "Élément archivé.",
                    lambda: work.archive_item(db, actor, kind, item_id, expected_version=version,
                                              archived_on=on, reason=why))  # fmt: skip


def _axes(db: Database, actor: Actor, item: dict) -> None:
    """The « axes » or « piliers » of the contrat de ville the action carries."""
    key = f"axes-{item['item_id']}"
    carried = {
        r["action_id"]: r["axes"]
        for r in data.records("action_axes", programme_code=item["programme_code"])
    }.get(item["item_id"], [])
    with st.form(fresh(key)):
        st.markdown("**Axes ou piliers du contrat de ville que porte cette action**")
        typed = st.text_input(
            "Axes (séparés par « ; »)", value=" ; ".join(carried), key=f"{key}-typed",
            help="Tels que l'acte les nomme : « Cohésion sociale ; Cadre de vie ». Vide : aucun.",
        )  # fmt: skip
        if st.form_submit_button("Enregistrer les axes"):
            attempt(PAGE, key, "Axes enregistrés.",
                    lambda: work.set_action_axes(
                        db, actor, item["item_id"],
                        axes=[a.strip() for a in typed.split(";") if a.strip()]))  # fmt: skip


def archived(db: Database, actor: Actor, programme_code: str) -> None:
    """Bring back an archived item."""
    rows = data.records("archived_items", programme_code=programme_code)
    if not rows:
        st.caption("Aucun élément archivé dans ce programme.")
        return
    labels = {
        (
            r["item_kind"],
            r["item_id"],
        ): f"{fmt.capitalize_first(fmt.ITEM_KIND_LABELS[r['item_kind']])} "
        f"— {short(r['title'], 70)} (archivé le {fmt.date_fr(r['archived_on'])})"
        for r in rows
    }
    chosen = choose("Élément archivé", labels, key="restore-pick")
    row = next(r for r in rows if (r["item_kind"], r["item_id"]) == chosen)
    with st.form(fresh(f"restore-{chosen}")):
        why = st.text_input("Motif", key=f"restore-{chosen}-why")
        if st.form_submit_button("Sortir des archives"):
            attempt(PAGE, f"restore-{chosen}", "Élément sorti des archives.",
                    lambda: work.archive_item(db, actor, row["item_kind"], row["item_id"],
                                              expected_version=row["version"], archived_on=None,
                                              reason=why))  # fmt: skip
