"""The shared store's first part: moving a tracker between its embedded DuckDB file and
a PostgreSQL database, both ways, without loss (``cdv store copy``).

The PostgreSQL schema is the DuckDB schema of the project's migrations, read from the
catalogue of a migrated file and written as PostgreSQL DDL (tables, columns, defaults,
keys, checks, references, indexes, sequences). The rules (views and macros of
``queries/rules/``) are not PostgreSQL objects: they stay the engine's. Attached files
travel into the table ``stored_file_content`` (the shared store keeps them in the
database, so that every server reads the same files without a shared folder).

A copy is one run or nothing: into PostgreSQL, one transaction that is committed only
once every table's row count and checksum read back from PostgreSQL equal the source's;
into a DuckDB file, a new file built beside the target and renamed only once compared
the same way. The target must be empty (a new database, a file that does not exist).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import urllib.parse
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dashboard.tracker import backup
from dashboard.tracker.db import URL_SCHEMES, Database, migrate, migration_files
from dashboard.tracker.errors import TrackerError

if TYPE_CHECKING:
    import psycopg

#: the table that holds attached files' content in PostgreSQL
FILES_TABLE = "stored_file_content"
_CONNECT_SECONDS = 5
_BATCH = 10_000
_CHUNK = 1024 * 1024


class StoreError(TrackerError):
    """A copy refused or failed; nothing was written to the target."""


def is_url(target: object) -> bool:
    return str(target).startswith(URL_SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password, as messages print it."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


# -- connecting -------------------------------------------------------------------
def connect(url: str) -> psycopg.Connection:
    """A connection to ``url``, or a French message saying why not."""
    import psycopg

    try:
        con = psycopg.connect(url, **CONNECT_OPTIONS)
    except psycopg.ProgrammingError as error:
        raise StoreError(_invalid(url)) from error
    except psycopg.OperationalError as error:
        if re.search(r"invalid [a-z_ ]+(value|number)|invalid URI|invalid connection option",
                     str(error)):  # fmt: skip
            raise StoreError(_invalid(url)) from error
        raise StoreError(unreachable_message(url, error)) from error
    configure(con)
    return con


#: how the tracker connects to PostgreSQL (``connect`` and the servers' pool)
#: never a statement prepared by psycopg on its own (it prepares a query run five times on
#: a connection, and PostgreSQL may then plan it once for any value: a read for every
#: programme and one for a single programme would share a plan, seen to take 7 s instead
#: of 20 ms); only those the tracker asks to prepare (``pg_db.Cursor``: statements whose
#: plan goes by keys, whatever their values), which PostgreSQL parses once per connection
#: and, after five runs, plans once (its one plan costs what one made for each value
#: would). Never ``plan_cache_mode = force_generic_plan`` for the session: the functions
#: of the rules would run on generic plans too (the overview of every programme: 60 ->
#: 130 ms)
CONNECT_OPTIONS = {"connect_timeout": _CONNECT_SECONDS, "application_name": "cdv-tracker",
                   "autocommit": True, "prepare_threshold": 2**62}  # fmt: skip


def configure(con: psycopg.Connection) -> None:
    """Dates and times as DuckDB writes them (ISO, UTC), JSON as its text."""
    import psycopg

    con.execute("set datestyle = 'ISO, YMD'")
    con.execute("set timezone = 'UTC'")
    # no JIT: the tracker's reads are short; compiling them (above JIT's cost line, as
    # the reads over the whole work tree are estimated) costs seconds, not milliseconds
    con.execute("set jit = off")
    # JSON as its text, as DuckDB gives it (never a dict whose dates became strings)
    for kind in ("json", "jsonb"):
        con.adapters.register_loader(kind, psycopg.types.string.TextLoader)


def _invalid(url: str) -> str:
    return (
        f"Adresse PostgreSQL invalide ({redacted(url)}) : attendu "
        "postgresql://utilisateur:motdepasse@hôte:port/base. Rien n'a été écrit."
    )


def unreachable_message(url: str, error: Exception) -> str:
    """Why a PostgreSQL database could not be reached, in French."""
    text = str(error)
    where = redacted(url)
    if "password authentication failed" in text or "no password supplied" in text:
        reason = "identifiant ou mot de passe refusé"
    elif re.search(r'database "[^"]+" does not exist', text):
        reason = "cette base n'existe pas sur le serveur (créez-la : createdb)"
    elif "resolve host" in text or "translate host name" in text or "not known" in text:
        reason = "nom d'hôte inconnu"
    elif "Connection refused" in text or "connection refused" in text:
        reason = "aucun serveur PostgreSQL n'écoute à cette adresse"
    elif "timeout" in text:
        reason = f"pas de réponse en {_CONNECT_SECONDS} s"
    else:
        reason = "connexion impossible"
    return f"Base PostgreSQL injoignable ({where}) : {reason}. Rien n'a été écrit."


# -- the schema -------------------------------------------------------------------
_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric",
    "UBIGINT": "numeric",
    "FLOAT": "real",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "JSON": "json",
    "BLOB": "bytea",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
_LITERAL = re.compile(r"-?\d+(\.\d+)?|true|false|'[^']*'")
_NEXTVAL = re.compile(r"nextval\('([a-z_]+)'\)")


def pg_type(duck_type: str) -> str:
    if duck_type.endswith("[]"):
        return pg_type(duck_type[:-2]) + "[]"
    if match := _DECIMAL.fullmatch(duck_type):
        return f"numeric({match.group(1)},{match.group(2)})"
    if duck_type in _TYPES:
        return _TYPES[duck_type]
    raise StoreError(f"Type de colonne sans équivalent PostgreSQL : {duck_type}.")


def pg_default(default: str) -> str:
    """A column default in PostgreSQL: literals and sequences as they are; the time of
    the write in naive UTC, as the tracker stores it."""
    if _LITERAL.fullmatch(default) or _NEXTVAL.fullmatch(default):
        return default
    if default == "current_timestamp":
        return "(now() at time zone 'UTC')"
    raise StoreError(f"Valeur par défaut sans équivalent PostgreSQL : {default}.")


_REGEXP = re.compile(r"regexp_full_match\(([a-z0-9_\"]+), ('[^']*')\)")


def pg_check(text: str) -> str:
    """A CHECK constraint of DuckDB's catalogue in PostgreSQL's words."""
    text = text.replace('"trim"(', "btrim(")
    return _REGEXP.sub(lambda m: f"({m.group(1)} ~ ('^(?:' || {m.group(2)} || ')$'))", text)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type)


def tables(cur: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    """Every table of a DuckDB database, its columns in order."""
    return {name: Table(name, tuple(cols)) for name, cols in backup.all_tables(cur).items()}


def postgres_schema(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The PostgreSQL DDL of a DuckDB database's schema: what creates its sequences and
    tables (before the rows), and its references and indexes (after them)."""
    where = "schema_name = 'main' and database_name = current_database()"
    before = [
        f"create sequence {name} start with {start} increment by {step}"
        for name, start, step in cur.execute(
            f"select sequence_name, start_value, increment_by from duckdb_sequences()"
            f" where {where} order by 1"
        ).fetchall()
    ]
    defaults = {
        (t, c): d
        for t, c, d in cur.execute(
            f"select table_name, column_name, column_default from duckdb_columns()"
            f" where {where} and column_default is not null"
        ).fetchall()
    }
    not_null = {
        (t, c)
        for t, c in cur.execute(
            f"select table_name, column_name from duckdb_columns() where {where}"
            " and not is_nullable"
        ).fetchall()
    }
    constraints: dict[str, list[str]] = {}
    after = []
    for table, kind, text in cur.execute(
        f"select table_name, constraint_type, constraint_text from duckdb_constraints()"
        f" where {where} and constraint_type in ('PRIMARY KEY', 'UNIQUE', 'CHECK',"
        " 'FOREIGN KEY') order by table_name, constraint_index"
    ).fetchall():
        if kind == "FOREIGN KEY":
            after.append(f"alter table {table} add {text}")
            # DuckDB indexes a foreign key's columns by itself; PostgreSQL does not
            columns = text[text.index("(") + 1 : text.index(")")]
            after.append(f"create index on {table} ({columns})")
        elif kind == "CHECK":
            constraints.setdefault(table, []).append(pg_check(text))
        else:
            constraints.setdefault(table, []).append(text)
    for table in tables(cur).values():
        lines = []
        for column, kind in table.columns:
            line = f'"{column}" {pg_type(kind)}'
            if (table.name, column) in defaults:
                line += f" default {pg_default(defaults[(table.name, column)])}"
            if (table.name, column) in not_null:
                line += " not null"
            lines.append(line)
        body = ",\n    ".join(lines + constraints.get(table.name, []))
        before.append(f"create table {table.name} (\n    {body}\n)")
    after += [
        text.rstrip(";")
        for (text,) in cur.execute(f"select sql from duckdb_indexes() where {where}").fetchall()
    ]
    before.append(
        f"create table {FILES_TABLE} (sha256 text primary key"
        " check (sha256 ~ '^[0-9a-f]{64}$'), content bytea not null)"
    )
    return before, after


