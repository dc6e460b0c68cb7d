"""The UI's access to the tracker: one Database per server process, and reads
cached on (query, parameters, data version): a write made in one session shows in
every other session on its next rerun, and nothing is recomputed otherwise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.ingest.seed import initialize
from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker.db import Database, resolve_path


@st.cache_resource(show_spinner=False)
def database() -> Database:
    db = Database(resolve_path())
    initialize(db)
    return db


def version() -> tuple:
    return database().data_version()


@st.cache_data(show_spinner=False, max_entries=256)
def _frame(name: str, data_version: tuple, params: tuple) -> pd.DataFrame:
    return database().frame(name, **dict(params))


@st.cache_data(show_spinner=False, max_entries=256)
def _records(name: str, data_version: tuple, params: tuple) -> list[dict]:
    return database().records(name, **dict(params))


def frame(name: str, **params) -> pd.DataFrame:
    """A named read as a DataFrame (charts and tables)."""
    return _frame(name, version(), tuple(sorted(params.items())))


def records(name: str, **params) -> list[dict]:
    """A named read as dicts with exact Decimal amounts (figures shown as text)."""
    return _records(name, version(), tuple(sorted(params.items())))


@st.cache_data(show_spinner=False)
def _deadlines(data_version: tuple) -> list[dict]:
    return deadlines_module.deadlines(database())


@st.cache_data(show_spinner=False)
def _completeness(data_version: tuple) -> list[dict]:
    return completeness_module.completeness(database())


def deadlines() -> list[dict]:
    return _deadlines(version())


def completeness() -> list[dict]:
    return _completeness(version())
