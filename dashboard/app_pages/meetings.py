"""Réunions: record a committee meeting (held, or planned for a later date) and the
decisions taken, with the items each concerns. A decision that validates items moves
them to « validé » in the same transaction."""

import datetime as dt

import streamlit as st

from dashboard.tracker import committees, fmt
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, filters, forms, meeting_forms, session
from dashboard.ui.layout import page_header, programme_picker
from dashboard.ui.widgets import escape_markdown, show_error

actor = session.require("contributeur")
page_header("Réunions", "Enregistrer une séance de comité et son relevé de décisions.")
if flash := st.session_state.pop("meetings-flash", None):
    st.success(escape_markdown(flash))
forms.flash("meetings")
today = dt.date.today()
programme = programme_picker(key="meetings-programme")
committee_rows = data.records("committees", as_of=today, programme_code=programme)
if not committee_rows:
    st.info("Ce programme n'a pas de comité : un administrateur peut en créer un.")
    st.stop()
names = {c["committee_id"]: c["name"] for c in committee_rows}
committee = st.selectbox("Comité", list(names), format_func=names.get, key="meetings-committee")
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
count = st.number_input("Nombre de décisions à saisir", min_value=0, max_value=8, value=1, step=1)

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
            data.database(),
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

st.subheader("Corriger ou annuler une séance ou une décision")
meeting_forms.correct_meeting(data.database(), actor, programme)
