"""The status form of the Mise à jour page: the new status, progress, date, comment and
the decision it rests on. A save that comes after someone else's is refused with both
values shown (the shared ``forms.attempt``), and can be re-applied over the newer one."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import fmt, status
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ConflictError
from dashboard.ui import forms
from dashboard.ui.widgets import badge_html, html, progress_html, show_error

PAGE = "update"


def change_status(
    db: Database, actor: Actor, item: dict, chosen: str, decisions: list[dict], today: dt.date
) -> None:
    # what this user saw: the value displayed by the previous run, not the one re-read now
    seen_key = f"seen-{chosen}"
    seen_before = st.session_state.get(seen_key, item["event_id"])
    pending_key, conflict_key = f"pending-{chosen}", f"conflict-{chosen}"
    typed = _form(item, chosen, decisions, today)
    if typed is not None:
        st.session_state[pending_key] = typed | {"seen_event_id": seen_before}
        st.session_state.pop(conflict_key, None)
    if st.session_state.get(f"reapply-{chosen}") and pending_key in st.session_state:
        # re-apply over the value saved in between: the user has now seen it
        st.session_state[pending_key]["seen_event_id"] = st.session_state.pop(conflict_key, None)
    pending = st.session_state.pop(pending_key, None)  # back only if a conflict keeps it
    if pending is None:
        st.session_state[seen_key] = item["event_id"]
        return
    values = {k: v for k, v in pending.items() if k != "seen_event_id"}

    def conflict(error: ConflictError) -> None:
        current = error.current or {}
        st.session_state[pending_key] = pending
        st.session_state[conflict_key] = current.get("id")
        show_error(error)
        html(
            f"<div>Valeur enregistrée entre-temps : {badge_html(current.get('to_status'))} "
            f"{progress_html(current.get('progress'))}</div><div>Votre saisie : "
            f"{badge_html(values['to_status'])} {progress_html(values['progress'])}</div>"
        )
        st.button("Réappliquer ma modification par-dessus", key=f"reapply-{chosen}")

    forms.attempt(
        PAGE, f"update-{chosen}",
        f"Enregistré : {fmt.STATUS_LABELS[values['to_status']]}"
        + (f", {values['progress']} %" if values["progress"] is not None else "")
        + ". Les autres sessions le verront à leur prochain rafraîchissement.",
        lambda: status.change_status(db, actor, item["item_kind"], item["item_id"],
                                     seen_event_id=pending["seen_event_id"], **values),
        on_conflict=conflict,
    )  # fmt: skip


def _form(item: dict, chosen: str, decisions: list[dict], today: dt.date) -> dict | None:
    """The form; what was typed when it was sent, else None."""
    targets = status.allowed_targets(item["status"])
    labels = {d["decision_id"]: f"{fmt.date_fr(d['held_on'])} — {d['text']}" for d in decisions}
    with st.form(f"update-{chosen}"):
        to_status = st.selectbox(
            "Nouveau statut", targets,
            index=targets.index(item["status"]) if item["status"] in targets else 0,
            format_func=lambda s: fmt.STATUS_LABELS[s],
        )  # fmt: skip
        progress = st.number_input("Avancement (%) — laisser vide s'il n'est pas connu",
                                   min_value=0, max_value=100, step=5, value=item["progress"])  # fmt: skip
        when = forms.date_field(
            "Date du changement", today, key=f"status-day-{chosen}",
            help="La date où le changement a eu lieu (pas dans le futur) ; vide : aujourd'hui.",
        )  # fmt: skip
        comment = st.text_area("Commentaire", max_chars=5000)
        decision = st.selectbox("Décision qui fonde le changement (obligatoire pour « validé »)",
                                [None, *labels],
                                format_func=lambda d: "aucune" if d is None else labels[d])  # fmt: skip
        if not st.form_submit_button("Enregistrer", type="primary"):
            return None
    return {
        "to_status": to_status,
        "progress": None if progress is None else int(progress),
        "occurred_on": when,
        "comment": comment or None,
        "decision_id": decision,
    }
