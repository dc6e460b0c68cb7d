"""What the record lacks, each gap with a French reason saying why it matters."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt
from dashboard.tracker.db import Database
from dashboard.tracker.naming import act_name

KIND_PLURALS = {"phase": "phases", "orientation": "orientations", "action": "actions"}


def _item_and_reason(row: dict, act: dict | None) -> tuple[str, str]:
    code, detail = row["code"], row["detail"]
    name = act_name(act) if act else row["subject"]
    if code == "act_signature_unknown":
        effect = (
            " : sa prise d'effet, fixée à la signature, ne peut pas être datée"
            if act and act["effective_rule"] == "at_signature"
            else ""
        )
        return (
            f"Date de signature — {name}",
            f"Les sources ne donnent pas la date de signature{effect}.",
        )
    if code == "deliberation_unknown":
        return (
            f"Délibération — {name}",
            "Les sources ne citent pas la délibération qui autorise la signature de cet acte.",
        )
    if code == "reference_unknown":
        return (
            f"Référence — {name}",
            "Les sources ne donnent pas la référence de cet acte : il ne peut pas être cité "
            "par son numéro.",
        )
    if code == "representative_unknown":
        return (
            f"Représentant de {detail} — {name}",
            f"Les sources ne disent pas qui représentait {detail} pour cet acte.",
        )
    if code == "amendment_after_term":
        return (
            f"Avenant tardif — {name}",
            f"Cet avenant prend effet après le terme de l'acte qu'il modifie "
            f"({fmt.date_fr(dt.date.fromisoformat(detail))}) : il ne peut pas le prolonger.",
        )
    if code == "act_term_unknown":
        return (
            f"Terme — {name}",
            "Les sources ne donnent pas la durée de cet acte : aucune échéance "
            "ne peut en être calculée.",
        )
    if code == "deliberation_number_unknown":
        said = (
            fmt.deliberation(act["deliberation_body"], None, act["deliberation_date"])
            if act
            else None
        )
        return (
            f"Numéro de délibération — {name}",
            "Le numéro est laissé en blanc dans l'acte"
            + (f" ({said})" if said else "")
            + " : la délibération ne peut pas être citée précisément.",
        )
    if code == "amendment_missing":
        return (
            f"Avenant n° {detail} — {name}",
            f"L'avenant n° {detail} ne figure pas dans les sources alors que la numérotation "
            "va au-delà : son objet, ses dates et ses montants sont inconnus.",
        )
    if code == "no_amount_for_years":
        first, last = detail.split("-")
        years = first if first == last else f"{first} à {last}"
        return (
            f"Montants {years} — {row['subject']}",
            f"Aucun montant connu pour {years} : le financement n'est renseigné qu'à partir "
            f"de {int(last) + 1}, le coût total du programme reste donc inconnu.",
        )
    if code == "tax_basis_unspecified":
        return (
            f"Base HT/TTC — {row['subject']}",
            f"L'acte ne précise pas si le montant {detail} est HT ou TTC : il ne doit pas être "
            "additionné à un montant TTC sans le signaler.",
        )
    if code == "no_payment":
        return (
            f"Paiements — {row['subject']}",
            "Aucun engagement, mandatement ni versement enregistré : la consommation de "
            "cette ligne est inconnue, pas nulle.",
        )
    if code == "subsidy_without_convention":
        return (
            f"Convention — {row['subject']}",
            f"Subvention de plus de 23 000 € ({detail}) sans convention enregistrée : la loi "
            "(n° 2000-321 du 12 avril 2000, art. 10) en demande une ; rattachez la ligne à son "
            "acte.",
        )
    if code == "status_unknown":
        count = int(detail)
        kind = row["subject"] if count == 1 else KIND_PLURALS.get(row["subject"], row["subject"])
        return (
            f"Statuts — {count} {kind} ({row['programme_code']})",
            f"Les sources n'établissent pas le statut de {count} {kind} : "
            f"{'il est affiché' if count == 1 else 'ils sont affichés'} « {fmt.UNKNOWN} » "
            "jusqu'à un premier enregistrement.",
        )
    return _evaluation_gap(row) or (row["subject"], code)


def _evaluation_gap(row: dict) -> tuple[str, str] | None:
    code, subject, detail = row["code"], row["subject"], row["detail"]
    if code == "indicator_no_baseline":
        return (f"Valeur de référence — {subject}",
                "Sans valeur de référence (valeur, date, source), l'évolution de l'indicateur "
                "ne peut pas être mesurée.")  # fmt: skip
    if code == "indicator_no_target":
        return (f"Cible — {subject}",
                "Sans cible, on ne peut pas dire si l'indicateur est en bonne voie.")  # fmt: skip
    if code == "indicator_no_recent_value":
        last = (f"la dernière période renseignée s'est terminée le "
                f"{fmt.date_fr(dt.date.fromisoformat(detail))}" if detail
                else "aucune valeur n'est saisie")  # fmt: skip
        return (f"Valeur récente — {subject}",
                f"Aucune valeur pour les deux dernières périodes closes : {last}.")  # fmt: skip
    if code == "territory_code_unknown":
        return (f"Code officiel — {subject}",
                "Ce quartier est nommé sans son code officiel : ses valeurs ne peuvent pas être "
                "rapprochées des données nationales tant que le code n'est pas complété "
                "(page Territoires).")  # fmt: skip
    if code == "question_no_evidence":
        return (f"Éléments de preuve — {subject}",
                "Aucun indicateur ni livrable n'est relié à cette question : sa réponse ne "
                "s'appuie sur rien de vérifiable.")  # fmt: skip
    return None


def completeness(
    db: Database, programme_code: str | None = None, as_of: dt.date | None = None
) -> list[dict]:
    """What the record lacks, as it stood at ``as_of`` (today by default): acts and
    amounts in force then, statuses and payments recorded up to then."""
    as_of = as_of or dt.date.today()
    acts = {a["act_id"]: a for a in db.records("acts", as_of=as_of, programme_code=programme_code)}
    result = []
    for row in gaps(db, as_of, programme_code):
        act = acts.get(row["entity_id"]) if row["entity"] == "legal_act" else None
        item, reason = _item_and_reason(row, act)
        result.append(
            {
                "code": row["code"],
                "programme_code": row["programme_code"],
                "entity": row["entity"],
                "entity_id": row["entity_id"],
                "item": item,
                "reason": reason,
            }
        )
    return result


def gaps(db: Database, as_of: dt.date, programme_code: str | None) -> list[dict]:
    """The gaps of ``completeness`` and ``unknown_statuses`` (apart: a status change
    reads only the second again), in the order of completeness: programme (none last),
    code, record, detail (none last)."""
    rows = db.records("completeness", as_of=as_of, programme_code=programme_code)
    rows += db.records("unknown_statuses", as_of=as_of, programme_code=programme_code)
    return sorted(rows, key=lambda r: (
        r["programme_code"] is None, r["programme_code"] or "", r["code"],
        r["entity_id"] is None, r["entity_id"] or 0, r["detail"] is None, r["detail"] or "",
    ))  # fmt: skip
