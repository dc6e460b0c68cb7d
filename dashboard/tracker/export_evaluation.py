"""The evaluation in the JSON export, in the very shape ``cdv load`` reads (its
sections territories, questions, indicators, targets, values, deliverables,
answers, judgements and recommendations): an export loads into another database as it is. Numbers are exact strings
with a decimal point, dates ISO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dashboard.tracker import periods, secrecy
from dashboard.tracker.db import Database


def number(value: Decimal | None) -> str | None:
    """``Decimal("12.5000")`` -> ``"12.5"``, ``Decimal("1000")`` -> ``"1000"``."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def sections(db: Database, as_of: dt.date, public_threshold: int | None = None) -> dict[str, list]:
    return {
        "territories": territories(db, as_of),
        "questions": questions(db, as_of),
        "indicators": indicators(db, as_of),
        "targets": targets(db),
        "values": values(db, as_of, public_threshold),
        "deliverables": deliverables(db, as_of),
        "answers": answers(db, as_of),
        "judgements": judgements(db),
        "recommendations": recommendations(db, as_of),
    }


def territory_ref(kind: str | None, code: str | None, name: str | None):
    """How a file names a territory: its code; one an act named without its code, by
    ``{ kind, name }`` (what the loader reads back); none: the whole programme."""
    if kind is None:
        return None
    return code if code is not None else {"kind": kind, "name": name}


def territories(db: Database, as_of: dt.date) -> list[dict]:
    rows = []
    for t in db.records("territories", as_of=as_of):
        row = {k: t[k] for k in ("kind", "code", "name", "generation")}
        row.update(within=t["within_codes"],
                   successor=territory_ref(t["successor_name"] and "qpv", t["successor_code"],
                                           t["successor_name"]))  # fmt: skip
        rows.append(row)
    return rows


def questions(db: Database, as_of: dt.date) -> list[dict]:
    return [
        {"programme": q["programme_code"], "position": q["position"], "text": q["text"],
         "criteria": [c["text"] for c in q["criteria"]]}
        for q in db.records("eval_questions", programme_code=None, as_of=as_of)
    ]  # fmt: skip


def indicators(db: Database, as_of: dt.date) -> list[dict]:
    rows = []
    for i in db.records("indicators", programme_code=None, as_of=as_of):
        row = {k: i[k] for k in ("code", "name", "unit", "unit_kind", "direction", "periodicity",
                                 "baseline_on", "baseline_source", "description")}  # fmt: skip
        row.update(programme=i["programme_code"], baseline_value=number(i["baseline_value"]))
        if i["criterion_id"] is not None:
            row["criterion"] = {"question": i["question_position"],
                                "position": i["criterion_position"]}  # fmt: skip
        rows.append(row)
    return rows


def targets(db: Database) -> list[dict]:
    return [
        {"indicator": {"programme": g["programme_code"], "code": g["indicator_code"]},
         "period": periods.label(g["periodicity"], g["period_start"]),
         "territory": territory_ref(g["territory_kind"], g["territory_code"],
                                    g["territory_name"]),
         "value": number(g["value"]),
         "source_document": g["source_document"]}
        for g in db.records("indicator_targets", programme_code=None)
    ]  # fmt: skip


def values(db: Database, as_of: dt.date, public_threshold: int | None = None) -> list[dict]:
    """Every value known at ``as_of``; marked for publication (``public_threshold``), the
    small counts and their complements read « s »."""
    rows = db.records("indicator_values_known", programme_code=None, as_of=as_of)
    hidden = set()
    if public_threshold is not None:
        hidden = secrecy.hidden_values(rows, db.records("territories", as_of=as_of),
                                       public_threshold)  # fmt: skip
    return [
        {"indicator": {"programme": v["programme_code"], "code": v["indicator_code"]},
         "period": periods.label(v["periodicity"], v["period_start"]),
         "territory": territory_ref(v["territory_kind"], v["territory_code"],
                                    v["territory_name"]),
         "value": secrecy.SECRET if secrecy.value_key(v) in hidden else number(v["value"]),
         "source_document": v["source_document"], "source_page": v["source_page"],
         "comment": v["comment"], "recorded_by": v["recorded_by"], "corrected": v["corrected"]}
        for v in rows
    ]  # fmt: skip


