"""The forms of the « Conseils citoyens » page (contributeurs): create a council on its
QPV, designate, renew or end a member, seat a member in a comité, record an opinion
with its document. Each goes through its write service; a refusal says why in French
and writes nothing."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import citizen_councils as cc
from dashboard.tracker import files
from dashboard.ui import data, forms

PAGE = "conseils"


def create_form(actor, qpvs: dict[int, str]) -> None:
    name = forms.fresh("council-new")
    with st.form(name):
        title = st.text_input("Nom du conseil citoyen", key=f"{name}-name")
        chosen = st.multiselect("Quartiers (QPV)", list(qpvs), format_func=qpvs.get,
                                key=f"{name}-qpv", placeholder="Choisir…")  # fmt: skip
        established = forms.date_field(
            "Constitué le",
            key=f"{name}-on",
            help="Facultatif : la date de l'arrêté ou de la première réunion.",
        )
        if st.form_submit_button("Créer le conseil citoyen", type="primary"):
            forms.attempt(PAGE, "council-new", f"Conseil citoyen « {title} » créé.",
                          lambda: cc.create_council(data.database(), actor, name=title,
                                                    qpv_ids=chosen, established_on=established))  # fmt: skip


def member_form(actor, councils: dict[int, str]) -> None:
    name = forms.fresh("council-member")
    with st.form(name):
        council = forms.choose("Conseil citoyen", councils, key=f"{name}-council", index=None)
        full_name = st.text_input("Nom du membre (personne ou structure)", key=f"{name}-who")
        college = forms.choose("Collège", cc.COLLEGES, key=f"{name}-college", index=None)
        appointed = forms.date_field("Désigné le", key=f"{name}-on")
        if st.form_submit_button("Désigner ce membre", type="primary"):
            forms.attempt(PAGE, "council-member", f"{full_name} désigné(e).",
                          lambda: cc.add_member(data.database(), actor, council_id=council,
                                                full_name=full_name, college=college,
                                                appointed_on=appointed))  # fmt: skip


def mandate_form(actor, members: dict[int, dict]) -> None:
    """Renew or end the mandate of a member in force."""
    name = forms.fresh("council-mandate")
    labels = {i: f"{m['full_name']} — {m['council']}" for i, m in members.items()}
    with st.form(name):
        chosen = forms.choose("Membre", labels, key=f"{name}-member", index=None)
        what = st.radio("Changement", ["Renouvellement", "Fin du mandat"], horizontal=True,
                        key=f"{name}-what")  # fmt: skip
        on = forms.date_field("Date", key=f"{name}-on")
        reason = st.text_input("Motif (pour une fin de mandat)", key=f"{name}-why")
        if st.form_submit_button("Enregistrer", type="primary"):
            version = members[chosen]["version"] if chosen in members else 0
            if what == "Renouvellement":
                action = lambda: cc.renew_member(data.database(), actor, chosen,  # noqa: E731
                                                  expected_version=version, renewed_on=on)  # fmt: skip
            else:
                action = lambda: cc.end_member(data.database(), actor, chosen,  # noqa: E731
                                                expected_version=version, ended_on=on,
                                                reason=reason)  # fmt: skip
            forms.attempt(PAGE, "council-mandate", "Mandat enregistré.", action)


def seat_form(actor, members: dict[int, dict], committees: dict[int, str]) -> None:
    name = forms.fresh("council-seat")
    labels = {i: f"{m['full_name']} — {m['council']}" for i, m in members.items()}
    with st.form(name):
        chosen = forms.choose("Membre", labels, key=f"{name}-member", index=None)
        committee = forms.choose("Comité de pilotage", committees, key=f"{name}-committee",
                                 index=None)  # fmt: skip
        since = forms.date_field("Représente le conseil depuis le", key=f"{name}-on")
        if st.form_submit_button("Désigner comme représentant", type="primary"):
            forms.attempt(PAGE, "council-seat", "Représentation enregistrée.",
                          lambda: cc.seat_member(data.database(), actor, member_id=chosen,
                                                 committee_id=committee, from_on=since))  # fmt: skip


def opinion_form(actor, councils: dict[int, str]) -> None:
    name = forms.fresh("council-opinion")
    with st.form(name):
        council = forms.choose("Conseil citoyen", councils, key=f"{name}-council", index=None)
        subject = st.text_input("Objet de l'avis", key=f"{name}-subject")
        about = forms.choose("L'avis porte sur", cc.ABOUT, key=f"{name}-about")
        received = forms.date_field("Reçu le", key=f"{name}-on")
        upload = st.file_uploader(
            f"Le document de l'avis ({files.ALLOWED}, {files.MAX_BYTES // 1024 // 1024} Mo au "
            "plus ; facultatif)", key=f"{name}-file",
            max_upload_size=files.MAX_BYTES // 1024 // 1024,
        )  # fmt: skip
        if st.form_submit_button("Enregistrer l'avis", type="primary"):
            sent = files.Upload(upload.name, upload.getvalue()) if upload is not None else None
            forms.attempt(PAGE, "council-opinion", "Avis enregistré.",
                          lambda: cc.record_opinion(data.database(), actor, council_id=council,
                                                    subject=subject, about=about,
                                                    received_on=received, upload=sent))  # fmt: skip
