"""The recommendations of « Saisie de l'évaluation »: propose one from a question, with
its owner and due date; move it along (« retenue » by a committee decision, « en cours »,
« mise en œuvre » with its evidence, « abandonnée » with the reason); correct it or
cancel it when it was recorded by mistake."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt, recommendations
from dashboard.ui import data, forms
from dashboard.ui.evaluation_forms import Entry
from dashboard.ui.widgets import data_table


def recommendations_tab(e: Entry) -> None:
    questions = data.records("eval_questions", programme_code=e.programme, as_of=e.today)
    rows = recommendations.recommendations(e.db, e.programme, e.today)
    if rows:
        table(rows)
    with st.expander("Nouvelle recommandation", icon=":material/lightbulb:", expanded=not rows):
        if questions:
            _new(e, questions)
        else:
            st.info("Une recommandation découle d'une question évaluative : créez d'abord la "
                    "question (onglet « Référentiel »).")  # fmt: skip
    if rows:
        chosen = st.selectbox("Recommandation", [r["id"] for r in rows], key="recommendation-pick",
                              format_func=lambda i: _label(next(r for r in rows if r["id"] == i)))  # fmt: skip
        row = next(r for r in rows if r["id"] == chosen)
        _status(e, row)
        with st.expander("Corriger ou annuler cette recommandation", icon=":material/edit:"):
            _correct(e, row)


def table(rows: list[dict]) -> None:
    """The recommendations as every page lists them: state and due date first."""
    data_table(pd.DataFrame([{
        "Recommandation": r["text"], "État": recommendations.state_label(r),
        "Depuis le": fmt.date_fr(r["status_on"]) if r["status_on"] else "",
        "Échéance": fmt.date_fr(r["due_on"]), "Responsable": r["owner"] or fmt.UNKNOWN,
        "Question": f"Q{r['question_position']}",
    } for r in rows]), hide_index=True, width="stretch")  # fmt: skip


def _label(r: dict) -> str:
    return (f"Q{r['question_position']} — {fmt.shorten(r['text'], 70)} "
            f"({fmt.RECOMMENDATION_STATUS_LABELS[r['status']]})")  # fmt: skip


def _judged_criteria(e: Entry) -> dict:
    """The criteria judged in the answers shown today (in force, then draft)."""
    found = data.answers(e.programme, e.today)
    versions = {v["id"]: v for v in found.versions}
    return {c["id"]: (f"Q{versions[c['judgement_id']]['question_position']} "
                      f"C{c['criterion_position']} — {fmt.VERDICT_LABELS[c['verdict']]} "
                      f"({'en vigueur' if c['role'] == 'in_force' else 'projet'})")
            for c in found.criteria}  # fmt: skip


def _owners() -> tuple[dict, dict]:
    live = [o for o in data.records("organisation_records") if o["archived_on"] is None]
    organisations = {o["organisation_id"]: o["name"] for o in live}
    people = {p["person_id"]: f"{p['full_name']} ({o['name']})"
              for o in live for p in o["persons"]}  # fmt: skip
    return organisations, people


def _new(e: Entry, questions: list[dict]) -> None:
    organisations, people = _owners()
    labels = {q["id"]: f"Q{q['position']} — {fmt.shorten(q['text'], 80)}" for q in questions}
    judged = _judged_criteria(e)
    name = forms.fresh("recommendation-new")
    with st.form(name):
        question = st.selectbox("Question dont elle découle", list(labels), format_func=labels.get)
        criterion = st.selectbox(
            "Critère jugé dont elle découle (facultatif)", [None, *judged],
            format_func=lambda c: "—" if c is None else judged[c],
            help="Un critère de la même question, jugé dans la réponse en vigueur ou le projet.",
        )  # fmt: skip
        text = st.text_area("Recommandation", max_chars=5000)
        left, right = st.columns(2)
        organisation = left.selectbox("Organisation responsable", [None, *organisations],
                                      format_func=lambda o: "—" if o is None else organisations[o])  # fmt: skip
        person = right.selectbox("Personne responsable", [None, *people],
                                 format_func=lambda p: "—" if p is None else people[p])  # fmt: skip
        with left:
            due = forms.date_field("Échéance", None, key=f"{name}-due")
        with right:
            proposed = forms.date_field(
                "Proposée le", e.today, key=f"{name}-proposed",
                help="Le rapport ou la séance qui l'a proposée ; les vues « état au » d'une "
                "date passée ne la montrent qu'à partir du jour où elle est enregistrée.",
            )  # fmt: skip
        if st.form_submit_button("Proposer la recommandation", type="primary"):
            forms.attempt("evaluation", "recommendation-new", "Recommandation enregistrée.",
                          lambda: recommendations.create_recommendation(
                              e.db, e.actor, programme_id=e.programme_id, question_id=question,
                              text=text, due_on=due, owner_organisation_id=organisation,
                              owner_person_id=person, proposed_on=proposed,
                              criterion_judgement_id=criterion))  # fmt: skip


def _status(e: Entry, row: dict) -> None:
    following = recommendations.NEXT[row["status"]]
    if not following:
        st.caption(f"Recommandation close : {fmt.RECOMMENDATION_STATUS_LABELS[row['status']]}.")
        return
    decisions = forms.decision_choices(e.programme)
    name = forms.fresh(f"recommendation-status-{row['id']}")
    with st.form(name):
        status = st.radio("Nouvel état", list(following), horizontal=True,
                          format_func=fmt.RECOMMENDATION_STATUS_LABELS.get)  # fmt: skip
        decision = st.selectbox("Décision de comité (obligatoire pour « retenue »)",
                                [None, *decisions],
                                format_func=lambda d: "aucune" if d is None else decisions[d])  # fmt: skip
        when = forms.date_field("Date (sinon celle de la séance, ou aujourd'hui)", None,
                                key=f"{name}-on")  # fmt: skip
        evidence = st.text_area("Preuve de la mise en œuvre (obligatoire pour « mise en œuvre »)",
                                max_chars=5000)  # fmt: skip
        reason = st.text_area("Motif de l'abandon (obligatoire pour « abandonnée »)",
                              max_chars=5000)  # fmt: skip
        if st.form_submit_button("Enregistrer l'état", type="primary"):
            forms.attempt("evaluation", f"recommendation-status-{row['id']}", "État enregistré.",
                          lambda: recommendations.set_recommendation_status(
                              e.db, e.actor, row["id"], status=status, occurred_on=when,
                              decision_id=decision, evidence=evidence or None,
                              reason=reason or None))  # fmt: skip


def _correct(e: Entry, row: dict) -> None:
    version = forms.seen_version(f"recommendation-{row['id']}", row["version"])
    name = forms.fresh(f"recommendation-{row['id']}")
    with st.form(name):
        text = st.text_area("Recommandation", value=row["text"], max_chars=5000)
        due = forms.date_field("Échéance", row["due_on"], key=f"{name}-due")
        reason = forms.reason_field(f"{name}-reason", required=True)
        cancel = st.checkbox("Annuler cette recommandation (saisie par erreur)")
        if st.form_submit_button("Enregistrer", type="primary"):
            if cancel:
                forms.attempt("evaluation", f"recommendation-{row['id']}", "Recommandation annulée.",
                              lambda: recommendations.cancel_recommendation(
                                  e.db, e.actor, row["id"], expected_version=version,
                                  reason=reason))  # fmt: skip
            else:
                changes = {k: v for k, v in (("text", text), ("due_on", due)) if v != row[k]}
                forms.attempt("evaluation", f"recommendation-{row['id']}",
                              "Recommandation corrigée.",
                              lambda: recommendations.update_recommendation(
                                  e.db, e.actor, row["id"], expected_version=version,
                                  reason=reason, **changes))  # fmt: skip
