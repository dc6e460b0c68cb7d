"""Export the record: one JSON document (documented in the README), an XLSX
workbook or Parquet files (one sheet / file per table)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from dashboard.tracker import catalogue, export_evaluation, fmt, secrecy
from dashboard.tracker import export_labels as labels
from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database
from dashboard.tracker.deadlines import deadlines

SCHEMA_VERSION = 3
#: never exported (they are only in backups): login attempts and the tracker's secret
SECRET_TABLES = catalogue.names(secret=True)
#: sums kept for speed (rollups.py), recomputed from the exported rows: not exported
DERIVED_TABLES = catalogue.names(derived=True)
#: columns never exported
SECRET_COLUMNS = {t.name: t.secret_columns for t in catalogue.TABLES.values() if t.secret_columns}


def exported_tables(cur) -> list[str]:
    """The tables an export writes: every table but the secret ones, in name order."""
    from dashboard.tracker.backup import schema_tables

    return sorted(t for t in schema_tables(cur) if t not in SECRET_TABLES | DERIVED_TABLES)


def _table_query(table: str) -> str:
    hidden = SECRET_COLUMNS.get(table)
    columns = f"* exclude ({', '.join(hidden)})" if hidden else "*"
    # the table comes from the database's own catalogue, the columns from SECRET_COLUMNS
    return f"select {columns} from {table} order by all"


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


def document(db: Database, as_of: dt.date | None = None, *, public: bool = False) -> dict:
    """The whole record as plain JSON-ready data: amounts as exact strings, dates ISO.
    ``public``: marked for publication, small counts read « s » (statistical secrecy);
    such an export says so and does not load back."""
    as_of = as_of or dt.date.today()
    threshold = secrecy.threshold(db) if public else None
    by_programme: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    clauses = defaultdict(list)
    for clause in db.records("clauses", as_of=as_of, programme_code=None):
        clauses[clause["act_id"]].append(
            {
                "kind": clause["kind"],
                "article": clause["article"],
                "days": clause["days"],
                "yearly_amount": _money(clause["yearly_amount"]),
                "months": clause["months"],
                "summary": clause["summary"],
                "source": _source(clause),
            }
        )
    for act in db.records("acts", as_of=as_of, programme_code=None):
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
                "starts_on": act["starts_on"],
                "start_basis": act["start_basis"],
                "ends_on": act["ends_on"],
                "term_on": act["term_on"],
                "extends_to": act["extends_to"],
                "terminated_on": act["terminated_on"],
                "amends": act["amends_reference"],
                "deliberation": deliberation,
                "parties": act["parties"],
                "representatives": act["representatives"],
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
    for line in db.records("budget_lines", as_of=as_of, programme_code=None):
        by_programme[line["programme_code"]]["budget_lines"].append(
            {
                "fiscal_year": line["fiscal_year"],
                "kind": line["kind"],
                "amount": _money(line["amount"]),
                "description": line["description"],
                "funder": line["funder"],
                "funder_category": line["funder_category"],
                "recipient": line["recipient"],
                "action": line["action_title"],
                "funding_nature": line["funding_nature"],
                "multi_year": line["multi_year"],
                "over_act_reason": line["over_act_reason"],
                "starts_on": line["starts_on"],
                "committed": _money(line["committed"]),
                "ordered": _money(line["ordered"]),
                "paid": _money(line["paid"]),
                "tax_basis": line["tax_basis"],
                "label": line["label"],
                "source": _source(line),
            }
        )
    for payment in db.records("payments", programme_code=None, since=None, until=as_of, limit=None):
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
    for decision in db.records("decisions", programme_code=None, since=None, until=as_of):
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
        db.records("meetings", programme_code=None, since=None, until=None),
        key=lambda m: (m["held_on"], m["meeting_id"]),
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
    for deadline in deadlines(db, None, as_of):
        by_programme[deadline["programme_code"]]["deadlines"].append(
            {
                "date": deadline["date"],
                "kind": deadline["kind"],
                "label": deadline["label"],
                "rule": deadline["rule"],
            }
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
        for p in db.records("programmes", as_of=as_of, programme_code=None)
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
            {"item": gap["item"], "reason": gap["reason"]} for gap in completeness(db, None, as_of)
        ],
        **export_evaluation.sections(db, as_of, threshold),
        # a demonstration database's export stays fictional: cdv load keeps it out of a real one
        **({"fictional": True} if db.records("demo_flag") else {}),
        **({"public": {"secret_threshold": threshold, "note": secrecy.LEGEND.format(
            threshold=threshold)}} if public else {}),
    }  # fmt: skip


def _default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"non exportable : {type(value).__name__}")


def to_json(db: Database, as_of: dt.date | None = None, *, public: bool = False) -> str:
    return json.dumps(document(db, as_of, public=public), default=_default, ensure_ascii=False,
                      indent=2)  # fmt: skip


def to_xlsx(db: Database, out: Path) -> Path:
    """One sheet per table; amounts as numbers, dates as dates, header frozen, filters
    on. Every text is written as text: a value such as ``=HYPERLINK(…)`` typed in a
    field stays a string, never a formula (xlsxwriter's write_string)."""
    import xlsxwriter

    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(out),
        {"strings_to_formulas": False, "strings_to_urls": False, "constant_memory": True},
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDE7F0"}),
        **{
            column: workbook.add_format({"num_format": fmt.SPREADSHEET_FORMATS[kind]})
            for column, kind in (
                ("amount", "euro"),
                ("weight", "weight"),
                ("date", "date"),
                ("datetime", "datetime"),
            )
        },  # fmt: skip
    }
    with db.reader() as cur:
        tables = exported_tables(cur)
        _readme(workbook, cur, tables, formats)
        for table in tables:
            _table_sheet(workbook, cur, table, formats)
    workbook.close()
    return out


