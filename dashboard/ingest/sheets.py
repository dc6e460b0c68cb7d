"""Spreadsheets of actions, payments, meetings and decisions (.xlsx, or .csv in UTF-8
or Latin-1 with « ; » or « , »): their columns mapped to the tracker's fields (guessed
from the headers, corrected by the user), every row checked with a French message
naming its line, existing records matched by their key and updated, new ones added,
nothing duplicated; all or nothing, in one transaction, the import audited as one
operation. A file is data: formulas and merged cells are refused, never evaluated."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from dashboard.ingest import french
from dashboard.tracker import fmt, validate, zipsafe
from dashboard.tracker.errors import ValidationError

MAX_BYTES = 30 * 1024 * 1024
MAX_ERRORS = 30
_NOT_XLSX = "Le fichier n'est pas un classeur Excel (.xlsx) lisible."


@dataclass(frozen=True)
class Column:
    """A field of an import: its name, French header, whether it is required, how a
    cell is read, and the other headers it is recognised by."""

    name: str
    header: str
    required: bool
    read: Callable[[object], object]
    synonyms: tuple[str, ...] = ()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", french.plain(text)).strip("_")


def _text(limit: int = 500) -> Callable[[object], object]:
    return lambda v: validate.text(_cell(v), "texte", required=False, max_len=limit)


def _cell(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _date(value: object) -> dt.date:
    value = _cell(value)
    return value if isinstance(value, dt.date) else validate.date(value, "date")


def _amount(value: object) -> Decimal:
    value = _cell(value)
    return validate.amount(value, "montant", positive=True)


def _year(value: object) -> int:
    return validate.integer(_cell(value), "exercice", low=2000, high=2100)


def _choice(labels: dict[str, str]) -> Callable[[object], str]:
    words = {**{k: k for k in labels}, **{_key(v): k for k, v in labels.items()}}

    def read(value: object) -> str:
        found = words.get(_key(str(_cell(value) or "")))
        if found is None:
            raise ValidationError("valeur inconnue")
        return found

    return read


#: the first cell of a template's example row: a row that carries it is never imported
#: (left in by mistake, it would record a fake engagement in a real programme)
EXAMPLE_MARK = "EXEMPLE — À REMPLACER"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    columns: tuple[Column, ...]
    example: tuple[str, ...] = field(default=())

    def heading(self, column: Column) -> str:
        """A column's header as a person reads it (« Étape », « Motif du dépassement »)."""
        return LABELS.get(column.header, column.header.capitalize())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


