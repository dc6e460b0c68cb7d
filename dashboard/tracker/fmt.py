"""French formats (babel) and the French labels of coded values.

Shared by the UI, the reports and the error messages: one place says how a
euro amount, a date or a status reads in French.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from dashboard.tracker import catalogue

LOCALE = "fr_FR"
UNKNOWN = "non renseigné"
#: the number formats of every workbook the tracker writes (the pack's, the export's),
#: by the kind of a column's values
SPREADSHEET_FORMATS = {
    "euro": '#,##0.00 "€"',
    "percent": "0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "int": "0",
    "number": "#,##0.####",
    "weight": "0.00",
}
#: the dates the tracker accepts (a typed date, an « état au »), and a day after every
#: one of them: « as of EVERY_DATE » reads every record, whatever its date
EARLIEST_DATE, LATEST_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
EVERY_DATE = LATEST_DATE

STATUS_LABELS = {
    "planned": "à venir",
    "in_progress": "en cours",
    "delivered": "livré",
    "validated": "validé",
    "blocked": "bloqué",
    "cancelled": "abandonné",
}
STAGE_LABELS = {
    "commitment": "engagement",
    "payment_order": "mandatement",
    "disbursement": "versement",
}
TAX_BASIS_LABELS = {"HT": "HT", "TTC": "TTC", "unspecified": "non précisé"}
ITEM_KIND_LABELS = {"phase": "phase", "orientation": "orientation", "action": "action"}
#: what a decision may concern: the work tree and the evaluation's deliverables
DECISION_ITEM_LABELS = {**ITEM_KIND_LABELS, "deliverable": "livrable"}
COMMITTEE_KIND_LABELS = {
    "copil": "comité de pilotage",
    "cotech": "comité technique",
    "commission": "commission",
    "citizens_council": "conseil citoyen",
    "other": "autre instance",
}
DECISION_KIND_LABELS = {
    "validates": "validation du travail rendu",
    "approves": "feu vert (lancement approuvé)",
    "adopts": "adoption",
    "presents": "présentation",
    "other": "autre",
}
ACT_KIND_LABELS = {
    "agreement": "convention",
    "amendment": "avenant",
    "cpo": "convention d'objectifs et de moyens",
    "order": "arrêté",
    "deliberation": "délibération",
    "other": "autre acte",
}
#: an act's kind with its indefinite article (« pas un avenant »)
ACT_KIND_WITH_ARTICLE = {
    "agreement": "une convention",
    "amendment": "un avenant",
    "cpo": "une convention d'objectifs et de moyens",
    "order": "un arrêté",
    "deliberation": "une délibération",
    "other": "un autre acte",
}
#: the kinds of act an avenant can amend
AMENDABLE_KINDS = ("agreement", "cpo", "other")
BUDGET_KIND_LABELS = {
    "financial": "participation financière",
    "in_kind": "apport en nature",
    # an act's « soutien financier et/ou matériel », as stated: neither is asserted
    "financial_or_in_kind": "soutien financier et/ou matériel (tel que l'acte le dit)",
}
LINK_KIND_LABELS = {"feeds": "alimente", "precedes": "précède (a pour successeur)"}
LETTER_KIND_LABELS = {
    "dispute": "lettre recommandée ouvrant un litige",
    "termination": "lettre recommandée de résiliation",
}
TERRITORY_KIND_LABELS = {
    "metropole": "Métropole",
    "council": "Conseil de Territoire",
    "commune": "commune",
    "qpv": "QPV",
    "watch": "quartier en veille active",
}
TERRITORY_LINK_LABELS = {"within": "situé dans", "succeeded_by": "a pour successeur"}
ANSWER_STATE_LABELS = {
    "not_started": "non commencée",
    "in_progress": "en cours",
    "answered": "réponse apportée",
}
RECOMMENDATION_STATUS_LABELS = {
    "proposed": "proposée",
    "adopted": "retenue",
    "in_progress": "en cours",
    "implemented": "mise en œuvre",
    "abandoned": "abandonnée",
}
VERDICT_LABELS = {
    "met": "atteint",
    "partly_met": "partiellement atteint",
    "not_met": "non atteint",
    "not_assessable": "non évaluable",
}
STRENGTH_LABELS = {"strong": "solide", "medium": "moyenne", "weak": "faible"}
EVIDENCE_KIND_LABELS = {
    "indicator": "valeurs d'un indicateur",
    "deliverable": "livrable",
    "decision": "décision de comité",
    "document": "document",
}
UNIT_KIND_LABELS = {
    "count": "effectif (s'additionne)",
    "amount": "montant en euros (s'additionne)",
    "rate": "taux ou ratio (ne s'additionne pas)",
    "other": "autre (ne s'additionne pas)",
}
DIRECTION_LABELS = {"up": "plus haut, mieux c'est", "down": "plus bas, mieux c'est"}
PERIODICITY_LABELS = {"year": "année", "semester": "semestre", "quarter": "trimestre"}
DELIVERABLE_KIND_LABELS = {
    "report": "rapport",
    "note": "note",
    "workshop": "atelier",
    "presentation": "présentation",
    "other": "autre",
}
DELIVERABLE_STATUS_LABELS = {"planned": "prévu", "delivered": "remis", "validated": "validé"}
TRACK_LABELS = {
    "on_track": "en bonne voie",
    "off_track": "en retard sur la cible",
    "no_target": "sans cible",
    "no_value": "sans valeur",
}
ROLE_LABELS = {
    "lecteur": "lecteur",
    "contributeur": "contributeur",
    "administrateur": "administrateur",
}


def label(mapping: dict[str, str], code: str | None) -> str:
    if code is None:
        return UNKNOWN
    return mapping.get(code, code)


@functools.lru_cache(maxsize=8192)
def money(amount: Decimal | float | int | None, *, cents: bool | None = None) -> str:
    """``100 000 €``, ``1 234 567,50 €``; cents shown only when there are some."""
    if amount is None:
        return UNKNOWN
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    if cents is None:
        cents = value != value.to_integral_value()
    pattern = "#,##0.00" if cents else "#,##0"
    return f"{format_decimal(value, format=pattern, locale=LOCALE)}\u00a0€"


def basis_phrase(basis: str) -> str:
    """« base HT », « base TTC », « base HT/TTC non précisée »."""
    return "base HT/TTC non précisée" if basis == "unspecified" else f"base {basis}"


def decimal_fr(value: float | int | Decimal) -> str:
    """A decimal as typed in French, without trailing zeros: ``1``, ``1,5``."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


