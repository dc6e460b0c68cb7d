"""What happened to the record: one item's timeline (status events and audit
entries merged), and what changed between two dates (since a committee's last
meeting, since the previous quarter)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.db import Database

#: French names of the fields an audit entry can show.
FIELD_LABELS = {
    "title": "intitulé",
    "number": "numéro",
    "position": "rang",
    "starts_on": "début prévu",
    "ends_on": "fin prévue",
    "weight": "poids",
    "lead": "responsable",
    "territory": "territoire",
    "source_id": "source",
    "phase_id": "phase",
    "orientation_id": "orientation",
    "archived_on": "archivé le",
    "archive_reason": "motif d'archivage",
    "cancelled_at": "annulé le",
    "cancel_reason": "motif d'annulation",
    "reference": "référence",
    "concluded_on": "conclusion",
    "signed_on": "signature",
    "effective_rule": "prise d'effet",
    "effective_on": "date de prise d'effet",
    "deliberation_body": "instance de délibération",
    "deliberation_number": "numéro de délibération",
    "deliberation_date": "date de délibération",
    "extends_to": "nouveau terme de l'acte modifié",
    "terminated_on": "résiliation",
    "termination_reason": "motif de résiliation",
    "amount": "montant",
    "tax_basis": "base",
    "fiscal_year": "exercice",
    "label": "libellé",
    "description": "description",
    "funder_id": "financeur",
    "recipient_id": "bénéficiaire",
    "stage": "étape",
    "occurred_on": "date",
    "held_on": "date de la séance",
    "place": "lieu",
    "attendees": "participants",
    "minutes": "compte rendu",
    "text": "texte",
    "article": "article",
    "summary": "résumé",
    "days": "délai (jours)",
    "months": "délai (mois)",
    "name": "nom",
    "mandate": "mandat",
    "kind": "nature",
    "siret": "SIRET",
    "rna": "numéro RNA",
    "short_name": "nom court (saisi)",
    "framework_act_id": "acte cadre",
    "funder_category": "catégorie de financeur",
    "report_id": "rapport annuel",
    "email": "adresse électronique",
    "email_verified_at": "adresse vérifiée le",
    "reminder_days": "jours de rappel avant l'échéance",
    "user_id": "compte",
    "year": "année",
    "outlook": "perspectives",
    "planned_approval_on": "délibération prévue le",
    "approved_on": "approuvé le",
    "follow_up": "suites données aux avis",
    "planned_publication_on": "publication prévue le",
    "published_on": "rendu public le",
    "consulted": "instance consultée",
    "council_id": "conseil citoyen",
    "sent_on": "envoyé le",
    "delay_months": "délai de réponse (mois)",
    "answered_on": "avis reçu le",
    "opinion": "avis",
    "council_opinion_id": "avis du conseil citoyen",
    "funding_nature": "nature des crédits",
    "multi_year": "convention pluriannuelle d'objectifs",
    "yearly_amount": "montant annuel prévu par l'article",
    "over_act_reason": "motif du dépassement de l'acte",
    "axis": "axe",
    "full_name": "nom",
    "role_title": "fonction",
    "role": "rôle",
    "active": "actif",
    "display_name": "nom affiché",
    "password_hash": "mot de passe",
    "represented_by": "représentant",
    "signatory_id": "signataire",
    "reference_payment": "référence",
    "secret_threshold": "seuil du secret statistique",
    "accessibility_entity": "entité responsable de l'accessibilité",
    "accessibility_contact": "contact accessibilité",
    "accessibility_plan": "schéma pluriannuel d'accessibilité",
}
#: the same field named otherwise for an act (its end is its term)
ACT_FIELD_LABELS = {"ends_on": "terme", "title": "intitulé de l'acte"}
_BOOKKEEPING = {
    "id", "version", "updated_at", "updated_by", "programme_id", "created_at", "recorded_at",
    "recorded_by", "cancelled_by", "access_epoch",
}  # fmt: skip
OPERATION_LABELS = {
    "create": "création",
    "update": "modification",
    "delete": "suppression",
    "archive": "archivage",
    "restore": "retour des archives",
    "cancel": "annulation",
    "load": "chargement d'un fichier",
}


def _shown(field: str, value: object) -> str:
    if value is None or value == "":
        return fmt.UNKNOWN
    if field == "password_hash":
        return "(masqué)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if (field.endswith("_on") or field == "cancelled_at") and isinstance(value, str):
        try:
            return fmt.date_fr(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if field in ("amount",) and isinstance(value, str | int | float):
        return fmt.money(Decimal(str(value)))
    if field == "tax_basis":
        return fmt.label(fmt.TAX_BASIS_LABELS, str(value))
    if field == "stage":
        return fmt.label(fmt.STAGE_LABELS, str(value))
    return str(value)


def field_label(field: str, entity: str | None = None) -> str:
    if entity == "legal_act" and field in ACT_FIELD_LABELS:
        return ACT_FIELD_LABELS[field]
    return FIELD_LABELS.get(field, field)


def describe_changes(before: dict | None, after: dict | None, entity: str | None = None) -> str:
    """``intitulé : ancien → nouveau ; …`` for the fields an audit entry changed."""
    before, after = before or {}, after or {}
    if not before:
        return "création de la fiche"
    keys = [k for k in after if k not in _BOOKKEEPING and before.get(k) != after.get(k)]
    if not keys:
        return "aucun champ modifié"
    return " ; ".join(
        f"{field_label(k, entity)} : {_shown(k, before.get(k))} → {_shown(k, after.get(k))}"
        for k in keys
    )


def describe_audit_entry(entry: dict) -> str:
    """``describe_changes`` for an audit-log row (its before / after stored as JSON)."""
    before = json.loads(entry["before"]) if entry["before"] else None
    after = json.loads(entry["after"]) if entry["after"] else None
    return describe_changes(before, after, entry.get("entity"))


def describe_subject(entry: dict) -> str:
    """What an audit entry is about, in words: « paiement n° 4 », « phase « Titre » »."""
    data = json.loads(entry["after"] or entry["before"] or "{}")
    singular = fmt.ENTITY_NOUNS.get(entry["entity"], (entry["entity"], ""))[0]
    for key in ("title", "name", "full_name", "login", "label", "article", "text"):
        if data.get(key):
            return f"{singular} « {fmt.shorten(str(data[key]), 60)} »"
    return f"{singular} n° {entry['entity_id'].split('/')[0]}"


def correction_note(entry: dict) -> str:
    """A correction of a sourced value, said as such: who, when, what changed, why,
    and what the source says."""
    text = (
        f"Corrigé le {fmt.datetime_fr(entry['occurred_at'])} par {entry['actor']} "
        f"({describe_audit_entry(entry)}) ; motif : {entry['reason']}"
    )
    if entry.get("source_excerpt"):
        text += f" — la source ({cite_row(entry)}) dit : « {entry['source_excerpt']} »"
    return text


def corrections(
    db: Database, entity: str | None = None, any_record: bool = False
) -> dict[tuple[str, int], list[str]]:
    """Each corrected sourced record's correction notes, newest first; ``any_record``:
    those of records that cite no source too (a payment corrected with its reason)."""
    notes: dict[tuple[str, int], list[str]] = {}
    for entry in db.records("corrections", entity=entity, any_record=any_record):
        key = (entry["entity"], int(entry["entity_id"]))
        notes.setdefault(key, []).append(correction_note(entry))
    return notes


#: a budget line's or a payment's change is a correction (with its reason), as the
#: Paiements page calls it; the other operations read as everywhere else
LINE_OPERATIONS = OPERATION_LABELS | {"update": "correction"}


def budget_line_history(db: Database, budget_line_id: int) -> list[dict]:
    """A budget line's history and its payments', oldest first: when, who, what (the
    line, a payment, the line that supersedes it), the operation, the fields changed
    before -> after, and the reason."""
    entries = []
    for row in db.records("budget_line_history", budget_line_id=budget_line_id):
        if row["entity"] == "payment":
            stage = fmt.STAGE_LABELS.get(row["payment_stage"] or "", "paiement")
            subject = (
                f"{stage} du {fmt.date_fr(row['payment_on'])} (paiement n° {row['entity_id']})"
            )
        elif row["is_successor"]:
            subject = f"ligne n° {row['entity_id']} qui remplace celle-ci"
        else:
            subject = "la ligne"
        operation = row["operation"]
        entries.append({
            "occurred_at": row["occurred_at"],
            "actor": row["actor"],
            "subject": subject,
            "operation": LINE_OPERATIONS.get(operation, operation),
            "what": describe_audit_entry(row) if operation == "update" else "",
            "reason": row["reason"] or "",
        })  # fmt: skip
    return entries


def item_timeline(db: Database, item_kind: str, item_id: int) -> list[dict]:
    """Every entry of an item's history, oldest first, with a French ``what`` line."""
    entries = []
    for row in db.records("item_timeline", item_kind=item_kind, item_id=item_id):
        if row["entry_kind"] == "status":
            what = (
                f"statut : {fmt.label(fmt.STATUS_LABELS, row['from_status'])} → "
                f"{fmt.STATUS_LABELS[row['to_status']]}"
            )
            if row["progress"] is not None:
                what += f" ; avancement {fmt.percent(row['progress'])}"
            if row["decision_text"]:
                what += f" ; décision : {row['decision_text']}"
        else:
            what = describe_audit_entry(row)
        entries.append({**row, "what": what})
    return entries


