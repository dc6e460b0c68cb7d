"""Backup and restore. A backup carries data, never code: one Parquet file per table
and a manifest (format, schema version, tables with their columns, types, row counts
and SHA-256 checksums, a summary of what it holds).

A restore reads that data only. It checks the archive (names, sizes, compression
ratio) before extracting anything, builds the schema from the project's own
migrations at the backup's schema version in a new file, loads only the listed tables
and columns (the connection can read nothing but the extracted folder), lets every
constraint check the rows, requires an active administrator and the manifest's row
counts, upgrades the result to the current schema, and only then swaps the files.
Anything else is refused with a French message and the current database untouched;
temporary files are removed whatever happens. Every account's access epoch is raised,
so that every open session signs in again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb

from dashboard.tracker import catalogue, rollups, zipsafe
from dashboard.tracker.db import Database, migrate, migration_files, utcnow
from dashboard.tracker.errors import TrackerError, ValidationError, disk_message

FORMAT = "cdv-tracker-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
#: tables rebuilt by the migrations or that must not travel
NOT_BACKED_UP = catalogue.names(backed_up=False)
MAX_ARCHIVE_BYTES = int(os.environ.get("CDV_RESTORE_MAX_MB", "500")) * 1024 * 1024
MAX_CONTENT_BYTES = 4 * MAX_ARCHIVE_BYTES
#: rows a backup may hold in all (the national data set has 1.6 million, its « 3x » 4.4)
MAX_ROWS = int(os.environ.get("CDV_RESTORE_MAX_ROWS", "10000000"))
#: Parquet is already compressed: a member that inflates 50 times is a bomb
BACKUP_LIMITS = zipsafe.Limits(
    entries=200_000, total=MAX_CONTENT_BYTES, member=MAX_CONTENT_BYTES, ratio=50
)
_MEMBER = re.compile(r"[a-z_]{1,64}\.parquet")
_FILE_MEMBER = re.compile(r"files/([0-9a-f]{64})")
_CHUNK = 1024 * 1024


class RestoreRefused(ValidationError):
    """The archive is not a backup this tracker can restore; nothing changed."""


def _refuse(reason: str) -> RestoreRefused:
    return RestoreRefused(f"Sauvegarde refusée : {reason} Rien n'a changé.")


@dataclass(frozen=True)
class Manifest:
    created_at: str
    schema_version: int
    tables: list[dict]
    summary: dict
    #: attached files carried by the backup: [{"sha256": …, "size": …}]
    files: tuple = ()

    @property
    def counts(self) -> dict[str, int]:
        return {t["name"]: t["rows"] for t in self.tables}


# -- writing ----------------------------------------------------------------------
def schema_tables(cur: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Each table a backup carries with its (column, type) list, in column order."""
    return {t: cols for t, cols in all_tables(cur).items() if t not in NOT_BACKED_UP}


