"""The UI's access to the tracker: one Database per server process, and reads
cached on (what, parameters, data version): a write made in one session shows in
every other session on its next rerun, and nothing is recomputed otherwise."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.ingest.seed import initialize
from dashboard.tracker import backup
from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker import evaluation as evaluation_module
from dashboard.tracker import history as history_module
from dashboard.tracker import judgements as judgements_module
from dashboard.tracker import origins as origins_module
from dashboard.tracker import overview as overview_module
from dashboard.tracker import pack as pack_module
from dashboard.tracker.db import Database, resolve_path


@st.cache_resource(show_spinner=False)
def database() -> Database:
    backup.clean_leftovers(resolve_path())  # a restore killed midway leaves nothing behind
    db = Database(resolve_path())
    initialize(db)
    return db


def version() -> tuple:
    return database().data_version()


@st.cache_data(show_spinner=False, max_entries=512)
def _call(what: str, data_version: tuple, params: tuple):
    db, kwargs = database(), dict(params)
    if what.startswith("frame:"):
        return db.frame(what[6:], **kwargs)
    if what.startswith("records:"):
        return db.records(what[8:], **kwargs)
    if what == "alerts":  # reuses the cached summaries of every programme at that date
        code = kwargs.get("programme_code")
        rows = [s for s in summaries(kwargs["as_of"]) if code is None or s["code"] == code]
        return overview_module.alerts(db, programme_summaries=rows, **kwargs)
    return _COMPOSED[what](db, **kwargs)


_COMPOSED = {
    "deadlines": deadlines_module.deadlines,
    "completeness": completeness_module.completeness,
    "summaries": overview_module.summaries,
    "alerts": overview_module.alerts,
    "timeline": overview_module.timeline,
    "item_timeline": history_module.item_timeline,
    "budget_line_history": history_module.budget_line_history,
    "origin": origins_module.described,
    "corrections": history_module.corrections,
    "changes_between": history_module.changes_between,
    "pack": pack_module.build,
    "answers": judgements_module.answers,
    "series": evaluation_module.series,
    "evaluation_figures": lambda db, scope=None, **kw: evaluation_module.figures(
        db, scope=set(scope) if scope is not None else None, **kw
    ),
}


def _cached(what: str, **params):
    return _call(what, version(), tuple(sorted(params.items())))


def frame(name: str, **params) -> pd.DataFrame:
    """A named read as a DataFrame (charts and tables)."""
    return _cached(f"frame:{name}", **params)


def records(name: str, **params) -> list[dict]:
    """A named read as dicts with exact Decimal amounts (figures shown as text)."""
    return _cached(f"records:{name}", **params)


def deadlines(programme_code: str | None = None, as_of: dt.date | None = None) -> list[dict]:
    return _cached("deadlines", programme_code=programme_code, as_of=as_of or dt.date.today())


def completeness(programme_code: str | None = None) -> list[dict]:
    return _cached("completeness", programme_code=programme_code)


def summaries(as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    return _cached("summaries", as_of=as_of, programme_code=programme_code)


def alerts(as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    return _cached("alerts", as_of=as_of, programme_code=programme_code)


def timeline(programme_code: str, as_of: dt.date | None = None) -> list[dict]:
    return _cached("timeline", programme_code=programme_code, as_of=as_of)


def programmes(as_of: dt.date | None = None) -> list[dict]:
    """The programmes present at a date (today by default): started, not archived."""
    return records("programmes", as_of=as_of or dt.date.today(), programme_code=None)


def corrections(entity: str | None = None, any_record: bool = False) -> dict:
    """Corrections of sourced values (``any_record``: of every value, a payment's too), by
    (entity, id): shown beside the value."""
    return _cached("corrections", entity=entity, any_record=any_record)


def origin(entity: str, entity_id: int) -> str:
    """« existe depuis le … (…) » of one record."""
    return _cached("origin", entity=entity, entity_id=entity_id)


def item_timeline(item_kind: str, item_id: int) -> list[dict]:
    return _cached("item_timeline", item_kind=item_kind, item_id=item_id)


def budget_line_history(budget_line_id: int) -> list[dict]:
    return _cached("budget_line_history", budget_line_id=budget_line_id)


def changes_between(
    since: dt.date, until: dt.date, programme_code: str | None = None
) -> list[dict]:
    return _cached("changes_between", since=since, until=until, programme_code=programme_code)


def pack(quarter: tuple[int, int], programme_code: str | None,
         public: bool = False) -> pack_module.Pack:  # fmt: skip
    """The quarterly pack's content, rebuilt only when the data change; ``public``: the
    version marked for publication (small counts hidden)."""
    return _cached("pack", quarter=quarter, programme_code=programme_code, public=public)


def series(indicator_id: int, territory_id: int | None, as_of: dt.date) -> list[dict]:
    """An indicator's values in a territory (and within it), as known at ``as_of``."""
    return _cached("series", indicator_id=indicator_id, territory_id=territory_id, as_of=as_of)


def answers(programme_code: str | None, as_of: dt.date) -> judgements_module.Answers:
    """The argued answers known at ``as_of`` (versions, judged criteria, evidence),
    read again only when the data change."""
    return _cached("answers", programme_code=programme_code, as_of=as_of)


def cached_call(what: str, **params):
    """A composed read (see ``_COMPOSED``), cached like the named reads."""
    return _cached(what, **params)
