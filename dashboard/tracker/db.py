"""Open the database, apply migrations, run named reads and short write transactions.

One process owns the file (DuckDB allows one writing process). Inside it, one
connection per Database and a cursor per use; writes go one at a time behind a
lock shared by every Database on the same file, so DuckDB's optimistic
"Conflict on update" cannot crash a session: if it happens anyway it becomes a
ConflictError.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from dashboard.tracker import blobs, composed, kept_rules, read_cache, rollups, rules, versions
from dashboard.tracker.errors import ConflictError, DatabaseLocked, TrackerError
from dashboard.tracker.queries import bind, queries_dir, sql
from dashboard.tracker.read_cache import ReadCache

if TYPE_CHECKING:  # pandas loads in 1 s: only the reads that return a frame need it
    import pandas as pd

DEFAULT_PATH = Path("data") / "cdv.duckdb"
ENV_VAR = "CDV_DB"
#: what a PostgreSQL database's address starts with (``cdv store copy``)
URL_SCHEMES = ("postgresql://", "postgres://")

_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()


def resolve_target(explicit: str | os.PathLike | None = None) -> Path | str:
    """``--db``, else ``$CDV_DB``, else ``data/cdv.duckdb``: a file's path, or a
    PostgreSQL URL (the shared store: ``pg_db``) as it was given."""
    chosen = explicit or os.environ.get(ENV_VAR) or DEFAULT_PATH
    return str(chosen) if str(chosen).startswith(URL_SCHEMES) else Path(chosen)


def resolve_path(explicit: str | os.PathLike | None = None) -> Path:
    """``resolve_target`` for what works on a DuckDB file only (a restore, a demo): a
    PostgreSQL URL is refused with a French message, never made a file named after it."""
    chosen = resolve_target(explicit)
    if isinstance(chosen, str):
        raise TrackerError(
            "Cette commande travaille sur un fichier DuckDB, et --db ou CDV_DB désigne une "
            "base PostgreSQL (voir « Au-delà d'un serveur » dans le README : « cdv store "
            "copy » ramène le suivi dans un fichier, pg_dump sauvegarde la base). Rien n'a "
            "été créé."
        )
    return chosen


def open_target(target: Path | str, *, create: bool = True) -> Database:
    """The database at ``target`` (``resolve_target``), migrated and seeded: a DuckDB
    file, or the PostgreSQL store."""
    if isinstance(target, str):
        from dashboard.tracker import pg_db

        return pg_db.open_store(target, create=create)
    from dashboard.ingest.seed import initialize

    database = Database(target)
    initialize(database)
    return database


def utcnow() -> dt.datetime:
    """Naive UTC timestamp, as stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_POOL_PREFIX = "cdv-read"