def _act_change(row: dict) -> str:
    """« Entrée en vigueur : Avenant n° 1 … — nouveau terme 31 décembre 2023 ; 50 000 € »."""
    said = [f"Entrée en vigueur : {row['title']}"]
    if row["from_status"] in ("not_before", "estimated", "recorded"):  # its start basis
        said.append(f"({fmt.ACT_START_BASIS_LABELS[row['from_status']]})")
    effects = []
    if row["detail"]:
        effects.append(f"nouveau terme {fmt.date_fr(dt.date.fromisoformat(row['detail']))}")
    if row["amount"] is not None:
        effects.append(f"{fmt.money(row['amount'])} accordés")
    return " ".join(said) + (" — " + " ; ".join(effects) if effects else "")


def changes_between(
    db: Database, since: dt.date, until: dt.date, programme_code: str | None = None
) -> list[dict]:
    """Status changes, decisions, payments and acts in force dated after ``since`` up to
    ``until``."""
    rows = db.records("changes_between", since=since, until=until, programme_code=programme_code)
    for row in rows:
        if row["change_kind"] == "status":
            row["what"] = (
                f"{fmt.capitalize_first(row['item_kind'])} « {row['title']} » : "
                f"{fmt.label(fmt.STATUS_LABELS, row['from_status'])} → "
                f"{fmt.STATUS_LABELS[row['to_status']]}"
                + (f" ({fmt.percent(row['progress'])})" if row["progress"] is not None else "")
            )
        elif row["change_kind"] == "act":
            row["what"] = _act_change(row)
        elif row["change_kind"] == "decision":
            row["what"] = (
                f"Décision ({fmt.label(fmt.DECISION_KIND_LABELS, row['stage'])}) : {row['detail']}"
            )
        else:
            row["what"] = (
                f"{fmt.capitalize_first(fmt.STAGE_LABELS[row['stage']])} de {fmt.money(row['amount'])}"
                f" sur « {row['title']} »"
            )
    return rows
