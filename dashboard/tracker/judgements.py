"""Judgements: the argued answer to an evaluative question, in versions.

A version holds the answer, its limits, who wrote it and when, and a judgement per
criterion — « atteint », « partiellement atteint », « non atteint » or « non évaluable »
— each resting on evidence (an indicator's values with territory and periods, a
deliverable, a committee decision, a document with its page) and saying the strength of
that evidence with the reason. « Non évaluable » needs no evidence but says why.

A version is a draft until a committee decision validates it (the decision is the
record, like a gate); from then it is frozen, and a later change is a new version
(``new_version`` copies the one validated last into a draft). « Au » a date, the page,
the pack and the report show the version validated by then (rule ``judgements_at``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.tracker import citation, committees, fmt, periods, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.records import (
    add_source,
    cancel,
    create,
    require_row,
    update_versioned,
)

FIELDS: Spec = {
    "answer": lambda v: validate.text(v, "Réponse à la question", max_len=validate.MAX_TEXT),
    "limits": lambda v: validate.text(v, "Limites", required=False, max_len=validate.MAX_TEXT),
    "written_by": lambda v: validate.text(v, "Rédigée par", max_len=200),
    "written_on": lambda v: validate.date(v, "Rédigée le"),
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: ``kind`` is indicator (with an optional territory and
    period range), deliverable, decision or document (a ``Source`` whose article is the
    article or the page)."""

    kind: str
    indicator_id: int | None = None
    territory_id: int | None = None
    period_from: dt.date | str | None = None
    period_to: dt.date | str | None = None
    deliverable_id: int | None = None
    decision_id: int | None = None
    source: Source | None = None
    note: str | None = None


def _question(cur, question_id: object) -> dict:
    question = require_row(cur, "eval_question", question_id, "Question évaluative")
    if question["archived_on"] is not None:
        raise ValidationError("Cette question est archivée : sa réponse ne change plus.")
    return question


def _draft(cur, judgement_id: object) -> dict:
    """The version, refused when it is validated (frozen) or cancelled."""
    row = require_row(cur, "judgement", judgement_id, "Version de la réponse")
    if row["cancelled_at"] is not None:
        raise ValidationError("Cette version a été annulée (saisie par erreur).")
    if row["validated_decision_id"] is not None:
        raise ValidationError(
            f"La version {row['version_no']} a été validée le "
            f"{fmt.date_fr(row['validated_on'])} : elle est figée. Pour la changer, créez "
            "une nouvelle version."
        )
    return row


def _written(values: dict) -> None:
    if values.get("written_on") and values["written_on"] > dt.date.today():
        raise ValidationError("Une réponse se date au plus tard aujourd'hui.")


@write_service("contributeur", "rédiger une réponse à une question")
def draft_judgement(
    db: Database,
    actor: Actor,
    *,
    question_id: int,
    answer: str,
    limits: str | None = None,
    written_by: str | None = None,
    written_on: object = None,
) -> int:
    """A new draft version of the question's answer. When a version was validated
    before, its criterion judgements and their evidence are copied into the draft (a
    new version starts from the one in force). One draft at a time per question."""
    values = clean({"answer": answer, "limits": limits,
                    "written_by": written_by or actor.display_name or actor.login,
                    "written_on": written_on or dt.date.today()}, FIELDS)  # fmt: skip
    _written(values)
    with db.transaction() as cur:
        question = _question(cur, question_id)
        versions = cur.execute(
            "select id, version_no, validated_decision_id from judgement"
            " where question_id = $q and cancelled_at is null order by version_no",
            {"q": question["id"]},
        ).fetchall()  # fmt: skip
        if any(v[2] is None for v in versions):
            raise ValidationError(
                "Un projet de réponse existe déjà pour cette question : complétez-le ou "
                "annulez-le avant d'en commencer un autre."
            )
        number = cur.execute(
            "select coalesce(max(version_no), 0) + 1 from judgement where question_id = $q",
            {"q": question["id"]},
        ).fetchone()[0]  # fmt: skip
        new_id = create(cur, actor, "judgement",
                        {**values, "question_id": question["id"], "version_no": number})  # fmt: skip
        if versions:
            _copy_criteria(cur, actor, versions[-1][0], new_id)
        return new_id


