"""Rapport annuel politique de la ville: for a contrat de ville and a year, the report
generated from the record (DOCX and PDF, the opinions annexed) and its process as the
décret n° 2015-1118 sets it — the draft sent to each municipal council and conseil
citoyen, the deadline of at least one month (silence counts as a favourable opinion),
the opinions received, the approving deliberation and its follow-up, the publication —
at a chosen date. Contributeurs record each step."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import annual_report as ar
from dashboard.tracker import fmt
from dashboard.ui import annual_report_forms as f
from dashboard.ui import data, forms, session
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import data_table, empty_state, escape_markdown

page_header(
    "Rapport annuel",
    "Le rapport sur la situation au regard de la politique de la ville, les actions menées "
    f"et les perspectives, soumis pour avis puis approuvé ({ar.LAW}).",
)
forms.flash(f.PAGE)
actor = session.current_actor()
today = dt.date.today()
contracts = {p["code"]: p["title"] for p in data.records("programmes", as_of=today,
                                                          programme_code=None)
             if p["kind"] == "city_contract"}  # fmt: skip
if not contracts:
    empty_state(
        "Aucun contrat de ville enregistré : le rapport annuel porte sur un contrat de ville "
        "(un programme de type « contrat de ville »)."
    )
    st.stop()
top = st.columns([3, 1, 1])
# the contract and the year are in the URL (?contrat=…&annee=2024): a link opens them
code = top[0].selectbox("Contrat de ville", list(contracts), key="contrat",
                        bind="query-params",
                        format_func=lambda c: f"{c} — {contracts[c]}")  # fmt: skip
year = top[1].number_input("Année", min_value=2015, max_value=today.year, step=1,
                           value=today.year - 1, key="annee", bind="query-params")  # fmt: skip
as_of = top[2].date_input("État au", value=today, max_value=today, format="DD/MM/YYYY",
                          key="rapport-annuel-au")  # fmt: skip
year = int(year)

found = [r for r in data.records("annual_reports", as_of=as_of, programme_code=code)
         if r["year"] == year]  # fmt: skip
report = found[0] if found else None
if report is None:
    st.info(f"Le rapport annuel {year} de ce contrat de ville n'est pas ouvert à cette date : "
            "le document se génère quand même depuis le suivi, sa consultation « non "
            "enregistrée ».")  # fmt: skip
else:
    cols = st.columns(4)
    cols[0].metric("Envoyé pour avis à", report["sent"])
    cols[1].metric("Avis reçus", report["answered"])
    cols[2].metric("Réputés favorables", report["deemed_favourable"])
    cols[3].metric("En attente", report["pending"])
    consulted = data.records("annual_report_consultations", report_id=report["report_id"],
                             as_of=as_of)  # fmt: skip
    if consulted:
        data_table(pd.DataFrame([{
            "Instance": r["body"],
            "Nature": fmt.CONSULTED_LABELS[r["consulted"]],
            "Envoyé le": fmt.date_fr(r["sent_on"]),
            "Échéance": fmt.date_fr(r["deadline_on"]),
            "Avis": ar.state_label(r),
            "Annexes": ", ".join(r["files"]) or "—",
        } for r in consulted]), hide_index=True, width="stretch")  # fmt: skip
    else:
        empty_state("Le projet n'a encore été envoyé à aucune instance à cette date.")
    if report["approved_on"]:
        st.success(escape_markdown(
            f"Approuvé par délibération du {fmt.date_fr(report['approved_on'])}"
            + (f" (n° {report['deliberation_number']})" if report["deliberation_number"] else "")
            + f". Suites données aux avis : {report['follow_up']}"
        ), icon=":material/gavel:")  # fmt: skip
    elif report["planned_approval_on"]:
        late = report["planned_approval_on"] < as_of
        (st.error if late else st.caption)(
            f"Délibération prévue le {fmt.date_fr(report['planned_approval_on'])}"
            + (" : en retard." if late else ".")
        )
    if report["published_on"]:
        st.caption(f"Rendu public le {fmt.date_fr(report['published_on'])}.")

st.header("Le document", anchor=False)
f.downloads(code, year, as_of)

if actor is not None and actor.can("contributeur"):
    st.header("Enregistrer", anchor=False)
    tabs = st.tabs(["Ouvrir le rapport", "Envoi pour avis", "Avis reçu", "Délibération",
                    "Publication"], key="onglet", bind="query-params")  # fmt: skip
    renders = (
        lambda: f.open_form(actor, code, year, report),
        lambda: f.send_form(actor, report, today),
        lambda: f.answer_form(actor, report, today),
        lambda: f.approve_form(actor, report),
        lambda: f.publish_form(actor, report),
    )
    for tab, render in zip(tabs, renders, strict=True):
        with tab:
            if tab.open:
                render()