@functools.cache
def _read_pool() -> ThreadPoolExecutor:
    """The threads of ``Database.gather``, shared by every database of the process."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix=_POOL_PREFIX)


def _lock_for(key: str) -> threading.RLock:
    with _locks_guard:
        return _locks.setdefault(key, threading.RLock())


def locked_message(path: Path, error: Exception) -> str:
    match = re.search(r"held in (.+?) \(PID (\d+)\)", str(error))
    holder = f"{match.group(1)}, PID {match.group(2)}" if match else "processus inconnu"
    return (
        f"La base de données {path} est ouverte par un autre processus ({holder}), "
        "probablement le serveur lancé par « cdv serve ». Faites cette opération depuis "
        "la page Administration de l'application, ou arrêtez le serveur puis relancez "
        "la commande."
    )


#: where a write transaction starts: what it writes in the log comes after
_WATERMARKS = (
    "select (select coalesce(max(id), 0) from audit_log),"
    " (select coalesce(max(id), 0) from status_event)"
)


class Database:
    """A DuckDB database file (or ``:memory:``) with migrations and named reads."""

    def __init__(self, path: str | os.PathLike = ":memory:", *, read_only: bool = False):
        self.path = Path(path) if str(path) != ":memory:" else None
        target = str(self.path) if self.path else ":memory:"
        if self.path and not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise DatabaseLocked(locked_message(self.path, error)) from error
            raise
        key = str(self.path.resolve()) if self.path else f"memory:{id(self)}"
        self._lock = _lock_for(key)
        self._local = threading.local()
        #: what the committed writes changed, shared by every Database on this file
        self.versions = versions.for_file(key)
        self.versions.forget_places()
        self.versions.every_commit_seen = True  # one process holds a DuckDB file
        #: the last audit row and status event this object's writes saw (transactions
        #: on one file take turns: the next one writes after them)
        self._marks: tuple[int, int] | None = None
        #: the named reads kept between writes (the server sets one: ``keep_reads``)
        self.read_cache: ReadCache | None = None
        #: the existence rules' rows are kept in this file (``kept_rules``): known at
        #: opening, set when a migration installs them
        self._kept_rules = kept_rules.present(self._con)

    @property
    def files_dir(self) -> Path:
        """Where attached files are kept, next to the database file
        (``cdv.duckdb`` -> ``cdv.files/``); a temporary folder for ``:memory:``."""
        if self.path is not None:
            return self.path.with_suffix(".files")
        if getattr(self, "_memory_files", None) is None:
            import tempfile

            self._memory_files = Path(tempfile.mkdtemp(prefix="cdv-files-"))
        return self._memory_files

    @property
    def blobs(self) -> blobs.Folder:
        """Where the bytes of attached files are kept (``files_dir``)."""
        return blobs.Folder(self.files_dir)

    # -- reading -----------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        current = getattr(self._local, "cursor", None)
        return current if current is not None else self._con.cursor()

    def frame(self, name: str, **params) -> pd.DataFrame:
        """A named read as a DataFrame (money as float: for charts and tables)."""
        if name in composed.PARTS:
            import pandas as pd

            return pd.DataFrame(self.records(name, **params))
        return self._kept("frame", name, params, self._frame)

    def _kept(
        self,
        kind: str,
        name: str,
        params: dict,
        read: Callable[[str, dict], Any],
        copy: bool = True,
    ):
        """``read(name, params)``, through the read cache when there is one — never
        inside a transaction, which must see what it has written."""
        if self.read_cache is None or getattr(self._local, "cursor", None) is not None:
            return read(name, params)
        by_item = (functools.partial(self._of_items, name, params, read)
                   if name in read_cache.BY_ITEM or name in composed.BY_ITEM else None)  # fmt: skip
        return self.read_cache.get(kind, name, params, lambda: read(name, params), copy, by_item)

    def _of_items(self, name: str, params: dict, read: Callable, items: set) -> Any:
        """The read by item ``name`` of these items only (``read_cache.BY_ITEM``, a
        composed one: ``composed.BY_ITEM``)."""
        if name in composed.BY_ITEM:
            return composed.read(self, name, params, items)
        return read(name, params | read_cache.only(name, items))

    def kept_frame(self, name: str, **params) -> pd.DataFrame:
        """``frame``, but the DataFrame as the read cache keeps it, not a copy: for a reader
        that builds its own results from it and changes nothing of it."""
        return self._kept("frame", name, params, self._frame, copy=False)

    def kept_records(self, name: str, **params) -> list[dict]:
        """``records``, but the rows as the read cache keeps them, not copies: for a
        reader that builds its own rows from them and changes none (a composed read)."""
        return self._kept("records", name, params, self._records, copy=False)

    def _frame(self, name: str, params: dict) -> pd.DataFrame:
        with self.reader() as cur:
            return cur.execute(sql(name), bind(name, params)).df()

    def records(self, name: str, **params) -> list[dict]:
        """A named read as dicts, money as Decimal, dates as date (a composed read —
        ``composed.PARTS`` — made of its parts, each kept on its own)."""
        if name in composed.PARTS:
            return self._kept("records", name, params, self._composed)
        return self._kept("records", name, params, self._records)

    def _composed(self, name: str, params: dict) -> list[dict]:
        return composed.read(self, name, params)

    def _records(self, name: str, params: dict) -> list[dict]:
        with self.reader() as cur:
            result = cur.execute(sql(name), bind(name, params))
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def gather(self, **reads: Callable[[], Any]) -> dict[str, Any]:
        """Independent reads side by side, each on its own cursor: DuckDB plans and runs
        them outside the GIL, so a page waits for the longest rather than the sum.
        Inside a transaction they run one after the other on its cursor (they must see
        what it has written); so do reads gathered by a read already in the pool (a
        pool thread never waits for the pool: no deadlock)."""
        in_pool = threading.current_thread().name.startswith(_POOL_PREFIX)
        if in_pool or getattr(self._local, "cursor", None) is not None or len(reads) < 2:
            return {name: read() for name, read in reads.items()}
        futures = {name: _read_pool().submit(read) for name, read in reads.items()}
        return {name: future.result() for name, future in futures.items()}

    def scalar(self, statement: str, params: dict | None = None):
        with self.reader() as cur:
            row = cur.execute(statement, params or {}).fetchone()
            return row[0] if row else None

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        current = getattr(self._local, "cursor", None)
        if current is not None:
            yield current
            return
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    # -- writing -----------------------------------------------------------------
    @contextmanager
    def transaction(
        self, *, affects: str = "some", statuses_only: bool = False
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction; nested calls join the outer one (all or nothing). On commit
        the read cache learns what it changed (``versions``): ``affects="some"`` finds
        it in what the transaction wrote in the log, read just after the commit (out of
        the writes lock of the shared store, whose servers wait on it; what others wrote
        meanwhile comes along, counted as a catch-up would); ``"none"``: it writes nothing
        a cached read shows (a session's last use, a sign-in attempt); ``"all"``: every
        read is recomputed (migrations, a restore). ``statuses_only``: it writes status
        changes and what follows them, none of what the kept rules read
        (``kept_rules``), which it neither reads as they are nor makes again."""
        current = getattr(self._local, "cursor", None)
        if current is not None:
            yield current
            return
        with self._lock, self._write_cursor() as cur:
            self._local.cursor = cur
            try:
                self._begin(cur)
                keeping = affects != "none" and not statuses_only and self._keeps_rules(cur)
                if keeping:
                    # a migration or a restore (« all ») may create tables: it keeps the
                    # record's schema (its reads of the rules after writing: refresh_all)
                    if affects == "some":
                        kept_rules.writing(cur)
                    cur = self._local.cursor = kept_rules.Watched(cur)
                placed = affects == "some" and self.versions.watching
                marks = self._marks_now(cur) if placed else None
                yield cur
                if keeping and cur.wrote:
                    kept_rules.refresh(cur)
                cur.execute("commit")
                self.versions.committed()
            except BaseException as error:
                self._rollback(cur)
                if self._is_conflict(error):
                    raise ConflictError(
                        "Un autre enregistrement est intervenu au même moment : rien n'a été "
                        "écrit. Rechargez la page et recommencez."
                    ) from error
                raise
            finally:
                self._local.cursor = None
            touched, after = self._written(cur, marks)
            if after is not None:
                self._marks = after
            if affects != "none":
                self.versions.moved(touched)

    def _written(self, cur, marks: tuple[int, int] | None) -> tuple[list[tuple], tuple | None]:
        """What a committed transaction wrote (``versions.written``); nothing said when it
        is not placed, or when the log cannot be read now (the write is committed: every
        read is then recomputed, and the next catch-up reads the log again)."""
        if marks is None:
            return [], None
        try:
            return self.versions.written(cur, marks)
        except Exception:  # noqa: BLE001 — committed: never reported as a failed write
            return [], None

    def catch_up(self) -> None:
        """Nothing: one process holds a DuckDB file, and sees its own writes (the shared
        store's servers catch up on one another's: ``pg_db``)."""

    @contextmanager
    def _write_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The cursor of one write transaction (this file's connection's own)."""
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _begin(self, cur) -> None:
        cur.execute("begin transaction")

    def _keeps_rules(self, cur) -> bool:
        """Whether this file keeps the existence rules' rows (``kept_rules``)."""
        return self._kept_rules

    def _rollback(self, cur) -> None:
        try:
            cur.execute("rollback")
        except duckdb.Error:
            pass

    def _is_conflict(self, error: BaseException) -> bool:
        """DuckDB's optimistic « Conflict on update » (writes take turns: a safeguard)."""
        return isinstance(error, duckdb.TransactionException) and "onflict" in str(error)

    def keep_reads(self, max_entries: int = 4096) -> None:
        """From now on the named reads' results are kept until what they read changes
        (a long-lived process: the server), and every write on this file is placed (the
        queries that place it read the latest schema: call it on a migrated base)."""
        self.read_cache = ReadCache(self.versions, max_entries)
        self.versions.watching = True

    def _marks_now(self, cur: duckdb.DuckDBPyConnection) -> tuple[int, int]:
        """Where this transaction's rows in the logs begin: after the last ones this
        object saw (rows written meanwhile by others come along: they are counted
        twice, never missed), read from the base the first time."""
        if self._marks is None:
            self._marks = cur.execute(_WATERMARKS).fetchone()
        return self._marks

    def sandbox(self, folder: Path) -> None:
        """From now on this connection reads and writes no file but its own database
        and those in ``folder`` (a restore's extracted archive). Cannot be undone."""
        with self._lock:
            self._con.execute("set allowed_directories = [$d]", {"d": str(folder) + os.sep})
            self._con.execute("set enable_external_access = false")

    def checkpoint(self) -> None:
        with self._lock:
            self._con.execute("checkpoint")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- migrations -----------------------------------------------------------------
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def migration_files() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted((queries_dir() / "migrations").glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def applied_migrations(db: Database) -> list[int]:
    with db.transaction(affects="all") as cur:
        cur.execute(
            "create table if not exists schema_migrations ("
            " version integer primary key, name varchar not null,"
            " applied_at timestamp not null)"
        )
        rows = cur.execute("select version from schema_migrations order by 1").fetchall()
        return [r[0] for r in rows]


def migrate(db: Database, *, target: int | None = None) -> list[int]:
    """Apply every pending migration (up to ``target``), each in its own transaction;
    then, at the latest schema, re-create the rules of ``queries/rules/`` whose text
    changed and recompute the roll-ups they feed (one transaction)."""
    done = set(applied_migrations(db))
    files = migration_files()
    applied = []
    for version, name, path in files:
        if version in done or (target is not None and version > target):
            continue
        with db.transaction(affects="all") as cur:
            cur.execute(path.read_text(encoding="utf-8"))
            cur.execute(
                "insert into schema_migrations values ($v, $n, $t)",
                {"v": version, "n": name, "t": utcnow()},
            )
        applied.append(version)
    if target is None or target >= files[-1][0]:
        with db.transaction(affects="all") as cur:
            if rules.install(cur):
                rollups.refresh_all(cur)
            db._kept_rules = kept_rules.present(cur)
    return applied