def _readme(workbook, cur, tables: list[str], formats: dict) -> None:
    """« Lisez-moi »: each sheet and column in French beside its identifier (the names
    of the JSON and Parquet exports)."""
    from dashboard.tracker.backup import schema_tables

    sheet = workbook.add_worksheet("Lisez-moi")
    sheet.write_string(
        0,
        0,
        "Export de cdv-tracker : une feuille par table, un en-tête par colonne.",
        formats["header"],
    )
    titles = ["Feuille", "Colonne", "Identifiant de la table", "Identifiant de la colonne"]
    for index, title in enumerate(titles):
        sheet.write_string(2, index, title, formats["header"])
        sheet.set_column(index, index, 32)
    columns = schema_tables(cur)
    row = 3
    for table in tables:
        hidden = SECRET_COLUMNS.get(table, ())
        for column, _ in columns[table]:
            if column in hidden:
                continue
            for index, text in enumerate(
                (labels.sheet_name(table), labels.header(column), table, column)
            ):
                sheet.write_string(row, index, text)
            row += 1


def _table_sheet(workbook, cur, table: str, formats: dict) -> None:
    result = cur.execute(_table_query(table))
    columns = [d[0] for d in result.description]
    words = [labels.words_for(table, c) for c in columns]
    sheet = workbook.add_worksheet(labels.sheet_name(table))
    for index, column in enumerate(columns):
        title = labels.header(column)
        sheet.write_string(0, index, title, formats["header"])
        sheet.set_column(index, index, max(12, min(60, len(title) + 4)))
    row_number = 0
    for row_number, row in enumerate(result.fetchall(), start=1):
        for index, value in enumerate(row):
            if words[index] is not None and isinstance(value, str):
                value = words[index].get(value, value)
            _write_cell(sheet, row_number, index, value, columns[index], formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), max(len(columns) - 1, 0))


def _write_cell(sheet, row: int, col: int, value: object, column: str, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, Decimal | int | float):
        number_format = formats.get(column) if column in ("amount", "weight") else None
        sheet.write_number(row, col, float(value), number_format)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, list | dict):
        sheet.write_string(row, col, json.dumps(value, ensure_ascii=False, default=_default))
    else:
        sheet.write_string(row, col, str(value))


def to_parquet(db: Database, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with db.reader() as cur:
        for table in exported_tables(cur):
            path = out_dir / f"{table}.parquet"
            cur.sql(_table_query(table)).write_parquet(str(path))
            written.append(path)
    return written
