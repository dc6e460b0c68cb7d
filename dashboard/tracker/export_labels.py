"""The export workbook in French: a sheet name per table, a header per column, and the
words behind the codes that have them (statuses, stages, kinds, bases, roles). JSON
and Parquet keep the documented identifiers; the workbook's « Lisez-moi » sheet
pairs each French name with its identifier."""

from __future__ import annotations

from dashboard.tracker import fmt
from dashboard.tracker.history import FIELD_LABELS, OPERATION_LABELS

SHEETS = {table: fmt.capitalize_first(nouns[1]) for table, nouns in fmt.ENTITY_NOUNS.items()}
SHEETS |= {
    "audit_log": "Journal d'audit",
    "item_status": "Statuts actuels",
    "source_ref": "Sources",
    "decision_item": "Éléments des décisions",
}

COLUMNS = FIELD_LABELS | {
    "id": "n°",
    "access_epoch": "époque d'accès",
    "password_provisional": "mot de passe provisoire",
    "provider_issuer": "fournisseur d'identité",
    "provider_subject": "identifiant chez le fournisseur",
    "act_id": "acte",
    "actor": "auteur",
    "after": "après",
    "amends_act_id": "acte modifié",
    "before": "avant",
    "body": "corps",
    "budget_line_id": "ligne budgétaire",
    "cancelled_by": "annulé par",
    "clause_id": "clause",
    "code": "code",
    "comment": "commentaire",
    "committee_id": "comité",
    "created_at": "créé le",
    "decision_id": "décision",
    "document": "document",
    "entity": "fiche",
    "entity_id": "n° de la fiche",
    "event_id": "changement de statut",
    "excerpt": "extrait",
    "from_programme_id": "programme d'origine",
    "from_status": "statut avant",
    "from_progress": "avancement avant (%)",
    "item_id": "élément",
    "item_kind": "type d'élément",
    "login": "identifiant",
    "meeting_id": "réunion",
    "occurred_at": "horodatage",
    "operation": "opération",
    "organisation_id": "organisation",
    "over_budget_reason": "motif du dépassement",
    "programme_id": "programme",
    "progress": "avancement (%)",
    "reason": "motif",
    "received_on": "reçue le",
    "recorded_at": "enregistré le",
    "recorded_by": "enregistré par",
    "replaces_clause_id": "clause remplacée",
    "sender_id": "expéditeur",
    "sent_on": "envoyée le",
    "status": "statut",
    "status_on": "statut au",
    "subject": "objet",
    "supersedes_line_id": "ligne remplacée",
    "target_act_id": "acte visé",
    "to_programme_id": "programme de destination",
    "to_status": "statut après",
    "updated_at": "modifié le",
    "updated_by": "modifié par",
    "version": "version",
    "action_id": "action",
    "answer": "réponse",
    "answer_state": "état de la réponse",
    "baseline_on": "date de la valeur de référence",
    "baseline_source": "source de la valeur de référence",
    "baseline_value": "valeur de référence",
    "criterion_id": "critère",
    "delivered_on": "remis le",
    "direction": "sens",
    "evidence_id": "n° de l'élément de preuve",
    "evidence_kind": "type d'élément de preuve",
    "recommendation_id": "recommandation",
    "owner_organisation_id": "organisation responsable",
    "owner_person_id": "personne responsable",
    "due_on": "échéance",
    "evidence": "preuve de la mise en œuvre",
    "file_id": "fichier",
    "file_name": "nom du fichier",
    "from_id": "territoire",
    "generation": "génération",
    "indicator_id": "indicateur",
    "media_type": "type de fichier",
    "note": "note",
    "period_start": "début de période",
    "periodicity": "périodicité",
    "planned_on": "prévu le",
    "question_id": "question",
    "sha256": "empreinte SHA-256",
    "size_bytes": "taille (octets)",
    "source_document": "document source",
    "source_page": "page",
    "stored_at": "stocké le",
    "stored_by": "stocké par",
    "territory_id": "territoire",
    "to_id": "territoire lié",
    "article": "article",
    "stated_on": "existe depuis le (date donnée)",
    "recorded_on": "enregistré le",
    "valid_from": "à partir du",
    "from_weight": "poids avant",
    "weight": "poids",
    "unit": "unité",
    "unit_kind": "nature de l'unité",
    "value": "valeur",
    "version_no": "n° de version",
    "limits": "limites",
    "written_by": "rédigée par",
    "written_on": "rédigée le",
    "validated_decision_id": "décision de validation",
    "validated_on": "validée le",
    "validated_at": "validation enregistrée le",
    "validated_by": "validation enregistrée par",
    "judgement_id": "version de la réponse",
    "criterion_judgement_id": "jugement",
    "verdict": "jugement",
    "reasoning": "argumentaire",
    "strength": "solidité de la preuve",
    "strength_reason": "raison de la solidité",
    "period_from": "période du",
    "period_to": "période au",
    "deliverable_id": "livrable",
    "as_of": "état au",
    "docx_file_id": "fichier DOCX",
    "pdf_file_id": "fichier PDF",
    "vintage": "millésime",
    "shapes": "contours",
    "contour_set_id": "jeu de contours",
    "geometry": "géométrie (GeoJSON)",
}

