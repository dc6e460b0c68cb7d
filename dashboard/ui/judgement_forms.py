"""The argued answers of « Saisie de l'évaluation »: for a question, the version in force
and the draft; write a draft (a new version starts from the one in force), judge each
criterion on its evidence with the strength of that evidence, then record the committee
decision that validates it (the version is then frozen). ``show`` is also the read view
of the Évaluation page."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import fmt, judgements
from dashboard.tracker.citation import Source
from dashboard.tracker.judgements import Answers, Evidence
from dashboard.ui import data, forms
from dashboard.ui.evaluation_forms import Entry
from dashboard.ui.widgets import escape_markdown


def answers_tab(e: Entry) -> None:
    questions = data.records("eval_questions", programme_code=e.programme, as_of=e.today)
    if not questions:
        st.info("Une réponse argumentée répond à une question évaluative : créez d'abord la "
                "question et ses critères (onglet « Référentiel »).")  # fmt: skip
        return
    labels = {q["id"]: f"Q{q['position']} — {fmt.shorten(q['text'], 80)}" for q in questions}
    question_id = st.selectbox("Question", list(labels), format_func=labels.get,
                               key="judgement-question")  # fmt: skip
    question = next(q for q in questions if q["id"] == question_id)
    found = data.answers(e.programme, e.today)
    in_force = found.of_question(question_id, "in_force")
    draft = found.of_question(question_id, "draft")
    if in_force:
        with st.expander(f"Version en vigueur : {judgements.version_label(in_force)}",
                         icon=":material/verified:"):  # fmt: skip
            show(found, in_force)
    if draft is None:
        _new_draft(e, question_id, in_force)
        return
    st.header(f"Projet : {judgements.version_label(draft)}", anchor=False)
    show(found, draft)
    _edit_draft(e, draft)
    for criterion in question["criteria"]:
        _judge(e, draft, criterion, found)
    _validate(e, draft)


def show(found: Answers, version: dict) -> None:
    """A version as a comité member reads it: the answer, its limits, who wrote it, each
    criterion's verdict with its reasoning, strength and evidence."""
    st.markdown(f"**Réponse** : {escape_markdown(version['answer'])}")
    if version["limits"]:
        st.markdown(f"**Limites** : {escape_markdown(version['limits'])}")
    st.caption(escape_markdown(
        f"Rédigée par {version['written_by']} le {fmt.date_fr(version['written_on'])} · "
        f"{judgements.version_label(version)}"))  # fmt: skip
    judged = found.criteria_of(version["id"])
    if not judged:
        st.caption("Aucun critère jugé pour l'instant.")
    for c in judged:
        verdict = fmt.VERDICT_LABELS[c["verdict"]]
        st.markdown(f"**C{c['criterion_position']}. {escape_markdown(c['criterion_text'])}** — "
                    f"*{verdict}*")  # fmt: skip
        st.markdown(escape_markdown(c["reasoning"]))
        if c["strength"]:
            st.caption(escape_markdown(
                f"Solidité de la preuve : {fmt.STRENGTH_LABELS[c['strength']]} — "
                f"{c['strength_reason']} ({judgements.coverage_label(c)})"))  # fmt: skip
        for piece in found.evidence_of(c["id"]):
            st.markdown(f"- {escape_markdown(judgements.evidence_label(piece))}")


def _new_draft(e: Entry, question_id: int, in_force: dict | None) -> None:
    name = forms.fresh(f"judgement-new-{question_id}")
    title = "Nouvelle version de la réponse" if in_force else "Rédiger la réponse"
    with st.form(name):
        st.markdown(f"**{title}**")
        if in_force:
            st.caption("Elle reprend les jugements et les preuves de la version en vigueur ; "
                       "modifiez-les avant de la faire valider.")  # fmt: skip
        answer = st.text_area("Réponse à la question", value=in_force["answer"] if in_force else "",
                              max_chars=5000)  # fmt: skip
        limits = st.text_area("Limites de la réponse (facultatif)", max_chars=5000,
                              value=(in_force or {}).get("limits") or "")  # fmt: skip
        left, right = st.columns(2)
        author = left.text_input("Rédigée par", value=e.actor.display_name or e.actor.login)
        with right:
            written = forms.date_field("Rédigée le", e.today, key=f"{name}-on")
        if st.form_submit_button("Enregistrer le projet", type="primary"):
            forms.attempt("evaluation", f"judgement-new-{question_id}", "Projet de réponse enregistré.",
                          lambda: judgements.draft_judgement(
                              e.db, e.actor, question_id=question_id, answer=answer,
                              limits=limits or None, written_by=author, written_on=written))  # fmt: skip


