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
import hashlib
import json
import math
import re
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal

import duckdb
import psycopg
import psycopg_pool
import psycopg_pool.base
from psycopg import sql as pgsql
from psycopg.types.json import Json

from dashboard.tracker import blobs, pg_sql, read_cache, rollups, rules, store, versions
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError, Unavailable
from dashboard.tracker.queries import bind, names, parameters, sql

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
    declared = pg_sql.declared_types(text)  # a query with a header: its parameters' types
    if declared:
        text = pg_sql._typed(pg_sql._code(text), declared)
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


#: a statement planned by keys whatever its values: one row inserted; or one table read
#: (its columns named: a prepared ``select *`` fails once a migration adds a column —
#: « cached plan must not change result type »), changed or deleted where columns equal
#: parameters (and nothing read from another table)
_BY_KEY = re.compile(
    r"\s*(?:insert\s+into\s+\w+\s*(?:\([\w\s,]*\))?\s*values\s*\([^()]*(?:\([^()]*\)[^()]*)*\)"
    r"(?:\s+returning\s+[\w\s,]+)?"
    r"|(?:select\s+[\w\s,.]+?\s+from\s+\w+|update\s+\w+\s+set\s+.+?|delete\s+from\s+\w+)"
    r"\s+where\s+\w+\s*=\s*\$\w+(?:\s+and\s+\w+\s*=\s*\$\w+)*)\s*;?\s*",
    re.IGNORECASE | re.DOTALL,
)


@functools.lru_cache(maxsize=1024)
def by_key(text: str) -> bool:
    """Whether the tracker's statement ``text`` is planned by keys whatever its values
    (``_BY_KEY``, no subquery): prepared, its one plan is as good as one made for each
    value, and making it once saves its planning (more than its run for a key lookup)."""
    selects = len(re.findall(r"\bselect\b", text, re.IGNORECASE))
    return bool(_BY_KEY.fullmatch(text)) and selects == (text.lstrip()[:6].lower() == "select")


def of_some_items(name: str, params: dict) -> bool:
    """Whether the named read is a read by item restricted to some items of one programme
    (``read_cache.BY_ITEM``): prepared, parsed once per connection, a plan by keys whatever
    the items (PostgreSQL still plans it for each list when it judges that better); not the
    whole read, whose plan goes by its values."""
    restricted = read_cache.BY_ITEM.get(name, {}).values()
    return params.get("programme_code") is not None and any(
        params.get(p) is not None for p in restricted
    )


def _has_rows(cursor: psycopg.Cursor) -> bool:
    """Whether the last statement gave rows (psycopg's ``description is not None``,
    without building its description: a list of columns made anew at each call)."""
    result = cursor.pgresult
    return result is not None and (
        result.nfields > 0 or result.status == psycopg.pq.ExecStatus.TUPLES_OK
    )


