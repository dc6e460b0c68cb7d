"""The tracker's database on PostgreSQL — in progress (issue 29): the same ``Database``
(named reads, transactions, the write services' own SQL), its statements translated once
each by ``pg_sql`` and run through psycopg. Not served yet: ``cdv serve`` still refuses a
``postgresql://`` URL. One connection per object; its transactions take turns behind its
lock, as on a DuckDB file; what a DuckDB cursor takes or answers that psycopg's does not
(the count of an UPDATE, a dict as JSON, ``df()``, positional ``$1``, a list of dicts
read as rows by ``unnest(…, recursive := true)``, a frame ``register``-ed as a table)
the cursor here takes and answers the same way. A named read comes back through DuckDB
itself (``as_duckdb``): the same Python values and the same frame dtypes as on a file."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import threading
from decimal import Decimal

import duckdb
from psycopg import sql as pgsql
from psycopg.types.json import Json

from dashboard.tracker import blobs, pg_sql, store, versions
from dashboard.tracker.db import Database
from dashboard.tracker.queries import bind, parameters, sql

_CONTROL = {"begin transaction": "begin", "commit": "commit", "rollback": "rollback"}
#: a ``%`` that is not one of the translation's ``%(name)s`` placeholders
_LITERAL_PERCENT = re.compile(r"%(?!\([a-z_][a-z0-9_]*\)s)")
#: DuckDB's rows from a list of dicts: ``(select unnest($rows, recursive := true))``
_ROWS = re.compile(r"\(select unnest\(\$([a-z_][a-z0-9_]*), recursive := true\)\)")
_POSITIONAL = re.compile(r"\$(\d+)\b")
_TARGET = re.compile(r"^\s*(?:insert\s+into|update)\s+([a-z_][a-z0-9_]*)", re.I)


@functools.cache
def statement(text: str) -> str:
    """A DuckDB statement of the tracker in PostgreSQL, ``%`` of its literals doubled
    (psycopg reads ``%`` as a placeholder); ``$1`` becomes ``$p1``, a list of dicts read
    as rows the temporary table ``_rows_<name>`` the cursor fills."""
    control = _CONTROL.get(text.strip().rstrip(";").lower())
    if control:
        return control
    text = _POSITIONAL.sub(r"$p\1", text)
    text = _ROWS.sub(lambda m: f"(select * from _rows_{m.group(1)})", text)
    return _escaped(pg_sql.translate(text))


def _escaped(text: str) -> str:
    return _LITERAL_PERCENT.sub("%%", text)


@functools.cache
def read_statement(name: str) -> str:
    return _escaped(pg_sql.read(name))


def _value(value):
    return Json(value) if isinstance(value, dict) else value


def _plain(value):
    """A value of a frame or a dict as psycopg takes it (numpy scalars, NaN and NaT)."""
    kind = type(value).__name__
    if value is None or kind == "NaTType":
        return None
    if kind == "Timestamp":
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _pg_type_of(values) -> str:
    """The PostgreSQL type of a column from its Python values (``text`` when all NULL)."""
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int):
            return "bigint"
        if isinstance(value, float):
            return "double precision"
        if isinstance(value, Decimal):
            return "numeric"
        if isinstance(value, dt.datetime):
            return "timestamp"
        if isinstance(value, dt.date):
            return "date"
        if isinstance(value, dict | list):
            return "jsonb"
        return "text"
    return "text"


class Cursor:
    """A psycopg cursor that takes and answers what the tracker gives a DuckDB one."""

    def __init__(self, database: PostgresDatabase):
        self._database = database
        self._connection = database._connection
        self._cursor = self._connection.cursor()

    def execute(self, text: str, params: dict | list | tuple | None = None) -> Cursor:
        values = _named(params)
        tables = [m.group(1) for m in _ROWS.finditer(text)]
        target = _TARGET.match(text)
        for name in tables:
            rows = values.pop(name)
            self._load(f"_rows_{name}", [{k: _plain(v) for k, v in r.items()} for r in rows],
                       target.group(1) if target else None)  # fmt: skip
        try:
            self._cursor.execute(statement(text), {k: _value(v) for k, v in values.items()})
        finally:
            for name in tables:
                self._connection.execute(f"drop table if exists _rows_{name}")
        return self

    def executemany(self, text: str, rows) -> Cursor:
        self._cursor.executemany(statement(text), [{k: _value(v) for k, v in _named(r).items()}
                                                   for r in rows])  # fmt: skip
        return self

    def read(self, name: str, params: dict) -> Cursor:
        """The named read ``name`` (its parameters cast to their declared types)."""
        self._cursor.execute(read_statement(name), {k: _value(v) for k, v in params.items()})
        return self

    def register(self, name: str, frame) -> None:
        """A frame as the temporary table ``name`` (DuckDB's ``register``)."""
        columns = list(frame.columns)
        rows = [
            {c: _plain(v) for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        self._load(name, rows, None, columns)

    def unregister(self, name: str) -> None:
        self._connection.execute(
            pgsql.SQL("drop table if exists {}").format(pgsql.Identifier(name))
        )

    def _load(self, name: str, rows: list[dict], target: str | None, columns=None) -> None:
        """``rows`` into the new temporary table ``name``; a column's type is that of
        ``target``'s column of the same name, else what its values are."""
        if columns is None:
            columns = list(dict.fromkeys(k for row in rows for k in row))
        known = self._database.column_types(target) if target else {}
        types = {c: known.get(c) or _pg_type_of(row.get(c) for row in rows) for c in columns}
        table = pgsql.Identifier(name)
        self._connection.execute(pgsql.SQL("drop table if exists {}").format(table))
        self._connection.execute(pgsql.SQL("create temporary table {} ({})").format(
            table,
            pgsql.SQL(", ").join(
                pgsql.SQL("{} {}").format(pgsql.Identifier(c), pgsql.SQL(types[c]))
                for c in columns
            ),
        ))  # fmt: skip
        if not rows:
            return
        into = pgsql.SQL("copy {} ({}) from stdin").format(
            table, pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        )
        with self._connection.cursor() as cur, cur.copy(into) as copy:
            for row in rows:
                copy.write_row([_value(row.get(c)) for c in columns])

    def fetchone(self):
        if self._cursor.description is None:  # an INSERT, UPDATE, DELETE: DuckDB's count
            return (self._cursor.rowcount,)
        return self._cursor.fetchone()

    def fetchall(self):
        if self._cursor.description is None:
            return [(self._cursor.rowcount,)]
        return self._cursor.fetchall()

    def fetchmany(self, size: int):
        return self._cursor.fetchmany(size)

    @property
    def description(self):
        return self._cursor.description

    def df(self):
        import pandas as pd

        rows = self.fetchall()
        return pd.DataFrame(rows, columns=[d[0] for d in self._cursor.description])

    def close(self) -> None:
        self._cursor.close()


def _named(params) -> dict:
    """DuckDB's parameters as psycopg's named ones (``$1`` is ``p1``)."""
    if params is None:
        return {}
    if isinstance(params, dict):
        return dict(params)
    return {f"p{number}": value for number, value in enumerate(params, start=1)}


@functools.cache
def read_types(name: str) -> tuple[tuple[str, str], ...]:
    """The columns of the named read ``name`` and the DuckDB type of each, as DuckDB
    describes the read (on an empty migrated base; parameters at their declared types)."""
    text = sql(name)
    typed = pg_sql._typed(pg_sql._code(text), pg_sql.declared_types(text))
    with _empty().cursor() as cur:
        described = cur.execute("describe " + typed, dict.fromkeys(parameters(text))).fetchall()
    return tuple((row[0], row[1]) for row in described)


@functools.cache
def _empty() -> duckdb.DuckDBPyConnection:
    from dashboard.tracker.db import migrate

    database = Database()
    migrate(database)
    return database._con


def as_duckdb(name: str, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """PostgreSQL's rows of the named read ``name`` as a DuckDB result of the read's
    own types (a struct from its JSON, money as DECIMAL, a 128-bit sum)."""
    import pyarrow as pa

    types = read_types(name)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(types)
    arrays = []
    for (column, kind), values in zip(types, columns, strict=True):
        if pg_sql.needs_shape(kind) and "STRUCT(" in kind:
            values = [v if v is None or isinstance(v, str) else _json_text(v) for v in values]
            arrays.append((column, pa.array(values, type=pa.string()), f"cast(json(?) as {kind})"))
        else:
            try:
                array = pa.array(values) if values else pa.nulls(0)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                array = pa.array([None if v is None else str(v) for v in values], type=pa.string())
            arrays.append((column, array, f"cast(? as {kind})"))
    table = pa.table({f"c{i}": array for i, (_, array, _) in enumerate(arrays)})
    selects = ", ".join(
        cast.replace("?", f"c{i}") + f' as "{column}"' for i, (column, _, cast) in enumerate(arrays)
    )
    return _convert(table, selects)


def _json_text(value) -> str:
    """A list PostgreSQL gave for a list of structs (each one JSON text) as one JSON text."""
    import json

    if isinstance(value, list):
        return "[" + ", ".join("null" if v is None else _json_text(v) for v in value) + "]"
    return value if isinstance(value, str) else json.dumps(value, default=str)


@functools.cache
def _converter() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB only for converting rows (a cursor of its own per use)."""
    return duckdb.connect()


def _convert(table, selects: str) -> duckdb.DuckDBPyConnection:
    cur = _converter().cursor()
    cur.register("pg_rows", table)
    return cur.execute(f"select {selects} from pg_rows")


class PostgresDatabase(Database):
    """``Database`` over a PostgreSQL database a ``cdv store copy`` filled."""

    def __init__(self, url: str):
        self.path = None
        self.url = url
        self._connection = store.connect(url)
        self._con = self  # Database asks its connection for cursors
        self._lock = threading.RLock()
        self._local = threading.local()
        self.versions = versions.for_file(url)
        self.versions.forget_places()
        self._marks = None
        self.read_cache = None
        self._column_types: dict[str, dict[str, str]] = {}

    @property
    def blobs(self) -> blobs.Table:
        """Attached files in ``stored_file_content``, shared by every server."""
        return blobs.Table(lambda: store.connect(self.url), store.redacted(self.url))

    def cursor(self) -> Cursor:
        current = getattr(self._local, "cursor", None)
        return current if current is not None else Cursor(self)

    def column_types(self, table: str) -> dict[str, str]:
        """``table``'s columns and their PostgreSQL types."""
        if table not in self._column_types:
            rows = self._connection.execute(
                "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a"
                " where a.attrelid = to_regclass(%s) and a.attnum > 0 and not a.attisdropped",
                (table,),
            ).fetchall()
            self._column_types[table] = dict(rows)
        return self._column_types[table]

    def _rows(self, name: str, params: dict) -> duckdb.DuckDBPyConnection:
        with self.reader() as cur:
            found = cur.read(name, bind(name, params)).fetchall()
        return as_duckdb(name, found)

    def _frame(self, name: str, params: dict):
        return self._rows(name, params).df()

    def _records(self, name: str, params: dict) -> list[dict]:
        result = self._rows(name, params)
        columns = [d[0] for d in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL writes its own checkpoints."""

    def close(self) -> None:
        self._connection.close()