# -- rows ---------------------------------------------------------------------------
def digest(cur: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, str]:
    """Row count and SHA-256 of a relation's rows in a canonical order (every column,
    DuckDB's types: two relations with the same types and rows have the same digest)."""
    result = cur.execute(f"select * from {relation} order by all")
    sha = hashlib.sha256()
    count = 0
    while rows := result.fetchmany(_BATCH):
        count += len(rows)
        for row in rows:
            sha.update(repr(row).encode())
            sha.update(b"\n")
    return count, sha.hexdigest()


def _csv_options(table: Table) -> str:
    columns = ", ".join(f"'{c}': '{t}'" for c, t in table.columns)
    return (
        f"header = false, columns = {{{columns}}}, auto_detect = false,"
        " allow_quoted_nulls = false, quote = '\"', escape = '\"'"
    )


def _pg_select(table: Table) -> str:
    """The columns as PostgreSQL writes them in CSV for DuckDB to read them back."""
    return ", ".join(f'"{c}"::text' if t == "BOOLEAN" else f'"{c}"' for c, t in table.columns)


def pg_rows_into(pg: psycopg.Connection, cur, table: Table, relation: str, folder: Path) -> None:
    """A PostgreSQL table's rows into a new temporary DuckDB table ``relation`` with the source's
    column types (through CSV: PostgreSQL and DuckDB write and read it the same way)."""
    path = folder / f"{table.name}.pg.csv"
    with pg.cursor() as pc, open(path, "wb") as out:
        with pc.copy(
            f"copy (select {_pg_select(table)} from {table.name}) to stdout (format csv)"
        ) as copy:
            for chunk in copy:
                out.write(chunk)
    cur.execute(
        f"create temp table {relation} as select * from read_csv($p, {_csv_options(table)})",
        {"p": str(path)},
    )
    path.unlink()


