"""Mise à jour: change the status and progress of a phase, orientation or action.
The form shows the current value, who set it and when; a save that comes after
someone else's is refused with both values shown, and can be re-applied."""

import datetime as dt
from html import escape

import streamlit as st

from dashboard.tracker import fmt, status
from dashboard.tracker.errors import ConflictError, TrackerError
from dashboard.ui import data, filters, forms, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import badge_html, escape_markdown, html, progress_html, show_error

actor = session.require("contributeur")
page_header(
    "Mise à jour",
    "Changer le statut ou l'avancement d'une phase, d'une orientation ou d'une action.",
)
today = dt.date.today()
if flash := st.session_state.pop("update-flash", None):
    st.success(escape_markdown(flash))
programme = programme_picker(key="update-programme")
items = data.records("work_items", as_of=today, programme_code=programme)
if not items:
    st.info("Ce programme n'a encore ni phase, ni orientation, ni action.")
    st.stop()
chosen, item = filters.item_picker(items, key="update-item")

# what this user saw: the value displayed by the previous run, not the one re-read now
seen_key = f"seen-{chosen}"
seen_before = st.session_state.get(seen_key, item["event_id"])

with st.container(border=True):
    st.markdown("**Valeur actuelle**")
    who = (
        f"par {item['status_by']}, le {fmt.date_fr(item['status_on'])}"
        if item["status"]
        else "aucun statut enregistré"
    )
    html(
        f"{badge_html(item['status'])} {progress_html(item['effective_progress'])} "
        f"<span style='color:#4b5563'>{escape(who)}</span>"
    )

targets = status.allowed_targets(item["status"])
decisions = [
    d
    for d in data.records("decisions", programme_code=programme, since=None, until=None)
    if any(
        i["item_kind"] == item["item_kind"] and i["item_id"] == item["item_id"] for i in d["items"]
    )
]
with st.form(f"update-{chosen}"):
    new_status = st.selectbox(
        "Nouveau statut",
        targets,
        index=targets.index(item["status"]) if item["status"] in targets else 0,
        format_func=lambda s: fmt.STATUS_LABELS[s],
    )
    progress = st.number_input(
        "Avancement (%) — laisser vide s'il n'est pas connu",
        min_value=0,
        max_value=100,
        step=5,
        value=item["progress"],
    )
    when = forms.date_field(
        "Date du changement",
        today,
        key=f"status-day-{chosen}",
        help="La date où le changement a eu lieu (pas dans le futur) ; vide : aujourd'hui.",
    )
    comment = st.text_area("Commentaire", max_chars=5000)
    decision = st.selectbox(
        "Décision qui fonde le changement (obligatoire pour « validé »)",
        [None] + [d["decision_id"] for d in decisions],
        format_func=lambda d: (
            "aucune"
            if d is None
            else next(
                f"{fmt.date_fr(x['held_on'])} — {x['text']}"
                for x in decisions
                if x["decision_id"] == d
            )
        ),
    )
    submitted = st.form_submit_button("Enregistrer", type="primary")

pending_key = f"pending-{chosen}"
conflict_key = f"conflict-{chosen}"
if submitted:
    st.session_state[pending_key] = dict(
        to_status=new_status,
        progress=None if progress is None else int(progress),
        occurred_on=when,
        comment=comment or None,
        decision_id=decision,
        seen_event_id=seen_before,
    )
    st.session_state.pop(conflict_key, None)
if st.session_state.get(f"reapply-{chosen}") and pending_key in st.session_state:
    # re-apply over the value saved in between: the user has now seen it
    st.session_state[pending_key]["seen_event_id"] = st.session_state.pop(conflict_key, None)

pending = st.session_state.get(pending_key)
if pending is None:
    st.session_state[seen_key] = item["event_id"]
else:
    values = {k: v for k, v in pending.items() if k != "seen_event_id"}
    try:
        event = status.change_status(
            data.database(),
            actor,
            item["item_kind"],
            item["item_id"],
            seen_event_id=pending["seen_event_id"],
            **values,
        )
    except ConflictError as error:
        current = error.current or {}
        st.session_state[conflict_key] = current.get("id")
        show_error(error)
        html(
            f"<div>Valeur enregistrée entre-temps : {badge_html(current.get('to_status'))} "
            f"{progress_html(current.get('progress'))}</div><div>Votre saisie : "
            f"{badge_html(values['to_status'])} {progress_html(values['progress'])}</div>"
        )
        st.button("Réappliquer ma modification par-dessus", key=f"reapply-{chosen}")
    except TrackerError as error:
        st.session_state.pop(pending_key, None)
        show_error(error)
    else:
        st.session_state.pop(pending_key, None)
        st.session_state[seen_key] = event
        st.session_state["update-flash"] = (
            f"Enregistré : {fmt.STATUS_LABELS[values['to_status']]}"
            + (f", {values['progress']} %" if values["progress"] is not None else "")
            + ". Les autres sessions le verront à leur prochain rafraîchissement."
        )
        st.rerun()
