"""The decisions of the quarter and what changed since the previous one."""

from __future__ import annotations

from dashboard.tracker import fmt, overview
from dashboard.tracker.citation import cite_row
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import SLIDE_ROWS, STATUS_LOG, Slide


def decisions_slide(data: QuarterData) -> Slide:
    decisions = data.decisions
    lines = [
        f"{fmt.date_fr(d['held_on'])} · {d['committee_name']} · "
        f"{fmt.DECISION_KIND_LABELS[d['kind']]} : {d['text']}"
        for d in decisions[:SLIDE_ROWS]
    ]
    if len(decisions) > SLIDE_ROWS:
        lines.append(f"… et {len(decisions) - SLIDE_ROWS} autres (voir le classeur)")
    return Slide(
        "decisions",
        f"Décisions du trimestre ({data.label})",
        lines or ["Aucune décision ce trimestre."],
        notes=[
            f"Décision du {fmt.date_fr(d['held_on'])} : {cite_row(d)}"
            for d in decisions[:SLIDE_ROWS]
        ]
        or [
            f"Relevé des décisions : aucune séance tenue du {fmt.date_fr(data.start)} au "
            f"{fmt.date_fr(data.end)}."
        ],
    )


def changes_slide(data: QuarterData) -> Slide:
    lines = []
    for s in data.summaries[:SLIDE_ROWS]:
        before = data.previous.get(s["code"])
        if before is None:
            lines.append(f"{s['code']} : programme en vigueur depuis ce trimestre")
            continue
        deltas = []
        if (before["progress_known"], before["weighted_progress"]) != (
            s["progress_known"],
            s["weighted_progress"],
        ):
            deltas.append(f"{overview.progress_coverage(before)} → {overview.progress_coverage(s)}")
        if before["phases_delivered"] != s["phases_delivered"]:
            deltas.append(f"phases livrées {before['phases_delivered']} → {s['phases_delivered']}")
        if deltas:
            lines.append(f"{s['code']} : " + " ; ".join(deltas))
    lines += [f"{fmt.date_fr(c['occurred_on'])} · {c['what']}" for c in data.changes[:SLIDE_ROWS]]
    if len(data.changes) > SLIDE_ROWS:
        lines.append(f"… et {len(data.changes) - SLIDE_ROWS} autres changements (voir le classeur)")
    return Slide(
        "changes",
        f"Ce qui a changé depuis {data.prev_label}",
        lines or [f"Aucun changement enregistré depuis la fin du {data.prev_label}."],
        notes=[
            f"Comparaison des chiffres au {fmt.date_fr(data.prev_end)} et au "
            f"{fmt.date_fr(data.end)} ; changements de statut ({STATUS_LOG}), décisions et "
            f"paiements datés du {fmt.date_fr(data.start)} au {fmt.date_fr(data.end)}."
        ],
    )