def all_tables(cur: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Each table of the open database with its (column, type) list, in column order (on
    the shared store: those of the current schema, typed as DuckDB types them)."""
    catalogue = getattr(cur, "catalogue", None)
    if catalogue is not None:
        cur = catalogue()
    rows = cur.execute(
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() as c"
        " semi join duckdb_tables() as t on t.database_name = c.database_name"
        " and t.schema_name = c.schema_name and t.table_name = c.table_name"
        " where c.schema_name = 'main' and c.database_name = current_database()"
        " order by c.table_name, c.column_index"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def summary(cur: duckdb.DuckDBPyConnection) -> dict:
    """What a backup holds, in counts a person reads (the restore preview)."""

    def one(statement: str):
        return cur.execute(statement).fetchall()[0][0]

    return {
        "programmes": one("select count(*) from programme"),
        "acts": one("select count(*) from legal_act"),
        "status_events": one("select count(*) from status_event"),
        "last_status_on": _iso(one("select max(occurred_on) from status_event")),
        "payments": one("select count(*) from payment"),
        "last_payment_on": _iso(one("select max(occurred_on) from payment")),
        "meetings": one("select count(*) from meeting"),
        "accounts": one("select count(*) from app_user"),
        "last_audit_id": one("select coalesce(max(id), 0) from audit_log"),
        "last_status_event_id": one("select coalesce(max(id), 0) from status_event"),
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(db: Database, target: Path) -> dict[str, int]:
    """Write the zip; return the row count of each table."""
    partial = target.with_name(target.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="cdv-sauvegarde-") as tmp:
            folder = Path(tmp)
            manifest = _write_tables(db, folder)
            (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.write(folder / MANIFEST, MANIFEST)
                for table in manifest["tables"]:
                    archive.write(folder / table["file"], table["file"])
                for entry in manifest["files"]:
                    archive.write(db.files_dir / entry["sha256"][:2] / entry["sha256"],
                                  f"files/{entry['sha256']}")  # fmt: skip
            partial.replace(target)
    except OSError as error:
        raise TrackerError(disk_message(error, "la sauvegarde")) from error
    finally:
        partial.unlink(missing_ok=True)
    return {t["name"]: t["rows"] for t in manifest["tables"]}


def _write_tables(db: Database, folder: Path) -> dict:
    with db.reader() as cur:
        tables = schema_tables(cur)
        version = cur.execute("select max(version) from schema_migrations").fetchall()[0][0]
        entries = []
        for table, columns in sorted(tables.items()):
            path = folder / f"{table}.parquet"
            # the table name comes from the database's own catalogue, never from input
            cur.sql(f"select * from {table} order by all").write_parquet(str(path))
            entries.append(
                {
                    "name": table,
                    "file": path.name,
                    "rows": cur.execute(f"select count(*) from {table}").fetchall()[0][0],
                    "columns": [list(c) for c in columns],
                    "sha256": _sha256(path),
                }
            )
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": utcnow().isoformat(timespec="seconds"),
            "schema_version": version,
            "tables": entries,
            "summary": summary(cur),
            "files": _present_files(db, cur, tables),
        }


def _present_files(db: Database, cur, tables: dict) -> list[dict]:
    """The attached files found in the files folder (one missing on disk is left out:
    the administration page reports it)."""
    if "stored_file" not in tables:
        return []
    rows = cur.execute("select sha256, size_bytes from stored_file order by id").fetchall()
    return [
        {"sha256": sha, "size": size}
        for sha, size in rows
        if (db.files_dir / sha[:2] / sha).is_file()
    ]


# -- reading the archive ----------------------------------------------------------
def read_manifest(source: Path | BinaryIO) -> Manifest:
    """The manifest of a backup, after checking the archive's shape (for the preview).
    ``source``: a path, or an open binary file (an upload, read in memory)."""
    with _open_archive(source) as archive:
        return _manifest(archive)


def _size(source: Path | BinaryIO) -> int:
    if isinstance(source, str | os.PathLike):
        return Path(source).stat().st_size
    position = source.seek(0, os.SEEK_END)
    source.seek(0)
    return position


@contextmanager
def _open_archive(source: Path | BinaryIO):
    name = Path(source).name if isinstance(source, str | os.PathLike) else "ce fichier"
    try:
        size = _size(source)
    except OSError as error:
        raise _refuse(f"le fichier {name} est introuvable.") from error
    if size > MAX_ARCHIVE_BYTES:
        raise _refuse(
            f"le fichier dépasse {MAX_ARCHIVE_BYTES // 1024 // 1024} Mo "
            "(réglage CDV_RESTORE_MAX_MB)."
        )
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(f"{name} n'est pas une sauvegarde cdv-tracker lisible.") from error
    with archive:
        yield archive


def _manifest(archive: zipfile.ZipFile) -> Manifest:
    names = archive.namelist()
    if "schema.sql" in names or "load.sql" in names:
        raise _refuse(
            "c'est une sauvegarde à l'ancien format, qui contient du SQL exécutable et n'est "
            "plus acceptée."
        )
    if MANIFEST not in names:
        raise _refuse("ce fichier n'est pas une sauvegarde cdv-tracker (manifeste absent).")
    info = archive.getinfo(MANIFEST)
    if info.file_size > 1024 * 1024:
        raise _refuse("le manifeste est anormalement volumineux.")
    try:
        raw = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise _refuse("le manifeste est illisible.") from error
    manifest = _checked_manifest(raw)
    expected = (
        {t["file"] for t in manifest.tables}
        | {MANIFEST}
        | {f"files/{f['sha256']}" for f in manifest.files}
    )
    unexpected = sorted(set(names) - expected)
    if unexpected:
        raise _refuse(f"fichier inattendu dans l'archive : « {unexpected[0][:80]} ».")
    missing = sorted(expected - set(names))
    if missing:
        raise _refuse(f"fichier manquant dans l'archive : « {missing[0]} ».")
    _check_sizes(archive)
    return manifest


def _checked_manifest(raw: object) -> Manifest:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _refuse("ce fichier n'est pas une sauvegarde cdv-tracker (format inconnu).")
    if raw.get("format_version") != FORMAT_VERSION:
        raise _refuse(f"version de format {raw.get('format_version')!s:.20} inconnue.")
    version = raw.get("schema_version")
    known = max(v for v, _, _ in migration_files())
    if not isinstance(version, int) or not 1 <= version <= known:
        raise _refuse(
            f"elle vient d'une version plus récente de cdv-tracker (schéma {version!s:.20}, "
            f"celui-ci connaît jusqu'à {known}) : mettez à jour l'application d'abord."
        )
    tables = raw.get("tables")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise _refuse("la liste des tables du manifeste est mal formée.")
    for table in tables:
        name, file = table.get("name"), table.get("file")
        if not (
            isinstance(name, str)
            and file == f"{name}.parquet"
            and _MEMBER.fullmatch(file)
            and isinstance(table.get("rows"), int)
            and table["rows"] >= 0
            and isinstance(table.get("sha256"), str)
            and isinstance(table.get("columns"), list)
        ):
            raise _refuse(f"entrée de table mal formée dans le manifeste ({str(name)[:40]}).")
    rows = sum(t["rows"] for t in tables)
    if rows > MAX_ROWS:
        raise _refuse(
            f"elle annonce {rows} lignes, plus que les {MAX_ROWS} qu'une restauration "
            "accepte (réglage CDV_RESTORE_MAX_ROWS)."
        )
    files = raw.get("files") or []
    if not isinstance(files, list) or not all(
        isinstance(f, dict)
        and isinstance(f.get("sha256"), str)
        and _FILE_MEMBER.fullmatch(f"files/{f['sha256']}")
        and isinstance(f.get("size"), int)
        and f["size"] > 0
        for f in files
    ):
        raise _refuse("la liste des pièces jointes du manifeste est mal formée.")
    return Manifest(
        str(raw.get("created_at", ""))[:40],
        version,
        tables,
        raw.get("summary") or {},
        tuple(files),
    )


def _check_sizes(archive: zipfile.ZipFile) -> None:
    reason = zipsafe.problem(archive, BACKUP_LIMITS)
    if reason:
        raise _refuse(f"{reason} (bombe zip ?).")


def _extract(archive: zipfile.ZipFile, manifest: Manifest, folder: Path) -> None:
    """Stream each member out, counting real bytes (headers can lie), checking sums."""
    budget = MAX_CONTENT_BYTES
    for table in manifest.tables:
        info = archive.getinfo(table["file"])
        digest = hashlib.sha256()
        written = 0
        with archive.open(info) as source, open(folder / table["file"], "wb") as out:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                written += len(chunk)
                if written > info.file_size or written > budget:
                    raise _refuse(f"« {table['file']} » est plus gros qu'annoncé.")
                digest.update(chunk)
                out.write(chunk)
        budget -= written
        if digest.hexdigest() != table["sha256"]:
            raise _refuse(
                f"la table « {table['name']} » a été modifiée après la sauvegarde "
                "(somme de contrôle différente)."
            )
    (folder / "files").mkdir()
    for entry in manifest.files:
        data = archive.read(f"files/{entry['sha256']}")
        budget -= len(data)
        if budget < 0 or len(data) != entry["size"]:
            raise _refuse("une pièce jointe n'a pas la taille annoncée.")
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise _refuse("une pièce jointe a été modifiée après la sauvegarde.")
        (folder / "files" / entry["sha256"]).write_bytes(data)


def _place_files(folder: Path, files_dir: Path) -> None:
    """Put the backup's files in the restored database's files folder (content-addressed:
    a file already there is the same file)."""
    for path in sorted((folder / "files").iterdir()):
        target = files_dir / path.name[:2] / path.name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


# -- restoring --------------------------------------------------------------------
def restore(
    source: Path | BinaryIO, target: Path, *, release: Callable[[], None] | None = None
) -> dict[str, int]:
    """Replace the database file ``target`` by the backup's content (a path or an open
    binary file). Everything is checked on a new file first; ``release`` (closing the
    current database) is called only once that file is ready, just before the swap.
    The old file is kept as ``<target>.avant-restauration``."""
    building = target.with_name(f".{target.name}{_BUILDING}{os.getpid()}")
    try:
        with (
            _open_archive(source) as archive,
            tempfile.TemporaryDirectory(prefix=f"{_TEMP_PREFIX}{os.getpid()}-") as tmp,
        ):
            manifest = _manifest(archive)
            folder = Path(tmp)
            _extract(archive, manifest, folder)
            _build(building, manifest, folder)
            _place_files(folder, target.with_suffix(".files"))
        if release is not None:
            release()
        _swap(building, target)
    except OSError as error:
        raise TrackerError(disk_message(error, "la restauration")) from error
    except duckdb.Error as error:
        raise _refuse(f"ses données ne respectent pas le schéma : {_in_french(error)}.") from error
    finally:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
    return manifest.counts


_BUILDING = ".restauration-"
_TEMP_PREFIX = "cdv-restauration-"


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what a restore killed midway left (``kill -9``, a power cut): the
    half-built database beside ``target`` and the temporary folder, for restores whose
    process is gone. Called when the app or a command opens the database; the paths
    removed."""
    found = [*target.parent.glob(f".{target.name}{_BUILDING}*"),
             *Path(tempfile.gettempdir()).glob(f"{_TEMP_PREFIX}*")]  # fmt: skip
    removed = []
    for path in found:
        pid = re.match(r"\d+", path.name.rsplit(_BUILDING, 1)[-1].removeprefix(_TEMP_PREFIX))
        if pid is None or _alive(int(pid.group())):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _in_french(error: Exception) -> str:
    """What a DuckDB refusal says, in French (the table named, never the raw message)."""
    text = str(error)
    table = re.search(r'table "?([a-z_]+)"?', text)
    where = f" (table « {table.group(1)} »)" if table else ""
    if "CHECK constraint" in text:
        return f"une valeur est hors des valeurs admises{where}"
    if "NOT NULL" in text:
        return f"une valeur obligatoire manque{where}"
    if "foreign key" in text.lower():
        return f"une ligne renvoie à une ligne absente{where}"
    if "primary key" in text.lower() or "unique" in text.lower() or "Duplicate key" in text:
        return f"une même clé figure deux fois{where}"
    if "Conversion" in text or "Could not convert" in text:
        return f"une valeur n'a pas le type attendu{where}"
    return "contenu illisible"


