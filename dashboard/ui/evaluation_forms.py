"""The forms of « Saisie de l'évaluation »: indicator values one at a time or many at
once in a table (checked per row, all or nothing), corrections with their reason; the
référentiel (questions, criteria, indicators, targets, état de la réponse and its
evidence); deliverables with their dates, territories and files. The page reads what it
shows into an ``Entry`` and calls these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.tracker import evaluation, fmt, periods
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from dashboard.ui import data, forms


@dataclass
class Entry:
    """What every form of the page reads: the programme, its indicators and the places."""

    db: Database
    actor: Actor
    programme: str
    programme_id: int
    today: dt.date
    indicators: list[dict]
    places: list[dict]

    @property
    def by_indicator(self) -> dict[int, dict]:
        return {i["id"]: i for i in self.indicators}

    @property
    def by_place(self) -> dict[int, dict]:
        return {t["id"]: t for t in self.places}

    def place_name(self, territory_id: int | None) -> str:
        if territory_id is None:
            return "Ensemble du programme (non territorialisé)"
        return fmt.territory(self.by_place[territory_id])

    def indicator_name(self, indicator_id: int) -> str:
        row = self.by_indicator[indicator_id]
        return f"{row['code']} — {fmt.shorten(row['name'], 70)} ({row['unit']})"


# -- one value -------------------------------------------------------------------------
def one_value_tab(e: Entry) -> None:
    if not e.indicators:
        st.info(
            "Ce programme n'a pas encore d'indicateur : créez-en un dans l'onglet « Référentiel »."
        )
    else:
        with st.form(forms.fresh("value-one")):
            chosen = st.selectbox("Indicateur", list(e.by_indicator), format_func=e.indicator_name)
            period = st.text_input("Période", placeholder="2024, S1 2024 ou T2 2024",
                                   help="Selon la périodicité de l'indicateur : « 2024 », "
                                   "« S1 2024 », « T2 2024 ».")  # fmt: skip
            where = st.selectbox("Territoire", [None, *e.by_place], format_func=e.place_name)
            value = st.text_input("Valeur", placeholder="ex. 1 250 ou 12,5")
            document = st.text_input("Document source (facultatif)",
                                     help="Vide : la valeur est « saisie par » vous.")  # fmt: skip
            page = st.text_input("Page (facultatif)")
            comment = st.text_area("Commentaire (facultatif)", max_chars=5000)
            if st.form_submit_button("Enregistrer la valeur", type="primary"):
                forms.attempt("evaluation", "value-one", "Valeur enregistrée.",
                              lambda: evaluation.record_values(e.db, e.actor, [{
                                  "indicator_id": chosen, "period": period, "territory_id": where,
                                  "value": value, "source_document": document or None,
                                  "source_page": page or None, "comment": comment or None}]))  # fmt: skip


# -- many values -------------------------------------------------------------------------
def value_table_tab(e: Entry) -> None:
    if not e.indicators:
        st.info("Ce programme n'a pas encore d'indicateur.")
    else:
        st.caption("Une ligne par valeur. Chaque ligne est vérifiée ; s'il y a une erreur, rien "
                   "n'est enregistré et chaque erreur est indiquée avec son numéro de ligne.")  # fmt: skip
        codes = {i["code"]: i["id"] for i in e.indicators}
        place_labels = {e.place_name(t): t for t in e.by_place}
        blank = pd.DataFrame({c: pd.Series(dtype="str") for c in
                              ("Indicateur", "Période", "Territoire", "Valeur", "Document",
                               "Page", "Commentaire")})  # fmt: skip
        key = forms.fresh("value-table")
        edited = st.data_editor(
            blank, num_rows="dynamic", hide_index=True, width="stretch", key=key,
            column_config={
                "Indicateur": st.column_config.SelectboxColumn(options=list(codes), required=True),
                "Territoire": st.column_config.SelectboxColumn(options=list(place_labels)),
                "Valeur": st.column_config.TextColumn(required=True),
            },
        )  # fmt: skip
        if st.button("Enregistrer le tableau", type="primary", key=f"{key}-go"):
            rows = [{
                "indicator_id": codes.get(r["Indicateur"]) or r["Indicateur"],
                "period": r["Période"],
                "territory_id": place_labels.get(r["Territoire"]),
                "value": r["Valeur"],
                "source_document": r["Document"] or None, "source_page": r["Page"] or None,
                "comment": r["Commentaire"] or None,
            } for r in edited.fillna("").to_dict("records")
                if any(str(v).strip() for v in r.values())]  # fmt: skip
            forms.attempt("evaluation", "value-table", lambda: f"{len(rows)} valeur(s) enregistrée(s).",
                          lambda: evaluation.record_values(e.db, e.actor, rows))  # fmt: skip


# -- correct or cancel a value ---------------------------------------------------------------
def correction_tab(e: Entry) -> None:
    if not e.indicators:
        st.info("Ce programme n'a pas encore d'indicateur.")
    else:
        chosen = st.selectbox("Indicateur", list(e.by_indicator), format_func=e.indicator_name,
                              key="fix-indicator")  # fmt: skip
        ids = {r["value_id"]: r for r in data.records("indicator_values", indicator_id=chosen)}
        if not ids:
            st.info("Aucune valeur saisie pour cet indicateur.")
        else:
            pick = st.selectbox("Valeur", list(ids), key="fix-value", format_func=lambda v: (
                f"{periods.label(e.by_indicator[chosen]['periodicity'], ids[v]['period_start'])} — "
                f"{e.place_name(ids[v]['territory_id'])} : {fmt.measure(ids[v]['value'])}"))  # fmt: skip
            row = ids[pick]
            version = forms.seen_version(f"value-{pick}", row["version"])
            with st.form(forms.fresh(f"value-fix-{pick}")):
                value = st.text_input("Valeur corrigée", value=fmt.measure(row["value"]))
                document = st.text_input("Document source", value=row["source_document"] or "")  # fmt: skip
                page = st.text_input("Page", value=row["source_page"] or "")
                reason = forms.reason_field(f"fix-reason-{pick}", required=True)
                cancel = st.checkbox("Annuler cette valeur (saisie par erreur)")
                if st.form_submit_button("Enregistrer", type="primary"):
                    if cancel:
                        forms.attempt("evaluation", f"value-fix-{pick}", "Valeur annulée.",
                                      lambda: evaluation.cancel_value(
                                          e.db, e.actor, pick, expected_version=version, reason=reason))  # fmt: skip
                    else:
                        forms.attempt("evaluation", f"value-fix-{pick}", "Valeur corrigée.",
                                      lambda: evaluation.correct_value(
                                          e.db, e.actor, pick, expected_version=version, reason=reason,
                                          value=value, source_document=document or None,
                                          source_page=page or None))  # fmt: skip


# -- the référentiel ---------------------------------------------------------------------------
def referential_tab(e: Entry) -> None:
    questions = data.records("eval_questions", programme_code=e.programme, as_of=e.today)
    with st.expander("Nouvelle question évaluative", icon=":material/help:"):
        question_form(e)
    with st.expander("Nouvel indicateur", icon=":material/monitoring:"):
        indicator_form(e, questions)
    if e.indicators:
        with st.expander("Fixer une cible", icon=":material/flag:"):
            target_form(e)
    if questions:
        with st.expander("État de la réponse et éléments de preuve", icon=":material/task_alt:"):
            answer_forms(e, questions)
        with st.expander("Corriger ou archiver une question", icon=":material/edit_note:"):
            question_edit_form(e, questions)
    if e.indicators:
        with st.expander("Corriger ou archiver un indicateur", icon=":material/edit:"):
            indicator_edit_form(e)


def question_edit_form(e: Entry, questions: list[dict]) -> None:
    labels = {q["id"]: f"Q{q['position']} — {fmt.shorten(q['text'], 80)}" for q in questions}
    chosen = st.selectbox("Question", list(labels), format_func=labels.get, key="question-fix")
    row = next(q for q in questions if q["id"] == chosen)
    version = forms.seen_version(f"question-{chosen}", row["version"])
    with st.form(forms.fresh(f"question-{chosen}")):
        text = st.text_area("Question", value=row["text"], max_chars=5000)
        reason = forms.reason_field(f"question-reason-{chosen}", required=False)
        archive = st.checkbox("Archiver cette question à la date du jour ; motif obligatoire")
        if st.form_submit_button("Enregistrer", type="primary"):
            if archive:
                forms.attempt("evaluation", f"question-{chosen}", "Question archivée.",
                              lambda: evaluation.archive_question(
                                  e.db, e.actor, chosen, expected_version=version,
                                  archived_on=e.today, reason=reason))  # fmt: skip
            else:
                forms.attempt("evaluation", f"question-{chosen}", "Question corrigée.",
                              lambda: evaluation.update_question(
                                  e.db, e.actor, chosen, expected_version=version, text=text,
                                  reason=reason or None))  # fmt: skip


def indicator_edit_form(e: Entry) -> None:
    chosen = st.selectbox("Indicateur", list(e.by_indicator), format_func=e.indicator_name,
                          key="indicator-fix")  # fmt: skip
    row = e.by_indicator[chosen]
    version = forms.seen_version(f"indicator-{chosen}", row["version"])
    name = forms.fresh(f"indicator-{chosen}")
    with st.form(name):
        title = st.text_input("Intitulé", value=row["name"])
        unit = st.text_input("Unité", value=row["unit"])
        baseline = st.text_input("Valeur de référence", value=fmt.measure(row["baseline_value"])
                                 if row["baseline_value"] is not None else "")  # fmt: skip
        baseline_on = forms.date_field("Date de la valeur de référence", row["baseline_on"],
                                       key=f"{name}-bd")  # fmt: skip
        source = st.text_input("Source de la valeur de référence",
                               value=row["baseline_source"] or "")  # fmt: skip
        description = st.text_area("Définition", value=row["description"] or "", max_chars=5000)
        reason = forms.reason_field(f"{name}-reason", required=False)
        archive = st.checkbox("Archiver cet indicateur à la date du jour ; motif obligatoire")
        if st.form_submit_button("Enregistrer", type="primary"):
            if archive:
                forms.attempt("evaluation", f"indicator-{chosen}", "Indicateur archivé.",
                              lambda: evaluation.archive_indicator(
                                  e.db, e.actor, chosen, expected_version=version,
                                  archived_on=e.today, reason=reason))  # fmt: skip
            else:
                changes = {"name": title, "unit": unit, "baseline_value": baseline or None,
                           "baseline_on": baseline_on, "baseline_source": source or None,
                           "description": description or None}  # fmt: skip
                forms.attempt("evaluation", f"indicator-{chosen}", "Indicateur corrigé.",
                              lambda: evaluation.update_indicator(
                                  e.db, e.actor, chosen, expected_version=version,
                                  reason=reason or None, **changes))  # fmt: skip


def question_form(e: Entry) -> None:
    with st.form(forms.fresh("question-new")):
        text = st.text_area("Question", max_chars=5000)
        lines = st.text_area("Critères (un par ligne)", max_chars=5000)
        if st.form_submit_button("Créer la question", type="primary"):
            forms.attempt("evaluation", "question-new", "Question créée.",
                          lambda: evaluation.create_question(
                              e.db, e.actor, programme_id=e.programme_id, text=text,
                              criteria=[x for x in lines.splitlines() if x.strip()]))  # fmt: skip


def attachment_choices(e: Entry, questions: list[dict]) -> dict:
    """What an indicator can be attached to: a criterion, an orientation or an action."""
    choices = {("criterion_id", c["id"]): f"Critère Q{q['position']} — {fmt.shorten(c['text'], 70)}"
               for q in questions for c in q["criteria"]}  # fmt: skip
    for w in data.records("work_items", as_of=e.today, programme_code=e.programme):
        if w["item_kind"] in ("orientation", "action"):
            choices[(f"{w['item_kind']}_id", w["item_id"])] = (
                f"{fmt.capitalize_first(fmt.ITEM_KIND_LABELS[w['item_kind']])} — "
                f"{fmt.shorten(w['title'], 70)}")  # fmt: skip
    return choices


def indicator_form(e: Entry, questions: list[dict]) -> None:
    criteria = attachment_choices(e, questions)
    with st.form(forms.fresh("indicator-new")):
        cols = st.columns(2)
        code = cols[0].text_input("Code")
        name = cols[1].text_input("Intitulé")
        unit = cols[0].text_input("Unité", placeholder="personnes, €, %")
        unit_kind = cols[1].selectbox("Nature de l'unité", list(fmt.UNIT_KIND_LABELS),
                                      format_func=fmt.UNIT_KIND_LABELS.get)  # fmt: skip
        direction = cols[0].selectbox("Sens", list(fmt.DIRECTION_LABELS),
                                      format_func=fmt.DIRECTION_LABELS.get)  # fmt: skip
        periodicity = cols[1].selectbox("Périodicité", list(fmt.PERIODICITY_LABELS),
                                        format_func=fmt.PERIODICITY_LABELS.get)  # fmt: skip
        attached = st.selectbox("Rattaché à (facultatif)", [None, *criteria],
                                format_func=lambda c: "—" if c is None else criteria[c])  # fmt: skip
        baseline = cols[0].text_input("Valeur de référence (facultatif)")
        baseline_on = forms.date_field("Date de la valeur de référence", None,
                                       key=forms.fresh("indicator-new") + "-bd")  # fmt: skip
        baseline_source = st.text_input("Source de la valeur de référence")
        if st.form_submit_button("Créer l'indicateur", type="primary"):
            forms.attempt("evaluation", "indicator-new", f"Indicateur « {code} » créé.",
                          lambda: evaluation.create_indicator(
                              e.db, e.actor, programme_id=e.programme_id, code=code, name=name,
                              unit=unit, unit_kind=unit_kind, direction=direction,
                              periodicity=periodicity, **dict([attached] if attached else []),
                              baseline_value=baseline or None, baseline_on=baseline_on,
                              baseline_source=baseline_source or None))  # fmt: skip


def target_form(e: Entry) -> None:
    with st.form(forms.fresh("target")):
        chosen = st.selectbox("Indicateur", list(e.by_indicator), format_func=e.indicator_name)
        period = st.text_input("Période", placeholder="2025, S2 2025 ou T4 2025")
        where = st.selectbox("Territoire", [None, *e.by_place], format_func=e.place_name)
        target = st.text_input("Cible")
        document = st.text_input("Source de la cible (facultatif)")
        if st.form_submit_button("Enregistrer la cible", type="primary"):
            forms.attempt("evaluation", "target", "Cible enregistrée.",
                          lambda: evaluation.set_target(
                              e.db, e.actor, indicator_id=chosen, period=period, value=target,
                              territory_id=where, source_document=document or None))  # fmt: skip


def answer_forms(e: Entry, questions: list[dict]) -> None:
    """Link evidence to a question, then set the état de sa réponse."""
    labels = {q["id"]: f"Q{q['position']} — {fmt.shorten(q['text'], 80)}" for q in questions}
    question = st.selectbox("Question", list(labels), format_func=labels.get)
    items = data.records("deliverables", programme_code=e.programme, as_of=e.today)
    evidence = {("indicator", i["id"]): f"Indicateur {e.indicator_name(i['id'])}"
                for i in e.indicators}  # fmt: skip
    evidence.update({("deliverable", d["id"]): f"Livrable — {fmt.shorten(d['title'], 70)}"
                     for d in items})  # fmt: skip
    if evidence:
        with st.form(forms.fresh("evidence")):
            link = st.selectbox("Élément de preuve", list(evidence), format_func=evidence.get)
            note = st.text_input("Note (facultatif)")
            if st.form_submit_button("Relier à la question"):
                forms.attempt("evaluation", "evidence", "Élément relié à la question.",
                              lambda: evaluation.add_evidence(
                                  e.db, e.actor, question_id=question, evidence_kind=link[0],
                                  evidence_id=link[1], note=note or None))  # fmt: skip
    with st.form(forms.fresh("answer")):
        state = st.radio("État de la réponse", list(fmt.ANSWER_STATE_LABELS),
                         format_func=fmt.ANSWER_STATE_LABELS.get, horizontal=True)  # fmt: skip
        answer = st.text_area("Réponse (obligatoire pour « réponse apportée »)", max_chars=5000)
        if st.form_submit_button("Enregistrer l'état", type="primary"):
            forms.attempt("evaluation", "answer", "État de la réponse enregistré.",
                          lambda: evaluation.set_answer_state(
                              e.db, e.actor, question, answer_state=state,
                              answer=answer or None))  # fmt: skip