def _edit_draft(e: Entry, draft: dict) -> None:
    version = forms.seen_version(f"judgement-{draft['id']}", draft["version"])
    name = forms.fresh(f"judgement-{draft['id']}")
    with st.expander("Modifier ou annuler le projet", icon=":material/edit:"), st.form(name):
        answer = st.text_area("Réponse à la question", value=draft["answer"], max_chars=5000)
        limits = st.text_area("Limites de la réponse", value=draft["limits"] or "", max_chars=5000)
        cancel = st.checkbox("Annuler ce projet (saisi par erreur)")
        reason = st.text_input("Motif de l'annulation")
        if st.form_submit_button("Enregistrer", type="primary"):
            if cancel:
                forms.attempt("evaluation", f"judgement-{draft['id']}", "Projet annulé.",
                              lambda: judgements.cancel_judgement(
                                  e.db, e.actor, draft["id"], expected_version=version,
                                  reason=reason))  # fmt: skip
            else:
                changes = {k: v for k, v in (("answer", answer), ("limits", limits or None))
                           if v != draft[k]}  # fmt: skip
                forms.attempt("evaluation", f"judgement-{draft['id']}", "Projet modifié.",
                              lambda: judgements.update_judgement(
                                  e.db, e.actor, draft["id"], expected_version=version,
                                  **changes))  # fmt: skip


def _evidence_choices(e: Entry) -> dict:
    items = data.records("deliverables", programme_code=e.programme, as_of=e.today)
    choices = {("indicator", i["id"]): f"Indicateur {e.indicator_name(i['id'])}"
               for i in e.indicators}  # fmt: skip
    choices |= {("deliverable", d["id"]): f"Livrable — {fmt.shorten(d['title'], 70)}"
                for d in items}  # fmt: skip
    choices |= {("decision", d): f"Décision du {label}"
                for d, label in forms.decision_choices(e.programme).items()}  # fmt: skip
    return choices


def _judge(e: Entry, draft: dict, criterion: dict, found: Answers) -> None:
    current = next((c for c in found.criteria_of(draft["id"])
                    if c["criterion_id"] == criterion["id"]), None)  # fmt: skip
    state = fmt.VERDICT_LABELS[current["verdict"]] if current else "à juger"
    key = f"judge-{draft['id']}-{criterion['id']}"
    label = f"C{criterion['position']}. {fmt.shorten(criterion['text'], 70)} — {state}"
    with st.expander(label, icon=":material/gavel:"), st.form(forms.fresh(key)):
        verdict = st.radio("Jugement", list(fmt.VERDICT_LABELS), horizontal=True,
                           format_func=fmt.VERDICT_LABELS.get,
                           index=list(fmt.VERDICT_LABELS).index(current["verdict"]) if current else 0)  # fmt: skip
        reasoning = st.text_area("Argumentaire (pour « non évaluable » : pourquoi)",
                                 value=current["reasoning"] if current else "", max_chars=5000)  # fmt: skip
        left, right = st.columns(2)
        strength = left.selectbox("Solidité de la preuve", [None, *fmt.STRENGTH_LABELS],
                                  format_func=lambda s: "—" if s is None else fmt.STRENGTH_LABELS[s])  # fmt: skip
        strength_reason = right.text_input(
            "Raison de la solidité", help="Nombre de sources, territoires et périodes couverts, "
            "valeurs corrigées.")  # fmt: skip
        choices = _evidence_choices(e)
        chosen = st.multiselect("Preuves enregistrées", list(choices), format_func=choices.get)
        places = {p["id"]: fmt.territory(p, with_code=True) for p in e.places}
        territory = left.selectbox("Territoire des valeurs (indicateurs)", [None, *places],
                                   format_func=lambda t: "tous" if t is None else places[t])  # fmt: skip
        with right:
            since = forms.date_field("Valeurs depuis la période du", None, key=f"{key}-from")
        document = left.text_input("Document cité (titre)")
        page = right.text_input("Page ou article du document")
        excerpt = st.text_input("Extrait du document (avec un document cité)", max_chars=300)
        if st.form_submit_button("Enregistrer le jugement", type="primary"):
            evidence = [Evidence(kind, **{f"{kind}_id": ident},
                                 **({"territory_id": territory, "period_from": since}
                                    if kind == "indicator" else {}))
                        for kind, ident in chosen]  # fmt: skip
            if document.strip():
                evidence.append(Evidence("document", source=Source(
                    document, f"p. {page.strip()}" if page.strip().isdigit() else page,
                    excerpt)))  # fmt: skip
            forms.attempt("evaluation", key, "Jugement enregistré.",
                          lambda: judgements.judge_criterion(
                              e.db, e.actor, judgement_id=draft["id"],
                              criterion_id=criterion["id"], verdict=verdict,
                              reasoning=reasoning, strength=strength,
                              strength_reason=strength_reason or None, evidence=evidence))  # fmt: skip


def _validate(e: Entry, draft: dict) -> None:
    decisions = forms.decision_choices(e.programme)
    version = forms.seen_version(f"judgement-{draft['id']}", draft["version"])
    key = f"judgement-validate-{draft['id']}"
    with st.form(forms.fresh(key)):
        st.markdown("**Validation par une décision de comité**")
        st.caption("La version validée est figée : un changement ultérieur sera une nouvelle "
                   "version. Enregistrez d'abord la décision (page « Réunions »).")  # fmt: skip
        decision = st.selectbox("Décision qui valide la réponse", [None, *decisions],
                                format_func=lambda d: "—" if d is None else decisions[d])  # fmt: skip
        if st.form_submit_button("Enregistrer la validation", type="primary"):
            forms.attempt("evaluation", key, "Réponse validée : elle est en vigueur.",
                          lambda: judgements.validate_judgement(
                              e.db, e.actor, draft["id"], expected_version=version,
                              decision_id=decision))  # fmt: skip
