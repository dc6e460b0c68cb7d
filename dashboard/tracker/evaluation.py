"""The référentiel d'évaluation of a programme: evaluative questions and their
criteria, indicators (attached to a criterion, an orientation or an action) with
their baseline, targets per period and values measured per period and territory,
and the état de la réponse of each question with the evidence behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from dashboard.tracker import fmt, periods, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.citation import Source, cite
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.fields import Spec, clean
from dashboard.tracker.origins import Origin
from dashboard.tracker.records import (
    add_source,
    archive_service,
    audit_many,
    cancel_service,
    create,
    require_row,
    update_service,
    update_versioned,
)

MAX_VALUES = 20_000


# -- questions and criteria --------------------------------------------------------


@write_service("contributeur", "créer une question évaluative")
def create_question(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    text: str,
    position: int | None = None,
    criteria: list[str] = (),
    source: Source | None = None,
    origin: Origin | None = None,
) -> int:
    """A question and, in the same transaction, its criteria (in order); ``origin``:
    where it comes from (by default it exists from the day it is recorded), its
    criteria with it."""
    clean_text = validate.text(text, "Question", max_len=validate.MAX_TEXT)
    wanted = validate.integer(position, "Rang", low=1, high=999, required=False)
    clean_criteria = [validate.text(c, "Critère", max_len=validate.MAX_TEXT) for c in criteria]
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        if wanted is None:
            wanted = (
                1
                + cur.execute(
                    "select count(*) from eval_question where programme_id = $p",
                    {"p": programme["id"]},
                ).fetchone()[0]
            )
        question_id = create(
            cur,
            actor,
            "eval_question",
            {"programme_id": programme["id"], "position": wanted, "text": clean_text,
             "source_id": add_source(cur, source)}, origin=origin,
        )  # fmt: skip
        for rank, criterion in enumerate(clean_criteria, start=1):
            create(cur, actor, "eval_criterion",
                   {"question_id": question_id, "position": rank, "text": criterion},
                   origin=origin)  # fmt: skip
        return question_id


QUESTION_FIELDS: Spec = {
    "text": lambda v: validate.text(v, "Question", max_len=validate.MAX_TEXT),
    "position": lambda v: validate.integer(v, "Rang", low=1, high=999),
}


update_question = update_service(
    "eval_question",
    "contributeur",
    "modifier une question évaluative",
    "update_question",
    fields=QUESTION_FIELDS,
    field="Question",
)


archive_question = archive_service(
    "eval_question",
    "contributeur",
    "archiver une question évaluative",
    "archive_question",
    field="Question",
)


@write_service("contributeur", "ajouter un critère")
def add_criterion(db: Database, actor: Actor, *, question_id: int, text: str) -> int:
    clean_text = validate.text(text, "Critère", max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        question = require_row(cur, "eval_question", question_id, "Question")
        rank = (
            1
            + cur.execute(
                "select count(*) from eval_criterion where question_id = $q", {"q": question["id"]}
            ).fetchone()[0]
        )
        return create(cur, actor, "eval_criterion",
                      {"question_id": question["id"], "position": rank, "text": clean_text})  # fmt: skip


@write_service("contributeur", "modifier un critère")
def update_criterion(
    db: Database, actor: Actor, criterion_id: int, *, expected_version: int,
    reason: str | None = None, **changes,
) -> dict:  # fmt: skip
    cleaned = clean(
        changes, {"text": lambda v: validate.text(v, "Critère", max_len=validate.MAX_TEXT)}
    )
    with db.transaction() as cur:
        return update_versioned(cur, actor, "eval_criterion", criterion_id, expected_version,
                                cleaned, field="Critère", reason=reason)[1]  # fmt: skip


@write_service("contributeur", "changer l'état de la réponse")
def set_answer_state(
    db: Database, actor: Actor, question_id: int, *, answer_state: str, answer: str | None = None
) -> int:
    """A new state event (the history keeps every earlier one). « Réponse apportée »
    needs the answer's text and at least one piece of evidence."""
    state = validate.choice(answer_state, fmt.ANSWER_STATE_LABELS, "État de la réponse")
    text = validate.text(answer, "Réponse", required=False, max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        question = require_row(cur, "eval_question", question_id, "Question")
        if state == "answered":
            if not text:
                raise ValidationError("Une réponse apportée se résume : écrivez la réponse.")
            evidence = cur.execute(
                "select count(*) from question_evidence where question_id = $q "
                "and cancelled_at is null", {"q": question["id"]},
            ).fetchone()[0]  # fmt: skip
            if not evidence:
                raise ValidationError(
                    "Une réponse apportée s'appuie sur des éléments : reliez d'abord à la "
                    "question au moins un indicateur ou un livrable."
                )
        current = cur.execute(
            "select arg_max(answer_state, id), arg_max(answer, id) from question_state_event "
            "where question_id = $q", {"q": question["id"]},
        ).fetchone()  # fmt: skip
        if (current[0] or "not_started", current[1]) == (state, text):
            raise ValidationError("Rien à enregistrer : l'état de la réponse ne change pas.")
        return create(cur, actor, "question_state_event",
                      {"question_id": question["id"], "answer_state": state, "answer": text,
                       "recorded_by": actor.name, "recorded_at": utcnow()})  # fmt: skip


EVIDENCE_TABLES = {"indicator": "indicator", "deliverable": "deliverable"}


@write_service("contributeur", "relier un élément de preuve")
def add_evidence(
    db: Database, actor: Actor, *, question_id: int, evidence_kind: str, evidence_id: int,
    note: str | None = None,
) -> int:  # fmt: skip
    kind = validate.choice(evidence_kind, {"indicator": "indicateur", "deliverable": "livrable"},
                           "Type d'élément de preuve")  # fmt: skip
    clean_note = validate.text(note, "Note", required=False, max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        question = require_row(cur, "eval_question", question_id, "Question")
        evidence = require_row(cur, EVIDENCE_TABLES[kind], evidence_id, "Élément de preuve")
        if evidence["programme_id"] != question["programme_id"]:
            raise ValidationError("L'élément de preuve appartient à un autre programme.")
        if cur.execute(
            "select 1 from question_evidence where question_id = $q and evidence_kind = $k "
            "and evidence_id = $e and cancelled_at is null",
            {"q": question["id"], "k": kind, "e": evidence["id"]},
        ).fetchone():
            raise ValidationError("Cet élément est déjà relié à la question.")
        return create(cur, actor, "question_evidence",
                      {"question_id": question["id"], "evidence_kind": kind,
                       "evidence_id": evidence["id"], "note": clean_note,
                       "recorded_by": actor.name, "recorded_at": utcnow()})  # fmt: skip


remove_evidence = cancel_service(
    "question_evidence",
    "contributeur",
    "retirer un élément de preuve",
    "remove_evidence",
    field="Élément de preuve",
)


# -- indicators ------------------------------------------------------------------------


def _baseline_value(value: object) -> object:
    return None if value in (None, "") else validate.measure(value, "Valeur de référence")


INDICATOR_FIELDS: Spec = {
    "code": lambda v: validate.text(v, "Code", max_len=40),
    "name": lambda v: validate.text(v, "Intitulé"),
    "unit": lambda v: validate.text(v, "Unité", max_len=60),
    "unit_kind": lambda v: validate.choice(v, fmt.UNIT_KIND_LABELS, "Nature de l'unité"),
    "direction": lambda v: validate.choice(v, fmt.DIRECTION_LABELS, "Sens"),
    "periodicity": lambda v: validate.choice(v, fmt.PERIODICITY_LABELS, "Périodicité"),
    "baseline_value": _baseline_value,
    "baseline_on": lambda v: validate.date(v, "Date de la valeur de référence", required=False),
    "baseline_source": lambda v: validate.text(v, "Source de la valeur de référence",
                                               required=False, max_len=300),
    "description": lambda v: validate.text(v, "Définition", required=False,
                                           max_len=validate.MAX_TEXT),
    "criterion_id": lambda v: None if v in (None, "") else validate.identifier(v, "Critère"),
    "orientation_id": lambda v: None if v in (None, "") else validate.identifier(v, "Orientation"),
    "action_id": lambda v: None if v in (None, "") else validate.identifier(v, "Action"),
}  # fmt: skip
_ATTACHED = {
    "criterion_id": "eval_criterion",
    "orientation_id": "orientation",
    "action_id": "action",
}


def _check_indicator(cur: duckdb.DuckDBPyConnection, programme_id: int, values: dict) -> None:
    baseline = (values.get("baseline_value"), values.get("baseline_on"),
                values.get("baseline_source"))  # fmt: skip
    if baseline[0] is not None and (baseline[1] is None or baseline[2] is None):
        raise ValidationError(
            "Une valeur de référence se date et se source : indiquez sa date et sa source."
        )
    attached = [k for k in _ATTACHED if values.get(k) is not None]
    if len(attached) > 1:
        raise ValidationError(
            "Un indicateur se rattache à un critère, ou à une orientation, ou à une action : "
            "un seul des trois."
        )
    for key in attached:
        row = require_row(cur, _ATTACHED[key], values[key], "Rattachement")
        owner = row.get("programme_id")
        if key == "criterion_id":
            owner = require_row(cur, "eval_question", row["question_id"], "Question")[
                "programme_id"
            ]
        if owner != programme_id:
            raise ValidationError("Le rattachement choisi appartient à un autre programme.")


@write_service("contributeur", "créer un indicateur")
def create_indicator(
    db: Database,
    actor: Actor,
    *,
    programme_id: int,
    source: Source | None = None,
    origin: Origin | None = None,
    **fields,
) -> int:
    values = clean(fields, INDICATOR_FIELDS)
    for required in ("code", "name", "unit", "unit_kind", "direction", "periodicity"):
        if values.get(required) is None:
            INDICATOR_FIELDS[required](None)
    with db.transaction() as cur:
        programme = require_row(cur, "programme", programme_id, "Programme")
        _check_indicator(cur, programme["id"], values)
        if cur.execute(
            "select 1 from indicator where programme_id = $p and code = $c",
            {"p": programme["id"], "c": values["code"]},
        ).fetchone():
            raise ValidationError(f"Le code « {values['code']} » est déjà celui d'un indicateur "
                                  "de ce programme.")  # fmt: skip
        values.update(programme_id=programme["id"], source_id=add_source(cur, source))
        return create(cur, actor, "indicator", values, origin=origin)


@write_service("contributeur", "modifier un indicateur")
def update_indicator(
    db: Database, actor: Actor, indicator_id: int, *, expected_version: int,
    reason: str | None = None, **changes,
) -> dict:  # fmt: skip
    cleaned = clean(changes, INDICATOR_FIELDS)
    with db.transaction() as cur:
        row = require_row(cur, "indicator", indicator_id, "Indicateur")
        merged = {**row, **cleaned}
        if any(k in cleaned and cleaned[k] is not None for k in _ATTACHED):
            merged.update({k: cleaned.get(k) for k in _ATTACHED})
            cleaned.update({k: merged[k] for k in _ATTACHED})
        _check_indicator(cur, row["programme_id"], merged)
        if "periodicity" in cleaned and cleaned["periodicity"] != row["periodicity"] and \
                cur.execute("select count(*) from indicator_value where indicator_id = $i and "
                            "cancelled_at is null", {"i": row["id"]}).fetchone()[0]:  # fmt: skip
            raise ValidationError(
                "La périodicité d'un indicateur qui a des valeurs ne change pas : ses périodes "
                "ne correspondraient plus. Créez un autre indicateur."
            )
        return update_versioned(cur, actor, "indicator", indicator_id, expected_version, cleaned,
                                field="Indicateur", reason=reason)[1]  # fmt: skip


archive_indicator = archive_service(
    "indicator", "contributeur", "archiver un indicateur", "archive_indicator", field="Indicateur"
)


@write_service("contributeur", "fixer une cible")
def set_target(
    db: Database, actor: Actor, *, indicator_id: int, period: object, value: object,
    territory_id: int | None = None, source_document: str | None = None,
) -> int:  # fmt: skip
    """The target of a period (for the programme, or one territory). A target already
    set for that period and territory is replaced (the audit keeps the old one)."""
    with db.transaction() as cur:
        indicator = require_row(cur, "indicator", indicator_id, "Indicateur")
        start = periods.parse(period, indicator["periodicity"], "Période de la cible")
        number = validate.measure(value, "Cible")
        territory = None if territory_id in (None, "") else require_row(
            cur, "territory", territory_id, "Territoire")["id"]  # fmt: skip
        document = validate.text(source_document, "Source de la cible", required=False,
                                 max_len=300)  # fmt: skip
        existing = cur.execute(
            "select id, version, value from indicator_target where indicator_id = $i "
            "and period_start = $p and territory_id is not distinct from $t and cancelled_at is null",
            {"i": indicator["id"], "p": start, "t": territory},
        ).fetchone()
        if existing:
            update_versioned(cur, actor, "indicator_target", existing[0], existing[1],
                             {"value": number, "source_document": document}, field="Cible")  # fmt: skip
            return existing[0]
        return create(cur, actor, "indicator_target",
                      {"indicator_id": indicator["id"], "period_start": start,
                       "territory_id": territory, "value": number, "source_document": document,
                       "recorded_by": actor.name, "recorded_at": utcnow()})  # fmt: skip


# -- values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    """One value as entered, checked and resolved."""

    indicator_id: int
    period_start: dt.date
    territory_id: int | None
    value: object
    source_document: str | None
    source_page: str | None
    comment: str | None


_VALUE_KEYS = {"indicator_id", "period", "territory_id", "value", "source_document",
               "source_page", "comment"}  # fmt: skip


@write_service("contributeur", "saisir des valeurs d'indicateur")
def record_values(db: Database, actor: Actor, rows: list[dict]) -> list[int]:
    """Many values at once, all or nothing: every row is checked and every error is
    listed with its line (« ligne 3 : … »); nothing is written if any row fails. A
    value already entered for the same indicator, period and territory is refused
    (correct it instead): nothing is overwritten silently."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ValidationError("Aucune valeur à enregistrer.")
    if len(rows) > MAX_VALUES:
        raise ValidationError(f"Au plus {fmt.number(MAX_VALUES)} valeurs par saisie.")
    with db.transaction() as cur:
        context = _value_context(cur, rows)
        errors, clean_rows = [], []
        for number, row in enumerate(rows, start=1):
            try:
                clean_rows.append(_value_row(row, context))
            except ValidationError as error:
                errors.append(f"ligne {number} : {error.message}")
        errors += _duplicates(cur, clean_rows, context)
        errors.sort(key=lambda e: int(e.split(" ", 2)[1]))
        if errors:
            raise ValidationError("Rien n'a été enregistré. " + " ".join(errors[:30]))
        return _insert_values(cur, actor, clean_rows)


def _value_context(cur: duckdb.DuckDBPyConnection, rows: list[dict]) -> dict:
    ids = {r.get("indicator_id") for r in rows if isinstance(r.get("indicator_id"), int)}
    found = cur.execute(
        "select id, code, periodicity, archived_on from indicator where id in "
        "(select unnest($ids::integer[]))", {"ids": sorted(ids)},
    ).fetchall()  # fmt: skip
    territory_ids = {r.get("territory_id") for r in rows if isinstance(r.get("territory_id"), int)}
    known = cur.execute(
        "select id, archived_on from territory where id in (select unnest($ids::integer[]))",
        {"ids": sorted(territory_ids)},
    ).fetchall()
    return {"indicators": {r[0]: r for r in found}, "territories": dict(known)}


def _value_row(row: dict, context: dict) -> ValueRow:
    unknown = sorted(set(row) - _VALUE_KEYS)
    if unknown:
        raise ValidationError(f"champ(s) inconnu(s) : {', '.join(unknown)}")
    indicator_id = validate.identifier(row.get("indicator_id"), "Indicateur")
    indicator = context["indicators"].get(indicator_id)
    if indicator is None:
        raise ValidationError(f"l'indicateur n° {indicator_id} n'existe pas")
    if indicator[3] is not None:
        raise ValidationError(f"l'indicateur « {indicator[1]} » est archivé")
    territory = row.get("territory_id")
    if territory not in (None, ""):
        territory = validate.identifier(territory, "Territoire")
        if territory not in context["territories"]:
            raise ValidationError(f"le territoire n° {territory} n'existe pas")
        if context["territories"][territory] is not None:
            raise ValidationError(f"le territoire n° {territory} est archivé")
    else:
        territory = None
    start = periods.parse(row.get("period"), indicator[2])
    last_day = periods.end(indicator[2], start)
    if last_day >= dt.date.today():
        raise ValidationError(
            f"la période {periods.label(indicator[2], start)} n'est pas terminée (elle finit le "
            f"{fmt.date_fr(last_day)}) : une valeur mesurée se saisit une fois la période close"
        )
    return ValueRow(
        indicator_id,
        start,
        territory,
        validate.measure(row.get("value"), "Valeur"),
        validate.text(row.get("source_document"), "Document source", required=False, max_len=300),
        validate.text(row.get("source_page"), "Page", required=False, max_len=40),
        validate.text(row.get("comment"), "Commentaire", required=False, max_len=validate.MAX_TEXT),
    )


def _duplicates(cur: duckdb.DuckDBPyConnection, rows: list[ValueRow], context: dict) -> list[str]:
    errors, seen = [], {}
    keys = [{"n": number, "i": r.indicator_id, "p": r.period_start, "t": r.territory_id}
            for number, r in enumerate(rows, start=1)]  # fmt: skip
    for number, key in enumerate(keys, start=1):
        marker = (key["i"], key["p"], key["t"])
        if marker in seen:
            errors.append(f"ligne {number} : même indicateur, période et territoire que la "
                          f"ligne {seen[marker]}.")  # fmt: skip
        seen.setdefault(marker, number)
    existing = cur.execute(
        "select k.n from (select unnest($keys, recursive := true)) as k "
        "join indicator_value as v on v.indicator_id = k.i and v.period_start = k.p "
        "and v.territory_id is not distinct from k.t::integer and v.cancelled_at is null order by k.n",
        {"keys": keys},
    ).fetchall() if keys else []  # fmt: skip
    for (number,) in existing:
        errors.append(f"ligne {number} : une valeur est déjà saisie pour cet indicateur, cette "
                      "période et ce territoire : corrigez-la plutôt que de la ressaisir.")  # fmt: skip
    return errors


def _insert_values(cur: duckdb.DuckDBPyConnection, actor: Actor, rows: list[ValueRow]) -> list[int]:
    now = utcnow()
    payload = [
        {"indicator_id": r.indicator_id, "period_start": r.period_start,
         "territory_id": r.territory_id, "value": str(r.value),
         "source_document": r.source_document, "source_page": r.source_page,
         "comment": r.comment}
        for r in rows
    ]  # fmt: skip
    inserted = cur.execute(
        "insert into indicator_value (indicator_id, period_start, territory_id, value, "
        "source_document, source_page, comment, recorded_by, recorded_at, updated_by, updated_at) "
        "select r.indicator_id, r.period_start, r.territory_id, r.value::decimal(18, 4), "
        "r.source_document, r.source_page, r.comment, $by, $at, $by, $at "
        "from (select unnest($rows, recursive := true)) as r returning *",
        {"rows": payload, "by": actor.name, "at": now},
    )
    names = [d[0] for d in inserted.description]
    after = [dict(zip(names, row, strict=True)) for row in inserted.fetchall()]
    audit_many(cur, actor, "create", "indicator_value", [(None, row) for row in after])
    return sorted(row["id"] for row in after)


@write_service("contributeur", "corriger une valeur d'indicateur")
def correct_value(
    db: Database, actor: Actor, value_id: int, *, expected_version: int, reason: str,
    **changes,
) -> dict:  # fmt: skip
    """Correct a value: the row keeps its place, says « corrigée » from then on, and the
    audit keeps the old value and the reason."""
    spec: Spec = {
        "value": lambda v: validate.measure(v, "Valeur"),
        "source_document": lambda v: validate.text(v, "Document source", required=False,
                                                   max_len=300),
        "source_page": lambda v: validate.text(v, "Page", required=False, max_len=40),
        "comment": lambda v: validate.text(v, "Commentaire", required=False,
                                           max_len=validate.MAX_TEXT),
    }  # fmt: skip
    cleaned = clean(changes, spec)
    why = validate.text(reason, "Motif de la correction", max_len=validate.MAX_TEXT)
    with db.transaction() as cur:
        return update_versioned(cur, actor, "indicator_value", value_id, expected_version,
                                cleaned, field="Valeur", reason=why)[1]  # fmt: skip


cancel_value = cancel_service(
    "indicator_value",
    "contributeur",
    "annuler une valeur saisie par erreur",
    "cancel_value",
    field="Valeur",
)


# -- reads ---------------------------------------------------------------------------------


def series(db: Database, indicator_id: int, territory_id: int | None, as_of: dt.date) -> list[dict]:
    """The indicator's rows (see queries/indicator_series.sql), each with its period's
    French label and its source as one printable text."""
    rows = db.records("indicator_series", indicator_id=indicator_id, territory_id=territory_id,
                      as_of=as_of)  # fmt: skip
    periodicity = db.scalar("select periodicity from indicator where id = $i", {"i": indicator_id})
    for row in rows:
        row["period"] = periods.label(periodicity, row["period_start"])
    return rows


def value_source(row: dict) -> str:
    """Where a value comes from, in one French phrase."""
    if row.get("row_kind") == "total":
        if row.get("own"):
            return "saisie pour l'ensemble"
        if row.get("parts"):
            return f"somme de {fmt.count_of(row['parts'], row.get('parts_kind') or 'territory')}"
        return fmt.UNKNOWN
    if row.get("source_document"):
        text = cite(Source(row["source_document"], page=row.get("source_page")))
    else:
        text = f"saisie par {row.get('recorded_by') or fmt.UNKNOWN}"
    if row.get("corrected"):
        text += f" (corrigée par {row.get('updated_by')})"
    return text


def figures(db: Database, programme_code: str | None, as_of: dt.date,
            scope: set[int] | None = None) -> dict:  # fmt: skip
    """What the overview and the pack say of the evaluation at ``as_of``: questions
    answered, indicators on track (of those with a value and a target), deliverables
    due in the next 90 days and late; deliverables restricted to ``scope``'s
    territories when a territory is chosen."""
    questions = db.records("eval_questions", programme_code=programme_code, as_of=as_of)
    indicators = db.records("indicator_status", programme_code=programme_code, as_of=as_of)
    items = in_scope(db.records("deliverables", programme_code=programme_code, as_of=as_of),
                     scope)  # fmt: skip
    horizon = as_of + dt.timedelta(days=90)
    return {
        "questions": len(questions),
        "answered": sum(q["answer_state"] == "answered" for q in questions),
        "in_progress": sum(q["answer_state"] == "in_progress" for q in questions),
        "indicators": len(indicators),
        "on_track": sum(i["track"] == "on_track" for i in indicators),
        "judged": sum(i["track"] in ("on_track", "off_track") for i in indicators),
        "deliverables": len(items),
        "late": sum(d["late"] for d in items),
        "due": sum(
            d["status"] == "planned"
            and not d["late"]
            and d["planned_on"] is not None
            and d["planned_on"] <= horizon
            for d in items
        ),  # fmt: skip
        "validated": sum(d["status"] == "validated" for d in items),
    }


def in_scope(rows: list[dict], scope: set[int] | None) -> list[dict]:
    """The rows tagged with a territory of ``scope`` (all rows when no territory)."""
    if scope is None:
        return rows
    return [r for r in rows if scope & set(r.get("territory_ids") or ())]


def track_label(row: dict) -> str:
    """« en bonne voie (3 sur 3 territoires) »: the verdict and what it rests on."""
    label = fmt.TRACK_LABELS[row["track"]]
    if row["track"] in ("on_track", "off_track") and row["series"] > 1:
        label += f" ({row['met']} sur {row['judged']} séries avec cible)"
    return label
