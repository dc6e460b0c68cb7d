"""Corrections of what a meeting recorded: its date, place, attendees and minutes,
a decision's wording; or the cancellation of a meeting or a decision recorded by
mistake (the items it validated go back to their status before it). Each with a
reason, kept in the audit."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import committees, fmt
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from dashboard.ui import attachments, data, filters, forms
from dashboard.ui.forms import attempt, choose, date_field, fresh, reason_field, seen_version, short
from dashboard.ui.widgets import show_error

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


def record_meeting(
    db: Database, actor: Actor, programme: str | None, committee: int, today: dt.date
) -> None:
    """A séance of ``committee`` (held, or planned for a later date) and its decisions,
    each with the items it concerns; a new form after each save, so that a saved entry
    cannot be submitted twice by mistake."""
    items = data.records("work_items", as_of=today, programme_code=programme)
    item_keys = [filters.item_key(i["item_kind"], i["item_id"]) for i in items]
    item_labels = {
        filters.item_key(
            i["item_kind"], i["item_id"]
        ): f"{fmt.ITEM_KIND_LABELS[i['item_kind']].capitalize()} — {fmt.capitalize_first(i['title'])[:80]}"
        f" ({fmt.label(fmt.STATUS_LABELS, i['status'])})"
        for i in items
    }
    for d in data.records("deliverables", programme_code=programme, as_of=today):
        key = filters.item_key("deliverable", d["id"])
        item_keys.append(key)
        item_labels[key] = (
            f"Livrable — {fmt.capitalize_first(d['title'])[:80]} "
            f"({fmt.DELIVERABLE_STATUS_LABELS[d['status']]})"
        )
    count = st.number_input(
        "Nombre de décisions à saisir", min_value=0, max_value=8, value=1, step=1
    )

    # a new form after each save, so that a saved entry cannot be submitted twice by mistake
    with st.form(f"meeting-{st.session_state.get('meeting-saved', 0)}"):
        held_on = forms.date_field(
            "Date de la séance",
            today,
            key=f"meeting-day-{st.session_state.get('meeting-saved', 0)}",
            help="Une date future prévoit la séance ; ses décisions se saisissent une fois tenue.",
        )
        place = st.text_input("Lieu")
        attendees = st.text_area("Participants", max_chars=5000)
        minutes = st.text_area("Compte rendu", max_chars=5000)
        entries = []
        for index in range(int(count)):
            st.markdown(f"**Décision {index + 1}**")
            kind = st.selectbox(
                "Nature",
                list(fmt.DECISION_KIND_LABELS),
                key=f"d-kind-{index}",
                format_func=lambda k: fmt.DECISION_KIND_LABELS[k].capitalize(),
            )
            text = st.text_area("Texte de la décision", key=f"d-text-{index}", max_chars=5000)
            concerned = st.multiselect(
                "Éléments concernés",
                item_keys,
                key=f"d-items-{index}",
                format_func=item_labels.get,
                placeholder="Aucun",
            )
            entries.append((kind, text, concerned))
        submitted = st.form_submit_button("Enregistrer la séance", type="primary")

    if submitted:
        decisions = [
            committees.DecisionInput(kind, text, [filters.parse_item_key(k) for k in concerned])
            for kind, text, concerned in entries
        ]
        try:
            committees.record_meeting(
                db,
                actor,
                committee_id=committee,
                held_on=held_on,
                place=place or None,
                attendees=attendees or None,
                minutes=minutes or None,
                decisions=decisions,
            )
        except TrackerError as error:
            show_error(error, " Rien n'a été enregistré.")
        else:
            validated = sum(len(d.items) for d in decisions if d.kind == "validates")
            st.session_state["meeting-saved"] = st.session_state.get("meeting-saved", 0) + 1
            for key in [
                k for k in st.session_state if str(k).startswith(("d-kind-", "d-text-", "d-items-"))
            ]:
                del st.session_state[key]
            st.session_state["meetings-flash"] = (
                f"Séance du {fmt.date_fr(held_on)} enregistrée avec {len(decisions)} décision(s)"
                + (f" ; {validated} élément(s) passé(s) à « validé »." if validated else ".")
            )
            st.rerun()