@functools.lru_cache(maxsize=8192)
def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return UNKNOWN
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


@functools.lru_cache(maxsize=4096)
def measure(value: float | int | Decimal | None) -> str:
    """An indicator's value: French separators, up to four decimals, none trailing
    (« 1 250 », « 12,5 », « 0,125 »)."""
    if value is None:
        return UNKNOWN
    return format_decimal(value, format="#,##0.####", locale=LOCALE)


@functools.lru_cache(maxsize=8192)
def percent(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """``45 %`` from 45 (a percentage, not a ratio)."""
    if value is None:
        return UNKNOWN
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(Decimal(str(value)) / 100, format=pattern, locale=LOCALE)


@functools.lru_cache(maxsize=8192)
def date_fr(value: dt.date | None) -> str:
    """``21 mars 2019``; ``1er juillet 2022`` (the French ordinal for the first)."""
    if value is None:
        return UNKNOWN
    if isinstance(value, dt.datetime):
        value = value.date()
    text = format_date(value, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if value.day == 1 else text


def local_zone() -> ZoneInfo:
    """The zone times are shown in: ``CDV_TIMEZONE`` (default Europe/Paris). Timestamps
    are stored in UTC; only their display changes."""
    return ZoneInfo(os.environ.get("CDV_TIMEZONE") or "Europe/Paris")


def _local(value: dt.datetime) -> dt.datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(local_zone())


def datetime_fr(value: dt.datetime | None) -> str:
    """``21 mars 2019 à 15:05``: a stored (naive UTC) timestamp in local time."""
    if value is None:
        return UNKNOWN
    return format_datetime(_local(value), format="d MMMM y 'à' HH:mm", locale=LOCALE)


def time_fr(value: dt.datetime) -> str:
    """``15:05``: a stored (naive UTC) timestamp's local time of day."""
    return f"{_local(value):%H:%M}"


def quarter_of(value: dt.date) -> tuple[int, int]:
    return value.year, (value.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    """``T3 2022``."""
    return f"T{quarter} {year}"


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month_next = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end_month_next - dt.timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_span(year: int, quarter: int) -> str:
    """``1er juillet – 30 septembre 2022``."""
    start, end = quarter_bounds(year, quarter)
    first = format_date(start, format="MMMM", locale=LOCALE)
    return f"1er {first} – {date_fr(end)}"


def capitalize_first(text: str | None) -> str:
    if not text:
        return UNKNOWN if text is None else text
    return text[0].upper() + text[1:]


PROGRAMME_KIND_LABELS = {
    "evaluation": "évaluation",
    "modernisation": "modernisation",
    "city_contract": "contrat de ville",
    "support": "accompagnement",
    "other": "autre",
}
ORGANISATION_KIND_LABELS = {
    "local_authority": "collectivité",
    "public_interest_group": "groupement d'intérêt public",
    "state": "État",
    "association": "association",
    "housing_provider": "bailleur social",
    "other": "autre",
}
#: how a budget line's start is known, when its act does not date it (budget_line_start)
LINE_START_NOTES = {
    "fiscal_year": " (1er janvier de l'exercice)",
    "recorded": " (date d'enregistrement)",
    "stated": " (date donnée à la saisie, avec son motif)",
    "act": " (prise d'effet de l'acte qui la crée)",
    "decision": " (séance de la décision qui la crée)",
}
#: which kind of funder an organisation is, as the financing plans read it (issue 24)
FUNDER_CATEGORY_LABELS = {
    "state": "État (programme 147 / ANCT)",
    "metropole": "Métropole ou EPCI",
    "commune": "commune",
    "region": "Région",
    "departement": "Département",
    "caf": "CAF",
    "social_landlord": "bailleur social (abattement de TFPB)",
    "other": "autre financeur",
}
#: who a draft rapport annuel is sent to for an opinion (décret n° 2015-1118)
CONSULTED_LABELS = {
    "municipal_council": "conseil municipal",
    "citizen_council": "conseil citoyen",
    "other_party": "autre signataire du contrat",
}
#: the opinion given on a draft rapport annuel
OPINION_LABELS = {
    "favourable": "favorable",
    "reserved": "favorable avec réserves",
    "unfavourable": "défavorable",
}
#: the nature of the credits a budget line brings to a contrat de ville
FUNDING_NATURE_LABELS = {
    "specific": "crédits spécifiques de la politique de la ville",
    "ordinary": "droit commun",
}
#: the share of funding under multi-year conventions the Quartiers 2030 circular aims at
MULTI_YEAR_TARGET = 50
CLAUSE_KIND_LABELS = {
    "object": "objet",
    "financing": "conditions financières",
    "steering": "instance de pilotage",
    "duration": "durée",
    "extension_by_amendment": "prolongation par avenant",
    "modification_by_amendment": "modification par avenant",
    "amicable_settlement": "règlement amiable des litiges",
    "termination_notice": "préavis de résiliation",
    "legal_basis": "base légale",
    "obligations": "obligations des parties",
    "payment_terms": "modalités de paiement",
    "reporting": "compte rendu",
    "evaluation": "évaluation",
    "other": "autre clause",
}
EFFECTIVE_RULE_LABELS = {
    "at_signature": "à la signature",
    "fixed_date": "à date fixe",
    "unspecified": "non précisé",
}


def format_month(value: dt.date) -> str:
    """``janv.``, ``févr.``: abbreviated French month."""
    return format_date(value, format="MMM", locale=LOCALE)


def month_year(value: dt.date) -> str:
    """``mars 2019``."""
    return format_date(value, format="MMMM y", locale=LOCALE)


def period(start: dt.date | None, end: dt.date | None) -> str:
    """``du 22 novembre 2017 au 31 décembre 2020``; an unknown end stays visible."""
    if start and end:
        return f"du {date_fr(start)} au {date_fr(end)}"
    if end:
        return f"début {UNKNOWN}, terme le {date_fr(end)}"
    if start:
        return f"depuis le {date_fr(start)}, terme {UNKNOWN}"
    return UNKNOWN


#: what a territory's kind is called (the tables' own nouns are in the catalogue), and
#: whether the word is feminine
_KIND_NOUNS = {
    "qpv": (("QPV", "QPV"), False),
    "watch": (("quartier en veille active", "quartiers en veille active"), False),
    "commune": (("commune", "communes"), True),
    "council": (("Conseil de Territoire", "Conseils de Territoire"), False),
    "metropole": (("Métropole", "Métropoles"), True),
}
#: what each record is called, singular and plural (audit log, restore preview, export)
ENTITY_NOUNS = {
    **{t.name: t.noun for t in catalogue.TABLES.values()},
    **{kind: nouns for kind, (nouns, _) in _KIND_NOUNS.items()},
}


def is_feminine(entity: str) -> bool:
    """Whether a table's (or a territory kind's) French noun is feminine."""
    table = catalogue.TABLES.get(entity)
    return table.feminine if table else _KIND_NOUNS.get(entity, ((), False))[1]


def count_of(count: int, entity: str) -> str:
    """``1 acte``, ``3 actes``, ``aucun paiement``."""
    singular, plural = ENTITY_NOUNS.get(entity, (entity, entity))
    if count == 0:
        return f"{'aucune' if is_feminine(entity) else 'aucun'} {singular}"
    return f"{number(count)} {singular if count == 1 else plural}"


def money_by_basis(rows: list[dict], column: str) -> str:
    """One figure per tax basis (rows of the money_by_basis read), never added across
    bases: ``100 000 € TTC ; 50 000 € HT``; an unknown figure says so."""
    if not rows:
        return UNKNOWN
    parts = [
        f"{money(row[column]) if row[column] is not None else UNKNOWN} "
        f"{TAX_BASIS_LABELS[row['tax_basis']]}"
        for row in rows
    ]
    return " ; ".join(parts)


def territory(row: dict, *, with_code: bool = False) -> str:
    """A territory as every list reads it: « Noailles (QPV 2024, QN01306M) »; a QPV that
    an act named without its code says « code à compléter »."""
    generation = f" {row['generation']}" if row.get("generation") else ""
    code = ""
    if with_code:
        code = f", {row['code']}" if row.get("code") else ", code à compléter"
    return f"{row['name']} ({TERRITORY_KIND_LABELS[row['kind']]}{generation}{code})"


def shorten(text: str | None, limit: int = 80) -> str:
    """A label cut at a word boundary, with an ellipsis when something was cut."""
    if text is None:
        return UNKNOWN
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


#: how an act's start is known (the rule act_start's start_basis)
ACT_START_BASIS_LABELS = {
    "effective": "prise d'effet",
    "concluded": "conclusion",
    "signed": "signature",
    "not_before": "date inconnue : au plus tôt la délibération qui autorise sa signature",
    "estimated": "date inconnue : 1er janvier de son premier exercice financé",
    "recorded": "date inconnue : jour de sa saisie",
}


def deliberation(body: str | None, number: str | None, on: dt.date | None) -> str | None:
    """« délibération n° 12 du Bureau de la Métropole du 19 décembre 2019 », made only of
    what is known (None when nothing is): never « None »."""
    if not (body or number or on):
        return None
    parts = ["délibération"]
    if number:
        parts.append(f"n° {number}")
    if body:
        parts.append(f"du {body}")
    if on:
        parts.append(f"du {date_fr(on)}")
    return " ".join(parts)


def origin_fr(origin) -> str:
    """An Origin (origins.py) as the loader's report says it."""
    if origin.act_id is not None:
        return f"acte n° {origin.act_id}" + (f", {origin.article}" if origin.article else "")
    if origin.decision_id is not None:
        return f"décision n° {origin.decision_id}"
    if origin.stated_on is not None:
        return f"existe depuis le {date_fr(origin.stated_on)} ({origin.reason})"
    return "jour de l'enregistrement"


def exists_since(start: dict | None, act_label: str | None = None) -> str:
    """« existe depuis le 19 décembre 2019 (acte : Avenant n° 2 …, Article 1 ; date de
    l'acte inconnue : au plus tôt …) » from a record_start row."""
    if start is None:
        return "existe depuis : " + UNKNOWN
    on = date_fr(start["starts_on"])
    basis = start["basis"]
    if basis == "act":
        where = ", ".join(p for p in (act_label or "acte", start.get("article")) if p)
        known = start.get("act_start_basis")
        if known in ("not_before", "estimated", "recorded"):
            where += f" ; {ACT_START_BASIS_LABELS[known]}"
        prefix = "existe au plus tôt depuis le" if known == "not_before" else "existe depuis le"
        return f"{prefix} {on} (acte de création : {where})"
    if basis == "decision":
        return f"existe depuis le {on} (décision de création : séance du {on})"
    if basis == "stated":
        return (
            f"existe depuis le {on} (date donnée à l'enregistrement, le "
            f"{date_fr(start['recorded_on'])} : {start.get('reason') or UNKNOWN})"
        )
    return f"existe depuis le {on} (date d'enregistrement)"
