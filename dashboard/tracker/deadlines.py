"""Deadlines computed from the acts in force at a date and their clauses, in French,
each saying that it is computed, from which article and by which rule."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt
from dashboard.tracker.db import Database
from dashboard.tracker.naming import act_name, act_row

KIND_LABELS = {
    "term": "Terme de l'acte",
    "amicable_settlement_delay": "Fin du délai de règlement amiable",
    "termination_effective": "Prise d'effet d'une résiliation",
    "financial_report": "Compte rendu financier",
    "annual_report_opinion": "Avis sur le projet de rapport annuel",
    "annual_report_approval": "Délibération approuvant le rapport annuel",
    "annual_report_publication": "Publication du rapport annuel",
}
#: steps late when their date passes without them (an opinion is not: its silence counts)
LATE_KINDS = ("annual_report_approval", "annual_report_publication")
#: the law of the rapport annuel's process
ANNUAL_REPORT_LAW = "décret n° 2015-1118 du 3 septembre 2015"
#: the law that sets the « compte rendu financier » of a subsidy
FINANCIAL_REPORT_LAW = "loi n° 2000-321 du 12 avril 2000, art. 10"


#: a rule of general law, said as such: never attributed to an article, never a date
GENERAL_RULE_EXTENSION = (
    "règle générale (et non clause de l'acte) : un contrat expiré ne peut plus être "
    "prolongé par avenant"
)


def _delay(days: int | None, months: int | None) -> str:
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days:
        parts.append(f"{days} jours calendaires")
    return " et ".join(parts) or "délai non précisé"


def _article(row: dict) -> str:
    return f"{row['clause_article'].lower()} de l'acte" if row.get("clause_article") else "l'acte"


def label(row: dict, name: str) -> str:
    """What the deadline is, for whom; ``rule`` says how it is computed."""
    kind = row["kind"]
    if kind.startswith("annual_report"):
        return _report_step(row)
    if kind == "term":
        extended = " (prolongé par avenant)" if row.get("extended_by") else ""
        return f"Terme{extended} : {name}"
    if kind == "amicable_settlement_delay":
        if row["due_on"] is None:
            return (
                f"Règlement amiable d'un litige : {_delay(row['days'], row['months'])} après "
                f"réception d'une lettre recommandée, puis saisine du tribunal — {name} ; "
                "sans date tant qu'aucune lettre n'est reçue"
            )
        return f"Fin du règlement amiable (puis saisine possible du tribunal) : {name}"
    if kind == "termination_effective":
        if row["due_on"] is None:
            return (
                f"Résiliation sans justification : effet {_delay(row['days'], row['months'])} "
                f"après une lettre recommandée — {name} ; sans date tant qu'aucune lettre "
                "n'est envoyée"
            )
        return f"Prise d'effet de la résiliation : {name}"
    if kind == "financial_report":
        said = (f" — remis le {fmt.date_fr(row['met_on'])}" if row.get("met_on")
                else " — non joint")  # fmt: skip
        return f"Compte rendu financier de l'exercice {row['fiscal_year']} : {name}{said}"
    return f"{KIND_LABELS.get(kind, kind)} : {name}"


def _report_step(row: dict) -> str:
    year, kind, met = row["report_year"], row["kind"], row.get("met_on")
    if kind == "annual_report_opinion":
        said = {"answered": f" — avis reçu le {fmt.date_fr(met)}" if met else "",
                "deemed_favourable": " — réputé favorable (sans réponse à l'échéance)",
                }.get(row.get("consultation_state"), "")  # fmt: skip
        return f"Avis de {row['consulted_body']} sur le projet de rapport annuel {year}{said}"
    done = f" — fait le {fmt.date_fr(met)}" if met else ""
    if kind == "annual_report_approval":
        return f"Délibération approuvant le rapport annuel {year}{done}"
    return f"Publication du rapport annuel {year}{done}"


def rule(row: dict) -> str:
    """How the date is obtained, with its article: every deadline is computed."""
    kind, article = row["kind"], _article(row)
    if kind == "annual_report_opinion":
        return (f"calculé : envoi du projet + délai d'au moins un mois ; faute de réponse à "
                f"l'échéance, l'avis est réputé favorable ({ANNUAL_REPORT_LAW})")  # fmt: skip
    if kind in LATE_KINDS:
        return "date prévue saisie avec le rapport annuel ; en retard si elle passe sans être faite"
    if kind == "term":
        fixed = (
            "terme fixé par l'avenant de prolongation en vigueur"
            if row.get("extended_by")
            else f"terme fixé par {article}"
        )
        if row.get("extension_article"):
            fixed += (
                f" ; l'acte prévoit qu'il pourra être prolongé par avenant "
                f"({row['extension_article'].lower()}), sans en fixer la date ; "
                f"{GENERAL_RULE_EXTENSION}"
            )
        return fixed
    if kind == "amicable_settlement_delay":
        if row["due_on"] is None:
            return f"calculé à la réception d'une lettre recommandée ({article})"
        return (
            f"calculé : lettre reçue le {fmt.date_fr(row['letter_received_on'])} + "
            f"{_delay(row['days'], row['months'])} ({article})"
        )
    if kind == "termination_effective":
        if row["due_on"] is None:
            return f"calculé à l'envoi d'une lettre recommandée de résiliation ({article})"
        if row.get("letter_sent_on"):
            return (
                f"calculé : lettre du {fmt.date_fr(row['letter_sent_on'])} + préavis de "
                f"{_delay(row['days'], row['months'])} ({article})"
            )
        return "date de résiliation enregistrée"
    if kind == "financial_report":
        return (f"calculé : six mois après la fin de l'exercice financé ({FINANCIAL_REPORT_LAW}) ; "
                "remis quand un fichier est joint à la ligne budgétaire de l'exercice")  # fmt: skip
    return article


def deadlines(
    db: Database, programme_code: str | None = None, as_of: dt.date | None = None
) -> list[dict]:
    """Every deadline (of one programme, or all) as the acts in force at ``as_of``
    (today by default) give them: date (None for a delay not yet started), kind, French
    label and rule, programme, source."""
    as_of = as_of or dt.date.today()
    return _labelled(db.records("deadlines", as_of=as_of, programme_code=programme_code))


def next_by_programme(
    db: Database, as_of: dt.date, programme_code: str | None = None
) -> dict[str, dict]:
    """Each programme's next dated deadline from ``as_of`` on (chosen in SQL)."""
    rows = db.records("deadlines", as_of=as_of, programme_code=programme_code, next_only=True)
    return {d["programme_code"]: d for d in _labelled(rows)}


def _labelled(rows: list[dict]) -> list[dict]:
    result = []
    for row in rows:
        name = act_name(act_row(row)) if row.get("act_title") else ""
        result.append(
            {
                "date": row["due_on"],
                "kind": row["kind"],
                "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
                "label": label(row, name),
                "rule": rule(row),
                "programme_code": row["programme_code"],
                "act_id": row["act_id"],
                "step_id": row.get("step_id"),
                "met_on": row.get("met_on"),
                "source": {
                    "document": row["source_document"],
                    "article": row["source_article"],
                    "excerpt": row["source_excerpt"],
                }
                if row["source_document"]
                else None,
            }
        )
    return result


def upcoming(rows: list[dict], today: dt.date, within_days: int) -> list[dict]:
    horizon = today + dt.timedelta(days=within_days)
    return [d for d in rows if d["date"] and today <= d["date"] <= horizon and not d.get("met_on")]
