"""The map of an indicator on the Évaluation page: its values of the latest period per
QPV (2024 or 2015 generation, or both side by side) or per commune, drawn from the
contours the administrator uploaded — no tile server, no network — each map with its
text alternative and its table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.tracker import contours, fmt, periods
from dashboard.ui import charts, data
from dashboard.ui.widgets import data_table, escape_markdown

LAYERS = {"QPV 2024": ("qpv", 2024), "QPV 2015": ("qpv", 2015), "Communes": ("commune", None)}
COMPARE = "Comparer QPV 2015 et 2024"


def _contours(kind: str, generation: int | None) -> list[dict]:
    return contours.parse(data.records("territory_contours", kind=kind, generation=generation))


def indicator_map(programme: str, as_of: dt.date, indicator: dict) -> None:
    st.markdown("**Carte**")
    layers = {name: _contours(*key) for name, key in LAYERS.items()}
    available = [name for name, rows in layers.items() if rows]
    if not available:
        st.info(
            "Aucun contour de territoire n'est chargé : l'administrateur charge les contours "
            "officiels (GeoJSON des QPV 2015 ou 2024 publié par l'ANCT, contours des communes) "
            "sur la page Territoires. Les valeurs restent dans le tableau ci-dessus."
        )
        return
    if {"QPV 2024", "QPV 2015"} <= set(available):
        available.append(COMPARE)
    choice = st.radio("Carte", available, horizontal=True, key="evaluation-map-layer",
                      label_visibility="collapsed")  # fmt: skip
    values = [v for v in data.records("indicator_values_known", programme_code=programme,
                                      as_of=as_of) if v["indicator_id"] == indicator["id"]]  # fmt: skip
    shown = ["QPV 2015", "QPV 2024"] if choice == COMPARE else [choice]
    columns = st.columns(len(shown))
    for column, name in zip(columns, shown, strict=True):
        with column:
            _one_map(name, layers[name], values, indicator)


def _one_map(name: str, rows: list[dict], values: list[dict], indicator: dict) -> None:
    ids = {r["territory_id"] for r in rows}
    here = [v for v in values if v["territory_id"] in ids]
    if not here:
        st.caption(f"{name} : aucune valeur de cet indicateur pour ces territoires.")
        return
    latest = max(v["period_start"] for v in here)
    by_territory = {v["territory_id"]: v["value"] for v in here if v["period_start"] == latest}
    drawn = contours.areas(rows, by_territory)
    title = (f"{indicator['name']} — {name}, "
             f"{periods.label(indicator['periodicity'], latest)}")  # fmt: skip
    figure = charts.territory_map(drawn, title, indicator["unit"], contours.aspect(rows))
    st.markdown(f"**{escape_markdown(title)}**")
    st.plotly_chart(
        figure.untitled(margin_top=10), width="stretch", config=charts.CONFIG, key=f"map-{name}"
    )
    # its text alternative, said as every chart's (« En bref : »), then its contours' source
    st.markdown(escape_markdown("En bref : " + contours.describe(drawn, title, indicator["unit"])))
    st.caption(escape_markdown(f"Contours : {rows[0]['source_document']}, {rows[0]['vintage']}."))
    with st.expander("Données de la carte (tableau)"):
        data_table(pd.DataFrame([{
            "Territoire": a.label,
            "Valeur": a.value,
        } for a in drawn]), hide_index=True, placeholder=fmt.UNKNOWN, width="stretch")  # fmt: skip
