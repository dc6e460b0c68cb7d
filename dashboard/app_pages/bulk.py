"""Saisie en lot: edit many actions at once in a table; every row is checked, the
errors are listed per row, and nothing is written if any row fails."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt, work
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, show_error

actor = session.require("contributeur")
page_header(
    "Saisie en lot", "Modifier plusieurs actions d'un coup : titre, responsable, territoire, dates."
)
# the last save's message stays until the next edit or another programme (a rerun in
# between, as the table sends its state again, does not take it away)
notice = st.empty()
programme = programme_picker(key="bulk-programme")
actions = [
    i
    for i in data.records("work_items", as_of=dt.date.today(), programme_code=programme)
    if i["item_kind"] == "action"
]
if not actions:
    st.info(
        "Ce programme n'a pas encore d'action : elles se créent sur la page « Phases et "
        "actions », sous une orientation, une phase ou le programme."
    )
    st.stop()
versions = {a["id"]: a for a in data.records("action_versions", programme_code=programme)}
original = pd.DataFrame(
    [
        {
            "N°": a["item_id"],
            "Orientation": fmt.capitalize_first(a["orientation_title"] or "")[:60],
            "Intitulé": a["title"],
            "Responsable": a["lead"] or "",
            "Territoire": a["territory"] or "",
            "Début": a["starts_on"],
            "Fin": a["ends_on"],
            "Statut": fmt.label(fmt.STATUS_LABELS, a["status"]),
        }
        for a in actions
    ]
)
edited = st.data_editor(
    original,
    hide_index=True,
    placeholder=fmt.UNKNOWN,
    width="stretch",
    key="bulk-editor",
    num_rows="fixed",
    disabled=["N°", "Orientation", "Statut"],
    column_config={
        "Début": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Fin": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Intitulé": st.column_config.TextColumn(width="large"),
    },
)
fields = {
    "Intitulé": "title",
    "Responsable": "lead",
    "Territoire": "territory",
    "Début": "starts_on",
    "Fin": "ends_on",
}
rows = []
for before, after in zip(original.to_dict("records"), edited.to_dict("records"), strict=True):
    changes = {}
    for column, field in fields.items():
        old, new = before[column], after[column]
        old = None if pd.isna(old) or old == "" else old
        new = None if pd.isna(new) or new == "" else new
        if old != new:
            changes[field] = new.date() if isinstance(new, pd.Timestamp) else new
    if changes:
        rows.append(
            {
                "action_id": before["N°"],
                "expected_version": versions[before["N°"]]["version"],
                **changes,
            }
        )
st.caption(f"{len(rows)} ligne(s) modifiée(s).")
if rows:
    st.session_state.pop("bulk-flash", None)
elif (flash := st.session_state.get("bulk-flash")) and flash[0] == programme:
    notice.success(escape_markdown(flash[1]))
if st.button("Enregistrer les modifications", type="primary", disabled=not rows):
    try:
        count = work.bulk_update_actions(data.database(), actor, rows)
    except TrackerError as error:
        show_error(error)
    else:
        st.session_state["bulk-flash"] = (
            programme,
            f"{count} action(s) enregistrée(s), en une seule transaction.",
        )
        st.session_state.pop("bulk-editor", None)
        st.rerun()
