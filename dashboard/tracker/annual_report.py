"""The rapport annuel politique de la ville (issue 24, part 1): for a contrat de ville
and a year, the report's process, recorded and dated as the law sets it (CGCT art.
L. 1111-2; décret n° 2015-1118 du 3 septembre 2015, JORF n° 0205 du 5 septembre 2015):
the draft sent for an opinion to each municipal council and conseil citoyen (and, if
so, another signatory), each with at least one month to answer — silence at the
deadline counts as a favourable opinion (the rule ``consultation_state_at``); the
opinions received, their files annexed; the deliberation of the community council
that approves the report and says what follow-up it gives to the opinions; the
publication. Every step goes through the role-checked, audited write services."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import files, fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.queries import sql
from dashboard.tracker.records import cancel_service, create, require_row, update_versioned

#: the law the process follows, as the pages, the documents and the README cite it
LAW = (
    "article L. 1111-2 du code général des collectivités territoriales ; décret "
    "n° 2015-1118 du 3 septembre 2015 relatif au rapport sur la mise en œuvre de la "
    "politique de la ville"
)

REPORT_FIELDS: Spec = {
    "outlook": lambda v: validate.text(
        v, "Perspectives", required=False, max_len=validate.MAX_TEXT
    ),
    "planned_approval_on": lambda v: validate.date(
        v, "Date prévue de la délibération", required=False
    ),
    "planned_publication_on": lambda v: validate.date(
        v, "Date prévue de la publication", required=False
    ),
}


def _not_future(day: dt.date, what: str) -> None:
    if day > dt.date.today():
        raise ValidationError(
            f"{what} ({fmt.date_fr(day)}) est dans le futur : on enregistre ce qui a eu lieu."
        )


def _live_report(cur, report_id: int) -> dict:
    report = require_row(cur, "annual_report", report_id, "Rapport annuel")
    if report["cancelled_at"] is not None:
        raise ValidationError("Ce rapport annuel a été annulé.")
    return report


@write_service("contributeur", "ouvrir le rapport annuel d'une année")
def create_report(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    year: object,
    outlook: str | None = None,
    planned_approval_on: object = None,
    planned_publication_on: object = None,
) -> int:
    """The rapport annuel of a contrat de ville for one year (the year past, or the
    current one while it is prepared)."""
    values = clean(
        {"outlook": outlook, "planned_approval_on": planned_approval_on,
         "planned_publication_on": planned_publication_on},
        REPORT_FIELDS,
    )  # fmt: skip
    values["year"] = validate.integer(year, "Année", low=2015, high=dt.date.today().year)
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Contrat de ville")
        if programme["kind"] != "city_contract":
            raise ValidationError(
                "Le rapport annuel politique de la ville porte sur un contrat de ville : "
                f"« {programme['code']} » est un programme de type "
                f"« {fmt.PROGRAMME_KIND_LABELS[programme['kind']]} »."
            )
        if cur.execute(
            "select 1 from annual_report where programme_id = $p and year = $y"
            " and cancelled_at is null",
            {"p": programme["id"], "y": values["year"]},
        ).fetchone():
            raise ValidationError(
                f"Le rapport annuel {values['year']} de ce contrat de ville existe déjà."
            )
        values["programme_id"] = programme["id"]
        return create(cur, actor, "annual_report", values)


@write_service("contributeur", "corriger un rapport annuel")
def update_report(
    db: Database,
    actor: Actor,
    report_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    **changes,
) -> dict:
    """Its outlook and planned dates (the approval and publication are steps of their
    own: ``approve``, ``publish``)."""
    cleaned = clean(changes, REPORT_FIELDS)
    with db.transaction() as cur:
        _live_report(cur, report_id)
        return update_versioned(cur, actor, "annual_report", report_id, expected_version,
                                cleaned, field="Rapport annuel", reason=reason)[1]  # fmt: skip


cancel_report = cancel_service(
    "annual_report", "contributeur", "annuler un rapport annuel ouvert par erreur",
    "cancel_report", field="Rapport annuel",
)  # fmt: skip


def _body(cur, consulted: str, organisation_id: object, council_id: object) -> dict:
    """The body consulted: a commune (its municipal council), a conseil citoyen, or
    another signatory of the contract."""
    if consulted == "citizen_council":
        if council_id is None:
            raise ValidationError("Choisissez le conseil citoyen consulté.")
        council = require_row(cur, "citizen_council", council_id, "Conseil citoyen")
        if council["archived_on"] is not None:
            raise ValidationError("Ce conseil citoyen est archivé : il n'est plus consulté.")
        return {"council_id": council["id"], "organisation_id": None}
    if organisation_id is None:
        raise ValidationError(
            "Choisissez la commune dont le conseil municipal est consulté."
            if consulted == "municipal_council"
            else "Choisissez le signataire consulté."
        )
    organisation = require_row(cur, "organisation", organisation_id, "Organisation consultée")
    if consulted == "municipal_council" and organisation["kind"] != "local_authority":
        raise ValidationError(
            f"« {organisation['name']} » n'est pas une collectivité : son conseil municipal ne "
            "peut pas être consulté."
        )
    return {"organisation_id": organisation["id"], "council_id": None}


@write_service("contributeur", "envoyer le projet de rapport annuel pour avis")
def send_draft(
    db: Database,
    actor: Actor,
    *,
    report_id: int,
    consulted: str,
    sent_on: object,
    organisation_id: int | None = None,
    council_id: int | None = None,
    delay_months: object = 1,
) -> int:
    """The draft sent on ``sent_on`` to a body, with at least one month to answer."""
    kind = validate.choice(consulted, fmt.CONSULTED_LABELS, "Instance consultée")
    day = validate.date(sent_on, "Date d'envoi")
    _not_future(day, "La date d'envoi")
    months = validate.integer(delay_months, "Délai de réponse (mois)", low=None, high=12)
    if months < 1:
        raise ValidationError(
            "Le délai de réponse ne peut pas être inférieur à un mois (décret n° 2015-1118)."
        )
    with db.transaction() as cur:
        report = _live_report(cur, report_id)
        if report["approved_on"] is not None:
            raise ValidationError("Ce rapport est déjà approuvé : il n'est plus soumis pour avis.")
        body = _body(cur, kind, organisation_id, council_id)
        if cur.execute(
            "select 1 from annual_report_consultation where report_id = $r and cancelled_at is null"
            " and organisation_id is not distinct from $o and council_id is not distinct from $c",
            {"r": report["id"], "o": body["organisation_id"], "c": body["council_id"]},
        ).fetchone():
            raise ValidationError("Le projet a déjà été envoyé à cette instance.")
        return create(cur, actor, "annual_report_consultation", {
            "report_id": report["id"], "consulted": kind, "sent_on": day, "delay_months": months,
            **body,
        })  # fmt: skip


@write_service("contributeur", "enregistrer l'avis reçu sur le projet de rapport annuel")
def record_answer(
    db: Database,
    actor: Actor,
    consultation_id: int,
    *,
    expected_version: int,
    answered_on: object,
    opinion: str,
    summary: str | None = None,
    upload: files.Upload | None = None,
) -> dict:
    """The opinion a body gave, on the day it was received, with its document (annexed
    to the report). A conseil citoyen's opinion is also one of its own opinions (its
    page lists it, the file attached there)."""
    day = validate.date(answered_on, "Date de réception de l'avis")
    _not_future(day, "La date de réception")
    said = validate.choice(opinion, fmt.OPINION_LABELS, "Avis")
    text = validate.text(summary, "Résumé de l'avis", required=False, max_len=validate.MAX_TEXT)
    checked = files.prepare(db, upload) if upload is not None else None
    with db.transaction() as cur:
        consultation = require_row(cur, "annual_report_consultation", consultation_id,
                                   "Consultation")  # fmt: skip
        if day < consultation["sent_on"]:
            raise ValidationError(
                f"L'avis ({fmt.date_fr(day)}) ne peut précéder l'envoi du projet "
                f"({fmt.date_fr(consultation['sent_on'])})."
            )
        report = _live_report(cur, consultation["report_id"])
        changes = {"answered_on": day, "opinion": said, "summary": text}
        if consultation["council_id"] is not None:
            changes["council_opinion_id"] = create(cur, actor, "citizen_council_opinion", {
                "council_id": consultation["council_id"], "about": "annual_report",
                "subject": f"Avis sur le projet de rapport annuel {report['year']} : "
                f"{fmt.OPINION_LABELS[said]}" + (f" — {text}" if text else ""),
                "received_on": day,
            })  # fmt: skip
        after = update_versioned(cur, actor, "annual_report_consultation", consultation_id,
                                 expected_version, changes, field="Consultation")[1]  # fmt: skip
        if checked is not None:
            if consultation["council_id"] is not None:
                files.attach_in(cur, actor, "citizen_council_opinion",
                                changes["council_opinion_id"], checked)  # fmt: skip
            else:
                files.attach_in(cur, actor, "annual_report_consultation", consultation_id,
                                checked)  # fmt: skip
        return after


cancel_consultation = cancel_service(
    "annual_report_consultation", "contributeur", "annuler un envoi saisi par erreur",
    "cancel_consultation", field="Consultation",
)  # fmt: skip


@write_service("contributeur", "enregistrer la délibération approuvant le rapport annuel")
def approve(
    db: Database,
    actor: Actor,
    report_id: int,
    *,
    expected_version: int,
    approved_on: object,
    follow_up: str,
    deliberation_body: str | None = None,
    deliberation_number: str | None = None,
    upload: files.Upload | None = None,
) -> dict:
    """The deliberation that approves the report, once every body consulted has
    answered or its month has run out, with the follow-up it gives to the opinions."""
    day = validate.date(approved_on, "Date de la délibération")
    _not_future(day, "La date de la délibération")
    changes = {
        "approved_on": day,
        "follow_up": validate.text(follow_up, "Suites données aux avis", max_len=validate.MAX_TEXT),
        "deliberation_body": validate.text(deliberation_body, "Instance", required=False,
                                           max_len=200),
        "deliberation_number": validate.text(deliberation_number, "Numéro de la délibération",
                                             required=False, max_len=100),
    }  # fmt: skip
    checked = files.prepare(db, upload) if upload is not None else None
    with db.transaction() as cur:
        report = _live_report(cur, report_id)
        if report["approved_on"] is not None:
            raise ValidationError("Ce rapport est déjà approuvé.")
        states = cur.execute(sql("annual_report_consultations"),
                             {"report_id": report["id"], "as_of": day}).fetchall()  # fmt: skip
        if not states:
            raise ValidationError(
                "Aucun envoi du projet n'est enregistré à cette date : le projet est soumis pour "
                "avis aux conseils municipaux et aux conseils citoyens avant d'être approuvé."
            )
        waiting = cur.execute(
            "select max(deadline_on) from consultation_state_at($d)"
            " where report_id = $r and state = 'pending'",
            {"d": day, "r": report["id"]},
        ).fetchone()[0]
        if waiting is not None:
            raise ValidationError(
                f"Une instance consultée a jusqu'au {fmt.date_fr(waiting)} pour rendre son avis : "
                "la délibération ne peut pas précéder la fin de ce délai (ou son avis)."
            )
        after = update_versioned(cur, actor, "annual_report", report_id, expected_version,
                                 changes, field="Rapport annuel")[1]  # fmt: skip
        if checked is not None:
            files.attach_in(cur, actor, "annual_report", report_id, checked)
        return after


@write_service("contributeur", "enregistrer la publication du rapport annuel")
def publish(
    db: Database,
    actor: Actor,
    report_id: int,
    *,
    expected_version: int,
    published_on: object,
    upload: files.Upload | None = None,
) -> dict:
    """The day the final report, with its annexes, was made public."""
    day = validate.date(published_on, "Date de publication")
    _not_future(day, "La date de publication")
    checked = files.prepare(db, upload) if upload is not None else None
    with db.transaction() as cur:
        report = _live_report(cur, report_id)
        if report["approved_on"] is None or day < report["approved_on"]:
            raise ValidationError(
                "Le rapport est rendu public une fois approuvé : enregistrez d'abord la "
                "délibération (la publication ne peut pas la précéder)."
            )
        after = update_versioned(cur, actor, "annual_report", report_id, expected_version,
                                 {"published_on": day}, field="Rapport annuel")[1]  # fmt: skip
        if checked is not None:
            files.attach_in(cur, actor, "annual_report", report_id, checked)
        return after


# -- reads ------------------------------------------------------------------------------
def reports(db: Database, as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    return db.records("annual_reports", as_of=as_of, programme_code=programme_code)


def consultations(db: Database, report_id: int, as_of: dt.date) -> list[dict]:
    return db.records("annual_report_consultations", report_id=report_id, as_of=as_of)


def state_label(row: dict) -> str:
    """A consultation's state in French: the opinion, « réputé favorable », « en attente »."""
    if row["state"] == "answered":
        return (f"{fmt.OPINION_LABELS[row['opinion']]} (avis reçu le "
                f"{fmt.date_fr(row['answered_on'])})")  # fmt: skip
    if row["state"] == "deemed_favourable":
        late = (f" ; avis reçu hors délai le {fmt.date_fr(row['answered_on'])} : "
                f"{fmt.OPINION_LABELS[row['opinion']]}") if row["answered_late"] else ""  # fmt: skip
        return f"réputé favorable (sans réponse au {fmt.date_fr(row['deadline_on'])}){late}"
    return f"en attente (jusqu'au {fmt.date_fr(row['deadline_on'])})"