def duck_rows_into(cur, pg: psycopg.Connection, table: Table, folder: Path) -> None:
    """A DuckDB table's rows into the PostgreSQL table of the same name."""
    path = folder / f"{table.name}.csv"
    cur.execute(f"copy {table.name} to '{path}' (header false)")
    names = ", ".join(f'"{c}"' for c, _ in table.columns)
    with pg.cursor() as pc, pc.copy(f"copy {table.name} ({names}) from stdin (format csv)") as cp:
        with open(path, "rb") as source:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                cp.write(chunk)
    path.unlink()


# -- the copy -------------------------------------------------------------------------
@dataclass(frozen=True)
class Copied:
    """What a copy moved: rows per table (each compared), files."""

    rows: dict[str, int]
    files: int
    missing_files: int


def copy(source: str, target: str) -> Copied:
    """Copy a tracker from ``source`` to ``target``: one is a DuckDB file, the other a
    ``postgresql://`` URL."""
    if is_url(source) == is_url(target):
        raise StoreError(
            "Une copie va d'un fichier DuckDB vers une base PostgreSQL (postgresql://…), "
            "ou l'inverse."
        )
    if is_url(target):
        return to_postgres(Path(source), target)
    return to_duckdb(source, Path(target))


def _latest() -> int:
    return max(v for v, _, _ in migration_files())


def check_version(version: int | None, where: str) -> None:
    latest = _latest()
    if version != latest:
        raise StoreError(
            f"{where} est au schéma {version}, cette version de cdv-tracker écrit le schéma "
            f"{latest} : mettez-la à jour d'abord (« cdv init --db … » pour un fichier). "
            "Rien n'a été écrit."
        )


