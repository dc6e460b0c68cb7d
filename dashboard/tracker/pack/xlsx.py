"""The pack's tables as an Excel workbook (xlsxwriter, streamed: national data fits):
one sheet per table, numbers stored as numbers with € and % formats, dates as dates,
filters on, header row frozen, column widths set; a first sheet says what and when."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter

from dashboard.tracker import fmt
from dashboard.tracker.pack.model import DETAILED_PROGRAMMES, Pack

FORMATS = fmt.SPREADSHEET_FORMATS
WIDTHS = {"euro": 16, "percent": 12, "date": 13, "int": 10, "number": 14}


def _value(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind in ("euro", "number"):
        return float(value) if isinstance(value, Decimal) else value
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def workbook_bytes(pack: Pack) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "default_date_format": FORMATS["date"], "in_memory": False},
    )
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True})
    formats = {kind: book.add_format({"num_format": code}) for kind, code in FORMATS.items()}
    about = book.add_worksheet("Lisez-moi")
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 90)
    for row, (label, value) in enumerate(
        (
            ("Trimestre", f"{pack.label} ({pack.span})"),
            ("Chiffres arrêtés au", fmt.date_fr(pack.as_of)),
            ("Programmes", pack.programme_code or f"tous ({len(pack.programmes)})"),
            (
                "Éléments",
                "phases, orientations et actions"
                if len(pack.programmes) <= DETAILED_PROGRAMMES
                else "phases et orientations (les actions : dossier d'un programme, ou "
                "« cdv export --format xlsx »)",
            ),
            (
                "Paiements",
                "ceux du trimestre ; les totaux à la fin du trimestre sont dans « Lignes "
                "budgétaires »",
            ),
            ("Généré le", f"{fmt.datetime_fr(pack.generated_at)} par cdv-tracker"),
            ("Données", "FICTIVES : base de démonstration" if pack.fictional else "réelles"),
            ("Publication", pack.publication_note or "interne : toutes les valeurs"),
            (
                "Lecture",
                "Une feuille par table ; montants en euros (HT, TTC ou non précisé : voir la "
                "colonne Base, ne pas additionner des bases différentes) ; « vide » = non "
                "renseigné.",
            ),
        )
    ):
        about.write_string(row, 0, label, bold)
        about.write_string(row, 1, value)

    for sheet in pack.sheets:
        ws = book.add_worksheet(sheet.name[:31])
        kinds = [kind for _, kind in sheet.columns]
        for index, (name, kind) in enumerate(sheet.columns):
            longest = max([len(name)] + [len(str(r[index])) for r in sheet.rows[:200] if r[index]])
            ws.set_column(index, index, WIDTHS.get(kind) or min(60, max(12, longest + 2)))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)
        for index, (name, _) in enumerate(sheet.columns):
            ws.write_string(0, index, name, header)
        writers = [_writer(ws, kind, formats) for kind in kinds]
        for number, row in enumerate(sheet.rows, start=1):
            for index, value in enumerate(row):
                if value is not None and value != "":
                    writers[index](number, index, value)
    book.close()
    return buffer.getvalue()


def _writer(ws, kind: str, formats: dict):
    """The fastest xlsxwriter call for a column of this kind (numbers stay numbers)."""
    if kind == "text":
        return lambda r, c, v: ws.write_string(r, c, str(v))
    if kind == "date":
        return lambda r, c, v: ws.write_datetime(r, c, _value(v, kind), formats["date"])
    number_format = formats[kind]
    # a number hidden by statistical secrecy is written « s »
    return lambda r, c, v: (ws.write_string(r, c, v) if isinstance(v, str)
                            else ws.write_number(r, c, _value(v, kind), number_format))  # fmt: skip
