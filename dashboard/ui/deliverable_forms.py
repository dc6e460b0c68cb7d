"""The deliverables of « Saisie de l'évaluation »: a new one under a phase, an
orientation or an action, its delivery, planned date or archiving, its territories and
its files."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import deliverables, fmt
from dashboard.ui import attachments, data, forms, territory_tags
from dashboard.ui.evaluation_forms import Entry


# -- deliverables -------------------------------------------------------------------------------
def deliverables_tab(e: Entry) -> None:
    work = data.records("work_items", as_of=e.today, programme_code=e.programme)
    owners = {(w["item_kind"], w["item_id"]): (
        f"Phase {w['phase_number']} — {fmt.shorten(w['title'], 60)}" if w["item_kind"] == "phase"
        else f"{fmt.capitalize_first(fmt.ITEM_KIND_LABELS[w['item_kind']])} — "
             f"{fmt.shorten(w['title'], 60)}") for w in work}  # fmt: skip
    with st.expander("Nouveau livrable", icon=":material/note_add:", expanded=not owners):
        if owners:
            new_deliverable_form(e, owners)
        else:
            st.info("Un livrable appartient à une phase, une orientation ou une action : "
                    "ce programme n'en a pas encore.")  # fmt: skip
    items = data.records("deliverables", programme_code=e.programme, as_of=e.today)
    if not items:
        return
    item = deliverable_picker(e, items)
    deliverable_form(e, item)
    territory_tags.form("evaluation", "deliverable", item["id"], e.actor, what="du livrable")
    attachments.downloads("deliverable", item["id"], item["title"])
    attachments.uploader("deliverable", item["id"], e.actor, key=f"attach-deliverable-{item['id']}")


def new_deliverable_form(e: Entry, owners: dict) -> None:
    with st.form(forms.fresh("deliverable-new")):
        title = st.text_input("Titre")
        kind = st.selectbox("Type", list(fmt.DELIVERABLE_KIND_LABELS),
                            format_func=lambda k: fmt.capitalize_first(
                                fmt.DELIVERABLE_KIND_LABELS[k]))  # fmt: skip
        owner = st.selectbox("Rattaché à", list(owners), format_func=owners.get)
        planned = forms.date_field("Date prévue", None, key=forms.fresh("deliverable-new") + "-p")
        where = st.multiselect("Territoires", list(e.by_place), format_func=e.place_name,
                               placeholder="Aucun")  # fmt: skip
        if st.form_submit_button("Créer le livrable", type="primary"):
            forms.attempt("evaluation", "deliverable-new", f"Livrable « {title} » créé.",
                          lambda: deliverables.create_deliverable(
                              e.db, e.actor, programme_id=e.programme_id, kind=kind, title=title,
                              planned_on=planned, territory_ids=where,
                              **{f"{owner[0]}_id": owner[1]}))  # fmt: skip


def deliverable_picker(e: Entry, items: list[dict]) -> dict:
    """The deliverable worked on, kept in the URL (``?livrable=12``)."""
    labels = {d["id"]: f"{fmt.shorten(d['title'], 70)} — "
              f"{fmt.DELIVERABLE_STATUS_LABELS[d['status']]}" for d in items}  # fmt: skip
    ids = list(labels)
    wanted = st.query_params.get("livrable")
    index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0
    chosen = st.selectbox("Livrable", ids, format_func=labels.get, key="deliverable-pick",
                          index=index)  # fmt: skip
    st.query_params["livrable"] = str(chosen)
    return next(d for d in items if d["id"] == chosen)


def deliverable_form(e: Entry, item: dict) -> None:
    """Record its delivery, move its planned date, or archive it."""
    chosen = item["id"]
    version = forms.seen_version(f"deliverable-{chosen}", item["version"])
    name = forms.fresh(f"deliverable-{chosen}")
    with st.form(name):
        delivered = forms.date_field("Date de remise", item["delivered_on"], key=f"{name}-d",
                                     help="Remis : la date où il l'a été. La validation vient "
                                     "d'une décision de comité (page « Réunions »).")  # fmt: skip
        planned = forms.date_field("Date prévue", item["planned_on"], key=f"{name}-p")
        reason = forms.reason_field(f"{name}-reason", required=False)
        archive = st.checkbox(
            "Archiver ce livrable (abandonné) à la date du jour ; motif obligatoire"
        )
        if st.form_submit_button("Enregistrer", type="primary"):
            if archive:
                forms.attempt("evaluation", f"deliverable-{chosen}", "Livrable archivé.",
                              lambda: deliverables.archive_deliverable(
                                  e.db, e.actor, chosen, expected_version=version,
                                  archived_on=e.today, reason=reason))  # fmt: skip
            else:
                forms.attempt("evaluation", f"deliverable-{chosen}", "Livrable mis à jour.",
                              lambda: deliverables.update_deliverable(
                                  e.db, e.actor, chosen, expected_version=version,
                                  delivered_on=delivered, planned_on=planned,
                                  reason=reason or None))  # fmt: skip