def _build(building: Path, manifest: Manifest, folder: Path) -> None:
    with Database(building) as fresh:
        migrate(fresh, target=manifest.schema_version)
        fresh.sandbox(folder)
        with fresh.transaction(affects="all") as cur:
            expected = schema_tables(cur)
            listed = {t["name"]: t for t in manifest.tables}
            if set(listed) != set(expected):
                extra = sorted(set(listed) - set(expected))
                lacking = sorted(set(expected) - set(listed))
                raise _refuse(
                    f"les tables ne sont pas celles du schéma {manifest.schema_version} "
                    + (
                        f"(table inconnue : {extra[0]})."
                        if extra
                        else f"(table absente : {lacking[0]})."
                    )
                )
            for table in _load_order(cur, expected):
                _load(cur, table, expected[table], listed[table], folder)
            _check_content(cur)
        migrate(fresh)
        with fresh.transaction(affects="all") as cur:
            cur.execute("update app_user set access_epoch = access_epoch + 1")
            # the sums kept for speed are recomputed from the restored rows, never trusted
            rollups.refresh_all(cur)
        fresh.checkpoint()


def _load_order(cur, tables: dict) -> list[str]:
    """Tables ordered so that every referenced table is loaded before its referrers."""
    refs: dict[str, set[str]] = {t: set() for t in tables}
    for table, referenced in cur.execute(
        "select table_name, referenced_table from duckdb_constraints()"
        " where constraint_type = 'FOREIGN KEY'"
    ).fetchall():
        if table in refs and referenced in refs and referenced != table:
            refs[table].add(referenced)
    ordered: list[str] = []
    while refs:
        ready = sorted(t for t, deps in refs.items() if deps <= set(ordered))
        ordered += ready
        for t in ready:
            del refs[t]
    return ordered


