"""What every page shows: the tracker's name, the page title and the data's as-of time;
and the programme picker shared by the pages."""

from __future__ import annotations

import datetime as dt

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
    stamp = fmt.datetime_fr(as_of) if as_of else fmt.UNKNOWN
    st.caption(f"**{APP_NAME}** · données au {stamp}")
    if intro:
        st.markdown(intro)


def as_of_picker(container, help_text: str) -> dt.date:
    """The « État au » date (today by default, never in the future) and, for a past
    date, a notice that the page is rebuilt from the history."""
    today = dt.date.today()
    as_of = container.date_input(
        "État au",
        value=today,
        min_value=fmt.EARLIEST_DATE,
        max_value=today,
        format="DD/MM/YYYY",
        help=help_text,
    )
    if as_of != today:
        st.info(
            f"Vue reconstituée au {fmt.date_fr(as_of)} à partir de l'historique.",
            icon=":material/history:",
        )
    return as_of


ALL_PROGRAMMES_UP_TO = 6


def _choices(programmes: list[dict]) -> tuple[list[str], dict[str, str]]:
    """The programmes' codes and the titles shown for them (made once per change of the
    data: a national base lists 502)."""
    return ([p["code"] for p in programmes],
            {p["code"]: f"{p['title']} ({p['code']})" for p in programmes})  # fmt: skip


def programme_picker(
    label: str = "Programme",
    *,
    key: str = "programme",
    allow_all: bool = False,
    param: str = "programme",
) -> str | None:
    """A programme chosen from a selectbox, kept in the URL (``?programme=CODE``).
    "Tous les programmes" is offered while there are few of them: a national
    database would otherwise draw thousands of bars and rows."""
    codes, titles = data.derived(data.programmes(kept=True), _choices)
    if not codes:
        return None
    options = ([None] if allow_all and len(codes) <= ALL_PROGRAMMES_UP_TO else []) + codes
    wanted = st.query_params.get(param)
    index = options.index(wanted) if wanted in options else 0
    chosen = st.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=lambda c: "Tous les programmes" if c is None else titles[c],
    )
    if chosen is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = chosen
    return chosen