class Cursor:
    """A psycopg cursor that takes and answers what the tracker gives a DuckDB one."""

    def __init__(self, database: PostgresDatabase, connection: psycopg.Connection):
        self._database = database
        self._connection = connection
        self._server = connection.cursor()
        self._client: psycopg.ClientCursor | None = None
        self._cursor = self._server  # the one that ran the last statement

    def execute(self, text: str, params: dict | list | tuple | None = None) -> Cursor:
        values = _named(params)
        tables = [m.group(1) for m in _ROWS.finditer(text)]
        target = _TARGET.match(text)
        for name in tables:
            rows = values.pop(name)
            self._load(f"_rows_{name}", [{k: _plain(v) for k, v in r.items()} for r in rows],
                       target.group(1) if target else None)  # fmt: skip
        try:
            self._run(statement(text), {k: _value(v) for k, v in values.items()},
                      prepare=not tables and by_key(text))  # fmt: skip
        finally:
            for name in tables:
                self.unregister(f"_rows_{name}")
        return self

    def executemany(self, text: str, rows) -> Cursor:
        self._cursor = self._server
        self._cursor.executemany(statement(text), [{k: _value(v) for k, v in _named(r).items()}
                                                   for r in rows])  # fmt: skip
        return self

    def _run(self, text: str, values: dict, prepare: bool = False) -> None:
        """A statement with its values bound by PostgreSQL (``prepare``: as a prepared
        statement of this connection, planned once); with a NULL among them, written into
        the text by psycopg instead (client-side binding): PostgreSQL cannot type ``$x is
        null`` from a NULL, DuckDB can. A named read's parameters are typed by its header
        and always bound (``read``)."""
        if any(v is None for v in values.values()):
            if self._client is None:
                self._client = psycopg.ClientCursor(self._connection)
            self._cursor = self._client
            self._cursor.execute(text, values, prepare=False)
        else:
            self._cursor = self._server
            self._cursor.execute(text, values, prepare=prepare)

    def read(self, name: str, params: dict) -> Cursor:
        """The named read ``name`` (its parameters cast to their declared types); a read
        of some items of one programme (``read_cache.BY_ITEM``) prepared, planned once."""
        self._cursor = self._server
        self._cursor.execute(read_statement(name), {k: _value(v) for k, v in params.items()},
                             prepare=of_some_items(name, params))  # fmt: skip
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

    def sql(self, text: str) -> duckdb.DuckDBPyRelation:
        """A query without parameters as a DuckDB relation (``write_parquet``)."""
        return relation(text, self.execute(text).fetchall())

    @staticmethod
    def catalogue() -> duckdb.DuckDBPyConnection:
        """Where the tables of the current schema are described, with DuckDB's types
        (``backup.all_tables``): an empty migrated DuckDB database (the store's schema
        is that one, ``store.copy`` wrote it from there)."""
        return _empty().cursor()

    def fetchone(self):
        if not _has_rows(self._cursor):  # an INSERT, UPDATE, DELETE: DuckDB's count
            return (self._cursor.rowcount,)
        return self._cursor.fetchone()

    def fetchall(self):
        if not _has_rows(self._cursor):
            return [(self._cursor.rowcount,)]
        return self._cursor.fetchall()

    @property
    def connection(self) -> psycopg.Connection:
        return self._connection

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
        self._server.close()
        if self._client is not None:
            self._client.close()


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

    def describe() -> str:
        with _empty().cursor() as cur:
            found = cur.execute("describe " + typed, dict.fromkeys(parameters(text))).fetchall()
        return json.dumps([[row[0], row[1]] for row in found])

    # kept on disk as the translations are: a new process need not build the schema
    return tuple(tuple(pair) for pair in json.loads(pg_sql.on_disk("describe " + typed, describe)))


_EMPTY = threading.Lock()


def _empty() -> duckdb.DuckDBPyConnection:
    """An empty migrated DuckDB database in memory, made once per process (reads
    gathered side by side ask for it at once: one makes it, the others wait)."""
    with _EMPTY:
        return _make_empty()


@functools.cache
def _make_empty() -> duckdb.DuckDBPyConnection:
    from dashboard.tracker.db import migrate

    database = Database()
    migrate(database)
    return database._con


@functools.cache
def described(text: str) -> tuple[tuple[str, str], ...]:
    """The columns of a query without parameters and their DuckDB types (a table's
    rows, as an export reads them)."""
    with _empty().cursor() as cur:
        return tuple((row[0], row[1]) for row in cur.execute("describe " + text).fetchall())


def as_duckdb(name: str, rows: list[tuple]) -> duckdb.DuckDBPyRelation:
    """PostgreSQL's rows of the named read ``name`` as a DuckDB result of the read's
    own types (a struct from its JSON, money as DECIMAL, a 128-bit sum)."""
    return _convert(*_typed_rows(read_types(name), rows))


#: DuckDB types whose values psycopg already gives as DuckDB's cast would (the same
#: Python type, the same value: a bool is not an int here, nor a datetime a date); a
#: DECIMAL is not one (PostgreSQL's numeric keeps its own scale, 12.5 where DuckDB says
#: 12.50), nor a timestamp, a struct, a list or JSON
_NONE = type(None)
_AS_GIVEN = {"VARCHAR": {str, _NONE}, "INTEGER": {int, _NONE}, "BIGINT": {int, _NONE},
             "SMALLINT": {int, _NONE}, "BOOLEAN": {bool, _NONE}, "DATE": {dt.date, _NONE},
             "DOUBLE": {float, _NONE}}  # fmt: skip
