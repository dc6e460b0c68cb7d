"""The UI's access to the tracker: one Database per server process, and reads
cached on (what, parameters, the versions of what they read): a write made in one
session shows in every other session on its next rerun, and only the reads of what it
changed are recomputed (``dashboard/tracker/versions.py``): a status changed in one
programme leaves the other programmes' reads warm, and the reads that never read a
status warm too; the overview's summaries of every programme recompute only the
programmes that changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.tracker import backup
from dashboard.tracker import completeness as completeness_module
from dashboard.tracker import deadlines as deadlines_module
from dashboard.tracker import evaluation as evaluation_module
from dashboard.tracker import history as history_module
from dashboard.tracker import judgements as judgements_module
from dashboard.tracker import origins as origins_module
from dashboard.tracker import overview as overview_module
from dashboard.tracker import pack as pack_module
from dashboard.tracker.db import Database, open_target, resolve_target


@st.cache_resource(show_spinner=False)
def database() -> Database:
    """The server's database: its DuckDB file, or the PostgreSQL store several servers
    share (``CDV_DB=postgresql://…``)."""
    target = resolve_target()
    if not isinstance(target, str):
        backup.clean_leftovers(target)  # a restore killed midway leaves nothing behind
    db = open_target(target)
    db.keep_reads()  # named reads kept in memory until what they read changes
    return db


def catch_up() -> None:
    """Once per page run: what other servers on the same PostgreSQL store wrote since
    this one last looked moves the versions (nothing to do on a DuckDB file, which one
    process holds)."""
    database().catch_up()


def version(programme_code: str | None = None) -> tuple:
    """What a composed read is keyed on besides its parameters: the counters of the
    programme it reads (of every programme when None)."""
    return database().versions.key(programme_code)


@st.cache_data(show_spinner=False, max_entries=512)
def _call(what: str, data_version: tuple, params: tuple):
    db, kwargs = database(), dict(params)
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


def _cached(what: str, *, keyed_on: str | None = None, **params):
    """``what`` with ``params``, kept under the counters of the programme it reads (its
    ``programme_code``, or ``keyed_on`` when it names it otherwise; of every one: None)."""
    code = keyed_on or params.get("programme_code")
    return _call(what, version(code), tuple(sorted(params.items())))


def frame(name: str, **params) -> pd.DataFrame:
    """A named read as a DataFrame (charts and tables), kept by the database's read
    cache (a copy handed out, nothing to decode)."""
    return database().frame(name, **params)


def kept_frame(name: str, **params) -> pd.DataFrame:
    """A named read as a DataFrame as the read cache keeps it (the same object until what
    it reads changes): only for ``derived``, never to be changed."""
    return database().kept_frame(name, **params)


def kept_records(name: str, **params) -> list[dict]:
    """A named read's rows as the read cache keeps them (the same object until what they
    read changes): only for ``derived``, never to be changed."""
    return database().kept_records(name, **params)


def records(name: str, **params) -> list[dict]:
    """A named read as dicts with exact Decimal amounts (figures shown as text), kept by
    the database's read cache."""
    return database().records(name, **params)


def deadlines(programme_code: str | None = None, as_of: dt.date | None = None) -> list[dict]:
    return _cached("deadlines", programme_code=programme_code, as_of=as_of or dt.date.today())


def completeness(programme_code: str | None = None) -> list[dict]:
    return _cached("completeness", programme_code=programme_code)


def summaries(as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    """One dict per programme present at ``as_of`` (or that one). Shared by every
    session, never to be changed in place."""
    if programme_code is not None:
        return _cached("summaries", as_of=as_of, programme_code=programme_code)
    return _every_summary(as_of)


#: past this many programmes changed, the summaries of all are read again at once
SPLICE_LIMIT = 16


@dataclass(frozen=True)
class _Held:
    """Every programme's summary at one date, as of the counters it was read at."""

    shared: int
    programmes: dict
    rows: list


@st.cache_resource(show_spinner=False, max_entries=64)
def _summaries_at(as_of: dt.date) -> dict:
    return {"held": None}


def _every_summary(as_of: dt.date) -> list[dict]:
    """Every programme's summary at ``as_of``: kept in memory (not copied per view),
    and after a write only the programmes it changed are read again (each alone)."""
    versions, slot = database().versions, _summaries_at(as_of)
    with versions.lock:
        shared, counters = versions.shared, dict(versions.by_programme)
    held = slot["held"]
    if held is not None and held.shared == shared:
        moved = [c for c, n in counters.items() if held.programmes.get(c, (0, 0)) != n]
        if not moved:
            return held.rows
        spliced = _splice(held.rows, moved, as_of) if len(moved) <= SPLICE_LIMIT else None
        if spliced is not None:
            slot["held"] = _Held(shared, counters, spliced)
            return spliced
    rows = overview_module.summaries(database(), as_of)
    slot["held"] = _Held(shared, counters, rows)
    return rows


def _splice(rows: list[dict], moved: list[str], as_of: dt.date) -> list[dict] | None:
    """``rows`` with the summaries of ``moved`` read again; None when a programme
    appeared or left (then everything is read again)."""
    index = {row["code"]: i for i, row in enumerate(rows)}
    result = list(rows)
    for code in moved:
        fresh = summaries(as_of, code)
        if (code in index) != bool(fresh):
            return None
        if fresh:
            result[index[code]] = fresh[0]
    return result


def alerts(as_of: dt.date, programme_code: str | None = None) -> list[dict]:
    return _cached("alerts", as_of=as_of, programme_code=programme_code)


def timeline(programme_code: str, as_of: dt.date | None = None) -> list[dict]:
    return _cached("timeline", programme_code=programme_code, as_of=as_of)


def programmes(as_of: dt.date | None = None, *, kept: bool = False) -> list[dict]:
    """The programmes present at a date (today by default): started, not archived
    (``kept``: the rows as the read cache keeps them, for ``derived``)."""
    read = kept_records if kept else records
    return read("programmes", as_of=as_of or dt.date.today(), programme_code=None)


def corrections(entity: str | None = None, any_record: bool = False) -> dict:
    """Corrections of sourced values (``any_record``: of every value, a payment's too), by
    (entity, id): shown beside the value."""
    return _cached("corrections", entity=entity, any_record=any_record)


def origin(entity: str, entity_id: int) -> str:
    """« existe depuis le … (…) » of one record."""
    return _cached("origin", entity=entity, entity_id=entity_id)


def item_timeline(item_kind: str, item_id: int, programme_code: str | None = None) -> list[dict]:
    """One item's history; keyed on its programme's counters when ``programme_code`` (its
    programme) is given: a change in another programme leaves it warm."""
    return _cached("item_timeline", keyed_on=programme_code, item_kind=item_kind,
                   item_id=item_id)  # fmt: skip


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


_DERIVED_MAX = 32


@st.cache_resource(show_spinner=False)
def _derived_store() -> dict:
    return {}


def derived(source: object, build: Callable[[object], object]) -> object:
    """``build(source)`` once for each result ``source`` held by the cache (replaced, not
    changed, when its data change): the overview's table of 502 programmes is built
    and its cells formatted once per change of the data, not at every view. Never to
    be changed in place."""
    store, key = _derived_store(), (id(source), build.__module__, build.__qualname__)
    held = store.get(key)
    if held is not None and held[0] is source:
        return held[1]
    value = build(source)
    _drop_oldest(store, _DERIVED_MAX - 1)
    store[key] = (source, value)  # the source held: its id is not reused meanwhile
    return value


def _drop_oldest(store: dict, keep: int) -> None:
    """The oldest entries of ``store`` dropped until ``keep`` remain (another session may
    add one meanwhile: then look again)."""
    while len(store) > keep:
        try:
            store.pop(next(iter(store)), None)
        except (RuntimeError, StopIteration):  # changed while looked at, or emptied
            continue


#: rows whose built value is kept (``derived_each``), of every build together
_EACH_MAX = 8192


@st.cache_resource(show_spinner=False)
def _each_store() -> dict:
    return {}


def derived_each(rows: list, build: Callable[[object], object]) -> list:
    """``[build(row) for row in rows]``, each built once per row object held by the cache
    (rows are replaced, never changed, when their data change): after a change in one
    programme, the overview formats the cells of its one new summary, not of all 502.
    Never to be changed in place."""
    store, name = _each_store(), (build.__module__, build.__qualname__)
    built = []
    for row in rows:
        key = (name, id(row))
        held = store.get(key)
        if held is None or held[0] is not row:
            held = store[key] = (row, build(row))  # the row held: its id is not reused
        built.append(held[1])
    _drop_oldest(store, _EACH_MAX)
    return built


def cached_call(what: str, **params):
    """A composed read (see ``_COMPOSED``), cached like the named reads."""
    return _cached(what, **params)