def deliverables(db: Database, as_of: dt.date) -> list[dict]:
    rows = []
    for d in db.records("deliverables", programme_code=None, as_of=as_of):
        row = {"programme": d["programme_code"], "title": d["title"], "kind": d["kind"],
               "planned_on": d["planned_on"], "delivered_on": d["delivered_on"],
               "description": d["description"], "status": d["status"],
               "validated_on": d["validated_on"], "territories": [territory_ref(t["kind"], t["code"], t["name"])
                                               for t in d["territory_refs"]]}  # fmt: skip
        if d["phase_id"]:
            row["phase"] = d["phase_number"]
        elif d["orientation_id"]:
            row["orientation"] = d["orientation_title"]
        else:
            row["action"] = d["action_title"]
        rows.append(row)
    return rows


def answers(db: Database, as_of: dt.date) -> list[dict]:
    evidence: dict[tuple, list] = {}
    for e in db.records("question_evidence_records", programme_code=None):
        evidence.setdefault((e["programme_code"], e["question_position"]), []).append(
            {e["evidence_kind"]: e["evidence_name"], **({"note": e["note"]} if e["note"] else {})}
        )
    return [
        {"programme": q["programme_code"], "question": q["position"],
         "answer_state": q["answer_state"], "answer": q["answer"],
         "evidence": evidence.get((q["programme_code"], q["position"]), [])}
        for q in db.records("eval_questions", programme_code=None, as_of=as_of)
    ]  # fmt: skip


def _decision_ref(committee: str | None, held_on: dt.date | None, text: str | None) -> dict | None:
    if text is None:
        return None
    return {"committee": committee, "held_on": held_on, "text": text}


def _evidence_ref(e: dict) -> dict:
    note = {"note": e["note"]} if e["note"] else {}
    if e["kind"] == "indicator":
        ref = {"indicator": e["indicator"],
               "territory": territory_ref(e["territory_kind"], e["territory_code"], e["territory_name"]),
               "from": e["period_from"], "to": e["period_to"]}  # fmt: skip
        return {k: v for k, v in ref.items() if v is not None} | note
    if e["kind"] == "deliverable":
        return {"deliverable": e["deliverable"]} | note
    if e["kind"] == "decision":
        return {"decision": _decision_ref(e["decision_committee"], e["decision_held_on"],
                                          e["decision_text"])} | note  # fmt: skip
    return {"document": e["document"], "article": e["article"], "excerpt": e["excerpt"]} | note


def judgements(db: Database) -> list[dict]:
    """Every version of every answer, in order (versions are history: a load re-creates
    them one after the other, each validated by its decision)."""
    rows = []
    for j in db.records("judgement_records", programme_code=None):
        row = {"programme": j["programme_code"], "question": j["question"],
               "version": j["version_no"], "answer": j["answer"], "limits": j["limits"],
               "written_by": j["written_by"], "written_on": j["written_on"],
               "criteria": [{**{k: c[k] for k in ("criterion", "verdict", "reasoning", "strength",
                                                  "strength_reason")},
                             "evidence": [_evidence_ref(e) for e in c["evidence"]]}
                            for c in j["criteria"]]}  # fmt: skip
        validated = _decision_ref(j["validated_committee"], j["validated_held_on"],
                                  j["validated_text"])  # fmt: skip
        if validated:
            row["validated_by"] = validated
        rows.append(row)
    return rows


def recommendations(db: Database, as_of: dt.date) -> list[dict]:
    """Each live recommendation with its owner and its states after « proposée »."""
    rows = []
    for r in db.records("recommendation_records", programme_code=None):
        owner = ({"organisation": r["owner_organisation_code"]} if r["owner_organisation_code"]
                 else {"organisation": r["owner_person_organisation"], "name": r["owner_person"]})  # fmt: skip
        row = {"programme": r["programme_code"], "question": r["question"], "text": r["text"],
               "owner": owner, "due_on": r["due_on"], "proposed_on": r["proposed_on"],
               "states": [{k: v for k, v in {
                   "status": e["status"], "on": e["occurred_on"],
                   "decision": _decision_ref(e["decision_committee"], e["decision_held_on"],
                                             e["decision_text"]),
                   "evidence": e["evidence"], "reason": e["reason"]}.items() if v is not None}
                   for e in r["states"] if e["status"] != "proposed"]}  # fmt: skip
        if r["criterion"]:
            row["criterion"] = r["criterion"]
        rows.append(row)
    return rows
