"""The KPI tiles of one programme (overview page and presentation)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from dashboard.tracker import fmt
from dashboard.ui import data
from dashboard.ui.widgets import html, tiles_html


def basis_totals(programme_code: str, as_of: dt.date) -> dict[str, dict[str, Decimal]]:
    """Allocated / committed / ordered / paid per tax basis: totals never mix bases."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in data.records("budget_by_year", as_of=as_of, programme_code=programme_code):
        if row["programme_code"] == programme_code:
            for stage in ("allocated", "committed", "ordered", "paid"):
                totals[row["tax_basis"]][stage] += row[stage]
    return totals


def money_text(totals: dict[str, dict[str, Decimal]], stage: str) -> str:
    parts = [
        f"{fmt.money(values[stage])} {fmt.TAX_BASIS_LABELS[basis]}"
        if basis != "unspecified"
        else fmt.money(values[stage])
        for basis, values in sorted(totals.items())
    ]
    return " + ".join(parts) if parts else fmt.UNKNOWN


def basis_note(totals: dict) -> str:
    bases = sorted(totals)
    if not bases:
        return "aucune ligne budgétaire"
    if len(bases) > 1:
        return "bases HT et TTC distinctes, non additionnées"
    return {
        "HT": "hors taxes (HT)",
        "TTC": "toutes taxes comprises (TTC)",
        "unspecified": "base HT/TTC non précisée par l'acte",
    }[bases[0]]


def tiles(summary: dict, as_of: dt.date) -> None:
    totals = basis_totals(summary["code"], as_of)
    paid_any = summary["payments"] > 0
    unknown_money = "aucun paiement enregistré"
    rate = summary["consumption_rate"]
    progress = summary["weighted_progress"]
    deadline = summary["next_deadline"]
    meeting, last = summary["next_meeting_on"], summary["last_meeting_on"]
    items = [
        ("Alloué", money_text(totals, "allocated"), basis_note(totals)),
        (
            "Engagé",
            money_text(totals, "committed") if paid_any else fmt.UNKNOWN,
            None if paid_any else unknown_money,
        ),
        (
            "Mandaté",
            money_text(totals, "ordered") if paid_any else fmt.UNKNOWN,
            None if paid_any else unknown_money,
        ),
        (
            "Versé",
            money_text(totals, "paid") if paid_any else fmt.UNKNOWN,
            None if paid_any else unknown_money,
        ),
        (
            "Taux de consommation",
            fmt.percent(rate, 1) if paid_any and rate is not None else fmt.UNKNOWN,
            "versé ÷ alloué" + (" (bases mêlées)" if len(totals) > 1 else ""),
        ),
        (
            "Phases livrées",
            f"{summary['phases_delivered']} / {summary['phases_total']}",
            "livrées ou validées",
        ),
        (
            "Progression pondérée",
            fmt.percent(progress) if progress is not None else fmt.UNKNOWN,
            f"sur {summary['progress_known']} élément(s) renseigné(s) / {summary['items_total']}",
        ),
        (
            "Statuts non renseignés",
            f"{summary['status_unknown']} / {summary['items_total']}",
            "éléments sans aucun statut enregistré",
        ),
        (
            "Prochaine échéance",
            fmt.date_fr(deadline["date"]) if deadline else "aucune",
            deadline["kind_label"] if deadline else "aucune échéance datée à venir",
        ),
        (
            "Prochaine réunion",
            fmt.date_fr(meeting) if meeting else "aucune prévue",
            f"dernière : {fmt.date_fr(last)}" if last else "aucune réunion enregistrée",
        ),
    ]
    html(tiles_html(items))
