"""The evaluation in the quarterly pack: a slide of the indicators against their
targets and one of the quarter's deliverables; sheets with every value (territory,
source) and every deliverable, all as known on the quarter's last day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.tracker import fmt, periods, secrecy
from dashboard.tracker.db import Database
from dashboard.tracker.evaluation import track_label, value_source
from dashboard.tracker.judgements import Answers, answers, version_label
from dashboard.tracker.pack.model import Sheet, Slide
from dashboard.tracker.recommendations import state_label

SLIDE_ROWS = 12


@dataclass
class EvaluationData:
    """The evaluation as known at ``end``, events of the quarter from ``start``."""

    start: dt.date
    end: dt.date
    indicators: list[dict]
    values: list[dict]
    deliverables: list[dict]
    recommendations: list[dict]
    answers: Answers
    #: the cells hidden by statistical secrecy (a public pack), as ``secrecy.value_key``
    secret: set = field(default_factory=set)

    def hidden(self, indicator_id: int, territory_id: int | None, period: dt.date) -> bool:
        return (indicator_id, territory_id or 0, period) in self.secret or (
            territory_id is None and ("sum", indicator_id, period) in self.secret
        )


def load(db: Database, code: str | None, start: dt.date, end: dt.date,
         public_threshold: int | None = None) -> EvaluationData:  # fmt: skip
    data = EvaluationData(
        start,
        end,
        db.records("indicator_status", programme_code=code, as_of=end),
        db.records("indicator_values_known", programme_code=code, as_of=end),
        db.records("deliverables", programme_code=code, as_of=end),
        db.records("recommendations", programme_code=code, as_of=end),
        answers(db, code, end, evidence=False),  # the evidence is in the report
    )
    if public_threshold is not None:
        sums = {(i["id"], i["latest_period"]): i["total_value"] for i in data.indicators
                if i["unit_kind"] == "count" and i["total_value"] is not None}  # fmt: skip
        data.secret = secrecy.hidden_values(data.values, db.records("territories", as_of=end),
                                            public_threshold, sums)  # fmt: skip
    return data


def verdict_summary(criteria: list[dict]) -> str:
    """« 2 atteints, 1 non évaluable » for a version's judged criteria."""
    counts: dict[str, int] = {}
    for c in criteria:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    return (
        ", ".join(f"{n} {fmt.VERDICT_LABELS[v]}" for v, n in counts.items()) or "aucun critère jugé"
    )


def answers_slide(data: EvaluationData) -> Slide:
    """The answer in force of each question at the quarter's end (drafts are counted,
    never shown as answers)."""
    in_force = [v for v in data.answers.versions if v["role"] == "in_force"]
    drafts = sum(v["role"] == "draft" for v in data.answers.versions)
    rows = [
        [v["programme_code"], f"Q{v['question_position']}", fmt.shorten(v["answer"], 90),
         verdict_summary(data.answers.criteria_of(v["id"])), version_label(v)]
        for v in in_force[:SLIDE_ROWS]
    ]  # fmt: skip
    lines = [
        f"{len(in_force)} question(s) avec une réponse validée au {fmt.date_fr(data.end)}"
        + (f" · {drafts} projet(s) de réponse en cours" if drafts else "")
        if in_force or drafts
        else "Aucune réponse argumentée enregistrée à cette date."
    ]
    return Slide(
        "answers",
        "Réponses aux questions évaluatives",
        lines,
        table=(["Programme", "Question", "Réponse", "Critères", "Version"], rows) if rows else None,
        notes=[
            "Une réponse compte à partir de la décision de comité qui la valide ; un projet "
            "n'est pas une réponse. Jugements, preuves et limites : rapport d'évaluation."
        ],
    )


def answers_sheet(data: EvaluationData) -> Sheet:
    versions = {v["id"]: v for v in data.answers.versions}
    return Sheet(
        "Jugements",
        [("Programme", "text"), ("Question", "int"), ("Version", "int"), ("État", "text"),
         ("Critère", "int"), ("Intitulé du critère", "text"), ("Jugement", "text"),
         ("Argumentaire", "text"), ("Solidité", "text"), ("Raison de la solidité", "text"),
         ("Preuves", "int"), ("Valeurs", "int"), ("Valeurs corrigées", "int")],
        [[versions[c["judgement_id"]]["programme_code"],
          versions[c["judgement_id"]]["question_position"],
          versions[c["judgement_id"]]["version_no"],
          "en vigueur" if c["role"] == "in_force" else "projet",
          c["criterion_position"], c["criterion_text"], fmt.VERDICT_LABELS[c["verdict"]],
          c["reasoning"], fmt.STRENGTH_LABELS.get(c["strength"] or "", ""),
          c["strength_reason"], c["pieces"], c["values_count"], c["corrected_values"]]
         for c in data.answers.criteria],
    )  # fmt: skip


