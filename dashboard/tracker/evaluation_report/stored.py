"""The validated evaluation report: when a committee decision validates the report of a
programme « au » a date, its DOCX and PDF are generated without « Projet », kept as
content-addressed files and recorded, so that they can be downloaded later exactly as
they were validated — recording anything afterwards never changes them."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import files, fmt, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import NotFound, ValidationError
from dashboard.tracker.evaluation_report.build import build
from dashboard.tracker.evaluation_report.docx import docx_bytes
from dashboard.tracker.evaluation_report.pdf import pdf_bytes
from dashboard.tracker.records import create, require_row


def _decision(db: Database, code: str, decision_id: object) -> dict:
    if decision_id in (None, ""):
        raise ValidationError("Un rapport est validé par une décision de comité : choisissez-la.")
    found = db.records("decisions", programme_code=code, since=None, until=dt.date.today())
    chosen = next((d for d in found if d["decision_id"] == validate.identifier(
        decision_id, "Décision")), None)  # fmt: skip
    if chosen is None:
        raise ValidationError("Décision introuvable pour ce programme (ou annulée).")
    return chosen


@write_service("contributeur", "valider le rapport d'évaluation")
def validate_report(
    db: Database, actor: Actor, *, programme_code: str, as_of: object, decision_id: int
) -> int:
    """Generate the report of ``as_of`` as validated by the decision, keep both files."""
    day = validate.date(as_of, "État au")
    if day > dt.date.today():
        raise ValidationError("Un rapport décrit une date passée ou aujourd'hui.")
    decision = _decision(db, programme_code, decision_id)
    if decision["held_on"] < day:
        raise ValidationError(
            f"La décision du {fmt.date_fr(decision['held_on'])} précède la date du rapport "
            f"({fmt.date_fr(day)}) : elle ne peut pas le valider."
        )
    note = (f"Validé par décision du {fmt.date_fr(decision['held_on'])} "
            f"({decision['committee_name']}) : « {decision['text']} ».")  # fmt: skip
    report = build(db, programme_code, day, draft=False, validated_note=note)
    outputs = {"docx": docx_bytes(report), "pdf": pdf_bytes(report)}
    hashes = {kind: files.store(db, data) for kind, data in outputs.items()}
    with db.transaction() as cur:
        programme = require_row(cur, "programme", db.scalar(
            "select id from programme where code = $c", {"c": programme_code}), "Programme")  # fmt: skip
        ids = {kind: files.stored_file(cur, actor, hashes[kind], len(outputs[kind]), kind)
               for kind in outputs}  # fmt: skip
        return create(cur, actor, "evaluation_report", {
            "programme_id": programme["id"], "as_of": day, "decision_id": decision["decision_id"],
            "validated_on": decision["held_on"], "docx_file_id": ids["docx"],
            "pdf_file_id": ids["pdf"], "recorded_by": actor.name, "recorded_at": utcnow(),
        })  # fmt: skip


def validated(db: Database, programme_code: str, as_of: dt.date) -> list[dict]:
    return db.records("evaluation_reports", programme_code=programme_code, as_of=as_of)


def validated_file(
    db: Database, programme_code: str, report_id: int, kind: str
) -> tuple[str, bytes]:
    """(file name, bytes) of a validated report, exactly as it was validated."""
    row = next(
        (r for r in validated(db, programme_code, dt.date.today()) if r["id"] == report_id), None
    )
    if row is None:
        raise NotFound(f"Le rapport validé n° {report_id} n'existe pas.")
    name = f"rapport-evaluation-{programme_code}-{row['as_of'].isoformat()}-valide.{kind}"
    return name, files.read_stored(db, row[f"{kind}_sha256"], name)