def _copy_criteria(cur, actor: Actor, from_id: int, to_id: int) -> None:
    judged = cur.execute(
        "select id from criterion_judgement where judgement_id = $j and cancelled_at is null"
        " order by id", {"j": from_id},
    ).fetchall()  # fmt: skip
    for (old_id,) in judged:
        row = require_row(cur, "criterion_judgement", old_id, "Jugement")
        new_id = create(cur, actor, "criterion_judgement", {
            **{k: row[k] for k in ("criterion_id", "verdict", "reasoning", "strength",
                                   "strength_reason")},
            "judgement_id": to_id, "recorded_by": actor.name, "recorded_at": utcnow(),
        })  # fmt: skip
        pieces = cur.execute(
            "select id from judgement_evidence where criterion_judgement_id = $c"
            " and cancelled_at is null order by id", {"c": old_id},
        ).fetchall()  # fmt: skip
        for (piece_id,) in pieces:
            piece = require_row(cur, "judgement_evidence", piece_id, "Preuve")
            create(cur, actor, "judgement_evidence", {
                **{k: piece[k] for k in ("kind", "indicator_id", "territory_id", "period_from",
                                         "period_to", "deliverable_id", "decision_id",
                                         "source_id", "note")},
                "criterion_judgement_id": new_id, "recorded_by": actor.name,
                "recorded_at": utcnow(),
            })  # fmt: skip


@write_service("contributeur", "modifier un projet de réponse")
def update_judgement(
    db: Database,
    actor: Actor,
    judgement_id: int,
    *,
    expected_version: int,
    reason: str | None = None,
    **changes,
) -> dict:
    """Change a draft's answer, limits, author or date (a validated version is frozen)."""
    cleaned = clean(changes, FIELDS)
    _written(cleaned)
    with db.transaction() as cur:
        _draft(cur, judgement_id)
        return update_versioned(cur, actor, "judgement", judgement_id, expected_version,
                                cleaned, field="Version de la réponse", reason=reason)[1]  # fmt: skip


@write_service("contributeur", "juger un critère")
def judge_criterion(
    db: Database,
    actor: Actor,
    *,
    judgement_id: int,
    criterion_id: int,
    verdict: str,
    reasoning: str,
    strength: str | None = None,
    strength_reason: str | None = None,
    evidence: list[Evidence] | tuple[Evidence, ...] = (),
) -> int:
    """The judgement of one criterion in a draft, with its evidence, all at once (a
    criterion already judged in this draft is replaced). A verdict other than « non
    évaluable » rests on at least one piece of evidence and says its strength and why;
    « non évaluable » says why in ``reasoning`` and has no strength."""
    kind = validate.choice(verdict, fmt.VERDICT_LABELS, "Jugement")
    assessable = kind != "not_assessable"
    why = validate.text(
        reasoning, "Argumentaire" if assessable else "Pourquoi le critère n'est pas évaluable",
        max_len=validate.MAX_TEXT,
    )  # fmt: skip
    force = reason_for_force = None
    if assessable:
        if not evidence:
            raise ValidationError(
                "Un jugement s'appuie sur au moins une preuve (valeurs d'un indicateur, "
                "livrable, décision de comité ou document) ; sinon, jugez le critère « non "
                "évaluable » et dites pourquoi."
            )
        force = validate.choice(strength, fmt.STRENGTH_LABELS, "Solidité de la preuve")
        reason_for_force = validate.text(strength_reason, "Raison de la solidité",
                                         max_len=validate.MAX_TEXT)  # fmt: skip
    elif strength not in (None, ""):
        raise ValidationError("Un critère « non évaluable » n'a pas de solidité de preuve.")
    if not isinstance(evidence, list | tuple):
        raise ValidationError("Les preuves se donnent en liste.")
    with db.transaction() as cur:
        draft = _draft(cur, judgement_id)
        criterion = require_row(cur, "eval_criterion", criterion_id, "Critère")
        if criterion["question_id"] != draft["question_id"]:
            raise ValidationError("Ce critère appartient à une autre question.")
        if criterion["archived_on"] is not None:
            raise ValidationError("Ce critère est archivé.")
        programme_id = cur.execute(
            "select programme_id from eval_question where id = $q", {"q": draft["question_id"]}
        ).fetchone()[0]  # fmt: skip
        pieces = [_evidence_values(cur, programme_id, e) for e in evidence]
        previous = cur.execute(
            "select id from criterion_judgement where judgement_id = $j and criterion_id = $c"
            " and cancelled_at is null", {"j": draft["id"], "c": criterion["id"]},
        ).fetchall()  # fmt: skip
        for (old_id,) in previous:
            cancel(cur, actor, "criterion_judgement", old_id, None,
                   "remplacé par un nouveau jugement du critère", field="Jugement")  # fmt: skip
        new_id = create(cur, actor, "criterion_judgement", {
            "judgement_id": draft["id"], "criterion_id": criterion["id"], "verdict": kind,
            "reasoning": why, "strength": force, "strength_reason": reason_for_force,
            "recorded_by": actor.name, "recorded_at": utcnow(),
        })  # fmt: skip
        for values in pieces:
            _add_piece(cur, actor, new_id, values)
        return new_id


