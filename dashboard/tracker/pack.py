"""The quarterly meeting pack: what the deck, the PDF, the workbook and the
presentation mode show, computed once from the database as of the quarter's last day.

``build(db, "2022-T3", programme_code=None)`` returns a ``Pack``: slides (title, short
lines, an optional table and an optional chart, speaker notes naming each figure's
source) and the full tables of the workbook. The renderers in ``pack_pptx``,
``pack_pdf`` and ``pack_xlsx`` only lay it out."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker import fmt, history, overview
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import ValidationError

#: above this many programmes, slides show one line per programme rather than per phase
DETAILED_PROGRAMMES = 6
#: rows of a slide table; the rest is in the workbook
SLIDE_ROWS = 12
STATUS_LOG = "journal des statuts"


@dataclass
class Chart:
    """A bar chart: categories, and one list of values per series (None: not shown)."""

    title: str
    categories: list[str]
    series: dict[str, list[float]]
    number_format: str  # "percent" | "euro"
    horizontal: bool = False


@dataclass
class Slide:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """A workbook sheet: columns with their kind (text, int, euro, percent, date)."""

    name: str
    columns: list[tuple[str, str]]
    rows: list[list]


@dataclass
class Pack:
    year: int
    quarter: int
    programme_code: str | None
    programmes: list[dict]
    generated_at: dt.datetime
    meeting_on: dt.date | None
    slides: list[Slide]
    sheets: list[Sheet]

    @property
    def label(self) -> str:
        return fmt.quarter_label(self.year, self.quarter)

    @property
    def span(self) -> str:
        return fmt.quarter_span(self.year, self.quarter)

    @property
    def as_of(self) -> dt.date:
        return fmt.quarter_bounds(self.year, self.quarter)[1]

    @property
    def file_stem(self) -> str:
        scope = self.programme_code or "tous-programmes"
        return f"cdv-{self.year}-T{self.quarter}-{scope}"


def parse_quarter(text: object) -> tuple[int, int]:
    """``2022-T3``, ``T3 2022``, ``2022-Q3`` or ``2022T3`` -> (2022, 3); French message otherwise."""
    value = str(text or "").strip().upper()
    match = re.fullmatch(r"(\d{4})\s*[-_ ]?\s*[TQ]([1-4])", value) or re.fullmatch(
        r"[TQ]([1-4])\s*[-_ ]?\s*(\d{4})", value
    )
    if not match:
        raise ValidationError(
            f"Trimestre « {text} » non reconnu : écrivez par exemple 2022-T3 (ou T3 2022)."
        )
    first, second = match.groups()
    year, quarter = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Année {year} hors de la période suivie (2000 à 2100).")
    return year, quarter


def _source(document: str | None, article: str | None) -> str:
    if not document:
        return "source non renseignée"
    return f"{document}, {article}" if article else document


def _item_label(item: dict) -> str:
    if item["item_kind"] == "phase":
        return f"Phase {item['position']}"
    if item["item_kind"] == "orientation":
        rank = f"Orientation {item['position']}" if item["position"] else "Orientation"
        return f"Ph. {item['phase_number']} · {rank.lower()}" if item["phase_number"] else rank
    return "Action"


def build(db: Database, quarter: str | tuple[int, int], programme_code: str | None = None) -> Pack:
    year, q = parse_quarter(quarter) if isinstance(quarter, str) else quarter
    start, end = fmt.quarter_bounds(year, q)
    prev_end = start - dt.timedelta(days=1)
    programmes = [
        p for p in db.records("programmes") if programme_code is None or p["code"] == programme_code
    ]
    if programme_code is not None and not programmes:
        raise ValidationError(f"Programme « {programme_code} » inconnu.")
    codes = {p["code"] for p in programmes}
    detailed = len(programmes) <= DETAILED_PROGRAMMES

    summaries = [s for s in overview.summaries(db, end) if s["code"] in codes]
    previous = {s["code"]: s for s in overview.summaries(db, prev_end) if s["code"] in codes}
    items = db.records("work_items", as_of=end, programme_code=programme_code)
    budget_rows = db.records("budget_by_year", as_of=end, programme_code=programme_code)
    lines = db.records("budget_lines", programme_code=programme_code)
    payments = [
        p
        for p in db.records("payments", programme_code=programme_code, limit=None)
        if p["occurred_on"] <= end
    ]
    decisions = [
        d
        for d in db.records("decisions", programme_code=programme_code)
        if start <= d["held_on"] <= end
    ]
    meetings = [
        m
        for m in db.records("meetings", programme_code=programme_code)
        if start <= m["held_on"] <= end
    ]
    changes = history.changes_between(db, prev_end, end, programme_code)
    horizon = fmt.quarter_bounds(*fmt.next_quarter(*fmt.next_quarter(year, q)))[1]
    all_deadlines = deadlines_module.deadlines(db, programme_code)
    deadlines = [d for d in all_deadlines if d["date"] is not None and end < d["date"] <= horizon]
    alerts = overview.alerts(db, end, programme_code, programme_summaries=summaries)
    gaps = completeness_module.completeness(db, programme_code)
    acts = db.records("acts", programme_code=programme_code)
    meeting_on = max((m["held_on"] for m in meetings), default=None)
    label, span = fmt.quarter_label(year, q), fmt.quarter_span(year, q)
    prev_label = fmt.quarter_label(*fmt.previous_quarter(year, q))

    slides: list[Slide] = []
    names = " ; ".join(p["title"] for p in programmes[:4]) + (
        f" et {len(programmes) - 4} autres programmes" if len(programmes) > 4 else ""
    )
    slides.append(
        Slide(
            "title",
            f"Point trimestriel — {label}",
            [
                names or "Aucun programme enregistré",
                span,
                f"Réunion du comité : {fmt.date_fr(meeting_on)}"
                if meeting_on
                else "Aucune réunion de comité enregistrée ce trimestre",
                f"Chiffres arrêtés au {fmt.date_fr(end)} · généré le "
                f"{fmt.datetime_fr(utcnow())} par cdv-tracker",
            ],
            notes=[
                f"Toutes les données sont lues dans la base au {fmt.date_fr(end)} : statuts d'après "
                f"le {STATUS_LOG}, paiements datés au plus tard ce jour-là.",
            ],
        )
    )

    # summary KPIs, with the change since the previous quarter
    kpi_rows, kpi_notes = [], []
    for s in summaries[: SLIDE_ROWS if not detailed else None]:
        before = previous.get(s["code"], {})
        basis = ", ".join(fmt.TAX_BASIS_LABELS[b] for b in (s["tax_bases"] or "").split(",") if b)
        kpi_rows.append(
            [
                s["code"],
                f"{fmt.money(s['allocated'])} ({basis or fmt.UNKNOWN})",
                fmt.money(s["committed"]),
                fmt.money(s["paid"]),
                f"{s['phases_delivered'] + 0} / {s['phases_total']}",
                _progress_with_base(s),
                _progress_text(before) if before else fmt.UNKNOWN,
            ]
        )
        kpi_notes.append(
            f"{s['code']} : alloué = somme des lignes budgétaires ; "
            f"engagé et versé = paiements enregistrés jusqu'au {fmt.date_fr(end)} ; "
            f"progression pondérée sur {s['progress_known']} élément(s) renseigné(s) "
            f"sur {s['items_total']}, d'après le {STATUS_LOG}."
        )
    slides.append(
        Slide(
            "kpis",
            f"Chiffres clés au {fmt.date_fr(end)}",
            [
                f"{len(summaries)} programme(s) · {sum(s['items_total'] for s in summaries)} "
                f"éléments suivis · {sum(s['blocked'] for s in summaries)} bloqué(s) · "
                f"{sum(s['status_unknown'] for s in summaries)} statut(s) non renseigné(s)"
            ]
            + (
                [f"… et {len(summaries) - SLIDE_ROWS} autres programmes dans le classeur"]
                if not detailed and len(summaries) > SLIDE_ROWS
                else []
            ),
            table=(
                [
                    "Programme",
                    "Alloué",
                    "Engagé",
                    "Versé",
                    "Phases livrées",
                    "Progression",
                    f"Fin {prev_label}",
                ],
                kpi_rows,
            ),
            notes=kpi_notes[:SLIDE_ROWS],
        )
    )

    # progress: per phase and orientation (few programmes) or per programme (many)
    if detailed:
        shown = [i for i in items if i["item_kind"] in ("phase", "orientation")]
        known = [i for i in shown if i["effective_progress"] is not None]
        chart = Chart(
            "Avancement par phase et orientation (%)",
            [f"{i['programme_code']} · {_item_label(i)}" if len(codes) > 1 else _item_label(i)
             for i in known],
            {"Avancement (%)": [float(i["effective_progress"]) for i in known]},
            "percent",
            horizontal=True,
        )  # fmt: skip
        table_rows = [
            [
                _item_label(i),
                fmt.capitalize_first(i["title"])[:70],
                fmt.label(fmt.STATUS_LABELS, i["status"]),
                fmt.percent(i["effective_progress"])
                if i["effective_progress"] is not None
                else fmt.UNKNOWN,
            ]
            for i in shown[:SLIDE_ROWS]
        ]
        missing = len(shown) - len(known)
        lines_ = [
            f"{len(known)} élément(s) sur {len(shown)} ont un avancement connu"
            + (f" ; {missing} non renseigné(s), absents du graphique." if missing else ".")
        ]
        notes = [
            f"Statuts et avancements au {fmt.date_fr(end)} d'après le {STATUS_LOG} ; "
            "« livré » et « validé » comptent pour 100 %."
        ] + sorted(
            {
                "Intitulés : " + _source(i["source_document"], i["source_article"])
                for i in shown
                if i["source_document"]
            }
        )
    else:
        ranked = sorted(summaries, key=lambda s: s["code"])[: SLIDE_ROWS * 2]
        chart = Chart(
            "Progression pondérée par programme (%)",
            [s["code"] for s in ranked if s["weighted_progress"] is not None],
            {
                "Progression (%)": [
                    float(s["weighted_progress"])
                    for s in ranked
                    if s["weighted_progress"] is not None
                ]
            },
            "percent",
            horizontal=True,
        )
        table_rows = []
        lines_ = [
            f"{len(summaries)} programmes : les {len(ranked)} premiers (par code) sont tracés ; "
            "le détail par élément est dans le classeur."
        ]
        notes = [f"Progression pondérée au {fmt.date_fr(end)} d'après le {STATUS_LOG}."]
    slides.append(
        Slide(
            "progress",
            "Avancement des phases et orientations",
            lines_,
            table=(["Élément", "Intitulé", "Statut", "Avancement"], table_rows)
            if table_rows
            else None,
            chart=chart if chart.categories else None,
            notes=notes,
        )
    )

    # budget and spending
    budget_keys = [
        (r["fiscal_year"], r["tax_basis"], r["programme_code"])
        for r in sorted(budget_rows, key=lambda r: (r["fiscal_year"], r["programme_code"]))
    ]
    by_key = {(r["fiscal_year"], r["tax_basis"], r["programme_code"]): r for r in budget_rows}
    chart_keys = budget_keys[: SLIDE_ROWS * 2]
    budget_chart = Chart(
        "Alloué, engagé, mandaté et versé par exercice (€)",
        [
            f"{y} {fmt.TAX_BASIS_LABELS[b]}" + (f" · {c}" if len(codes) > 1 else "")
            for y, b, c in chart_keys
        ],
        {
            name: [float(by_key[k][column]) for k in chart_keys]
            for name, column in (
                ("Alloué", "allocated"),
                ("Engagé", "committed"),
                ("Mandaté", "ordered"),
                ("Versé", "paid"),
            )
        },
        "euro",
    )
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in budget_rows:
        for column in ("allocated", "committed", "ordered", "paid"):
            totals[r["tax_basis"]][column] += r[column]
    slides.append(
        Slide(
            "budget",
            "Budget et dépenses",
            [
                f"{_basis_title(basis)} : alloué {fmt.money(t['allocated'])}, engagé "
                f"{fmt.money(t['committed'])}, mandaté {fmt.money(t['ordered'])}, versé {fmt.money(t['paid'])}"
                for basis, t in sorted(totals.items())
            ]
            + (
                ["Les montants HT, TTC et « non précisé » ne sont jamais additionnés."]
                if len(totals) > 1
                else []
            )
            + ([] if payments else ["Aucun paiement enregistré à cette date."]),
            table=(
                ["Exercice", "Programme", "Base", "Alloué", "Engagé", "Mandaté", "Versé"],
                [
                    [
                        str(y),
                        c,
                        fmt.TAX_BASIS_LABELS[b],
                        fmt.money(by_key[(y, b, c)]["allocated"]),
                        fmt.money(by_key[(y, b, c)]["committed"]),
                        fmt.money(by_key[(y, b, c)]["ordered"]),
                        fmt.money(by_key[(y, b, c)]["paid"]),
                    ]
                    for y, b, c in budget_keys[:SLIDE_ROWS]
                ],
            ),
            chart=budget_chart if chart_keys else None,
            notes=[
                f"Alloué : lignes budgétaires ; engagé, mandaté, versé : paiements datés au plus "
                f"tard le {fmt.date_fr(end)}."
            ]
            + sorted(
                {
                    f"Ligne {line['fiscal_year']} ({line['programme_code']}) : "
                    f"{_source(line['source_document'], line['source_article'])}"
                    for line in lines
                }
            )[:SLIDE_ROWS],
        )
    )

    # decisions of the quarter
    slides.append(
        Slide(
            "decisions",
            f"Décisions du trimestre ({label})",
            [
                f"{fmt.date_fr(d['held_on'])} · {d['committee_name']} · "
                f"{fmt.DECISION_KIND_LABELS[d['kind']]} : {d['text']}"
                for d in decisions[:SLIDE_ROWS]
            ]
            + (
                [f"… et {len(decisions) - SLIDE_ROWS} autres (voir le classeur)"]
                if len(decisions) > SLIDE_ROWS
                else []
            )
            or ["Aucune décision ce trimestre."],
            notes=[
                f"Décision du {fmt.date_fr(d['held_on'])} : "
                f"{_source(d['source_document'], d['source_article'])}"
                for d in decisions[:SLIDE_ROWS]
            ]
            or [
                f"Relevé des décisions : aucune séance tenue du {fmt.date_fr(start)} au {fmt.date_fr(end)}."
            ],
        )
    )

    # what changed since the previous quarter
    change_lines = []
    for s in summaries[:SLIDE_ROWS]:
        before = previous.get(s["code"])
        if before is None:
            continue
        deltas = []
        if before["weighted_progress"] != s["weighted_progress"]:
            deltas.append(f"progression {_progress_text(before)} → {_progress_text(s)}")
        for column, name in (("committed", "engagé"), ("paid", "versé")):
            if before[column] != s[column]:
                deltas.append(f"{name} {fmt.money(before[column])} → {fmt.money(s[column])}")
        if before["phases_delivered"] != s["phases_delivered"]:
            deltas.append(f"phases livrées {before['phases_delivered']} → {s['phases_delivered']}")
        if deltas:
            change_lines.append(f"{s['code']} : " + " ; ".join(deltas))
    change_lines += [f"{fmt.date_fr(c['occurred_on'])} · {c['what']}" for c in changes[:SLIDE_ROWS]]
    if len(changes) > SLIDE_ROWS:
        change_lines.append(
            f"… et {len(changes) - SLIDE_ROWS} autres changements (voir le classeur)"
        )
    slides.append(
        Slide(
            "changes",
            f"Ce qui a changé depuis {prev_label}",
            change_lines or [f"Aucun changement enregistré depuis la fin du {prev_label}."],
            notes=[
                f"Comparaison des chiffres au {fmt.date_fr(prev_end)} et au {fmt.date_fr(end)} ; "
                f"changements de statut ({STATUS_LOG}), décisions et paiements datés du {fmt.date_fr(start)} au {fmt.date_fr(end)}."
            ],
        )
    )

    # deadlines of the next two quarters
    slides.append(
        Slide(
            "deadlines",
            "Échéances des deux trimestres suivants",
            [f"{fmt.date_fr(d['date'])} · {d['label']}" for d in deadlines[:SLIDE_ROWS]]
            or [
                f"Aucune échéance datée entre le {fmt.date_fr(end + dt.timedelta(days=1))} "
                f"et le {fmt.date_fr(horizon)}."
            ],
            notes=[
                f"{fmt.date_fr(d['date'])} : {_source(d['source']['document'], d['source']['article'])}"
                for d in deadlines[:SLIDE_ROWS]
                if d.get("source")
            ]
            or ["Échéances calculées à partir des clauses des actes (termes, préavis)."],
        )
    )

    # blocked or late items
    late = [a for a in alerts if a["level"] in ("error", "warning")]
    slides.append(
        Slide(
            "alerts",
            "Éléments bloqués ou en retard",
            [a["text"] for a in late[:SLIDE_ROWS]]
            or [f"Aucun élément bloqué ni en retard au {fmt.date_fr(end)}."],
            notes=[
                f"Statuts au {fmt.date_fr(end)} ({STATUS_LOG}), dates de fin prévues des "
                "éléments et termes des actes."
            ],
        )
    )

    # completeness warnings
    slides.append(
        Slide(
            "completeness",
            "Ce que le dossier ne dit pas encore",
            [f"{g['item']} — {g['reason']}" for g in gaps[:8]]
            + ([f"… et {len(gaps) - 8} autres (voir le classeur)"] if len(gaps) > 8 else [])
            or ["Aucun manque relevé dans le dossier."],
            notes=["Relevé automatique des informations absentes des actes et de la base."],
        )
    )

    # sources
    documents = sorted(
        {(a["source_document"], a["source_article"]) for a in acts if a["source_document"]}
    )
    slides.append(
        Slide(
            "sources",
            "Sources",
            [f"{a['title']} ({fmt.ACT_KIND_LABELS[a['kind']]})" for a in acts[:SLIDE_ROWS]]
            + [
                f"Journal des statuts et des paiements de cdv-tracker, arrêté au {fmt.date_fr(end)}",
            ],
            notes=[_source(d, a) for d, a in documents][:SLIDE_ROWS],
        )
    )

    # many programmes: the workbook lists phases and orientations (a programme's own
    # pack lists its actions too); payments listed are those of the quarter, the
    # budget lines sheet carrying the totals as of its last day
    sheet_items = items if detailed else [i for i in items if i["item_kind"] != "action"]
    sheets = _sheets(
        sheet_items,
        lines,
        payments,
        start,
        decisions,
        all_deadlines,
        gaps,
        changes,
        end,
    )
    return Pack(year, q, programme_code, programmes, utcnow(), meeting_on, slides, sheets)


def _progress_text(summary: dict) -> str:
    value = summary.get("weighted_progress")
    return fmt.percent(value) if value is not None else fmt.UNKNOWN


def _progress_with_base(summary: dict) -> str:
    """``100 % (1 sur 7 renseignés)``: a weighted progress says what it rests on."""
    if summary.get("weighted_progress") is None:
        return fmt.UNKNOWN
    return (
        f"{_progress_text(summary)} ({summary['progress_known']} sur "
        f"{summary['items_total']} renseignés)"
    )


def _basis_title(basis: str) -> str:
    return "Base HT/TTC non précisée" if basis == "unspecified" else f"Base {basis}"


def _sheets(items, lines, payments, start, decisions, deadlines, gaps, changes, end) -> list[Sheet]:
    spent: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for p in payments:
        spent[p["budget_line_id"]][p["stage"]] += p["amount"]
    return [
        Sheet(
            "Éléments",
            [
                ("Programme", "text"),
                ("Type", "text"),
                ("Phase", "int"),
                ("Rang", "int"),
                ("Intitulé", "text"),
                ("Statut", "text"),
                ("Avancement", "percent"),
                ("Statut posé le", "date"),
                ("Début prévu", "date"),
                ("Fin prévue", "date"),
                ("Responsable", "text"),
                ("Territoire", "text"),
                ("Source", "text"),
            ],
            [
                [
                    i["programme_code"],
                    fmt.ITEM_KIND_LABELS[i["item_kind"]],
                    i["phase_number"],
                    i["position"],
                    i["title"],
                    fmt.label(fmt.STATUS_LABELS, i["status"]),
                    None if i["effective_progress"] is None else i["effective_progress"] / 100,
                    i["status_on"],
                    i["starts_on"],
                    i["ends_on"],
                    i["lead"],
                    i["territory"],
                    _source(i["source_document"], i["source_article"])
                    if i["source_document"]
                    else None,
                ]
                for i in items
            ],
        ),
        Sheet(
            "Lignes budgétaires",
            [
                ("Programme", "text"),
                ("Exercice", "int"),
                ("Base", "text"),
                ("Libellé", "text"),
                ("Alloué", "euro"),
                ("Engagé", "euro"),
                ("Mandaté", "euro"),
                ("Versé", "euro"),
                ("Source", "text"),
            ],
            [
                [
                    line["programme_code"],
                    line["fiscal_year"],
                    fmt.TAX_BASIS_LABELS[line["tax_basis"]],
                    line["label"],
                    line["amount"],
                    spent[line["budget_line_id"]]["commitment"],
                    spent[line["budget_line_id"]]["payment_order"],
                    spent[line["budget_line_id"]]["disbursement"],
                    _source(line["source_document"], line["source_article"]),
                ]
                for line in lines
            ],
        ),
        Sheet(
            "Paiements du trimestre",
            [
                ("Programme", "text"),
                ("Exercice", "int"),
                ("Base", "text"),
                ("Étape", "text"),
                ("Date", "date"),
                ("Montant", "euro"),
                ("Référence", "text"),
                ("Motif de dépassement", "text"),
                ("Saisi par", "text"),
            ],
            [
                [
                    p["programme_code"],
                    p["fiscal_year"],
                    fmt.TAX_BASIS_LABELS[p["tax_basis"]],
                    fmt.STAGE_LABELS[p["stage"]],
                    p["occurred_on"],
                    p["amount"],
                    p["reference"],
                    p["over_budget_reason"],
                    p["recorded_by"],
                ]
                for p in payments
                if p["occurred_on"] >= start
            ],
        ),
        Sheet(
            "Décisions",
            [
                ("Programme", "text"),
                ("Date", "date"),
                ("Comité", "text"),
                ("Nature", "text"),
                ("Décision", "text"),
                ("Éléments concernés", "text"),
                ("Source", "text"),
            ],
            [
                [
                    d["programme_code"],
                    d["held_on"],
                    d["committee_name"],
                    fmt.DECISION_KIND_LABELS[d["kind"]],
                    d["text"],
                    " ; ".join(i["title"] or "" for i in d["items"]),
                    _source(d["source_document"], d["source_article"])
                    if d["source_document"]
                    else None,
                ]
                for d in decisions
            ],
        ),
        Sheet(
            "Changements",
            [("Date", "date"), ("Programme", "text"), ("Changement", "text"), ("Par", "text")],
            [[c["occurred_on"], c["programme_code"], c["what"], c["actor"]] for c in changes],
        ),
        Sheet(
            "Échéances",
            [
                ("Date", "date"),
                ("Programme", "text"),
                ("Échéance", "text"),
                ("Type", "text"),
                ("Source", "text"),
            ],
            [
                [
                    d["date"],
                    d["programme_code"],
                    d["label"],
                    d["kind_label"],
                    _source(d["source"]["document"], d["source"]["article"])
                    if d.get("source")
                    else None,
                ]
                for d in deadlines
            ],
        ),
        Sheet(
            "Complétude",
            [("Programme", "text"), ("Manque", "text"), ("Pourquoi c'est important", "text")],
            [[g["programme_code"], g["item"], g["reason"]] for g in gaps],
        ),
    ]