def _pg_is_empty(pg: psycopg.Connection, url: str) -> None:
    count = pg.execute(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = current_schema() and c.relkind in ('r', 'S', 'v', 'p')"
    ).fetchone()[0]
    if count:
        raise StoreError(
            f"La base {redacted(url)} n'est pas vide ({count} tables ou séquences) : une "
            "copie se fait dans une base neuve (createdb). Rien n'a été écrit."
        )


def to_postgres(source: Path, url: str) -> Copied:
    if not source.exists():
        raise StoreError(f"La base {source} n'existe pas. Rien n'a été écrit.")
    with Database(source, read_only=True) as db, db.reader() as cur:
        check_version(_schema_version(cur), f"La base {source}")
        found = tables(cur)
        before, after = postgres_schema(cur)
        sequences = cur.execute(
            "select sequence_name, last_value from duckdb_sequences()"
            " where schema_name = 'main' and database_name = current_database()"
        ).fetchall()
        with connect(url) as pg, tempfile.TemporaryDirectory(prefix="cdv-copie-") as tmp:
            _pg_is_empty(pg, url)
            try:
                with pg.transaction():
                    for statement in before:
                        pg.execute(statement)
                    for table in found.values():
                        duck_rows_into(cur, pg, table, Path(tmp))
                    for statement in after:
                        pg.execute(statement)
                    for name, last in sequences:
                        if last is not None:
                            pg.execute("select setval(%s, %s, true)", (name, last))
                    files, missing = _files_into(db, cur, pg)
                    rows = {  # each table read back and compared
                        name: _same_in_both(cur, pg, table, Path(tmp), redacted(url))
                        for name, table in found.items()
                    }
            except StoreError:
                raise
            except Exception as error:
                raise StoreError(_failed(error, redacted(url))) from error
            # the planner's statistics and the map of rows every transaction sees (an index
            # read alone needs it), at once rather than at autovacuum's pace
            pg.execute("vacuum (analyze)")
    return Copied(rows, files, missing)


def _schema_version(cur) -> int | None:
    with suppress(duckdb.Error):
        return cur.execute("select max(version) from schema_migrations").fetchone()[0]
    return None


def _files_into(db: Database, cur, pg: psycopg.Connection) -> tuple[int, int]:
    """The attached files present in the source's folder into ``stored_file_content``
    (each checked against its name); how many were copied and how many were missing
    already."""
    copied = missing = 0
    for (sha,) in cur.execute("select sha256 from stored_file order by id").fetchall():
        path = db.files_dir / sha[:2] / sha
        if not path.is_file():
            missing += 1
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != sha:
            raise StoreError(
                f"La pièce jointe {sha[:12]}… a été modifiée sur le disque (son contenu ne "
                "correspond plus à son empreinte) : rien n'a été écrit."
            )
        pg.execute(
            f"insert into {FILES_TABLE} values (%s, %s) on conflict do nothing", (sha, content)
        )
        copied += 1
    return copied, missing


def _same_in_both(cur, pg: psycopg.Connection, table: Table, folder: Path, where: str,
                  *, fill: bool = False) -> int:  # fmt: skip
    """The PostgreSQL table read into DuckDB (and, with ``fill``, inserted into the
    DuckDB table of the same name), then both compared: same count, same checksum; the
    row count, or StoreError."""
    relation = f"copied_{table.name}"
    pg_rows_into(pg, cur, table, relation, folder)
    if fill:  # a row the schema refuses fails here, the transaction with it
        cur.execute(f"insert into {table.name} select * from {relation}")
    try:
        native = pg.execute(f"select count(*) from {table.name}").fetchone()[0]
        theirs, ours = digest(cur, relation), digest(cur, table.name)
    finally:
        cur.execute(f"drop table {relation}")
    if native != ours[0] or theirs != ours:
        raise StoreError(
            f"La table « {table.name} » diffère après copie ({ours[0]} lignes dans le fichier "
            f"DuckDB, {native} dans {where}) : rien n'a été écrit."
        )
    return ours[0]


def _failed(error: Exception, where: str) -> str:
    return f"La copie vers {where} a échoué : {_reason(error)}. Rien n'a été écrit."