#: above this many rows a result goes through DuckDB whatever its types (one pass in C)
_AS_GIVEN_ROWS = 5000


def as_given(types, rows: list[tuple]) -> bool:
    """Whether ``rows`` are already, value for value, what ``as_duckdb`` would give (a
    small result of plain types: no conversion, a few milliseconds saved per read)."""
    if len(rows) > _AS_GIVEN_ROWS or any(kind not in _AS_GIVEN for _, kind in types):
        return False
    columns = zip(*rows, strict=True) if rows else ()
    return all(
        set(map(type, values)) <= _AS_GIVEN[kind]
        for (_, kind), values in zip(types, columns, strict=False)
    )


def _typed_rows(types, rows: list[tuple]):
    """An Arrow table of ``rows`` and the SELECT list that gives them DuckDB's ``types``."""
    import pyarrow as pa

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
    return table, selects


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


def _convert(table, selects: str) -> duckdb.DuckDBPyRelation:
    """The Arrow ``table`` through DuckDB's casts (``selects``: names and types from a
    read's or a table's own description, never from data)."""
    cur = _converter().cursor()
    cur.register("pg_rows", table)
    return cur.sql(f"select {selects} from pg_rows")


def relation(text: str, rows: list[tuple]) -> duckdb.DuckDBPyRelation:
    """PostgreSQL's rows of ``text`` as a DuckDB relation of the query's own types (for
    what DuckDB writes itself: a Parquet file)."""
    return _convert(*_typed_rows(described(text), rows))


#: advisory locks of the tracker: its writes, one at a time over every server (as one
#: process takes them in turn on a DuckDB file); the schema, while a server sets it up
WRITES_LOCK = 0x6364_7601
#: how long a page waits for a connection before saying the store is unavailable
_WAIT_SECONDS = 5
# a lost connection is tried again every second: psycopg_pool doubles its wait after each
# failure without bound, so after a two-minute restart of PostgreSQL the pages would have
# stayed « indisponible » for minutes more
psycopg_pool.base.AttemptWithBackoff.DELAY_BACKOFF = 1.0
SCHEMA_LOCK = 0x6364_7602


UNAVAILABLE = (
    "Base momentanément indisponible : le serveur PostgreSQL ne répond pas. Rien n'a été "
    "écrit ; réessayez dans un instant (la page se rétablit d'elle-même)."
)


@contextmanager
def _reachable():
    """A lost or refused connection as ``Unavailable``, in French."""
    try:
        yield
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as error:
        if isinstance(error, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected):
            raise
        raise Unavailable(UNAVAILABLE) from error


