"""The key figures of one programme as of a date — the overview's tiles and the pack's
row of figures read them from here: money per tax basis as computed in SQL (never added
across bases), coverage before percentages, unknown said as such (never 0)."""

from __future__ import annotations

from dashboard.tracker import fmt
from dashboard.tracker.overview import progress_coverage

NO_PAYMENT = "aucun paiement enregistré : inconnu, pas nul"


def basis_note(rows: list[dict]) -> str:
    bases = sorted(r["tax_basis"] for r in rows if r["lines"])
    if not bases:
        return "aucune ligne budgétaire en vigueur"
    note = (
        "bases distinctes, jamais additionnées"
        if len(bases) > 1
        else {
            "HT": "hors taxes (HT)",
            "TTC": "toutes taxes comprises (TTC)",
            "unspecified": "base HT/TTC non précisée par l'acte",
        }[bases[0]]
    )
    if any(r["start_estimated"] for r in rows):
        note += " ; date de prise d'effet inconnue : compté au 1er janvier de l'exercice"
    return note


def _money_tile(label: str, rows: list[dict], column: str) -> tuple[str, str, str | None]:
    paid_any = any(r["payments"] for r in rows)
    if not paid_any:
        return label, fmt.UNKNOWN, NO_PAYMENT
    partial = [r for r in rows if r["lines"] and r["lines_with_payments"] < r["lines"]]
    note = (
        f"paiements connus sur {sum(r['lines_with_payments'] for r in rows)} ligne(s) sur "
        f"{sum(r['lines'] for r in rows)}"
        if partial
        else None
    )
    return label, fmt.money_by_basis([r for r in rows if r["lines"]], column), note


def _phases(summary: dict) -> tuple[str, str, str]:
    note = "livrées ou validées"
    if summary["phases_unknown"]:
        note += f" ; {summary['phases_unknown']} au statut non renseigné"
    return "Phases livrées", phases_delivered(summary), note


def phases_delivered(summary: dict) -> str:
    """« 2 / 3 »: the phases delivered or validated, of all."""
    return f"{summary['phases_delivered']} / {summary['phases_total']}"


def tiles(summary: dict) -> list[tuple[str, str, str | None]]:
    """The tiles of one programme: (label, value, note)."""
    rows = summary["money"]
    financial = [r for r in rows if r["lines"]]
    rate = financial[0]["consumption_rate"] if len(financial) == 1 else None
    deadline = summary["next_deadline"]
    meeting, last = summary["next_meeting_on"], summary["last_meeting_on"]
    paid_any = any(r["payments"] for r in rows)
    items = [
        ("Alloué", fmt.money_by_basis(financial, "allocated"), basis_note(rows)),
        _money_tile("Engagé", rows, "committed"),
        _money_tile("Mandaté", rows, "ordered"),
        _money_tile("Versé", rows, "paid"),
        (
            "Taux de consommation",
            fmt.percent(rate, 1) if paid_any and rate is not None else fmt.UNKNOWN,
            "versé ÷ alloué"
            if len(financial) <= 1
            else "bases différentes : voir la page Budget, par base",
        ),
        _phases(summary),
        (
            "Avancement connu",
            f"{summary['progress_known']} / {summary['items_total']}",
            progress_coverage(summary),
        ),
        (
            "Statuts non renseignés",
            f"{summary['status_unknown']} / {summary['items_total']}",
            "éléments sans aucun statut enregistré",
        ),
        (
            "Prochaine échéance",
            fmt.date_fr(deadline["date"]) if deadline else "aucune",
            f"{deadline['kind_label']} ({deadline['rule']})"
            if deadline
            else "aucune échéance datée à venir",
        ),
        (
            "Prochaine réunion",
            fmt.date_fr(meeting) if meeting else "aucune prévue",
            f"dernière : {fmt.date_fr(last)}" if last else "aucune réunion enregistrée",
        ),
    ]
    return items
