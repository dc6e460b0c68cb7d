"""The budget slide: allocated, committed, ordered and paid per year and basis, and
the quarter's corrected payments said as such."""

from __future__ import annotations

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.pack.common import STAGES, as_float, basis_title
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import SLIDE_ROWS, Chart, Slide


def budget_slide(data: QuarterData) -> Slide:
    several = len(data.codes) > 1
    rows = sorted(data.budget_rows, key=lambda r: (r["fiscal_year"], r["programme_code"]))
    charted = rows[: SLIDE_ROWS * 2]
    chart = Chart(
        "Alloué, engagé, mandaté et versé par exercice (€)",
        [
            f"{r['fiscal_year']} {fmt.TAX_BASIS_LABELS[r['tax_basis']]}"
            + (f" · {r['programme_code']}" if several else "")
            for r in charted
        ],
        # an unknown figure is no bar (None), never a bar at 0
        {name: [as_float(r[column]) for r in charted] for name, column in STAGES},
        "euro",
    )
    lines = [
        f"{basis_title(row['tax_basis'])} ({row['programme_code']}) : "
        + ", ".join(
            f"{name.lower()} "
            + (fmt.money(row[column]) if row[column] is not None else fmt.UNKNOWN)
            for name, column in STAGES
        )
        for row in data.money
        if row["lines"]
    ]
    if len({r["tax_basis"] for r in data.money}) > 1:
        lines.append("Les montants HT, TTC et « non précisé » ne sont jamais additionnés.")
    if lines and not any(r["payments"] for r in data.money):
        lines.append(
            "Aucun paiement enregistré à cette date : engagé, mandaté et versé non renseignés."
        )
    lines += _corrected_payments(data)
    table = [
        [str(r["fiscal_year"]), r["programme_code"], fmt.TAX_BASIS_LABELS[r["tax_basis"]]]
        + [fmt.money(r[c]) if r[c] is not None else fmt.UNKNOWN for _, c in STAGES]
        for r in rows[:SLIDE_ROWS]
    ]
    return Slide(
        "budget",
        "Budget et dépenses",
        lines or ["Aucune ligne budgétaire en vigueur à cette date : montants non renseignés."],
        table=(["Exercice", "Programme", "Base", "Alloué", "Engagé", "Mandaté", "Versé"], table),
        chart=chart if charted else None,
        notes=[
            f"Alloué : lignes budgétaires en vigueur au {fmt.date_fr(data.end)} ; engagé, "
            f"mandaté, versé : paiements datés au plus tard ce jour-là."
        ]
        + sorted(
            {
                f"Ligne {line['fiscal_year']} ({line['programme_code']}) : {cite_row(line)}"
                for line in data.lines
            }
        )[:SLIDE_ROWS],
    )


def _corrected_payments(data: QuarterData) -> list[str]:
    """A payment of the quarter corrected since it was recorded says so on the slide (and
    so in the PDF), as in the workbook: the figures above hold its corrected value."""
    corrected = [
        (p, data.payment_corrections[("payment", p["payment_id"])])
        for p in data.payments
        if ("payment", p["payment_id"]) in data.payment_corrections
    ]
    return [
        f"{fmt.capitalize_first(fmt.STAGE_LABELS[p['stage']])} du {fmt.date_fr(p['occurred_on'])} "
        f"({fmt.money(p['amount'])}, {p['programme_code']}) : {notes[0]}"
        for p, notes in corrected[:3]
    ] + ([f"… et {len(corrected) - 3} autres paiements corrigés (voir le classeur)"]
         if len(corrected) > 3 else [])  # fmt: skip


def funding_slide(data: QuarterData) -> Slide:
    """Every funder's euros at the quarter's end: the financing plans by kind of funder
    (and by nature of credits in the lines), and the share under multi-year conventions
    against its target; what is not said stays « non renseigné »."""
    rows = data.funding.get("funder_category", [])

    table = [[r["name"], fmt.TAX_BASIS_LABELS[r["tax_basis"]], fmt.money(r["granted"]),
              fmt.money(r["committed"]), fmt.money(r["paid"]), str(r["in_kind_lines"])]
             for r in rows[:SLIDE_ROWS]]  # fmt: skip
    lines = [
        f"Nature des crédits — {r['name']} ({fmt.TAX_BASIS_LABELS[r['tax_basis']]}) : "
        f"{fmt.money(r['granted'])}"
        for r in data.funding.get("nature", []) if r["granted"] is not None
    ][:4]  # fmt: skip
    lines += [
        f"Exercice {s.fiscal_year} ({fmt.TAX_BASIS_LABELS[s.tax_basis]}), part sous convention "
        f"pluriannuelle : {s.verdict}"
        for s in data.shares[-2:]
    ]
    return Slide(
        "funding",
        "Plans de financement",
        lines or ["Aucune ligne budgétaire en vigueur à cette date : financements non renseignés."],
        table=(["Catégorie de financeur", "Base", "Accordé", "Engagé", "Versé",
                "Apports en nature"], table) if table else None,
        notes=[
            f"Lignes budgétaires en vigueur au {fmt.date_fr(data.end)}, lues par catégorie de "
            "financeur et par nature des crédits (crédits spécifiques de la politique de la "
            "ville ou droit commun) ; HT et TTC jamais additionnés ; la part sous convention "
            f"pluriannuelle est lue contre l'objectif de {fmt.MULTI_YEAR_TARGET} % de la "
            "circulaire « Quartiers 2030 », sur la part connue."
        ],
    )  # fmt: skip
