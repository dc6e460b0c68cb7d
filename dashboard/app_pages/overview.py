"""Vue d'ensemble: where each programme stands, at a glance."""

import datetime as dt
from collections import Counter

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.tracker import fmt
from dashboard.tracker.citation import cite_row
from dashboard.tracker.overview import progress_coverage
from dashboard.tracker.pack import in_force_rule
from dashboard.ui import charts, data, filters, kpi, recommendation_forms
from dashboard.ui.layout import as_of_picker, page_header, programme_picker
from dashboard.ui.widgets import arrow_table, data_table, escape_markdown, html, tiles_html

MAX_CARDS = 4
MAX_ALERTS = 8

page_header(
    "Vue d'ensemble", "Où en est chaque programme : argent, avancement, échéances, alertes."
)
today = dt.date.today()
top = st.columns([1, 1, 2])
as_of = as_of_picker(
    top[0],
    "Recalcule la page telle qu'elle était à cette date (statuts et paiements).",
)
territory, territory_scope = filters.territory(top[1], key="overview-territory", as_of=as_of)


def evaluation_tiles(code: str) -> None:
    """The evaluation at a glance: questions answered, indicators on track, deliverables
    due and late (those of the chosen territory when there is one)."""
    figures = data.cached_call(
        "evaluation_figures", programme_code=code, as_of=as_of,
        scope=tuple(sorted(territory_scope)) if territory_scope else None,
    )  # fmt: skip
    if not (figures["questions"] or figures["indicators"] or figures["deliverables"]):
        return
    where = f" — livrables de {territory['name']}" if territory else ""
    st.markdown(f"**Évaluation{escape_markdown(where)}**")
    html(tiles_html([
        ("Questions avec réponse", (f"{figures['answered']} sur {figures['questions']}" if figures["questions"] else "aucune"),
         f"{figures['in_progress']} en cours"),
        ("Indicateurs en bonne voie",
         f"{figures['on_track']} sur {figures['judged']}" if figures["judged"] else fmt.UNKNOWN,
         f"sur {figures['indicators']} indicateur(s) ; les autres sans valeur ou sans cible"),
        ("Livrables attendus sous 90 jours", str(figures["due"]),
         f"{figures['validated']} validé(s) sur {figures['deliverables']}"),
        ("Livrables en retard", str(figures["late"]), "date prévue passée, non remis"),
    ]))  # fmt: skip
    st.page_link("app_pages/evaluation.py", label="Voir l'évaluation", icon=":material/query_stats:",
                 query_params={"programme": code, **({"territoire": filters.territory_key(territory)}
                                                     if territory else {})})  # fmt: skip


def open_recommendations(code: str) -> None:
    """The recommendations still open at the date, until they are closed."""
    rows = [r for r in data.records("recommendations", programme_code=code, as_of=as_of)
            if r["open"]]  # fmt: skip
    if not rows:
        return
    late = sum(r["late"] for r in rows)
    st.markdown(f"**Recommandations ouvertes : {len(rows)}**" + (f" (dont {late} en retard)"
                                                                   if late else ""))  # fmt: skip
    recommendation_forms.table(rows)


summaries = data.summaries(as_of)
if not summaries:
    st.info(
        f"Aucun programme en vigueur au {fmt.date_fr(as_of)} : un programme figure à partir de "
        "la prise d'effet de son premier acte."
    )
    st.stop()


def programme_cells(s: dict) -> dict:
    """One programme's line of the table, its cells formatted (once per summary:
    ``data.derived_each``)."""
    return {
        "Programme": s["title"],
        "Code": s["code"],
        "Phases livrées": f"{s['phases_delivered']} / {s['phases_total']}",
        "Avancement": progress_coverage(s),
        "Alloué": fmt.money_by_basis([m for m in s["money"] if m["lines"]], "allocated"),
        "Versé": fmt.money_by_basis([m for m in s["money"] if m["lines"]], "paid")
        if any(m["payments"] for m in s["money"])
        else fmt.UNKNOWN,
        "Bloqués": s["blocked"],
    }


def programmes_table(rows: list[dict]) -> pd.DataFrame:
    """One line per programme (built once per change of the data, as the grid's Arrow
    table: ``programmes_grid``)."""
    return pd.DataFrame(data.derived_each(rows, programme_cells))


def programmes_grid(rows: list[dict]) -> pa.Table:
    return arrow_table(programmes_table(rows))


if len(summaries) > MAX_CARDS:
    table = data.derived(summaries, programmes_grid)
    st.header(f"{len(summaries)} programmes")
    data_table(table, hide_index=True, placeholder=fmt.UNKNOWN, width="stretch", height=280)
    chosen = programme_picker()
    shown = [s for s in summaries if s["code"] == chosen]
else:
    shown = summaries

with st.expander("Comment ces chiffres sont établis"):
    st.markdown(escape_markdown(in_force_rule(as_of)))

start = dt.date(2017, 1, 1)
end = max(dt.date(2023, 12, 31), today + dt.timedelta(days=90))
for summary in shown:
    with st.container(border=True):
        st.header(escape_markdown(summary["title"]), anchor=False)
        period = fmt.period(summary["starts_on"], summary["ends_on"])
        st.caption(
            escape_markdown(
                f"{summary['code']} · {fmt.label(fmt.PROGRAMME_KIND_LABELS, summary['kind'])} · "
                f"période des actes : {period} · "
                f"{cite_row(summary, label=True)}"
            )
        )
        kpi.tiles(summary)
        evaluation_tiles(summary["code"])
        open_recommendations(summary["code"])
        events = data.timeline(summary["code"], as_of)
        if events:
            figure = charts.timeline(
                events,
                today,
                start,
                end,
                f"Chronologie {start.year}–{end.year} : actes, phases, comités, échéances",
            )
            table = pd.DataFrame(
                [
                    {
                        "Date": fmt.date_fr(e["date"]),
                        "Type": e["lane"],
                        "Événement": e["label"],
                        "Source": e["source"],
                    }
                    for e in events
                ]
            )
            lanes = Counter(e["lane"] for e in events)
            said = (
                f"{len(events)} événement(s) du {fmt.date_fr(min(e['date'] for e in events))} au "
                f"{fmt.date_fr(max(e['date'] for e in events))} : "
                + ", ".join(f"{lane.lower()} {n}" for lane, n in lanes.items())
                + "."
            )
            charts.show(figure, table, summary=said, key=f"timeline-{summary['code']}")
        else:
            st.info("Aucun événement daté pour ce programme.")

st.header("Alertes")
scope = shown[0]["code"] if len(summaries) > MAX_CARDS and shown else None
alerts = data.alerts(as_of, scope)
if not alerts:
    st.success("Aucune alerte : rien de bloqué, rien en retard, aucune échéance dans les 90 jours.")
for level, show_alert in (("error", st.error), ("warning", st.warning), ("info", st.info)):
    found = [a for a in alerts if a["level"] == level]
    for alert in found[:MAX_ALERTS]:
        show_alert(escape_markdown(alert["text"]))
    if len(found) > MAX_ALERTS:
        with st.expander(f"… et {len(found) - MAX_ALERTS} autre(s) alerte(s) de ce type"):
            data_table(
                pd.DataFrame({"Alerte": [a["text"] for a in found[MAX_ALERTS:]]}),
                hide_index=True,
                placeholder=fmt.UNKNOWN,
                width="stretch",
            )
