"""What follows: deadlines, alerts, completeness gaps, the sources of the figures."""

from __future__ import annotations

import datetime as dt

from dashboard.tracker import fmt
from dashboard.tracker.citation import Source, cite, cite_row
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import SLIDE_ROWS, STATUS_LOG, Slide


def deadlines_slide(data: QuarterData) -> Slide:
    coming = [
        d for d in data.deadlines if d["date"] is not None and data.end < d["date"] <= data.horizon
    ]
    return Slide(
        "deadlines",
        "Échéances des deux trimestres suivants",
        [f"{fmt.date_fr(d['date'])} · {d['label']} ({d['rule']})" for d in coming[:SLIDE_ROWS]]
        or [
            f"Aucune échéance datée entre le {fmt.date_fr(data.end + dt.timedelta(days=1))} "
            f"et le {fmt.date_fr(data.horizon)}."
        ],
        notes=[
            f"{fmt.date_fr(d['date'])} : {cite_row(d)}"
            for d in coming[:SLIDE_ROWS]
            if d.get("source")
        ]
        or ["Échéances calculées à partir des clauses des actes en vigueur (termes, délais)."],
    )


def alerts_slide(data: QuarterData) -> Slide:
    late = [a for a in data.alerts if a["level"] in ("error", "warning")]
    return Slide(
        "alerts",
        "Éléments bloqués ou en retard",
        [a["text"] for a in late[:SLIDE_ROWS]]
        or [f"Aucun élément bloqué ni en retard au {fmt.date_fr(data.end)}."],
        notes=[
            f"Statuts au {fmt.date_fr(data.end)} ({STATUS_LOG}), dates de fin prévues des "
            "éléments et termes des actes en vigueur."
        ],
    )


def completeness_slide(data: QuarterData) -> Slide:
    gaps = data.gaps
    return Slide(
        "completeness",
        "Ce que le dossier ne dit pas encore",
        [f"{g['item']} — {g['reason']}" for g in gaps[:8]]
        + ([f"… et {len(gaps) - 8} autres (voir le classeur)"] if len(gaps) > 8 else [])
        or ["Aucun manque relevé dans le dossier."],
        notes=["Relevé automatique des informations absentes des actes et de la base."],
    )


def sources_slide(data: QuarterData) -> Slide:
    documents = sorted(
        {(a["source_document"], a["source_article"]) for a in data.acts if a["source_document"]}
    )
    return Slide(
        "sources",
        "Sources",
        [f"{a['title']} ({fmt.ACT_KIND_LABELS[a['kind']]})" for a in data.acts[:SLIDE_ROWS]]
        + [
            f"Journal des statuts et des paiements de cdv-tracker, arrêté au {fmt.date_fr(data.end)}",
        ],
        notes=[cite(Source(d, a)) for d, a in documents][:SLIDE_ROWS]
        + [
            f"{fmt.shorten(a['title'], 60)} — parties et représentants : "
            f"{a['representatives'] or fmt.UNKNOWN} ; signataires : {a['signatories'] or fmt.UNKNOWN}"
            for a in data.acts[:SLIDE_ROWS]
        ],
    )
