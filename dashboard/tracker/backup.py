"""Backup and restore: EXPORT DATABASE (Parquet) zipped into one file, and back.

A restore builds the new database beside the target, checks it, and only then
swaps it in: an interrupted or failed restore leaves the current database as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb

from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.export import TABLES

MARKER = "cdv-backup.txt"


def backup(db: Database, target: Path) -> dict[str, int]:
    """Write a zip holding the whole database; return the row count of each table."""
    counts = table_counts(db)
    with tempfile.TemporaryDirectory() as tmp:
        export_dir = Path(tmp) / "export"
        with db.reader() as cur:
            cur.execute(f"export database {_literal(export_dir)} (format parquet)")
        (export_dir / MARKER).write_text(
            "cdv-tracker backup\n" + "\n".join(f"{t}={n}" for t, n in counts.items()) + "\n",
            encoding="utf-8",
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(export_dir.iterdir()):
                archive.write(path, path.name)
        partial.replace(target)
    return counts


def read_manifest(archive_path: Path) -> dict[str, int]:
    """The table counts a backup holds (for a preview before restoring)."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            text = archive.read(MARKER).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, FileNotFoundError) as error:
        raise ValidationError(
            f"{archive_path} n'est pas une sauvegarde cdv-tracker lisible."
        ) from error
    counts = {}
    for line in text.splitlines()[1:]:
        table, _, count = line.partition("=")
        counts[table] = int(count)
    return counts


def restore(archive_path: Path, target: Path) -> dict[str, int]:
    """Replace the database file ``target`` by the backup's content. The target must not
    be open (the caller closes it); the old file is kept as ``<target>.avant-restauration``."""
    expected = read_manifest(archive_path)
    with tempfile.TemporaryDirectory() as tmp:
        import_dir = Path(tmp) / "import"
        with zipfile.ZipFile(archive_path) as archive:
            for name in archive.namelist():
                if "/" in name or name.startswith(".."):
                    raise ValidationError("Sauvegarde refusée : chemin de fichier inattendu.")
            archive.extractall(import_dir)
        building = target.with_name(target.name + ".restauration")
        building.unlink(missing_ok=True)
        con = duckdb.connect(str(building))
        try:
            con.execute(f"import database {_literal(import_dir)}")
            con.execute("checkpoint")
        finally:
            con.close()
        with Database(building) as fresh:
            got = table_counts(fresh)
        if got != expected:
            building.unlink(missing_ok=True)
            raise ValidationError(
                "La sauvegarde est incomplète : restauration annulée, rien n'a changé."
            )
    if target.exists():
        shutil.copy2(target, target.with_name(target.name + ".avant-restauration"))
    Path(str(target) + ".wal").unlink(missing_ok=True)
    building.replace(target)
    return got


def _literal(path: Path) -> str:
    """EXPORT / IMPORT DATABASE take no parameters: quote our own temporary path."""
    return "'" + str(path).replace("'", "''") + "'"


def table_counts(db: Database) -> dict[str, int]:
    with db.reader() as cur:
        present = {r[0] for r in cur.execute("select table_name from duckdb_tables()").fetchall()}
        return {
            # table names from the fixed TABLES list, never from input
            t: cur.execute(f"select count(*) from {t}").fetchone()[0]
            for t in TABLES
            if t in present
        }
