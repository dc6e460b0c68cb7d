"""Export the record: one JSON document (documented in the README), an XLSX
workbook or Parquet files (one sheet / file per table)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database
from dashboard.tracker.deadlines import deadlines

SCHEMA_VERSION = 1
#: Every table, in an order that respects foreign keys (used by xlsx / parquet / checks).
TABLES = (
    "schema_migrations",
    "app_meta",
    "source_ref",
    "organisation",
    "person",
    "programme",
    "programme_link",
    "programme_note",
    "legal_act",
    "act_party",
    "clause",
    "phase",
    "orientation",
    "action",
    "committee",
    "meeting",
    "decision",
    "decision_item",
    "budget_line",
    "payment",
    "status_event",
    "item_status",
    "audit_log",
    "app_user",
    "login_attempt",
)


def _source(row: dict, prefix: str = "source_") -> dict | None:
    if not row.get(prefix + "document"):
        return None
    return {
        "document": row[prefix + "document"],
        "article": row[prefix + "article"],
        "excerpt": row[prefix + "excerpt"],
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def document(db: Database, as_of: dt.date | None = None) -> dict:
    """The whole record as plain JSON-ready data: amounts as exact strings, dates ISO."""
    as_of = as_of or dt.date.today()
    by_programme: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    clauses = defaultdict(list)
    for clause in db.records("clauses", programme_code=None):
        clauses[clause["act_id"]].append(
            {
                "kind": clause["kind"],
                "article": clause["article"],
                "days": clause["days"],
                "months": clause["months"],
                "summary": clause["summary"],
                "source": _source(clause),
            }
        )
    for act in db.records("acts", programme_code=None):
        deliberation = None
        if act["deliberation_body"] or act["deliberation_number"] or act["deliberation_date"]:
            deliberation = {
                "body": act["deliberation_body"],
                "number": act["deliberation_number"],
                "date": act["deliberation_date"],
            }
        by_programme[act["programme_code"]]["acts"].append(
            {
                "kind": act["kind"],
                "reference": act["reference"],
                "number": act["number"],
                "title": act["title"],
                "concluded_on": act["concluded_on"],
                "signed_on": act["signed_on"],
                "effective_rule": act["effective_rule"],
                "effective_on": act["effective_on"],
                "ends_on": act["ends_on"],
                "amends": act["amends_reference"],
                "deliberation": deliberation,
                "parties": act["parties"],
                "signatories": act["signatories"],
                "clauses": clauses[act["act_id"]],
                "source": _source(act),
            }
        )
    phase_numbers = {}
    for item in db.records("work_items", as_of=as_of, programme_code=None):
        entry = {
            "title": item["title"],
            "status": item["status"],
            "progress": item["progress"],
            "status_on": item["status_on"],
            "source": _source(item),
        }
        if item["item_kind"] == "phase":
            phase_numbers[item["item_id"]] = item["phase_number"]
            by_programme[item["programme_code"]]["phases"].append(
                {"number": item["phase_number"], **entry}
            )
        elif item["item_kind"] == "orientation":
            by_programme[item["programme_code"]]["orientations"].append(
                {"phase_number": item["phase_number"], **entry}
            )
        else:
            by_programme[item["programme_code"]]["actions"].append(
                {"orientation": item["orientation_title"], **entry}
            )
    for line in db.records("budget_lines", programme_code=None):
        by_programme[line["programme_code"]]["budget_lines"].append(
            {
                "fiscal_year": line["fiscal_year"],
                "amount": _money(line["amount"]),
                "tax_basis": line["tax_basis"],
                "label": line["label"],
                "source": _source(line),
            }
        )
    for payment in db.records("payments", programme_code=None, limit=None):
        by_programme[payment["programme_code"]]["payments"].append(
            {
                "fiscal_year": payment["fiscal_year"],
                "stage": payment["stage"],
                "occurred_on": payment["occurred_on"],
                "amount": _money(payment["amount"]),
                "reference": payment["reference"],
            }
        )
    decisions = defaultdict(list)
    for decision in db.records("decisions", programme_code=None):
        decisions[decision["meeting_id"]].append(
            {
                "kind": decision["kind"],
                "text": decision["text"],
                "concerns": [
                    {"kind": i["item_kind"], "title": i["title"]} for i in decision["items"]
                ],
                "source": _source(decision),
            }
        )
    meetings = defaultdict(list)
    for meeting in sorted(
        db.records("meetings", programme_code=None), key=lambda m: (m["held_on"], m["meeting_id"])
    ):
        meetings[meeting["committee_id"]].append(
            {
                "held_on": meeting["held_on"],
                "place": meeting["place"],
                "decisions": decisions[meeting["meeting_id"]],
                "source": _source(meeting),
            }
        )
    for committee in db.records("committees", as_of=as_of, programme_code=None):
        by_programme[committee["programme_code"]]["committees"].append(
            {
                "kind": committee["kind"],
                "name": committee["name"],
                "mandate": committee["mandate"],
                "meetings": meetings[committee["committee_id"]],
                "source": _source(committee),
            }
        )
    for deadline in deadlines(db):
        by_programme[deadline["programme_code"]]["deadlines"].append(
            {"date": deadline["date"], "kind": deadline["kind"], "label": deadline["label"]}
        )
    for note in db.records("programme_notes"):
        by_programme[note["programme_code"]]["notes"].append(
            {
                "kind": note["kind"],
                "title": note["title"],
                "body": note["body"],
                "source": _source(note),
            }
        )

    keys = (
        "acts",
        "phases",
        "orientations",
        "actions",
        "budget_lines",
        "payments",
        "committees",
        "deadlines",
        "notes",
    )
    programmes = [
        {
            "code": p["code"],
            "title": p["title"],
            "kind": p["kind"],
            "description": p["description"],
            "source": _source(p),
            **{k: by_programme[p["code"]][k] for k in keys},
        }
        for p in db.records("programmes")
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of,
        "programmes": programmes,
        "links": [
            {
                "from": link["from_code"],
                "to": link["to_code"],
                "kind": link["kind"],
                "source": _source(link),
            }
            for link in db.records("programme_links")
        ],
        "completeness": [
            {"item": gap["item"], "reason": gap["reason"]} for gap in completeness(db)
        ],
    }


def _default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"non exportable : {type(value).__name__}")


def to_json(db: Database, as_of: dt.date | None = None) -> str:
    return json.dumps(document(db, as_of), default=_default, ensure_ascii=False, indent=2)


def to_xlsx(db: Database, out: Path) -> Path:
    """One sheet per table; amounts as numbers, dates as dates, header frozen, filters on."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    with db.reader() as cur:
        for table in TABLES:
            # table names from the fixed TABLES list, never from input
            result = cur.execute(f"select * from {table} order by all")
            columns = [d[0] for d in result.description]
            sheet = workbook.create_sheet(table[:31])
            sheet.append(columns)
            for row in result.fetchall():
                sheet.append([_cell(v) for v in row])
            sheet.freeze_panes = "A2"
            if sheet.max_row > 1:
                sheet.auto_filter.ref = sheet.dimensions
            for index, column in enumerate(columns, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = max(
                    12, min(60, len(column) + 4)
                )
                if column in ("amount", "weight"):
                    for cell in sheet[get_column_letter(index)][1:]:
                        cell.number_format = '#,##0.00 "€"' if column == "amount" else "0.00"
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_default)
    return value


def to_parquet(db: Database, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with db.reader() as cur:
        for table in TABLES:
            path = out_dir / f"{table}.parquet"
            cur.table(table).write_parquet(str(path))
            written.append(path)
    return written
