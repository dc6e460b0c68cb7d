"""Évaluation: the référentiel of a programme (questions and the état de leur
réponse, indicators against their targets per territory, with the table behind each
chart) and its deliverables with their files; filtered by territory in the URL."""

import pandas as pd
import streamlit as st

from dashboard.tracker import evaluation, fmt, judgements, periods
from dashboard.ui import (
    attachments,
    charts,
    data,
    filters,
    forms,
    judgement_forms,
    map_view,
    report_forms,
)
from dashboard.ui.layout import as_of_picker, page_header, programme_picker
from dashboard.ui.widgets import data_table, empty_state, escape_markdown, html, tiles_html

page_header(
    "Évaluation",
    "Référentiel d'évaluation : questions évaluatives, indicateurs par territoire et livrables.",
)
top = st.columns([2, 1, 1])
with top[0]:
    programme = programme_picker(key="evaluation-programme")
as_of = as_of_picker(top[2], "Valeurs, cibles et états tels qu'ils étaient connus à cette date.")
territory, scope = filters.territory(top[1], key="evaluation-territory", as_of=as_of)
if programme is None:
    empty_state("Aucun programme enregistré.")
    st.stop()

figures = data.cached_call("evaluation_figures", programme_code=programme, as_of=as_of,
                           scope=tuple(sorted(scope)) if scope else None)  # fmt: skip
html(tiles_html([
    ("Questions avec réponse", (f"{figures['answered']} sur {figures['questions']}" if figures["questions"] else "aucune"),
     f"{figures['in_progress']} en cours" if figures["questions"] else "aucune question"),
    ("Indicateurs en bonne voie",
     f"{figures['on_track']} sur {figures['judged']}" if figures["judged"] else fmt.UNKNOWN,
     f"{figures['indicators']} indicateur(s), {figures['judged']} avec valeur et cible"),
    ("Livrables en retard", str(figures["late"]),
     f"{figures['due']} attendu(s) sous 90 jours · {figures['validated']} validé(s)"),
]))  # fmt: skip


def questions_tab() -> None:
    questions = data.records("eval_questions", programme_code=programme, as_of=as_of)
    if not questions:
        empty_state("Aucune question évaluative enregistrée pour ce programme.")
    found = data.answers(programme, as_of)
    for question in questions:
        with st.container(border=True):
            state = fmt.ANSWER_STATE_LABELS[question["answer_state"]]
            st.markdown(f"**Q{question['position']}. {escape_markdown(question['text'])}**")
            st.markdown(f"État de la réponse : **{state}**")
            for criterion in question["criteria"]:
                st.markdown(f"- Critère : {escape_markdown(criterion['text'])}")
            if question["answer"]:
                st.markdown(f"Réponse : {escape_markdown(question['answer'])}")
            evidence = (f"{question['evidence_indicators']} indicateur(s) et "
                        f"{question['evidence_deliverables']} livrable(s) à l'appui")  # fmt: skip
            since = (f" · état fixé par {question['state_by']} le "
                     f"{fmt.datetime_fr(question['state_at'])}") if question["state_at"] else ""  # fmt: skip
            st.caption(escape_markdown(evidence + since))
            argued(found, question["id"])


def argued(found: judgements.Answers, question_id: int) -> None:
    """The argued answer in force at the date, and the draft known then, if any."""
    for role, title in (
        ("in_force", "Réponse argumentée en vigueur"),
        ("draft", "Projet de réponse"),
    ):
        version = found.of_question(question_id, role)
        if version:
            with st.expander(f"{title} — {judgements.version_label(version)}",
                             icon=":material/verified:" if role == "in_force" else ":material/draft:"):  # fmt: skip
                judgement_forms.show(found, version)


def indicators_tab() -> None:
    indicators = data.records("indicator_status", programme_code=programme, as_of=as_of)
    if not indicators:
        empty_state("Aucun indicateur enregistré pour ce programme.")
        return
    data_table(indicator_table(indicators), hide_index=True, width="stretch")
    names = {i["code"]: i for i in indicators}
    wanted = st.query_params.get("indicateur")
    code = st.selectbox(
        "Indicateur à afficher", list(names),
        index=list(names).index(wanted) if wanted in names else 0,
        format_func=lambda c: f"{c} — {names[c]['name']}", key="evaluation-indicator",
    )  # fmt: skip
    st.query_params["indicateur"] = code
    indicator_detail(names[code])
    st.caption(escape_markdown(baseline_note(names[code])))
    map_view.indicator_map(programme, as_of, names[code])


