"""What every page shows: the tracker's name, the page title and the data's as-of time."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import fmt
from dashboard.ui import data

APP_NAME = "cdv-tracker"
APP_TAGLINE = (
    "Suivi des programmes d'évaluation des contrats de ville — Métropole Aix-Marseille-Provence"
)


def page_header(title: str, intro: str | None = None) -> None:
    st.title(title)
    as_of = data.records("data_as_of")[0]["data_as_of"]
    stamp = fmt.datetime_fr(as_of) + " (UTC)" if as_of else fmt.UNKNOWN
    st.caption(f"**{APP_NAME}** · données au {stamp}")
    if intro:
        st.markdown(intro)


def source_caption(document: str | None, article: str | None) -> str:
    if not document:
        return "Source : " + fmt.UNKNOWN
    return f"Source : {document}, {article}"
