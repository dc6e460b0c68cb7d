"""The open-data export of subsidies in the SCDL « subventions » schema, version 2.1.1
(OpenDataFrance; décret n° 2017-779 du 5 mai 2017 and arrêté du 17 novembre 2017 for
subsidies over 23 000 €): one CSV line per subsidy the record knows. Nothing is invented:
a field the record does not know stays empty, and each line says what it lacks to be
valid (``missing``), checked by the schema's own rules (``problems``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from dashboard.tracker import validate
from dashboard.tracker.db import Database

VERSION = "2.1.1"
COLUMNS = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
           "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature",
           "conditionsVersement", "datesPeriodeVersement", "idRAE", "notificationUE",
           "pourcentageSubvention", "dispositifAide")  # fmt: skip
REQUIRED = ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet",
            "montant", "nature", "conditionsVersement", "datesPeriodeVersement",
            "notificationUE", "pourcentageSubvention")  # fmt: skip
NATURES = {"financial": "aide en numéraire", "in_kind": "aide en nature"}
LABELS = {
    "nomAttribuant": "nom de l'attribuant", "idAttribuant": "SIRET de l'attribuant",
    "dateConvention": "date de la convention", "nomBeneficiaire": "nom du bénéficiaire",
    "objet": "objet", "montant": "montant", "nature": "nature de l'aide",
    "conditionsVersement": "conditions de versement (unique ou échelonné)",
    "datesPeriodeVersement": "date ou période de versement",
    "notificationUE": "notification à la Commission européenne (oui ou non)",
    "pourcentageSubvention": "part de la subvention attribuée au bénéficiaire",
    "idBeneficiaire": "SIRET du bénéficiaire", "rnaBeneficiaire": "numéro RNA du bénéficiaire",
}  # fmt: skip
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Line:
    budget_line_id: int
    fiscal_year: int
    values: dict[str, str]

    @property
    def missing(self) -> list[str]:
        """What the line lacks to be valid, in words (« SIRET de l'attribuant », …)."""
        return problems(self.values)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _line(row: dict) -> Line:
    paid = row["disbursements"]
    period = ""
    if paid == 1:
        period = _date(row["first_paid_on"])
    elif paid > 1:
        period = f"{_date(row['first_paid_on'])}_{_date(row['last_paid_on'])}"
    objet = (
        f"{row['label'] or 'Subvention'} — {row['programme_title']} (exercice {row['fiscal_year']})"
    )
    values = {
        "nomAttribuant": row["funder_name"] or "",
        "idAttribuant": row["funder_siret"] or "",
        "dateConvention": _date(row["convention_on"]),
        "referenceDecision": row["deliberation_number"] or row["act_reference"] or "",
        "nomBeneficiaire": row["recipient_name"] or "",
        "idBeneficiaire": row["recipient_siret"] or "",
        "rnaBeneficiaire": row["recipient_rna"] or "",
        "objet": objet,
        "montant": format(Decimal(row["amount"]).quantize(Decimal("0.01")), "f"),
        "nature": NATURES.get(row["kind"], ""),  # « financier et/ou en nature »: not said
        # from the disbursements recorded; none: not known
        "conditionsVersement": {0: "", 1: "unique"}.get(paid, "échelonné"),
        "datesPeriodeVersement": period,
        "idRAE": "",
        "notificationUE": "",  # the acts do not say: never guessed
        # one beneficiary per budget line: the whole subsidy is hers
        "pourcentageSubvention": "1",
        "dispositifAide": "",
    }
    return Line(row["budget_line_id"], row["fiscal_year"], values)


def lines(db: Database, year: int | None = None) -> list[Line]:
    return [_line(r) for r in db.records("scdl_subsidies", fiscal_year=year)]


@dataclass(frozen=True)
class Year:
    """The subsidies of one fiscal year, and what the record does not yet say of them."""

    fiscal_year: int
    lines: list[Line]
    missing: list[str]


def by_year(rows: list[dict]) -> dict[int, Year]:
    """The rows of ``scdl_subsidies`` (every year) as lines per fiscal year, newest
    first, each year with its ``report``."""
    found: dict[int, list[Line]] = {}
    for row in rows:
        line = _line(row)
        found.setdefault(line.fiscal_year, []).append(line)
    return {year: Year(year, found[year], report(found[year]))
            for year in sorted(found, reverse=True)}  # fmt: skip


def problems(values: dict[str, str]) -> list[str]:
    """The schema's rules a line breaks, in French: required fields, SIRET (14 digits and
    their checksum), RNA (« W » and 9 digits), ISO dates and periods, amount, enumerations."""
    found = [LABELS[k] + " : non renseigné" for k in REQUIRED if not values.get(k)]
    for key in ("idAttribuant", "idBeneficiaire"):
        if values.get(key) and not validate.siret_valid(values[key]):
            found.append(f"{LABELS[key]} : « {values[key]} » n'est pas un SIRET valide")
    if values.get("rnaBeneficiaire") and not re.fullmatch(r"W\d{9}", values["rnaBeneficiaire"]):
        found.append(f"{LABELS['rnaBeneficiaire']} : « {values['rnaBeneficiaire']} » invalide")
    if values.get("dateConvention") and not _iso(values["dateConvention"]):
        found.append("date de la convention : pas une date AAAA-MM-JJ")
    period = values.get("datesPeriodeVersement", "")
    if period and not all(_iso(p) for p in re.split(r"[_/]", period)):
        found.append("date ou période de versement : AAAA-MM-JJ ou AAAA-MM-JJ_AAAA-MM-JJ")
    if values.get("montant"):
        try:
            if Decimal(values["montant"]) < 0:
                found.append("montant : négatif")
        except ArithmeticError:
            found.append("montant : pas un nombre")
    if values.get("nature") and not set(values["nature"].split(";")) <= set(NATURES.values()):
        found.append("nature de l'aide : « aide en numéraire » ou « aide en nature »")
    if values.get("conditionsVersement") not in ("", "unique", "échelonné"):
        found.append("conditions de versement : « unique » ou « échelonné »")
    if values.get("notificationUE") not in ("", "oui", "non"):
        found.append("notification UE : « oui » ou « non »")
    share = values.get("pourcentageSubvention")
    if share:
        try:
            if not 0 <= Decimal(share) <= 1:
                found.append("part de la subvention : entre 0 et 1")
        except ArithmeticError:
            found.append("part de la subvention : pas un nombre")
    return found


def _iso(text: str) -> bool:
    if not DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_csv(found: list[Line]) -> str:
    """The CSV of the schema (comma, UTF-8, header of the schema's names); a cell that
    would start like a formula is written with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in found:
        writer.writerow([_safe(line.values[c]) for c in COLUMNS])
    return out.getvalue()


def missing_csv(found: list[Line]) -> str:
    """What each line of ``found`` lacks, one row per incomplete line (budget line,
    fiscal year, what it lacks), for whoever completes the record."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Ligne budgétaire", "Exercice", "Ce qui manque"])
    for line in found:
        if line.missing:
            writer.writerow([line.budget_line_id, line.fiscal_year,
                             _safe(" ; ".join(line.missing))])  # fmt: skip
    return out.getvalue()


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report(found: list[Line]) -> list[str]:
    """One French line per subsidy that is not yet valid, saying what it lacks."""
    return [f"Ligne budgétaire n° {line.budget_line_id} (exercice {line.fiscal_year}) : "
            + " ; ".join(line.missing) for line in found if line.missing]  # fmt: skip