def _evidence_values(cur, programme_id: int, e: object) -> dict:
    """The columns of one piece of evidence, checked against the programme."""
    if isinstance(e, dict):
        try:
            e = Evidence(**e)
        except TypeError as error:
            raise ValidationError("Preuve illisible : champs inconnus.") from error
    if not isinstance(e, Evidence):
        raise ValidationError("Preuve illisible.")
    kind = validate.choice(e.kind, fmt.EVIDENCE_KIND_LABELS, "Type de preuve")
    values: dict = {"kind": kind, "note": validate.text(e.note, "Note", required=False,
                                                         max_len=validate.MAX_TEXT)}  # fmt: skip
    if kind == "indicator":
        indicator = require_row(cur, "indicator", e.indicator_id, "Indicateur")
        _same_programme(indicator["programme_id"], programme_id, "L'indicateur")
        values["indicator_id"] = indicator["id"]
        if e.territory_id not in (None, ""):
            values["territory_id"] = require_row(cur, "territory", e.territory_id,
                                                 "Territoire")["id"]  # fmt: skip
        values["period_from"] = validate.date(e.period_from, "Période du", required=False)
        values["period_to"] = validate.date(e.period_to, "Période au", required=False)
        if (
            values["period_from"]
            and values["period_to"]
            and values["period_from"] > values["period_to"]
        ):
            raise ValidationError("La période de la preuve finit avant de commencer.")
    elif kind == "deliverable":
        deliverable = require_row(cur, "deliverable", e.deliverable_id, "Livrable")
        _same_programme(deliverable["programme_id"], programme_id, "Le livrable")
        values["deliverable_id"] = deliverable["id"]
    elif kind == "decision":
        values["decision_id"] = committees.programme_decision(
            cur, programme_id, e.decision_id, missing="Choisissez la décision citée en preuve."
        )["id"]
    else:
        if e.source is None or not (e.source.document or "").strip():
            raise ValidationError("Un document cité comme preuve a un titre et une page.")
        values["source_id"] = add_source(cur, e.source)
    return values


def _same_programme(found: int, expected: int, what: str) -> None:
    if found != expected:
        raise ValidationError(f"{what} choisi(e) appartient à un autre programme.")


def _add_piece(cur, actor: Actor, criterion_judgement_id: int, values: dict) -> int:
    return create(cur, actor, "judgement_evidence", {
        **values, "criterion_judgement_id": criterion_judgement_id,
        "recorded_by": actor.name, "recorded_at": utcnow(),
    })  # fmt: skip


def _judged(cur, criterion_judgement_id: object) -> tuple[dict, dict]:
    judged = require_row(cur, "criterion_judgement", criterion_judgement_id, "Jugement")
    if judged["cancelled_at"] is not None:
        raise ValidationError("Ce jugement a été remplacé ou annulé.")
    return judged, _draft(cur, judged["judgement_id"])


