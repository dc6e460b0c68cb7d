"""The tracker's database on PostgreSQL — in progress (issue 29): the same ``Database``
(named reads, transactions, the write services' own SQL), its statements translated once
each by ``pg_sql`` and run through psycopg. Not served yet: ``cdv serve`` still refuses a
``postgresql://`` URL. One connection per object; its transactions take turns behind its
lock, as on a DuckDB file; what a DuckDB cursor answers that psycopg's does not (the
count of an UPDATE, a dict as JSON, ``df()``) the cursor here answers the same way."""

from __future__ import annotations

import functools
import re
import threading

import psycopg
from psycopg.types.json import Json

from dashboard.tracker import pg_sql, store, versions
from dashboard.tracker.db import Database

_CONTROL = {"begin transaction": "begin", "commit": "commit", "rollback": "rollback"}
#: a ``%`` that is not one of the translation's ``%(name)s`` placeholders
_LITERAL_PERCENT = re.compile(r"%(?!\([a-z_][a-z0-9_]*\)s)")


@functools.cache
def statement(text: str) -> str:
    """A DuckDB statement of the tracker in PostgreSQL, ``%`` of its literals doubled
    (psycopg reads ``%`` as a placeholder)."""
    control = _CONTROL.get(text.strip().rstrip(";").lower())
    if control:
        return control
    return _LITERAL_PERCENT.sub("%%", pg_sql.translate(text))


def _value(value):
    return Json(value) if isinstance(value, dict) else value


class Cursor:
    """A psycopg cursor that takes and answers what the tracker gives a DuckDB one."""

    def __init__(self, connection: psycopg.Connection):
        self._cursor = connection.cursor()

    def execute(self, text: str, params: dict | None = None) -> Cursor:
        values = {k: _value(v) for k, v in params.items()} if params else None
        self._cursor.execute(statement(text), values)
        return self

    def executemany(self, text: str, rows) -> Cursor:
        self._cursor.executemany(statement(text), [{k: _value(v) for k, v in r.items()}
                                                   for r in rows])  # fmt: skip
        return self

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

    def cursor(self) -> Cursor:
        current = getattr(self._local, "cursor", None)
        return current if current is not None else Cursor(self._connection)

    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL writes its own checkpoints."""

    def close(self) -> None:
        self._connection.close()