#: codes written as words, for every table
_VALUE_WORDS = {
    "from_status": fmt.STATUS_LABELS,
    "to_status": fmt.STATUS_LABELS,
    "stage": fmt.STAGE_LABELS,
    "tax_basis": fmt.TAX_BASIS_LABELS,
    "item_kind": fmt.DECISION_ITEM_LABELS,
    "role": fmt.ROLE_LABELS,
    "operation": OPERATION_LABELS,
    "entity": {table: nouns[0] for table, nouns in fmt.ENTITY_NOUNS.items()},
    "effective_rule": fmt.EFFECTIVE_RULE_LABELS,
    "answer_state": fmt.ANSWER_STATE_LABELS,
    "unit_kind": fmt.UNIT_KIND_LABELS,
    "direction": fmt.DIRECTION_LABELS,
    "periodicity": fmt.PERIODICITY_LABELS,
    "evidence_kind": {"indicator": "indicateur", "deliverable": "livrable"},
    "verdict": fmt.VERDICT_LABELS,
    "strength": fmt.STRENGTH_LABELS,
    # an item's status, or a recommendation's (« en cours » in both)
    "status": {**fmt.STATUS_LABELS, **fmt.RECOMMENDATION_STATUS_LABELS},
}
#: the column ``kind`` means something else in each table
_KIND_WORDS = {
    "committee": fmt.COMMITTEE_KIND_LABELS,
    "decision": fmt.DECISION_KIND_LABELS,
    "legal_act": fmt.ACT_KIND_LABELS,
    "budget_line": fmt.BUDGET_KIND_LABELS,
    "programme_link": fmt.LINK_KIND_LABELS,
    "act_letter": fmt.LETTER_KIND_LABELS,
    "programme": fmt.PROGRAMME_KIND_LABELS,
    "organisation": fmt.ORGANISATION_KIND_LABELS,
    "clause": fmt.CLAUSE_KIND_LABELS,
    "territory": fmt.TERRITORY_KIND_LABELS,
    "territory_link": fmt.TERRITORY_LINK_LABELS,
    "deliverable": fmt.DELIVERABLE_KIND_LABELS,
    "judgement_evidence": fmt.EVIDENCE_KIND_LABELS,
    "contour_set": fmt.TERRITORY_KIND_LABELS,
}


def sheet_name(table: str) -> str:
    return SHEETS.get(table, table)[:31]


def header(column: str) -> str:
    return fmt.capitalize_first(COLUMNS.get(column, column))


def words_for(table: str, column: str) -> dict | None:
    """The words of a coded column, or None for a column written as stored."""
    if column == "kind":
        return _KIND_WORDS.get(table)
    return _VALUE_WORDS.get(column)
