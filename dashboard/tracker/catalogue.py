"""The table catalogue: one entry per table of the record — the columns a write may set,
the French noun (singular, plural, gender) and the label with its article, and what the
table is (versioned, archivable, cancellable, dated at creation, rolled up, secret,
derived). Writes, audit wording, export, backup and restore, the drift check and the
tests' snapshot read it; ``tests/tracker/test_catalogue.py`` holds it against the real
schema (a table or a column missing from it fails). It imports nothing of the tracker."""

from __future__ import annotations

from dataclasses import dataclass

#: the work tree: the items that carry a status, a weight and a progress
ITEM_TABLES = ("phase", "orientation", "action")


@dataclass(frozen=True)
class Table:
    name: str
    #: singular and plural: « ligne budgétaire », « lignes budgétaires »
    noun: tuple[str, str]
    #: with its article, as the audit and the messages say it: « la ligne budgétaire »
    label: str
    feminine: bool = False
    #: the columns a write may set (none: the table is written by SQL of its own)
    columns: tuple[str, ...] = ()
    #: version / updated_at / updated_by (optimistic concurrency)
    versioned: bool = False
    #: archived_on / archive_reason: out of the current views from a date, kept before
    archivable: bool = False
    #: cancelled_at / cancelled_by / cancel_reason: recorded by mistake, out of every view
    cancellable: bool = False
    #: created_at: when the row was recorded (a start for records with no known date)
    created: bool = False
    #: its writes move a roll-up (rollups.py)
    rolled_up: bool = False
    #: an ``id`` column of its own (link tables are keyed by what they link)
    with_id: bool = True
    #: never exported (keys, sessions, sign-in attempts, the app's own state)
    secret: bool = False
    #: columns never exported (a password's hash)
    secret_columns: tuple[str, ...] = ()
    #: recomputed from other tables: never exported, never trusted from a backup
    derived: bool = False
    #: carried by a backup (sessions and the migrations' own log are not)
    backed_up: bool = True
    #: columns its own service writes beside ``columns`` (an account's access epoch)
    own_columns: tuple[str, ...] = ()

    @property
    def sourced(self) -> bool:
        """Its rows may cite the act they come from."""
        return "source_id" in self.columns

    @property
    def bookkeeping(self) -> tuple[str, ...]:
        """The columns the write helpers fill themselves."""
        return (
            (("id",) if self.with_id else ())
            + (("version", "updated_at", "updated_by") if self.versioned else ())
            + (("archived_on", "archive_reason") if self.archivable else ())
            + (("cancelled_at", "cancelled_by", "cancel_reason") if self.cancellable else ())
            + (("created_at",) if self.created else ())
            + self.own_columns
        )


def _t(name: str, noun: tuple[str, str], label: str, *columns: str, **what) -> Table:
    return Table(name, noun, label, columns=columns, **what)


