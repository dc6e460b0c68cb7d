"""The pack's tables as an Excel workbook (openpyxl, streamed: national data fits):
one sheet per table, numbers stored as numbers with € and % formats, dates as dates,
filters on, header row frozen, column widths set; a first sheet says what and when."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.tracker import fmt
from dashboard.tracker.pack import Pack

FORMATS = {
    "euro": '#,##0.00 "€"',
    "percent": "0%",
    "date": "dd/mm/yyyy",
    "int": "0",
    "text": "@",
}
WIDTHS = {"euro": 16, "percent": 12, "date": 13, "int": 10}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _value(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == "euro":
        return float(value) if isinstance(value, Decimal) else value
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def workbook_bytes(pack: Pack) -> bytes:
    book = Workbook(write_only=True)
    about = book.create_sheet("Lisez-moi")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    for label, value in (
        ("Trimestre", f"{pack.label} ({pack.span})"),
        ("Chiffres arrêtés au", fmt.date_fr(pack.as_of)),
        (
            "Programmes",
            pack.programme_code or f"tous ({len(pack.programmes)})",
        ),
        ("Généré le", f"{fmt.datetime_fr(pack.generated_at)} (UTC) par cdv-tracker"),
        (
            "Lecture",
            "Une feuille par table ; montants en euros (HT, TTC ou non précisé : voir la "
            "colonne Base, ne pas additionner des bases différentes) ; « vide » = non renseigné.",
        ),
    ):
        title = WriteOnlyCell(about, label)
        title.font = Font(bold=True)
        about.append([title, value])

    for sheet in pack.sheets:
        ws = book.create_sheet(sheet.name[:31])
        for index, (name, kind) in enumerate(sheet.columns, start=1):
            longest = max(
                [len(name)] + [len(str(r[index - 1])) for r in sheet.rows[:200] if r[index - 1]]
            )
            width = WIDTHS.get(kind) or min(60, max(12, longest + 2))
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        header = []
        for name, _ in sheet.columns:
            cell = WriteOnlyCell(ws, name)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            header.append(cell)
        ws.append(header)
        kinds = [kind for _, kind in sheet.columns]
        for row in sheet.rows:
            cells = []
            for value, kind in zip(row, kinds, strict=True):
                cell = WriteOnlyCell(ws, _value(value, kind))
                if kind != "text":
                    cell.number_format = FORMATS[kind]
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