def _load(cur, table: str, columns: list[tuple[str, str]], entry: dict, folder: Path) -> None:
    declared = [tuple(c) for c in entry["columns"]]
    if declared != columns:
        raise _refuse(f"les colonnes de la table « {table} » ne sont pas celles attendues.")
    path = str(folder / entry["file"])
    found = cur.execute(
        "select name, type from parquet_schema($p) where name <> 'duckdb_schema'", {"p": path}
    ).fetchall()
    if [name for name, _ in found] != [name for name, _ in columns]:
        raise _refuse(f"les colonnes du fichier « {entry['file']} » ne sont pas celles attendues.")
    # the rows the file holds, read from its footer before a single row is loaded: a
    # small Parquet file can encode millions of identical rows
    stored = cur.execute(
        "select coalesce(sum(num_rows), 0) from parquet_file_metadata($p)", {"p": path}
    ).fetchone()[0]
    if stored != entry["rows"]:
        raise _refuse(f"la table « {table} » n'a pas le nombre de lignes annoncé.")
    names = ", ".join(name for name, _ in columns)
    # table and column names come from the migrated schema (checked above), the path is
    # bound; rows a migration wrote (the login key's secret) give way to the backup's
    cur.execute(f"delete from {table}")
    cur.execute(f"insert into {table} ({names}) select {names} from read_parquet($p)", {"p": path})
    _advance_sequence(cur, table)