def _reason(error: Exception) -> str:
    """Why a copy failed, in French, naming the table when the engine does."""
    import psycopg

    if isinstance(error, duckdb.Error):
        return backup._in_french(error)
    if not isinstance(error, psycopg.Error):
        return f"{type(error).__name__}"
    diag = error.diag
    found = diag.table_name or re.search(r"COPY (\w+)", diag.context or "")
    table = found if isinstance(found, str) or found is None else found.group(1)
    where = f" (table « {table} »)" if table else ""
    reasons = {
        "22021": "une valeur contient un caractère que PostgreSQL ne peut pas garder (caractère nul)",
        "23514": "une valeur est hors des valeurs admises",
        "23502": "une valeur obligatoire manque",
        "23503": "une ligne renvoie à une ligne absente",
        "23505": "une même clé figure deux fois",
        "53100": "le disque du serveur est plein",
        "57P01": "le serveur PostgreSQL s'est arrêté pendant la copie",
    }
    if error.sqlstate in reasons:
        return reasons[error.sqlstate] + where
    if isinstance(error, psycopg.OperationalError):
        return "la connexion au serveur PostgreSQL a été perdue"
    return f"erreur du serveur PostgreSQL {error.sqlstate or ''}{where}".rstrip()


def to_duckdb(url: str, target: Path) -> Copied:
    import psycopg

    if target.exists():
        raise StoreError(
            f"Le fichier {target} existe déjà : une copie crée un fichier neuf. Rien n'a été écrit."
        )
    building = target.with_name(f".{target.name}.copie-{os.getpid()}")
    files_dir = target.with_suffix(".files")
    try:
        with connect(url) as pg, tempfile.TemporaryDirectory(prefix="cdv-copie-") as tmp:
            version = _pg_version(pg, url)
            check_version(version, f"La base {redacted(url)}")
            # one snapshot of every table, whatever other servers write meanwhile
            pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            pg.read_only = True
            with pg.transaction():
                rows, files = _build_from(pg, building, Path(tmp), files_dir)
        building.replace(target)
    except StoreError:
        raise
    except Exception as error:
        raise StoreError(_failed(error, str(target))) from error
    finally:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
    return Copied(rows, files, 0)


def _pg_version(pg: psycopg.Connection, url: str) -> int | None:
    exists = pg.execute("select to_regclass('schema_migrations') is not null").fetchone()[0]
    if not exists:
        raise StoreError(f"La base {redacted(url)} ne contient pas de suivi cdv-tracker.")
    return pg.execute("select max(version) from schema_migrations").fetchone()[0]


def _build_from(pg: psycopg.Connection, building: Path, folder: Path,
                files_dir: Path) -> tuple[dict[str, int], int]:  # fmt: skip
    with Database(building) as fresh:
        migrate(fresh)
        with fresh.transaction(affects="all") as cur:
            found = tables(cur)
            order = backup._load_order(cur, found)
            for name in reversed(order):  # rows the migrations wrote give way
                cur.execute(f"delete from {name}")
            rows = {
                name: _same_in_both(cur, pg, found[name], folder, "PostgreSQL", fill=True)
                for name in order
            }
            _sequences_from(pg, cur)
        files = _files_from(pg, files_dir)
        fresh.checkpoint()
    return rows, files


def _sequences_from(pg: psycopg.Connection, cur) -> None:
    for name, last in pg.execute(
        "select sequencename, last_value from pg_sequences where schemaname = current_schema()"
    ).fetchall():
        if last is not None:
            cur.execute(f"select max(nextval('{name}')) from range($n)", {"n": last})


def _files_from(pg: psycopg.Connection, files_dir: Path) -> int:
    count = 0
    with pg.cursor(name="cdv_files") as files:
        files.execute(f"select sha256, content from {FILES_TABLE} order by sha256")
        for sha, content in files:
            if hashlib.sha256(content).hexdigest() != sha:
                raise StoreError(f"La pièce jointe {sha[:12]}… ne correspond pas à son empreinte.")
            path = files_dir / sha[:2] / sha
            if not path.is_file():
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".partial")
                partial.write_bytes(bytes(content))
                partial.replace(path)
            count += 1
    return count