_RECORDED = ("recorded_by", "recorded_at")
_WORK = ("title", "starts_on", "ends_on", "weight", "lead", "territory", "source_id")
_ITEM = {"feminine": True, "versioned": True, "archivable": True, "rolled_up": True}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _t("source_ref", ("source", "sources"), "la source", "document", "article", "excerpt",
           feminine=True),
        _t("organisation", ("organisation", "organisations"), "l'organisation",
           "code", "name", "kind", "siret", "source_id", "rna", "funder_category",
           feminine=True, versioned=True, archivable=True),
        _t("person", ("personne", "personnes"), "la personne",
           "full_name", "organisation_id", "role_title", "source_id",
           feminine=True, versioned=True, archivable=True),
        _t("programme", ("programme", "programmes"), "le programme",
           "code", "title", "kind", "description", "source_id", "short_name",
           versioned=True, archivable=True, created=True),
        _t("programme_link", ("lien entre programmes", "liens entre programmes"),
           "le lien entre programmes",
           "from_programme_id", "to_programme_id", "kind", "description", "source_id",
           with_id=False),
        _t("programme_note", ("note de contexte", "notes de contexte"), "la note",
           "programme_id", "kind", "position", "title", "body", "source_id", feminine=True),
        _t("legal_act", ("acte", "actes"), "l'acte",
           "programme_id", "kind", "reference", "number", "title", "concluded_on", "signed_on",
           "effective_rule", "effective_on", "ends_on", "deliberation_body",
           "deliberation_number", "deliberation_date", "amends_act_id", "extends_to",
           "terminated_on", "termination_reason", "source_id", "short_name",
           "framework_act_id", "multi_year",
           versioned=True, cancellable=True, created=True, rolled_up=True),
        _t("act_party", ("partie à un acte", "parties à un acte"), "la partie à l'acte",
           "act_id", "organisation_id", "represented_by", "signatory_id", "source_id",
           feminine=True, with_id=False),
        _t("act_letter", ("lettre", "lettres"), "la lettre",
           "act_id", "kind", "sent_on", "received_on", "sender_id", "subject", "source_id",
           *_RECORDED, feminine=True, cancellable=True),
        _t("clause", ("clause", "clauses"), "la clause",
           "act_id", "target_act_id", "replaces_clause_id", "kind", "article", "days",
           "months", "summary", "source_id", "yearly_amount",
           feminine=True, versioned=True, cancellable=True),
        _t("phase", ("phase", "phases"), "la phase",
           "programme_id", "number", *_WORK, **_ITEM),
        _t("orientation", ("orientation", "orientations"), "l'orientation",
           "programme_id", "phase_id", "position", *_WORK, **_ITEM),
        _t("action", ("action", "actions"), "l'action",
           "programme_id", "phase_id", "orientation_id", *_WORK, **_ITEM),
        _t("committee", ("comité", "comités"), "le comité",
           "programme_id", "kind", "name", "mandate", "source_id",
           versioned=True, archivable=True),
        _t("meeting", ("réunion", "réunions"), "la réunion",
           "committee_id", "held_on", "place", "attendees", "minutes", "source_id", *_RECORDED,
           feminine=True, versioned=True, cancellable=True, rolled_up=True),
        _t("decision", ("décision", "décisions"), "la décision",
           "meeting_id", "kind", "text", "source_id", *_RECORDED,
           feminine=True, versioned=True, cancellable=True, rolled_up=True),
        _t("decision_item",
           ("élément concerné par une décision", "éléments concernés par une décision"),
           "l'élément concerné par la décision", "decision_id", "item_kind", "item_id",
           with_id=False),
        _t("budget_line", ("ligne budgétaire", "lignes budgétaires"), "la ligne budgétaire",
           "programme_id", "act_id", "clause_id", "fiscal_year", "kind", "amount",
           "tax_basis", "funder_id", "recipient_id", "label", "description",
           "supersedes_line_id", "source_id", "action_id", "funding_nature", "over_act_reason",
           feminine=True, versioned=True, cancellable=True, rolled_up=True),
        _t("payment", ("paiement", "paiements"), "le paiement",
           "budget_line_id", "stage", "occurred_on", "amount", "reference",
           "over_budget_reason", *_RECORDED,
           versioned=True, cancellable=True, rolled_up=True),
        _t("status_event", ("changement de statut", "changements de statut"),
           "le changement de statut",
           "item_kind", "item_id", "occurred_on", "from_status", "from_progress", "to_status",
           "progress", "comment", "decision_id", "source_id", "actor", "recorded_at"),
        _t("app_user", ("compte", "comptes"), "le compte",
           "login", "display_name", "role", "password_hash", "active", "password_provisional",
           "provider_issuer", "provider_subject", "email", "email_verified_at",
           secret_columns=("password_hash",),
           own_columns=("created_at", "version", "updated_at", "access_epoch")),
        _t("subscription", ("abonnement", "abonnements"), "l'abonnement",
           "user_id", "programme_id", "kind", "reminder_days", cancellable=True, created=True),
        # the notifications computed for each person: its centre and the send log (never
        # exported: they hold personal addresses' mail; kept by a backup)
        _t("notified_item", ("alerte signalée", "alertes signalées"), "l'alerte signalée",
           "subscription_id", "item_key", "notification_id", feminine=True, with_id=False,
           secret=True),
        _t("notification", ("notification", "notifications"), "la notification",
           "user_id", "subscription_id", "dedup_key", "kind", "programme_code", "subject",
           "body", "link", "created_at", "status", "attempts", "next_attempt_at",
           "last_error", "sent_at", "read_at", feminine=True, secret=True),
        _t("territory", ("territoire", "territoires"), "le territoire",
           "kind", "code", "name", "generation", "source_id",
           versioned=True, archivable=True),
        _t("territory_link", ("lien entre territoires", "liens entre territoires"),
           "le lien entre territoires", "from_id", "to_id", "kind", *_RECORDED,
           cancellable=True),
        _t("territory_tag", ("territoire associé", "territoires associés"),
           "le territoire associé", "entity", "entity_id", "territory_id", *_RECORDED,
           cancellable=True),
        _t("action_axis", ("axe d'une action", "axes des actions"), "l'axe de l'action",
           "action_id", "axis", *_RECORDED, cancellable=True),
        _t("eval_question", ("question évaluative", "questions évaluatives"),
           "la question évaluative", "programme_id", "position", "text", "source_id",
           feminine=True, versioned=True, archivable=True, created=True),
        _t("question_state_event", ("état de réponse", "états de réponse"),
           "l'état de la réponse", "question_id", "answer_state", "answer", *_RECORDED),
        _t("eval_criterion", ("critère", "critères"), "le critère",
           "question_id", "position", "text", "source_id",
           versioned=True, archivable=True, created=True),
        _t("indicator", ("indicateur", "indicateurs"), "l'indicateur",
           "programme_id", "code", "name", "criterion_id", "orientation_id", "action_id",
           "unit", "unit_kind", "direction", "periodicity", "baseline_value", "baseline_on",
           "baseline_source", "description", "source_id",
           versioned=True, archivable=True, created=True),
        _t("indicator_target", ("cible", "cibles"), "la cible",
           "indicator_id", "period_start", "territory_id", "value", "source_document",
           *_RECORDED, feminine=True, versioned=True, cancellable=True),
        _t("indicator_value", ("valeur d'indicateur", "valeurs d'indicateur"), "la valeur",
           "indicator_id", "period_start", "territory_id", "value", "source_document",
           "source_page", "comment", *_RECORDED,
           feminine=True, versioned=True, cancellable=True),
        _t("deliverable", ("livrable", "livrables"), "le livrable",
           "programme_id", "phase_id", "orientation_id", "action_id", "kind", "title",
           "planned_on", "delivered_on", "description", "source_id",
           versioned=True, archivable=True, created=True),
        _t("question_evidence", ("élément de preuve", "éléments de preuve"),
           "l'élément de preuve", "question_id", "evidence_kind", "evidence_id", "note",
           *_RECORDED, cancellable=True),
        _t("stored_file", ("fichier", "fichiers"), "le fichier",
           "sha256", "size_bytes", "media_type", "stored_by", "stored_at"),
        _t("attachment", ("pièce jointe", "pièces jointes"), "la pièce jointe",
           "file_id", "entity", "entity_id", "file_name", *_RECORDED,
           feminine=True, cancellable=True),
        _t("recommendation", ("recommandation", "recommandations"), "la recommandation",
           "programme_id", "question_id", "text", "owner_organisation_id", "owner_person_id",
           "due_on", "source_id", "criterion_judgement_id",
           feminine=True, versioned=True, cancellable=True, created=True),
        _t("recommendation_event", ("état d'une recommandation", "états des recommandations"),
           "l'état de la recommandation",
           "recommendation_id", "status", "occurred_on", "decision_id", "evidence", "reason",
           *_RECORDED),
        _t("judgement", ("version d'une réponse", "versions des réponses"),
           "la version de la réponse",
           "question_id", "version_no", "answer", "limits", "written_by", "written_on",
           "validated_decision_id", "validated_on", "validated_at", "validated_by",
           feminine=True, versioned=True, cancellable=True, created=True),
        _t("criterion_judgement", ("jugement", "jugements"), "le jugement",
           "judgement_id", "criterion_id", "verdict", "reasoning", "strength",
           "strength_reason", *_RECORDED, cancellable=True),
        _t("judgement_evidence", ("preuve d'un jugement", "preuves des jugements"),
           "la preuve du jugement",
           "criterion_judgement_id", "kind", "indicator_id", "territory_id", "period_from",
           "period_to", "deliverable_id", "decision_id", "source_id", "note", *_RECORDED,
           feminine=True, cancellable=True),
        _t("evaluation_report", ("rapport d'évaluation validé", "rapports d'évaluation validés"),
           "le rapport d'évaluation validé",
           "programme_id", "as_of", "decision_id", "validated_on", "docx_file_id",
           "pdf_file_id", *_RECORDED, cancellable=True),
        _t("citizen_council", ("conseil citoyen", "conseils citoyens"), "le conseil citoyen",
           "name", "established_on", "source_id",
           versioned=True, archivable=True, created=True),
        _t("citizen_council_qpv", ("quartier d'un conseil citoyen",
           "quartiers des conseils citoyens"), "le quartier du conseil citoyen",
           "council_id", "territory_id", with_id=False),
        _t("citizen_council_member", ("membre d'un conseil citoyen",
           "membres des conseils citoyens"), "le membre du conseil citoyen",
           "council_id", "full_name", "college", "appointed_on", "renewed_on", "ended_on",
           "end_reason", versioned=True, created=True),
        _t("citizen_council_seat", ("représentation dans un comité",
           "représentations dans les comités"), "la représentation dans le comité",
           "member_id", "committee_id", "from_on", "until_on", *_RECORDED, feminine=True),
        _t("citizen_council_opinion", ("avis d'un conseil citoyen",
           "avis des conseils citoyens"), "l'avis du conseil citoyen",
           "council_id", "subject", "about", "received_on",
           versioned=True, cancellable=True, created=True),
        _t("annual_report", ("rapport annuel", "rapports annuels"), "le rapport annuel",
           "programme_id", "year", "outlook", "planned_approval_on", "approved_on",
           "deliberation_body", "deliberation_number", "follow_up", "planned_publication_on",
           "published_on", versioned=True, cancellable=True, created=True),
        _t("annual_report_consultation", ("envoi du projet de rapport annuel",
           "envois du projet de rapport annuel"), "l'envoi du projet de rapport annuel",
           "report_id", "consulted", "organisation_id", "council_id", "sent_on", "delay_months",
           "answered_on", "opinion", "summary", "council_opinion_id",
           versioned=True, cancellable=True, created=True),
        _t("contour_set", ("jeu de contours", "jeux de contours"), "le jeu de contours",
           "kind", "generation", "source_document", "vintage", "file_id", "file_name", "shapes",
           *_RECORDED, cancellable=True),
        _t("contour", ("contour", "contours"), "le contour",
           "contour_set_id", "territory_id", "geometry"),
        # written by SQL of their own (origins.py, work.py, rollups.py, auth, sessions)
        _t("record_origin", ("origine d'une fiche", "origines des fiches"),
           "l'origine de la fiche", feminine=True, with_id=False),
        _t("weight_change", ("changement de poids", "changements de poids"),
           "le changement de poids", with_id=False),
        _t("audit_log", ("entrée du journal", "entrées du journal"), "l'entrée du journal",
           feminine=True),
        # each item's current status, kept with its log (exported and backed up with it)
        _t("item_status", ("statut courant", "statuts courants"), "le statut courant",
           with_id=False),
        _t("programme_month", ("somme mensuelle", "sommes mensuelles"), "la somme mensuelle",
           feminine=True, with_id=False, derived=True),
        _t("programme_day", ("somme journalière", "sommes journalières"),
           "la somme journalière", feminine=True, with_id=False, derived=True),
        _t("archive_side", ("état à l'archivage", "états à l'archivage"),
           "l'état à l'archivage", with_id=False, derived=True),
        _t("budget_line_spent", ("somme d'une ligne", "sommes des lignes"),
           "la somme de la ligne", feminine=True, with_id=False, derived=True),
        _t("login_attempt", ("tentative de connexion", "tentatives de connexion"),
           "la tentative de connexion", feminine=True, secret=True),
        _t("user_session", ("session", "sessions"), "la session", feminine=True, secret=True,
           backed_up=False),
        _t("provider_sign_in", ("jeton du fournisseur d'identité", "jetons du fournisseur "
           "d'identité"), "le jeton du fournisseur d'identité", with_id=False, secret=True,
           backed_up=False),
        _t("app_meta", ("réglage", "réglages"), "le réglage", with_id=False, secret=True),
        _t("schema_migrations", ("migration", "migrations"), "la migration", feminine=True,
           with_id=False, secret=True, backed_up=False),
    )
}  # fmt: skip


def names(**what: bool) -> set[str]:
    """The tables that are all of ``what`` (``names(versioned=True)``)."""
    return {t.name for t in TABLES.values() if all(getattr(t, k) == v for k, v in what.items())}


def writable() -> dict[str, tuple[str, ...]]:
    """Each table a write helper may insert into, with the columns it may set."""
    return {t.name: t.columns for t in TABLES.values() if t.columns}