def indicator_table(indicators: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Code": i["code"], "Indicateur": i["name"], "Unité": i["unit"],
        "Sens": fmt.DIRECTION_LABELS[i["direction"]],
        "Référence": (f"{fmt.measure(i['baseline_value'])} ({fmt.date_fr(i['baseline_on'])})"
                      if i["baseline_value"] is not None else fmt.UNKNOWN),
        "Dernière période": (periods.label(i["periodicity"], i["latest_period"])
                             if i["latest_period"] else fmt.UNKNOWN),
        "Situation": evaluation.track_label(i),
    } for i in indicators])  # fmt: skip


def indicator_detail(chosen: dict) -> None:
    """The chosen indicator's series in the territory against its targets, and the
    table behind the chart."""
    rows = data.series(chosen["id"], territory["id"] if territory else None, as_of)
    where = territory["name"] if territory else "tous les territoires"
    if not rows:
        empty_state(f"Aucune valeur de « {chosen['name']} » pour {where} au {fmt.date_fr(as_of)}.")
        return
    behind = pd.DataFrame([{
        "Période": r["period"],
        "Territoire": (r["territory_name"] or "Ensemble") if r["row_kind"] == "detail"
        else f"Ensemble — {where}",
        "Valeur": float(r["value"]) if r["value"] is not None else None,
        "Cible": float(r["target"]) if r["target"] is not None else None,
        "Source": evaluation.value_source(r),
        "Commentaire": r["comment"] or "",
    } for r in rows])  # fmt: skip
    additive = chosen["unit_kind"] in ("count", "amount")
    caption = (
        "Total : la valeur saisie pour l'ensemble, sinon la somme des territoires du niveau le "
        "plus fin (QPV, puis communes) ; la cible (losange) s'y compare."
        if additive
        else "Taux ou ratio : jamais additionné ; chaque territoire se compare à sa cible, "
        "sinon à celle du programme."
    )
    figure = charts.indicator(rows, f"{chosen['name']} — {where}", chosen["unit"])
    periods = list(dict.fromkeys(r["period"] for r in rows))
    last = [r for r in rows if r["period"] == periods[-1] and r["row_kind"] != "detail"] or [
        r for r in rows if r["period"] == periods[-1]
    ]
    summary = (
        f"{len(periods)} période(s), de {periods[0]} à {periods[-1]} ; en {periods[-1]} : "
        + " ; ".join(
            f"{r['territory_name'] or 'ensemble'} {fmt.measure(r['value'])} {chosen['unit']}"
            + (f" (cible {fmt.measure(r['target'])})" if r["target"] is not None else "")
            for r in last[:5]
        )
        + "."
    )
    charts.show(figure, behind, summary=summary, caption=caption, key="indicator-chart")


def baseline_note(chosen: dict) -> str:
    if chosen["baseline_value"] is None:
        return f"Valeur de référence : {fmt.UNKNOWN}."
    return (
        f"Valeur de référence : {fmt.measure(chosen['baseline_value'])} {chosen['unit']} au "
        f"{fmt.date_fr(chosen['baseline_on'])} — source : {chosen['baseline_source']}"
    )


def deliverables_tab() -> None:
    items = evaluation.in_scope(
        data.records("deliverables", programme_code=programme, as_of=as_of), scope
    )
    if not items:
        empty_state("Aucun livrable" + (f" pour {territory['name']}" if territory else "") + ".")
    else:
        data_table(pd.DataFrame([{
            "Livrable": d["title"], "Type": fmt.DELIVERABLE_KIND_LABELS[d["kind"]],
            "Rattaché à": attachments.owner_label(d),
            "Prévu le": fmt.date_fr(d["planned_on"]) if d["planned_on"] else fmt.UNKNOWN,
            "Remis le": fmt.date_fr(d["delivered_on"]) if d["delivered_on"] else "",
            "Statut": fmt.DELIVERABLE_STATUS_LABELS[d["status"]]
            + (" — en retard" if d["late"] else ""),
            "Validé par": (f"{d['committee_name']}, le {fmt.date_fr(d['validated_on'])}"
                           if d["validated_on"] else ""),
            "Territoires": d["territories"], "Fichiers": d["attachments"],
        } for d in items]), hide_index=True, width="stretch")  # fmt: skip
        with_files = [d for d in items if d["attachments"]]
        for item in with_files:
            attachments.downloads("deliverable", item["id"], item["title"])


# the open tab is in the URL (?onglet=Indicateurs) and only that one is computed
def report_tab() -> None:
    forms.flash("evaluation-report")
    report_forms.report_tab(programme, as_of)


tabs = st.tabs(["Questions", "Indicateurs", "Livrables", "Rapport"], key="onglet",
               bind="query-params")  # fmt: skip
for tab, render in zip(tabs, (questions_tab, indicators_tab, deliverables_tab, report_tab),
                       strict=True):  # fmt: skip
    with tab:
        if tab.open:
            render()
