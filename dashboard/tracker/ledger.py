"""The payment ledger (« grand livre ») the finance service can use as it is: one row per
commitment, mandate and disbursement ever recorded — a corrected one says so with its
corrections, a cancelled one stays, marked, with its reason — as CSV and XLSX. Nothing in
it is read as a formula: a text that starts like one is written with an apostrophe
(CSV), or as text (XLSX)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from dashboard.tracker import fmt, history
from dashboard.tracker.db import Database

COLUMNS = (
    ("N° du paiement", "int"), ("Programme", "text"), ("Acte", "text"), ("Article", "text"),
    ("Financeur", "text"), ("Bénéficiaire", "text"), ("Ligne budgétaire", "text"),
    ("Exercice", "int"), ("Nature", "text"), ("Base", "text"), ("Étape", "text"),
    ("Date", "date"), ("Montant (€)", "euro"), ("Référence", "text"),
    ("Motif du dépassement", "text"), ("Saisi par", "text"), ("Saisi le", "text"),
    ("Corrections", "text"), ("État", "text"),
)  # fmt: skip
NATURE = {"financial": "financière", "in_kind": "en nature",
          "financial_or_in_kind": "financière et/ou en nature"}  # fmt: skip


def rows(db: Database, programme_code: str | None = None, year: int | None = None) -> list[list]:
    notes = history.corrections(db, "payment", any_record=True)
    found = []
    for p in db.records("payment_ledger", programme_code=programme_code, fiscal_year=year):
        state = "en vigueur"
        if p["cancelled_at"] is not None:
            state = (f"annulé le {fmt.date_fr(p['cancelled_at'].date())} par {p['cancelled_by']} : "
                     f"{p['cancel_reason']}")  # fmt: skip
        found.append([
            p["payment_id"], p["programme_code"], p["act"] or fmt.UNKNOWN, p["article"] or "",
            p["funder"] or fmt.UNKNOWN, p["recipient"] or fmt.UNKNOWN,
            f"n° {p['budget_line_id']} — {p['budget_line'] or ''}".rstrip(" —"),
            p["fiscal_year"], NATURE.get(p["kind"], fmt.UNKNOWN),
            fmt.TAX_BASIS_LABELS[p["tax_basis"]], fmt.STAGE_LABELS[p["stage"]], p["occurred_on"],
            p["amount"], p["reference"] or "", p["over_budget_reason"] or "", p["recorded_by"],
            fmt.datetime_fr(p["recorded_at"]),
            " ; ".join(notes.get(("payment", p["payment_id"]), [])), state,
        ])  # fmt: skip
    return found


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(found: list[list]) -> str:
    """« ; » separated, UTF-8 with a BOM (a French spreadsheet opens it as is), amounts
    with a decimal point, dates ISO."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in found:
        writer.writerow([_text(v) for v in row])
    return out.getvalue()


def to_xlsx(found: list[list]) -> bytes:
    """The same rows in a workbook: amounts as numbers in €, dates as dates, texts as
    texts (never formulas), header frozen, filters."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})  # fmt: skip
    sheet = book.add_worksheet("Grand livre")
    bold = book.add_format({"bold": True})
    euro = book.add_format({"num_format": "#,##0.00 €"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for col, (name, _) in enumerate(COLUMNS):
        sheet.write_string(0, col, name, bold)
        sheet.set_column(col, col, 14 if col < 12 else 24)
    for number, row in enumerate(found, start=1):
        for col, ((_, kind), value) in enumerate(zip(COLUMNS, row, strict=True)):
            if value in (None, ""):
                continue
            if kind == "euro":
                sheet.write_number(number, col, float(value), euro)
            elif kind == "int":
                sheet.write_number(number, col, value)
            elif kind == "date":
                sheet.write_datetime(number, col, value, day)
            else:
                sheet.write_string(number, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(found), 1), len(COLUMNS) - 1)
    book.close()
    return buffer.getvalue()
