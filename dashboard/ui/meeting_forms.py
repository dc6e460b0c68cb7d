"""Corrections of what a meeting recorded: its date, place, attendees and minutes,
a decision's wording; or the cancellation of a meeting or a decision recorded by
mistake (the items it validated go back to their status before it). Each with a
reason, kept in the audit."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import committees, fmt
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.ui import attachments, data
from dashboard.ui.forms import attempt, choose, date_field, fresh, reason_field, seen_version, short

PAGE = "meetings"


def correct_meeting(db: Database, actor: Actor, programme: str | None) -> None:
    meetings = {
        m["meeting_id"]: m
        for m in data.records("meetings", programme_code=programme, since=None, until=None)
    }
    if not meetings:
        st.caption("Aucune séance enregistrée pour ce programme.")
        return
    labels = {
        i: f"{fmt.date_fr(m['held_on'])} · {short(m['committee_name'], 60)} "
        f"({m['decisions']} décision(s))"
        for i, m in meetings.items()
    }
    chosen = choose("Séance", labels, key="meeting-fix-pick")
    meeting = meetings[chosen]
    key = f"meeting-{chosen}"
    version = seen_version(key, meeting["version"])
    name = fresh(key)
    with st.form(name):
        held_on = date_field("Date de la séance", meeting["held_on"], key=f"{name}-day")
        place = st.text_input("Lieu", value=meeting["place"] or "")
        attendees = st.text_area("Participants", value=meeting["attendees"] or "", max_chars=5000)
        minutes = st.text_area("Compte rendu", value=meeting["minutes"] or "", max_chars=5000)
        reason = reason_field(f"{name}-reason", required=True)
        left, right = st.columns(2)
        if left.form_submit_button("Corriger la séance"):
            attempt(PAGE, key, "Séance corrigée.",
                    lambda: committees.update_meeting(
                        db, actor, chosen, expected_version=version, held_on=held_on,
                        place=place or None, attendees=attendees or None, minutes=minutes or None,
                        reason=reason))  # fmt: skip
        if right.form_submit_button("Annuler la séance et ses décisions"):
            attempt(PAGE, key, "Séance annulée (elle reste au journal d'audit).",
                    lambda: committees.cancel_meeting(db, actor, chosen, expected_version=version,
                                                      reason=reason))  # fmt: skip
    _correct_decisions(db, actor, programme, chosen)
    st.markdown("**Compte rendu signé et pièces de la séance**")
    attachments.downloads("meeting", chosen, labels[chosen])
    attachments.uploader("meeting", chosen, actor, key=f"attach-meeting-{chosen}")


def _correct_decisions(db: Database, actor: Actor, programme: str | None, meeting_id: int) -> None:
    decisions = {
        d["decision_id"]: d
        for d in data.records("decisions", programme_code=programme, since=None, until=None)
        if d["meeting_id"] == meeting_id
    }
    if not decisions:
        return
    labels = {i: f"{fmt.DECISION_KIND_LABELS[d['kind']]} — {short(d['text'], 70)}"
              for i, d in decisions.items()}  # fmt: skip
    chosen = choose("Décision de cette séance", labels, key="decision-fix-pick")
    decision = decisions[chosen]
    key = f"decision-{chosen}"
    version = seen_version(key, decision["version"])
    name = fresh(key)
    with st.form(name):
        text = st.text_area("Texte de la décision", value=decision["text"], max_chars=5000)
        reason = reason_field(f"{name}-reason", required=True)
        left, right = st.columns(2)
        if left.form_submit_button("Corriger le texte"):
            attempt(PAGE, key, "Décision corrigée.",
                    lambda: committees.update_decision(db, actor, chosen, expected_version=version,
                                                       text=text, reason=reason))  # fmt: skip
        if right.form_submit_button("Annuler la décision"):
            attempt(PAGE, key, "Décision annulée ; les éléments qu'elle validait reviennent à "
                    "leur statut d'avant.",
                    lambda: committees.cancel_decision(db, actor, chosen, expected_version=version,
                                                       reason=reason))  # fmt: skip
