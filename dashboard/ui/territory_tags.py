"""The territories of an action, a deliverable or a budget line: a multiselect over
the territory records, saved through the tagging service (the audit keeps each
change)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import fmt, territories
from dashboard.ui import data, forms


def label(row: dict) -> str:
    return fmt.territory(row)


def form(page: str, entity: str, entity_id: int, actor, *, what: str) -> None:
    """Set the record's territories. Nothing to choose from: say where they are entered."""
    places = {r["id"]: r for r in data.records("territories", as_of=dt.date.today())}
    if not places:
        st.caption("Aucun territoire enregistré : un administrateur les saisit (page Territoires).")
        return
    tags = data.records("territory_tags", entity=entity)
    current = next((set(t["territory_ids"]) for t in tags if t["entity_id"] == entity_id), set())
    name = forms.fresh(f"tags-{entity}-{entity_id}")
    with st.form(name):
        chosen = st.multiselect(
            f"Territoires {what}", list(places), default=[t for t in current if t in places],
            format_func=lambda t: label(places[t]), placeholder="Aucun",
            help="Un QPV, une commune, un Conseil de Territoire : les pages filtrées par un "
            "territoire montrent aussi ce qui est rattaché aux territoires situés dedans.",
        )  # fmt: skip
        if st.form_submit_button("Enregistrer les territoires"):
            forms.attempt(page, f"tags-{entity}-{entity_id}", "Territoires enregistrés.",
                          lambda: territories.tag_territories(
                              data.database(), actor, entity=entity, entity_id=entity_id,
                              territory_ids=chosen))  # fmt: skip