@write_service("contributeur", "ajouter une preuve à un jugement")
def add_judgement_evidence(
    db: Database, actor: Actor, *, criterion_judgement_id: int, evidence: Evidence
) -> int:
    with db.transaction() as cur:
        judged, draft = _judged(cur, criterion_judgement_id)
        programme_id = cur.execute(
            "select programme_id from eval_question where id = $q", {"q": draft["question_id"]}
        ).fetchone()[0]  # fmt: skip
        return _add_piece(cur, actor, judged["id"], _evidence_values(cur, programme_id, evidence))


@write_service("contributeur", "retirer une preuve d'un jugement")
def remove_judgement_evidence(db: Database, actor: Actor, evidence_id: int, *, reason: str) -> dict:
    """Take a piece of evidence out of a draft's judgement; the last piece of a judged
    criterion stays (judge it « non évaluable » instead)."""
    with db.transaction() as cur:
        piece = require_row(cur, "judgement_evidence", evidence_id, "Preuve")
        judged, _ = _judged(cur, piece["criterion_judgement_id"])
        left = cur.execute(
            "select count(*) from judgement_evidence where criterion_judgement_id = $c"
            " and cancelled_at is null", {"c": judged["id"]},
        ).fetchone()[0]  # fmt: skip
        if judged["verdict"] != "not_assessable" and left <= 1:
            raise ValidationError(
                "C'est la dernière preuve de ce jugement : un jugement s'appuie sur au moins "
                "une preuve. Ajoutez-en une autre d'abord, ou jugez le critère « non évaluable »."
            )
        return cancel(cur, actor, "judgement_evidence", piece["id"], None, reason,
                      field="Preuve")  # fmt: skip


@write_service("contributeur", "valider une réponse par une décision de comité")
def validate_judgement(
    db: Database, actor: Actor, judgement_id: int, *, expected_version: int, decision_id: int
) -> dict:
    """Record that a committee decision validated this version: from the meeting's date
    it is the version in force, and it is frozen. Every criterion of the question is
    judged first; the meeting is held on or after the version was written and after the
    previous version's validation."""
    with db.transaction() as cur:
        draft = _draft(cur, judgement_id)
        question = require_row(cur, "eval_question", draft["question_id"], "Question")
        decision = _decision(cur, question["programme_id"], decision_id)
        missing = cur.execute(
            "select c.position from eval_criterion c where c.question_id = $q"
            " and c.archived_on is null and c.id not in (select criterion_id from"
            " criterion_judgement where judgement_id = $j and cancelled_at is null)"
            " order by c.position", {"q": question["id"], "j": draft["id"]},
        ).fetchall()  # fmt: skip
        if missing:
            names = ", ".join(f"C{m[0]}" for m in missing)
            raise ValidationError(
                f"Chaque critère de la question est jugé avant la validation : il manque {names}."
            )
        if decision["held_on"] < draft["written_on"]:
            raise ValidationError(
                f"La décision a été prise le {fmt.date_fr(decision['held_on'])}, avant la "
                f"rédaction de cette version ({fmt.date_fr(draft['written_on'])})."
            )
        previous = cur.execute(
            "select max(validated_on) from judgement where question_id = $q"
            " and cancelled_at is null and validated_on is not null", {"q": question["id"]},
        ).fetchone()[0]  # fmt: skip
        if previous is not None and decision["held_on"] <= previous:
            raise ValidationError(
                f"La version précédente a été validée le {fmt.date_fr(previous)} : une "
                "nouvelle version se valide par une décision plus récente."
            )
        return update_versioned(cur, actor, "judgement", draft["id"], expected_version, {
            "validated_decision_id": decision["id"], "validated_on": decision["held_on"],
            "validated_at": utcnow(), "validated_by": actor.name,
        }, field="Version de la réponse")[1]  # fmt: skip


def _decision(cur, programme_id: int, decision_id: object) -> dict:
    decision = committees.programme_decision(
        cur, programme_id, decision_id,
        missing="Une réponse est validée par une décision de comité : choisissez-la.",
    )  # fmt: skip
    if decision["held_on"] > dt.date.today():
        raise ValidationError("Cette réunion n'a pas encore eu lieu : sa décision ne valide rien.")
    return decision