def _period(row: dict, column: str = "latest_period") -> str:
    return periods.label(row["periodicity"], row[column]) if row[column] else fmt.UNKNOWN


def _latest(row: dict, data: EvaluationData) -> str:
    if row["unit_kind"] not in ("count", "amount"):
        return "par territoire" if row["latest_period"] else fmt.UNKNOWN
    if row["total_value"] is None:
        return fmt.UNKNOWN
    if data.hidden(row["id"], None, row["latest_period"]):
        return secrecy.SECRET
    return f"{fmt.measure(row['total_value'])} {row['unit']}"


def indicators_slide(data: EvaluationData) -> Slide:
    rows = [
        [i["programme_code"], i["code"], fmt.shorten(i["name"], 60), _period(i), _latest(i, data),
         fmt.measure(i["total_target"]) if i["total_target"] is not None else "",
         track_label(i)]
        for i in data.indicators[:SLIDE_ROWS]
    ]  # fmt: skip
    on_track = sum(i["track"] == "on_track" for i in data.indicators)
    judged = sum(i["track"] in ("on_track", "off_track") for i in data.indicators)
    lines = [
        f"{len(data.indicators)} indicateur(s) · {judged} avec une valeur et une cible · "
        f"{on_track} en bonne voie"
        if data.indicators
        else "Aucun indicateur enregistré au référentiel."
    ]
    if len(data.indicators) > SLIDE_ROWS:
        lines.append(f"… et {len(data.indicators) - SLIDE_ROWS} autres dans le classeur")
    return Slide(
        "indicators",
        f"Indicateurs au {fmt.date_fr(data.end)}",
        lines,
        table=(["Programme", "Code", "Indicateur", "Période", "Valeur", "Cible", "Situation"], rows)
        if rows
        else None,  # fmt: skip
        notes=[
            "Valeurs des périodes terminées au plus tard ce jour-là. Effectifs et montants : le total (valeur "
            "d'ensemble, sinon somme des territoires du niveau le plus fin) comparé à la cible ; "
            "taux : chaque territoire comparé à sa cible, jamais additionnés. Détail par "
            "territoire et sources dans le classeur (feuille « Valeurs des indicateurs »)."
        ],
    )


def _in_quarter(day: dt.date | None, data: EvaluationData) -> bool:
    return day is not None and data.start <= day <= data.end


def quarter_deliverables(data: EvaluationData) -> list[dict]:
    """Planned, delivered or validated in the quarter, or late at its end."""
    return [
        d for d in data.deliverables
        if d["late"] or any(_in_quarter(d[k], data) for k in ("planned_on", "delivered_on",
                                                               "validated_on"))
    ]  # fmt: skip


def _status(d: dict) -> str:
    text = fmt.DELIVERABLE_STATUS_LABELS[d["status"]]
    if d["status"] == "validated":
        text += f" le {fmt.date_fr(d['validated_on'])} ({d['committee_name']})"
    return text + (" — en retard" if d["late"] else "")


def deliverables_slide(data: EvaluationData) -> Slide:
    shown = quarter_deliverables(data)
    rows = [
        [d["programme_code"], fmt.shorten(d["title"], 60),
         fmt.DELIVERABLE_KIND_LABELS[d["kind"]],
         fmt.date_fr(d["planned_on"]) if d["planned_on"] else fmt.UNKNOWN,
         fmt.date_fr(d["delivered_on"]) if d["delivered_on"] else "", _status(d)]
        for d in shown[:SLIDE_ROWS]
    ]  # fmt: skip
    late = sum(d["late"] for d in data.deliverables)
    return Slide(
        "deliverables",
        "Livrables du trimestre",
        [
            f"{len(shown)} livrable(s) prévu(s), remis ou validé(s) ce trimestre ou en retard · "
            f"{late} en retard au {fmt.date_fr(data.end)}"
            if shown
            else f"Aucun livrable prévu, remis ou validé du {fmt.date_fr(data.start)} au "
            f"{fmt.date_fr(data.end)}, aucun en retard."
        ],
        table=(["Programme", "Livrable", "Type", "Prévu le", "Remis le", "Statut"], rows)
        if rows
        else None,  # fmt: skip
        notes=[
            "« Validé » : par une décision de comité enregistrée ; « remis » : date de remise "
            "saisie ; en retard : date prévue passée sans remise."
        ],
    )


