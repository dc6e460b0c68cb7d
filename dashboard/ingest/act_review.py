"""The review of an extraction, as the import page shows it: tables a person can
correct (the act's fields, its parties, amounts, phases, orientations and clauses),
turned back into an ``Extraction``; the text with the passage a fact comes from
highlighted (escaped: the text is data, never markup)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from html import escape

from dashboard.ingest import french
from dashboard.ingest.act_text import Extraction, Fact
from dashboard.tracker import fmt, validate
from dashboard.tracker.errors import ValidationError

FIELD_LABELS = {
    "kind": "Type d'acte",
    "number": "Numéro (avenant)",
    "amends": "Convention modifiée (référence)",
    "reference": "Référence",
    "title": "Intitulé",
    "signed_on": "Signé le",
    "concluded_on": "Conclu le",
    "effective_rule": "Prise d'effet",
    "effective_on": "Prend effet le",
    "ends_on": "Terme",
    "deliberation_body": "Délibération : instance",
    "deliberation_number": "Délibération : numéro",
    "deliberation_date": "Délibération : date",
    "committee": "Instance de pilotage",
}
DATES = {"signed_on", "concluded_on", "effective_on", "ends_on", "deliberation_date"}
CODED = {
    "kind": fmt.ACT_KIND_LABELS,
    "effective_rule": fmt.EFFECTIVE_RULE_LABELS,
    "committee": fmt.COMMITTEE_KIND_LABELS,
}


def shown(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if name in CODED:
        return CODED[name].get(value, str(value))
    return str(value)


def fields_rows(extraction: Extraction) -> list[dict]:
    """One row per field: its label, value (empty: non trouvé), article and excerpt."""
    rows = []
    for name, label in FIELD_LABELS.items():
        fact = getattr(extraction, name)
        rows.append({"Champ": label, "Valeur": shown(name, fact.value),
                     "Article": fact.article or "non trouvé", "Extrait": fact.excerpt or ""})  # fmt: skip
    return rows


def _parse(name: str, raw: object) -> object:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if name in DATES:
        day = french.date(text)
        if day is None:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError as error:
                raise ValidationError(
                    f"« {FIELD_LABELS[name]} » : date non reconnue (reçu : « {text[:30]} ») ; "
                    "écrivez 31/12/2022."
                ) from error
        return day
    if name == "number":
        return validate.integer(text, FIELD_LABELS[name], low=1, high=999)
    if name in CODED:
        return validate.choice(text, CODED[name], FIELD_LABELS[name])
    return validate.text(text, FIELD_LABELS[name], max_len=validate.MAX_TEXT)


def apply_fields(extraction: Extraction, rows: list[dict]) -> Extraction:
    """The extraction with the values the reviewer typed; a changed value keeps its
    article and excerpt (what the text says there) and an emptied one is unknown."""
    result = copy.deepcopy(extraction)
    by_label = {row["Champ"]: row for row in rows}
    for name, label in FIELD_LABELS.items():
        if label not in by_label:
            continue
        value = _parse(name, by_label[label]["Valeur"])
        old = getattr(result, name)
        setattr(result, name, Fact(value, old.article, old.excerpt) if value is not None
                else Fact())  # fmt: skip
    return result


_BASIS_OF_LABEL = {label: code for code, label in fmt.TAX_BASIS_LABELS.items()}


def amounts_rows(extraction: Extraction) -> list[dict]:
    return [{"Montant (€)": f"{a['amount'].value:.2f}".replace(".", ",") if a["amount"].found
             else "", "Exercice": a["fiscal_year"].value,
             "Base": fmt.TAX_BASIS_LABELS[a["tax_basis"]],
             "Extrait": a["amount"].excerpt or ""} for a in extraction.amounts]  # fmt: skip


def apply_amounts(extraction: Extraction, rows: list[dict]) -> Extraction:
    result = copy.deepcopy(extraction)
    amounts = []
    for number, row in enumerate(rows, start=1):
        raw = str(row.get("Montant (€)") or "").strip()
        if not raw:
            continue
        try:
            value = Decimal(raw.replace(" ", "").replace(",", "."))
        except InvalidOperation as error:
            raise ValidationError(
                f"montant ligne {number} : « {raw[:20]} » n'est pas un nombre."
            ) from error
        year = validate.integer(row.get("Exercice"), f"Exercice ligne {number}", low=2000,
                                high=2100, required=False)  # fmt: skip
        # the base is shown by its label (« non précisé »); its code is read too
        given = str(row.get("Base") or "").strip()
        basis = validate.choice(_BASIS_OF_LABEL.get(given, given) or "unspecified",
                                fmt.TAX_BASIS_LABELS, f"Base ligne {number}")  # fmt: skip
        excerpt = row.get("Extrait") or None
        amounts.append({"amount": Fact(value, "Révision", excerpt),
                        "fiscal_year": Fact(year, "Révision", excerpt) if year else Fact(),
                        "tax_basis": basis})  # fmt: skip
    result.amounts = amounts
    return result


def titles_rows(items: list[dict], with_number: bool) -> list[dict]:
    key = "number" if with_number else "phase"
    return [{"Phase": item[key], "Intitulé": item["title"].value} for item in items]


def apply_titles(items: list[dict], rows: list[dict], with_number: bool) -> list[dict]:
    """Phases (number, title) or orientations (phase, title) as corrected; an emptied
    title removes the row, a new row adds one (cited « Révision »)."""
    key = "number" if with_number else "phase"
    excerpts = {item["title"].value: item["title"] for item in items}
    result = []
    for row in rows:
        title = str(row.get("Intitulé") or "").strip()
        if not title:
            continue
        phase = row.get("Phase")
        phase = None if phase in (None, "") or phase != phase else int(phase)
        fact = excerpts.get(title)
        result.append({key: phase, "title": Fact(title, fact.article if fact else "Révision",
                                                  fact.excerpt if fact else None)})  # fmt: skip
    return result


def highlight(text: str, excerpt: str | None) -> str:
    """The act's text as escaped HTML, the excerpt's passage in <mark> (found even when
    the text wraps it across lines)."""
    safe = escape(text)
    if not excerpt:
        return safe
    words = [re.escape(escape(w)) for w in excerpt.replace("**", "").split()[:40]]
    pattern = r"(?:\*\*|\s)*".join(words)
    match = re.search(pattern, safe)
    if not match:
        return safe
    return (safe[: match.start()] + '<mark id="passage">' + safe[match.start():match.end()]
            + "</mark>" + safe[match.end():])  # fmt: skip


def parties_rows(extraction: Extraction) -> list[dict]:
    """One row per party; « Remarque » says why a name the text holds is not proposed
    (« représentant : masqué dans le texte »), so that it is not read as « non trouvé »."""
    return [{"Organisation": p["organisation"].value or "",
             "Représentée par": p["represented_by"].value or "",
             "Signataire": p["signatory"].value or "",
             "Remarque": _remarks(p)} for p in extraction.parties]  # fmt: skip


def _remarks(party: dict) -> str:
    said = (("représentant", party["represented_by"]), ("signataire", party["signatory"]))
    return " ; ".join(f"{who} : {fact.note}" for who, fact in said if fact.note)


def apply_parties(extraction: Extraction, rows: list[dict]) -> Extraction:
    """The parties as corrected: a name typed keeps the passage it was read from; an
    emptied one is unknown; a row without organisation is dropped."""
    result = copy.deepcopy(extraction)
    parties = []
    for index, row in enumerate(rows):
        organisation = str(row.get("Organisation") or "").strip()
        if not organisation:
            continue
        old = extraction.parties[index] if index < len(extraction.parties) else None
        party = {"organisation": _kept(old, "organisation", organisation),
                 "represented_by": _kept(old, "represented_by", row.get("Représentée par")),
                 "role": old["role"] if old else Fact(),
                 "signatory": _kept(old, "signatory", row.get("Signataire")),
                 "signatory_role": old["signatory_role"] if old else Fact()}  # fmt: skip
        parties.append(party)
    result.parties = parties
    return result


def _kept(old: dict | None, key: str, raw: object) -> Fact:
    value = str(raw or "").strip()
    if not value:
        return Fact()
    value = validate.text(value, "Nom", max_len=200)
    before = old[key] if old else Fact()
    return Fact(value, before.article or "Révision", before.excerpt)


def clauses_rows(extraction: Extraction) -> list[dict]:
    return [{"Type": fmt.CLAUSE_KIND_LABELS.get(c["kind"], c["kind"]), "Article": c["article"],
             "Jours": c.get("days"), "Mois": c.get("months"), "Extrait": c["excerpt"]}
            for c in extraction.clauses]  # fmt: skip


def apply_clauses(extraction: Extraction, rows: list[dict]) -> Extraction:
    result = copy.deepcopy(extraction)
    clauses = []
    for number, row in enumerate(rows, start=1):
        if not str(row.get("Type") or "").strip():
            continue
        kind = validate.choice(str(row["Type"]).strip(), fmt.CLAUSE_KIND_LABELS,
                               f"Type de la clause {number}")  # fmt: skip
        text = validate.text(str(row.get("Extrait") or "").strip() or None,
                             f"Extrait de la clause {number}", max_len=validate.MAX_TEXT)  # fmt: skip
        clause = {"kind": kind, "article": str(row.get("Article") or "").strip() or "non précisé",
                  "excerpt": text}  # fmt: skip
        for column, key in (("Jours", "days"), ("Mois", "months")):
            raw = row.get(column)
            if raw not in (None, "") and raw == raw:  # NaN from an emptied cell is empty
                clause[key] = validate.integer(raw, f"{column} (clause {number})", low=1,
                                               high=3650)  # fmt: skip
        clauses.append(clause)
    result.clauses = clauses
    return result