@write_service("contributeur", "annuler un projet de réponse")
def cancel_judgement(
    db: Database, actor: Actor, judgement_id: int, *, expected_version: int, reason: str
) -> dict:
    """Cancel a draft recorded by mistake (a validated version is kept: it was in force)."""
    with db.transaction() as cur:
        _draft(cur, judgement_id)
        return cancel(cur, actor, "judgement", judgement_id, expected_version, reason,
                      field="Version de la réponse")  # fmt: skip


# -- reads -------------------------------------------------------------------------------


@dataclass
class Answers:
    """The answers known at a date: versions (in force and draft), their judged
    criteria with what their evidence covers, and the evidence itself."""

    versions: list[dict]
    criteria: list[dict]
    evidence: list[dict]

    def of_question(self, question_id: int, role: str) -> dict | None:
        return next((v for v in self.versions
                     if v["question_id"] == question_id and v["role"] == role), None)  # fmt: skip

    def criteria_of(self, judgement_id: int) -> list[dict]:
        return [c for c in self.criteria if c["judgement_id"] == judgement_id]

    def evidence_of(self, criterion_judgement_id: int) -> list[dict]:
        return [e for e in self.evidence if e["criterion_judgement_id"] == criterion_judgement_id]


def answers(
    db: Database, programme_code: str | None, as_of: dt.date, *, evidence: bool = True
) -> Answers:
    """The answers known at ``as_of``; ``evidence=False`` leaves the evidence unread
    (the pack counts verdicts, the report cites evidence)."""
    found = db.gather(
        versions=lambda: db.records("judgements", programme_code=programme_code, as_of=as_of),
        criteria=lambda: db.records("criterion_judgements", programme_code=programme_code,
                                    as_of=as_of),
        evidence=lambda: db.records("judgement_evidence", programme_code=programme_code,
                                    as_of=as_of) if evidence else [],
    )  # fmt: skip
    return Answers(found["versions"], found["criteria"], found["evidence"])


def version_label(version: dict) -> str:
    """« version 2, validée le 4 décembre 2025 (COPIL) » or « version 3, non validée »."""
    if version["role"] == "in_force":
        by = f" ({version['committee_name']})" if version.get("committee_name") else ""
        return f"version {version['version_no']}, validée le {fmt.date_fr(version['validated_on'])}{by}"
    return f"version {version['version_no']}, non validée"


def coverage_label(row: dict) -> str:
    """What a criterion's evidence covers: « 3 preuves de 2 types · 1 document · 12
    valeurs sur 3 territoires et 4 périodes, dont 1 corrigée »."""
    parts = [f"{row['pieces']} preuve(s) de {row['kinds']} type(s)"]
    if row["documents"]:
        parts.append(f"{row['documents']} document(s)")
    if row["values_count"]:
        text = (f"{row['values_count']} valeur(s) sur {row['territories']} territoire(s) et "
                f"{row['periods']} période(s)")  # fmt: skip
        if row["corrected_values"]:
            text += f", dont {row['corrected_values']} corrigée(s)"
        parts.append(text)
    return " · ".join(parts)


def evidence_label(e: dict) -> str:
    """One piece of evidence, as the page, the pack and the report cite it."""
    if e["kind"] == "indicator":
        where = e["territory_name"] or "tous territoires"
        span = ""
        if e["period_from"] or e["period_to"]:
            first = periods.label(e["periodicity"], e["period_from"]) if e["period_from"] else "…"
            last = periods.label(e["periodicity"], e["period_to"]) if e["period_to"] else "…"
            span = f", {first} à {last}" if first != last else f", {first}"
        return (f"Indicateur {e['indicator_code']} « {fmt.shorten(e['indicator_name'], 60)} » "
                f"({where}{span}) : {e['values_count']} valeur(s)")  # fmt: skip
    if e["kind"] == "deliverable":
        return f"Livrable « {e['deliverable_title']} »"
    if e["kind"] == "decision":
        return (f"Décision du {fmt.date_fr(e['decision_on'])} ({e['committee_name']}) : "
                f"« {fmt.shorten(e['decision_text'], 80)} »")  # fmt: skip
    return "Document : " + citation.cite_row(e, excerpt=True)