def recommendations_slide(data: EvaluationData) -> Slide:
    """Every open recommendation until it is closed, and those closed this quarter."""
    shown = [r for r in data.recommendations
             if r["open"] or (r["status_on"] and r["status_on"] >= data.start)]  # fmt: skip
    rows = [
        [r["programme_code"], f"Q{r['question_position']}", fmt.shorten(r["text"], 70),
         r["owner"] or fmt.UNKNOWN, fmt.date_fr(r["due_on"]), state_label(r)]
        for r in shown[:SLIDE_ROWS]
    ]  # fmt: skip
    open_count = sum(r["open"] for r in data.recommendations)
    late = sum(r["late"] for r in data.recommendations)
    lines = [
        f"{open_count} recommandation(s) ouverte(s) au {fmt.date_fr(data.end)} · {late} en retard"
        if data.recommendations
        else "Aucune recommandation enregistrée à cette date."
    ]
    if len(shown) > SLIDE_ROWS:
        lines.append(f"… et {len(shown) - SLIDE_ROWS} autres (voir le classeur)")
    return Slide(
        "recommendations",
        "Recommandations : où en est-on",
        lines,
        table=(["Programme", "Question", "Recommandation", "Responsable", "Échéance", "État"], rows)
        if rows
        else None,  # fmt: skip
        notes=[
            "« Retenue » : par une décision de comité enregistrée ; « mise en œuvre » : avec "
            "sa preuve ; en retard : échéance passée, ni mise en œuvre ni abandonnée. Une "
            "recommandation ouverte reste sur cette diapositive jusqu'à sa clôture."
        ],
    )


def recommendations_sheet(data: EvaluationData) -> Sheet:
    return Sheet(
        "Recommandations",
        [("Programme", "text"), ("Question", "int"), ("Recommandation", "text"),
         ("Responsable", "text"), ("Échéance", "date"), ("État", "text"), ("Depuis le", "date"),
         ("Décision", "text"), ("Preuve", "text"), ("Motif d'abandon", "text"),
         ("En retard", "text")],
        [[r["programme_code"], r["question_position"], r["text"], r["owner"], r["due_on"],
          fmt.RECOMMENDATION_STATUS_LABELS[r["status"]], r["status_on"], r["decision_text"],
          r["evidence"], r["reason"], "oui" if r["late"] else "non"]
         for r in data.recommendations],
    )  # fmt: skip


def values_sheet(data: EvaluationData) -> Sheet:
    columns = [
        ("Programme", "text"), ("Code", "text"), ("Indicateur", "text"), ("Unité", "text"),
        ("Période", "text"), ("Début de période", "date"), ("Type de territoire", "text"),
        ("Code du territoire", "text"), ("Territoire", "text"), ("Valeur", "number"),
        ("Cible", "number"), ("Source", "text"), ("Commentaire", "text"),
    ]  # fmt: skip
    rows = [
        [v["programme_code"], v["indicator_code"], v["indicator_name"], v["unit"],
         periods.label(v["periodicity"], v["period_start"]), v["period_start"],
         fmt.TERRITORY_KIND_LABELS.get(v["territory_kind"] or "", "ensemble du programme"),
         v["territory_code"], v["territory_name"],
         secrecy.SECRET if data.hidden(v["indicator_id"], v["territory_id"], v["period_start"])
         else v["value"], v["target"],
         value_source(v), v["comment"]]
        for v in data.values
    ]  # fmt: skip
    return Sheet("Valeurs des indicateurs", columns, rows)


def deliverables_sheet(data: EvaluationData) -> Sheet:
    columns = [
        ("Programme", "text"), ("Livrable", "text"), ("Type", "text"), ("Prévu le", "date"),
        ("Remis le", "date"), ("Statut", "text"), ("Validé le", "date"),
        ("Validé par", "text"), ("Territoires", "text"), ("Fichiers joints", "int"),
    ]  # fmt: skip
    rows = [
        [d["programme_code"], d["title"], fmt.DELIVERABLE_KIND_LABELS[d["kind"]], d["planned_on"],
         d["delivered_on"], fmt.DELIVERABLE_STATUS_LABELS[d["status"]]
         + (" (en retard)" if d["late"] else ""), d["validated_on"], d["committee_name"],
         d["territories"], d["attachments"]]
        for d in data.deliverables
    ]  # fmt: skip
    return Sheet("Livrables", columns, rows)
