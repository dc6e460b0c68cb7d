"""The workbook's tables: the full lists the slides cut short."""

from __future__ import annotations

from dashboard.tracker import financing, fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.pack import evaluation as evaluation_module
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import Sheet


def sheets(data: QuarterData) -> list[Sheet]:
    """The workbook: many programmes list phases and orientations (a programme's own
    pack lists its actions too); payments are those of the quarter, the budget lines
    carrying their totals as of its last day."""
    items = data.items if data.detailed else [i for i in data.items if i["item_kind"] != "action"]
    lines, payments, decisions = data.lines, data.payments, data.decisions
    corrected = data.payment_corrections
    deadlines, gaps, changes = data.deadlines, data.gaps, data.changes
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
                    cite_row(i) if i["source_document"] else None,
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
                    line["committed"],
                    line["ordered"],
                    line["paid"],
                    cite_row(line),
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
                ("Correction", "text"),
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
                    # a corrected amount or date says so here too
                    " ; ".join(corrected.get(("payment", p["payment_id"]), [])) or None,
                ]
                for p in payments
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
                    cite_row(d) if d["source_document"] else None,
                ]
                for d in decisions
            ],
        ),
        evaluation_module.values_sheet(data.evaluation),
        evaluation_module.deliverables_sheet(data.evaluation),
        evaluation_module.answers_sheet(data.evaluation),
        evaluation_module.recommendations_sheet(data.evaluation),
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
                    cite_row(d) if d.get("source") else None,
                ]
                for d in deadlines
            ],
        ),
        Sheet(
            "Financements",
            [
                ("Lecture", "text"),
                ("Clé", "text"),
                ("Base", "text"),
                ("Accordé", "euro"),
                ("Engagé", "euro"),
                ("Versé", "euro"),
                ("Lignes en numéraire", "int"),
                ("Apports en nature", "int"),
            ],
            [
                [
                    financing.DIMENSIONS[dimension],
                    r["name"],
                    fmt.TAX_BASIS_LABELS[r["tax_basis"]],
                    r["granted"],
                    r["committed"],
                    r["paid"],
                    r["lines"],
                    r["in_kind_lines"],
                ]
                for dimension, rows in data.funding.items()
                for r in rows
            ],
        ),  # fmt: skip
        Sheet(
            "Complétude",
            [("Programme", "text"), ("Manque", "text"), ("Pourquoi c'est important", "text")],
            [[g["programme_code"], g["item"], g["reason"]] for g in gaps],
        ),
    ]