STAGES = {**fmt.STAGE_LABELS, "commitment": "engagement"}
LABELS = {
    "etape": "Étape", "reference": "Référence", "motif_depassement": "Motif du dépassement",
    "debut": "Début", "comite": "Comité", "date_reunion": "Date de la réunion",
    "elements": "Éléments concernés", "compte_rendu": "Compte rendu",
}  # fmt: skip
KINDS: dict[str, Kind] = {
    "payments": Kind("payments", "paiements", (
        Column("programme", "programme", True, _text(40), ("code programme",)),
        Column("fiscal_year", "exercice", True, _year, ("annee", "année", "exercice budgetaire")),
        Column("stage", "etape", True, _choice(STAGES), ("étape", "nature", "type")),
        Column("occurred_on", "date", True, _date, ("date de l'operation", "date operation")),
        Column("amount", "montant", True, _amount, ("montant (€)", "montant en euros", "somme")),
        Column("reference", "reference", False, _text(100), ("référence", "n°", "numero")),
        Column("over_budget_reason", "motif_depassement", False, _text(5000),
               ("motif du dépassement", "motif")),
    ), (EXAMPLE_MARK, "2020", "engagement", "15/03/2020", "25 000,00", "ENG-2020-001",
        "")),
    "actions": Kind("actions", "actions", (
        Column("programme", "programme", True, _text(40), ("code programme",)),
        Column("title", "titre", True, _text(500), ("intitulé", "intitule", "action")),
        Column("phase", "phase", False, lambda v: validate.integer(_cell(v), "phase", low=1,
                                                                    high=99, required=False),
               ("n° de phase", "numero de phase")),
        Column("orientation", "orientation", False, _text(2000), ("axe",)),
        Column("starts_on", "debut", False, lambda v: None if _cell(v) in (None, "") else _date(v),
               ("début", "date de début")),
        Column("ends_on", "fin", False, lambda v: None if _cell(v) in (None, "") else _date(v),
               ("date de fin",)),
        Column("lead", "responsable", False, _text(200), ("pilote", "porteur")),
    ), (EXAMPLE_MARK, "Atelier avec les conseils citoyens (exemple)", "3", "", "01/02/2024",
        "30/06/2024", "Chargée de mission")),
    "meetings": Kind("meetings", "réunions", (
        Column("programme", "programme", True, _text(40), ("code programme",)),
        Column("committee", "comite", True, _text(200), ("comité", "instance")),
        Column("held_on", "date", True, _date, ("date de la séance", "date de la reunion")),
        Column("place", "lieu", False, _text(200)),
        Column("attendees", "participants", False, _text(5000), ("présents",)),
        Column("minutes", "compte_rendu", False, _text(5000), ("compte rendu",)),
    ), (EXAMPLE_MARK, "Comité de pilotage de l'évaluation des contrats de ville",
        "12/03/2024", "Marseille", "Métropole ; GIP", "")),
    "decisions": Kind("decisions", "décisions", (
        Column("programme", "programme", True, _text(40), ("code programme",)),
        Column("committee", "comite", True, _text(200), ("comité", "instance")),
        Column("held_on", "date_reunion", True, _date, ("date de la réunion", "date")),
        Column("kind", "nature", True, _choice(fmt.DECISION_KIND_LABELS), ("type",)),
        Column("text", "texte", True, _text(5000), ("décision", "libellé")),
        Column("items", "elements", False, _text(500), ("éléments concernés", "concerne")),
    ), (EXAMPLE_MARK, "Comité de pilotage de l'évaluation des contrats de ville",
        "12/03/2024", "adoption", "Le plan de travail 2024 est adopté.", "phase 3")),
}  # fmt: skip


def kind_of(name: object) -> Kind:
    if name not in KINDS:
        listed = ", ".join(KINDS)
        raise ValidationError(f"Type d'import inconnu « {str(name)[:30]} » (attendu : {listed}).")
    return KINDS[name]


# -- templates ----------------------------------------------------------------------------------


def csv_template(kind: Kind) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([c.header for c in kind.columns])
    writer.writerow(kind.example)
    return out.getvalue()


def xlsx_template(kind: Kind) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(kind.label.capitalize()[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DCE6F1"})
    for index, column in enumerate(kind.columns):
        sheet.write_string(0, index, column.header, bold)
        sheet.write_string(1, index, kind.example[index] if index < len(kind.example) else "")
        sheet.set_column(index, index, 22)
    note = book.add_worksheet("Lisez-moi")
    note.write_string(0, 0, "Une ligne par fiche ; les colonnes en gras sont à garder. "
                      "Obligatoires : " + ", ".join(c.header for c in kind.columns if c.required)
                      + f". La ligne 2 est un exemple (« {EXAMPLE_MARK} ») : elle n'est "
                      "jamais importée ; remplacez-la par vos données.")  # fmt: skip
    book.close()
    return buffer.getvalue()


# -- reading a file -------------------------------------------------------------------------------


@dataclass
class Table:
    """What a file holds: its headers and rows (cells as read), lines numbered as in the
    spreadsheet (headers on line 1)."""

    headers: list[str]
    rows: list[list]


def read_table(data: bytes, name: str) -> Table:
    if not data or not data.strip():
        raise ValidationError("Le fichier est vide.")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"Le fichier pèse {fmt.number(len(data) / 1024 / 1024, 1)} Mo : la limite est de "
            f"{MAX_BYTES // 1024 // 1024} Mo. Découpez-le en plusieurs fichiers."
        )
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        zipsafe.check(data, name[:120], _NOT_XLSX)
        table = _xlsx(data)
    elif lowered.endswith((".csv", ".txt")):
        table = _csv(data)
    else:
        raise ValidationError("Format non pris en charge : un fichier .xlsx ou .csv est attendu.")
    if not table.headers or not any(h.strip() for h in table.headers):
        raise ValidationError("La première ligne doit donner les noms des colonnes.")
    if not table.rows:
        raise ValidationError("Le fichier n'a aucune ligne de données sous ses en-têtes.")
    return table


def _csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything; kept for clarity
        raise ValidationError("Le fichier n'est ni en UTF-8 ni en Latin-1.")
    if "\x00" in text:
        raise ValidationError(
            "Le fichier contient des caractères nuls : ce n'est pas un CSV (un tableur "
            "enregistré dans un autre format ?)."
        )
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ValidationError(
            "Le fichier n'est pas un CSV lisible (guillemet mal fermé ?)."
        ) from error
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return Table([h.strip() for h in rows[0]] if rows else [], rows[1:])


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_xml = next((n for n in archive.namelist()
                              if n.startswith("xl/worksheets/sheet")), None)  # fmt: skip
            if sheet_xml and b"<mergeCell " in archive.read(sheet_xml):
                raise ValidationError(
                    "Le tableau contient des cellules fusionnées : défusionnez-les (une valeur "
                    "par cellule), puis réessayez. Rien n'a été importé."
                )
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_NOT_XLSX) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=False), start=1):
            values = []
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str)
                                             and cell.value.startswith("=")):  # fmt: skip
                    raise ValidationError(
                        f"ligne {number} : la cellule {cell.coordinate} contient une formule : "
                        "collez des valeurs (une formule n'est jamais calculée à l'import). "
                        "Rien n'a été importé."
                    )
                values.append(cell.value)
            if any(v not in (None, "") for v in values):
                rows.append(values)
    finally:
        book.close()
    headers = [str(h).strip() if h is not None else "" for h in rows[0]] if rows else []
    return Table(headers, rows[1:])


