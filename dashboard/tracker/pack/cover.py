"""The cover and the key figures: the quarter, its meeting, the rule of « en vigueur »,
and one row of figures per programme."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from dashboard.tracker import fmt, key_figures, overview, rules
from dashboard.tracker.db import utcnow
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import SLIDE_ROWS, STATUS_LOG, Slide


def quarter_meeting(data: QuarterData) -> dt.date | None:
    """The last committee meeting held this quarter (one held earlier and made known this
    quarter by an act is among the quarter's decisions, not on its cover)."""
    return max((m["held_on"] for m in data.meetings if m["held_on"] >= data.start), default=None)


def title_slide(data: QuarterData) -> Slide:
    names = " ; ".join(p["title"] for p in data.programmes[:4]) + (
        f" et {len(data.programmes) - 4} autres programmes" if len(data.programmes) > 4 else ""
    )
    meeting_on = quarter_meeting(data)
    return Slide(
        "title",
        f"Point trimestriel — {data.label}",
        [
            names or "Aucun programme en vigueur à cette date",
            fmt.quarter_span(data.year, data.quarter),
            f"Réunion du comité : {fmt.date_fr(meeting_on)}"
            if meeting_on
            else "Aucune réunion de comité enregistrée ce trimestre",
            f"Chiffres arrêtés au {fmt.date_fr(data.end)} · généré le "
            f"{fmt.datetime_fr(utcnow())} par cdv-tracker",
        ],
        notes=[in_force_rule(data.end)],
    )


#: the rules of queries/rules/ whose wording says what a figure « au » a date counts
_AS_OF_RULES = (
    "act_start", "acts_in_force", "budget_line_start", "budget_lines_in_force",
    "budget_line_spent_rows", "status_at", "work_item", "meeting_start", "programme_start",
)  # fmt: skip


def in_force_rule(end: dt.date) -> str:
    """The one rule of every figure « au » a date, said on screen and in the pack: the
    current wording of each rule file, never a copy of it."""
    return (
        f"Chiffres arrêtés au {fmt.date_fr(end)}, d'après ce qui existait et était connu ce "
        "jour-là. "
        + " ".join(rules.wording(name) for name in _AS_OF_RULES)
        + " Un montant inconnu est dit « non renseigné », jamais 0 €."
    )


def kpi_slide(data: QuarterData) -> Slide:
    money = defaultdict(list)
    for row in data.money:
        money[row["programme_code"]].append(row)
    shown = data.summaries if data.detailed else data.summaries[:SLIDE_ROWS]
    rows, notes = [], []
    for s in shown:
        before = data.previous.get(s["code"])
        rows.append(
            [
                s["code"],
                _term_text(s, before),
                fmt.money_by_basis(money[s["code"]], "allocated"),
                fmt.money_by_basis(money[s["code"]], "committed"),
                fmt.money_by_basis(money[s["code"]], "paid"),
                _phases_text(s),
                overview.progress_coverage(s),
                overview.progress_coverage(before) if before else "programme absent",
            ]
        )
        notes.append(
            f"{s['code']} : alloué = lignes budgétaires en vigueur au {fmt.date_fr(data.end)} ; "
            "engagé et versé = paiements datés au plus tard ce jour-là (non renseigné si "
            f"aucun n'est enregistré) ; avancement d'après le {STATUS_LOG}."
        )
    unknown = sum(s["status_unknown"] for s in data.summaries)
    lines = [
        f"{overview.in_force_count(data.summaries, data.end)} · "
        f"{sum(s['items_total'] for s in data.summaries)} éléments suivis · "
        f"{sum(s['blocked'] for s in data.summaries)} bloqué(s) · "
        f"{unknown} statut(s) non renseigné(s)"
    ]
    if not data.detailed and len(data.summaries) > SLIDE_ROWS:
        lines.append(f"… et {len(data.summaries) - SLIDE_ROWS} autres programmes dans le classeur")
    header = ["Programme", "Terme des actes", "Alloué", "Engagé", "Versé", "Phases livrées",
              "Avancement", f"Fin {data.prev_label}"]  # fmt: skip
    return Slide(
        "kpis",
        f"Chiffres clés au {fmt.date_fr(data.end)}",
        lines,
        table=(header, rows),
        notes=notes[:SLIDE_ROWS],
    )


def _term_text(summary: dict, before: dict | None) -> str:
    """The term of the programme's acts as in force at the quarter's end, and what it was
    the quarter before when an act (an avenant) moved it."""
    term = fmt.date_fr(summary["ends_on"]) if summary["ends_on"] else fmt.UNKNOWN
    if before is None or before["ends_on"] == summary["ends_on"]:
        return term
    was = fmt.date_fr(before["ends_on"]) if before["ends_on"] else fmt.UNKNOWN
    return f"{term} (au lieu du {was} : modifié ce trimestre)"


def _phases_text(summary: dict) -> str:
    text = key_figures.phases_delivered(summary)
    if summary["phases_unknown"]:
        text += f" ({summary['phases_unknown']} non renseignée(s))"
    return text