class PostgresDatabase(Database):
    """``Database`` over the PostgreSQL store: a pool of connections, shared by the
    threads of the server (a read takes one for its length, a write transaction one
    for its length, behind the advisory lock ``WRITES_LOCK``)."""

    def __init__(self, url: str, *, size: int = 8):
        self.path = None
        self.url = url
        store.connect(url).close()  # a wrong or unreachable URL: said at once, in French
        self._pool = psycopg_pool.ConnectionPool(
            url, min_size=1, max_size=size, kwargs=store.CONNECT_OPTIONS,
            configure=store.configure, timeout=_WAIT_SECONDS, open=True, check=_alive,
        )  # fmt: skip
        self._spare: psycopg.Connection | None = None
        self._lock = threading.RLock()
        self._local = threading.local()
        self.versions = versions.for_file(url)
        self.versions.forget_places()
        self._marks = None
        self.read_cache = None
        self._column_types: dict[str, dict[str, str]] = {}
        self._catching = threading.Lock()

    @property
    def blobs(self) -> blobs.Table:
        """Attached files in ``stored_file_content``, shared by every server."""
        return blobs.Table(self._pool.connection, store.redacted(self.url))

    def cursor(self) -> Cursor:
        current = getattr(self._local, "cursor", None)
        if current is not None:
            return current
        if self._spare is None or self._spare.closed:
            self._spare = store.connect(self.url)
        return Cursor(self, self._spare)

    def column_types(self, table: str) -> dict[str, str]:
        """``table``'s columns and their PostgreSQL types."""
        if table not in self._column_types:
            with self.reader() as cur:
                rows = cur.execute(
                    "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute"
                    " as a where a.attrelid = to_regclass($t) and a.attnum > 0"
                    " and not a.attisdropped", {"t": table},
                ).fetchall()  # fmt: skip
            self._column_types[table] = dict(rows)
        return self._column_types[table]

    @contextmanager
    def reader(self) -> Iterator[Cursor]:
        current = getattr(self._local, "cursor", None)
        if current is not None:
            yield current
            return
        with self._write_cursor() as cur:
            yield cur

    @contextmanager
    def _write_cursor(self) -> Iterator[Cursor]:
        """A pooled connection for the length of one read or one write transaction."""
        with _reachable(), self._pool.connection() as con:
            cur = Cursor(self, con)
            try:
                yield cur
            finally:
                cur.close()
            _answered[con] = time.monotonic()  # it answered: lent again unchecked for a while

    def _begin(self, cur: Cursor) -> None:
        """The transaction, then the writes lock of every server (``WRITES_LOCK``, held
        until the commit: the log's ids are committed in order, ``catch_up`` relies on
        it)."""
        # one round trip for both (a text without parameters: several statements allowed;
        # the lock's key a literal composed by psycopg)
        cur.connection.execute(
            pgsql.SQL("begin; select pg_advisory_xact_lock({})").format(pgsql.Literal(WRITES_LOCK))
        )

    def _keeps_rules(self, cur: Cursor) -> bool:
        """Never: PostgreSQL plans its rule views itself (``kept_rules`` is the file's)."""
        return False

    def _rollback(self, cur: Cursor) -> None:
        with suppress(psycopg.Error):
            cur.connection.execute("rollback")

    def _is_conflict(self, error: BaseException) -> bool:
        """A serialization failure or a deadlock (PostgreSQL's own conflicts)."""
        return isinstance(
            error, psycopg.errors.SerializationFailure | psycopg.errors.DeadlockDetected
        )

    def keep_reads(self, max_entries: int = 4096) -> None:
        """As on a file; and from now on the other servers' writes are followed (from
        the log's last rows now: what was written before is in what is read next)."""
        super().keep_reads(max_entries)
        with self._lock, self.reader() as cur:
            self._marks = None
            self._marks_now(cur)

    def catch_up(self) -> None:
        """What the other servers wrote since this one last looked moves its counters
        (their cached reads are recomputed): called once per page run."""
        if not self.versions.watching or not self._catching.acquire(blocking=False):
            return  # another page run of this server is catching up: it sees the same
        try:
            with self.reader() as cur:
                marks = self._marks_now(cur)
                touched, after = self.versions.written(cur, marks)
            if after != marks:  # a write of this server meanwhile: counted twice, not lost
                self._marks = tuple(map(max, after, self._marks or after))
                self.versions.moved(touched)
        finally:
            self._catching.release()

    def _found(self, name: str, params: dict) -> list[tuple]:
        """PostgreSQL's rows of the named read ``name``, as psycopg gives them."""
        with self.reader() as cur:
            return cur.read(name, bind(name, params)).fetchall()

    def _frame(self, name: str, params: dict):
        return as_duckdb(name, self._found(name, params)).df()

    def _records(self, name: str, params: dict) -> list[dict]:
        found, types = self._found(name, params), read_types(name)
        if not as_given(types, found):
            found = as_duckdb(name, found).fetchall()  # its columns are the read's own
        columns = [column for column, _ in types]
        return [dict(zip(columns, row, strict=True)) for row in found]

    def sandbox(self, folder) -> None:
        raise TrackerError("Une restauration se fait sur un fichier DuckDB.")

    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL writes its own checkpoints."""

    def close(self) -> None:
        if self._spare is not None:
            self._spare.close()
        self._pool.close()


#: a pooled connection that answered this recently is lent without being checked again
_CHECKED_SECONDS = 1.0
_answered: weakref.WeakKeyDictionary[psycopg.Connection, float] = weakref.WeakKeyDictionary()


def _alive(con: psycopg.Connection) -> None:
    """A pooled connection is checked before it is lent (one lost in a restart of the
    server is replaced), unless it answered within the last second (a round trip per
    read saved under load; a restart is met at most once per connection, then it is
    checked again: the page says « indisponible » and recovers by itself)."""
    if time.monotonic() - _answered.get(con, -math.inf) < _CHECKED_SECONDS:
        return
    con.execute("select 1")


# -- opening the store -------------------------------------------------------------------
#: the app_meta key holding the fingerprint of the rules (and compat.sql) installed
RULES_KEY = "pg_rules_sha256"


def open_store(url: str, *, create: bool = False) -> PostgresDatabase:
    """The PostgreSQL store at ``url``, ready to serve: created from the two acts when
    the database is empty and ``create`` (as a DuckDB file is on first run: seeded in a
    DuckDB file beside, then copied), its rules installed when their text changed. One
    server does this at a time (``SCHEMA_LOCK``); the others wait, then find it done."""
    with store.connect(url) as con:
        con.execute("select pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            version = _version(con)
            if version is None:
                if not create:
                    raise store.StoreError(
                        f"La base {store.redacted(url)} ne contient pas de suivi cdv-tracker : "
                        "« cdv serve » ou « cdv init » le crée, « cdv store copy » y copie un "
                        "suivi existant. Rien n'a été écrit."
                    )
                _create(url)
            else:
                store.check_version(version, f"La base {store.redacted(url)}")
            _install_rules(con, url)
        finally:
            con.execute("select pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    for name in names():  # translated now (kept on disk), not at a member's first view
        read_statement(name)
    return PostgresDatabase(url)


def has_tracker(url: str) -> bool:
    """Whether the database at ``url`` holds a tracker already."""
    with store.connect(url) as con:
        return _version(con) is not None


def _version(con: psycopg.Connection) -> int | None:
    if not con.execute("select to_regclass('schema_migrations') is not null").fetchone()[0]:
        return None
    return con.execute("select max(version) from schema_migrations").fetchone()[0]


def _create(url: str) -> None:
    """A new tracker from the two acts, built in a DuckDB file and copied (one run or
    nothing: ``store.copy``)."""
    import tempfile

    from dashboard.ingest.seed import initialize

    with tempfile.TemporaryDirectory(prefix="cdv-new-") as folder:
        path = f"{folder}/cdv.duckdb"
        with Database(path) as fresh:
            initialize(fresh)
        store.copy(path, url)


def _install_rules(con: psycopg.Connection, url: str) -> None:
    """compat.sql, every rule as a PostgreSQL view or function and the indexes only
    PostgreSQL needs, when their text changed since the last install (one transaction);
    the roll-ups the rules feed recomputed."""
    current = hashlib.sha256(
        (rules.fingerprint() + pg_sql.compat() + pg_sql.indexes()).encode()
    ).hexdigest()
    row = con.execute("select value from app_meta where key = %s", (RULES_KEY,)).fetchone()
    if row and row[0] == current:
        return
    with con.transaction():
        con.execute(pg_sql.compat())
        for name in rules.order():
            con.execute(pg_sql.rule_ddl(name, _empty()))
        con.execute(pg_sql.indexes())
        con.execute("delete from app_meta where key = %s", (RULES_KEY,))
        con.execute("insert into app_meta values (%s, %s)", (RULES_KEY, current))
    if row is not None:  # the rules changed: what they count is counted again
        with PostgresDatabase(url) as db, db.transaction(affects="all") as cur:
            rollups.refresh_all(cur)
