"""The existence rules kept as tables, on a DuckDB file.

When each act, record, programme, meeting and budget line starts counting (``KEPT``: the
rules of ``queries/rules/`` of those names) is read by nearly every named read, and
DuckDB binds and plans a view again in every query that reads it: at national scale it
spent more time planning the overview's and the pack's reads than running them. So, on
a DuckDB file, their rows are kept in tables, made again from the rules' current text in
the write transaction that may change them:

- schema ``live``: every rule as its file's current text (``install``); a service's
  write transaction reads there (its cursor's ``search_path`` is ``live,main``), so what
  it reads after writing an act already counts that act. A migration or a restore
  (``affects="all"``), which may create tables, keeps the record's schema: it reads the
  kept rows, made again by ``rollups.refresh_all`` before the roll-ups it recomputes;
- schema ``kept``: the rows of each kept rule (``<rule>_rows``), made again from
  ``live`` before each write transaction commits (``refresh``), in the same
  transaction: a reader never sees an act without its start, nor the reverse;
- schema ``main``: what every other cursor reads — each kept rule a view of its rows,
  the other rules as their text (reading the kept ones).

Only a transaction one of whose statements writes a table they read (``READ``, noted
by its cursor: ``Watched``) makes the rows again (about 50 ms at seed scale); a status
change, which writes none, neither reads ``live`` nor makes them again; nor does
opening a file (its migrations' bookkeeping). Nothing of ``live`` and ``kept`` is a
table of the record: backups,
exports and ``cdv store copy`` read the ``main`` schema only. On PostgreSQL, which plans
its views itself, the rules stay views. Measured on a copy of the national data set:
each read of the overview and the pack 25 to 45 % faster, the same rows; making the
five again costs about 35 ms there."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import duckdb

#: the rules kept as tables (each reads only those before it)
KEPT = ("act_start", "record_start", "programme_start", "meeting_start", "budget_line_start")
LIVE, ROWS = "live", "kept"
#: what a write transaction's cursor reads: the rules as they are, then the record
WRITING_PATH = f"{LIVE},main"

_CREATE = re.compile(r"^create or replace (view|macro) ([a-z0-9_]+)\b", re.MULTILINE)


def install(cur: duckdb.DuckDBPyConnection, order: Iterable[str], text: Callable) -> None:
    """Every rule (``order``: each after those it uses; ``text(name)``: its file) created
    in ``live`` and in ``main``, the kept ones' rows made (in the caller's transaction)."""
    names = list(order)
    cur.execute(f"create schema if not exists {LIVE}")
    cur.execute(f"create schema if not exists {ROWS}")
    cur.execute(f"set search_path = '{WRITING_PATH}'")  # live rules read live ones
    try:
        for name in names:
            cur.execute(_CREATE.sub(rf"create or replace \1 {LIVE}.\2", text(name), count=1))
    finally:
        cur.execute("reset search_path")
    for name in names:
        if name in KEPT:
            cur.execute(
                f"create or replace table {ROWS}.{name}_rows as select * from {LIVE}.{name}"
            )
            cur.execute(f"create or replace view main.{name} as select * from {ROWS}.{name}_rows")
        else:
            cur.execute(text(name))


#: the tables the kept rules read (through one another)
READ = ("legal_act", "budget_line", "record_origin", "decision", "meeting", "programme")
_WRITES = re.compile(
    rf"\b(?:insert\s+into|update|delete\s+from)\s+(?:main\.)?(?:{'|'.join(READ)})\b", re.I
)


class Watched:
    """A service's write transaction's cursor, which notes whether one of its statements
    wrote a table the kept rules read (``wrote``: their rows are then made again before
    it commits; a save that writes none of those tables pays nothing)."""

    __slots__ = ("_cur", "wrote")

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self._cur = cur
        self.wrote = False

    def execute(self, statement: str, parameters: object = None):
        self._note(statement)
        return self._cur.execute(statement, parameters)

    def executemany(self, statement: str, parameters: object = None):
        self._note(statement)
        return self._cur.executemany(statement, parameters)

    def _note(self, statement: str) -> None:
        self.wrote = self.wrote or bool(_WRITES.search(statement))

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


def present(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether this database keeps the rules' rows (installed since they are kept)."""
    return bool(
        cur.execute(
            "select count(*) from duckdb_schemas() where schema_name = $s"
            " and database_name = current_database()",
            {"s": ROWS},
        ).fetchone()[0]
    )


def writing(cur: duckdb.DuckDBPyConnection) -> None:
    """A write transaction's cursor reads the rules as they are (``live``)."""
    cur.execute(f"set search_path = '{WRITING_PATH}'")


def refresh_if_kept(cur) -> None:
    """``refresh`` where the rules' rows are kept (a DuckDB file installed since then)."""
    if isinstance(cur, duckdb.DuckDBPyConnection | Watched) and present(cur):
        refresh(cur)


def refresh(cur: duckdb.DuckDBPyConnection) -> None:
    """The kept rules' rows made again from their current text (in the caller's
    transaction, before it commits)."""
    for name in KEPT:  # each reads only those before it, from ``live``
        cur.execute(f"delete from {ROWS}.{name}_rows")
        cur.execute(f"insert into {ROWS}.{name}_rows select * from {LIVE}.{name}")