# -- mapping and checking ---------------------------------------------------------------------------


def guess_mapping(kind: Kind, headers: list[str]) -> dict[str, int | None]:
    """field -> index of the column whose header names it (its header, its name or a
    synonym, compared without accents nor case), or None."""
    keys = [_key(h) for h in headers]
    mapping = {}
    for column in kind.columns:
        names = {_key(column.header), _key(column.name), *(_key(s) for s in column.synonyms)}
        mapping[column.name] = next((i for i, k in enumerate(keys) if k in names), None)
    return mapping


def check_mapping(kind: Kind, mapping: dict[str, int | None], headers: list[str]) -> None:
    missing = [c.header for c in kind.columns if c.required and mapping.get(c.name) is None]
    if missing:
        raise ValidationError(
            f"Colonne(s) obligatoire(s) sans correspondance : {', '.join(missing)}. Associez-les "
            "à une colonne du fichier (ou téléchargez le modèle)."
        )
    used = [i for i in mapping.values() if i is not None]
    doubles = sorted({headers[i] for i in used if used.count(i) > 1})
    if doubles:
        raise ValidationError(f"La colonne « {doubles[0]} » est associée à deux champs.")


def clean_rows(kind: Kind, table: Table, mapping: dict[str, int | None]) -> list[tuple[int, dict]]:
    """(line number, clean values) for every row, or one French message listing the
    errors line by line (« ligne 12 : montant invalide : « 12,5,0 » »)."""
    check_mapping(kind, mapping, table.headers)
    result, errors = [], []
    for number, row in enumerate(table.rows, start=2):
        if any(isinstance(c, str) and c.strip().upper() == EXAMPLE_MARK.upper() for c in row):
            errors.append(
                f"ligne {number} : c'est la ligne d'exemple du modèle (« {EXAMPLE_MARK} ») : "
                "remplacez-la par vos données ou supprimez-la"
            )
            continue
        values = {}
        for column in kind.columns:
            index = mapping.get(column.name)
            raw = row[index] if index is not None and index < len(row) else None
            if raw in (None, "") or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    errors.append(f"ligne {number} : {column.header} manquant")
                values[column.name] = None
                continue
            try:
                values[column.name] = column.read(raw)
            except ValidationError:
                shown = str(raw)[:40]
                errors.append(f"ligne {number} : {column.header} invalide : « {shown} »")
        if len(errors) >= MAX_ERRORS:
            break
        result.append((number, values))
    if errors:
        more = (
            " (et peut-être d'autres : corrigez celles-ci d'abord)"
            if len(errors) >= MAX_ERRORS
            else ""
        )
        raise ValidationError("Rien n'a été importé. " + " ; ".join(errors) + more + ".")
    return result
