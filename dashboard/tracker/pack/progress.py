"""The progress slide: one line per phase when few programmes, else per programme."""

from __future__ import annotations

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.pack.common import item_label
from dashboard.tracker.pack.data import QuarterData
from dashboard.tracker.pack.model import SLIDE_ROWS, STATUS_LOG, Chart, Slide


def progress_slide(data: QuarterData) -> Slide:
    if not data.detailed:
        return _progress_by_programme(data)
    shown = [i for i in data.items if i["item_kind"] in ("phase", "orientation")]
    known = [i for i in shown if i["effective_progress"] is not None]
    several = len(data.codes) > 1
    chart = Chart(
        "Avancement par phase et orientation (%)",
        [f"{i['programme_code']} · {item_label(i)}" if several else item_label(i) for i in known],
        {"Avancement (%)": [float(i["effective_progress"]) for i in known]},
        "percent",
        horizontal=True,
    )
    missing = len(shown) - len(known)
    table_rows = [
        [
            item_label(i),
            fmt.shorten(fmt.capitalize_first(i["title"]), 70),
            fmt.label(fmt.STATUS_LABELS, i["status"]),
            fmt.percent(i["effective_progress"])
            if i["effective_progress"] is not None
            else fmt.UNKNOWN,
        ]
        for i in shown[:SLIDE_ROWS]
    ]
    return Slide(
        "progress",
        "Avancement des phases et orientations",
        [
            f"Avancement connu pour {len(known)} élément(s) sur {len(shown)}"
            + (f" ; {missing} non renseigné(s), absents du graphique." if missing else ".")
        ],
        table=(["Élément", "Intitulé", "Statut", "Avancement"], table_rows) if table_rows else None,
        chart=chart if chart.categories else None,
        notes=[
            f"Statuts et avancements au {fmt.date_fr(data.end)} d'après le {STATUS_LOG} ; "
            "« livré » et « validé » comptent pour 100 %."
        ]
        + sorted({"Intitulés : " + cite_row(i) for i in shown if i["source_document"]}),
    )


def _progress_by_programme(data: QuarterData) -> Slide:
    ranked = sorted(data.summaries, key=lambda s: s["code"])[: SLIDE_ROWS * 2]
    known = [s for s in ranked if s["weighted_progress"] is not None]
    chart = Chart(
        "Progression pondérée par programme (%)",
        [s["code"] for s in known],
        {"Progression (%)": [float(s["weighted_progress"]) for s in known]},
        "percent",
        horizontal=True,
    )
    return Slide(
        "progress",
        "Avancement des phases et orientations",
        [
            f"{len(data.summaries)} programmes : les {len(ranked)} premiers (par code) ; "
            f"avancement connu pour {len(known)} d'entre eux ; le détail par élément est dans "
            "le classeur."
        ],
        chart=chart if chart.categories else None,
        notes=[f"Progression pondérée au {fmt.date_fr(data.end)} d'après le {STATUS_LOG}."],
    )