def _advance_sequence(cur, table: str) -> None:
    sequence = f"{table}_id_seq"
    exists = cur.execute(
        "select count(*) from duckdb_sequences() where sequence_name = $s", {"s": sequence}
    ).fetchone()[0]
    if exists:
        top = cur.execute(f"select coalesce(max(id), 0) from {table}").fetchone()[0]
        cur.execute(f"select max(nextval('{sequence}')) from range($n)", {"n": top})


def _check_content(cur) -> None:
    """What the schema's constraints cannot say: references without a foreign key, and
    the administrator who will open the restored tracker."""
    checks = {
        "un avenant renvoie à un acte absent": "select count(*) from legal_act where"
        " amends_act_id is not null and amends_act_id not in (select id from legal_act)",
        "une décision concerne un élément absent": "select count(*) from decision_item as d"
        " anti join work_item as w on w.item_kind = d.item_kind and w.item_id = d.item_id"
        " where d.item_kind <> 'deliverable'",
        "une décision concerne un livrable absent": "select count(*) from decision_item as d"
        " where d.item_kind = 'deliverable' and d.item_id not in (select id from deliverable)",
        "un statut concerne un élément absent": "select count(*) from status_event as e"
        " anti join work_item as w on w.item_kind = e.item_kind and w.item_id = e.item_id",
    }
    if "deliverable" not in schema_tables(cur):  # a backup made before the evaluation
        checks.pop("une décision concerne un livrable absent")
    for reason, statement in checks.items():
        if cur.execute(statement).fetchone()[0]:
            raise _refuse(f"{reason}.")
    admins = cur.execute(
        "select count(*) from app_user where role = 'administrateur' and active"
    ).fetchone()[0]
    if not admins:
        raise _refuse(
            "elle ne contient aucun compte administrateur actif : personne ne pourrait "
            "administrer le suivi restauré."
        )


def _swap(building: Path, target: Path) -> None:
    if target.exists():
        shutil.copy2(target, target.with_name(target.name + ".avant-restauration"))
    Path(str(target) + ".wal").unlink(missing_ok=True)
    building.replace(target)


def preview(manifest: Manifest, db: Database) -> list[str]:
    """What a restore would put back and what it would undo, in words."""
    from dashboard.tracker import fmt

    held = manifest.summary
    with db.reader() as cur:
        now = summary(cur)
        undone = cur.execute(
            "select entity, count(*) from audit_log where id > $a group by 1 order by 2 desc",
            {"a": held.get("last_audit_id", 0)},
        ).fetchall()
        statuses = cur.execute(
            "select count(*) from status_event where id > $s",
            {"s": held.get("last_status_event_id", 0)},
        ).fetchone()[0]

    def contents(figures: dict) -> str:
        parts = [
            fmt.count_of(figures.get("programmes", 0), "programme"),
            fmt.count_of(figures.get("acts", 0), "legal_act"),
            fmt.count_of(figures.get("status_events", 0), "status_event")
            + (
                f" (le dernier daté du {fmt.date_fr(dt.date.fromisoformat(figures['last_status_on']))})"
                if figures.get("last_status_on")
                else ""
            ),
            fmt.count_of(figures.get("payments", 0), "payment")
            + (
                f" (le dernier daté du {fmt.date_fr(dt.date.fromisoformat(figures['last_payment_on']))})"
                if figures.get("last_payment_on")
                else ""
            ),
            fmt.count_of(figures.get("meetings", 0), "meeting"),
            fmt.count_of(figures.get("accounts", 0), "app_user"),
        ]
        return ", ".join(parts)

    try:
        made = fmt.datetime_fr(dt.datetime.fromisoformat(manifest.created_at))
    except ValueError:
        made = fmt.UNKNOWN
    lines = [
        f"Sauvegarde faite le {made}.",
        f"Elle contient : {contents(held)}.",
        f"La base actuelle contient : {contents(now)}.",
    ]
    changes = [fmt.count_of(n, entity) for entity, n in undone if entity != "decision_item"]
    if statuses:
        changes.insert(0, fmt.count_of(statuses, "status_event"))
    lines.append(
        "Restaurer effacerait ce qui a été enregistré depuis : " + ", ".join(changes) + "."
        if changes
        else "Rien n'a été enregistré depuis cette sauvegarde."
    )
    return lines


def table_counts(db: Database) -> dict[str, int]:
    with db.reader() as cur:
        return {
            # table names from the database's own catalogue, never from input
            t: cur.execute(f"select count(*) from {t}").fetchone()[0]
            for t in sorted(schema_tables(cur))
        }
