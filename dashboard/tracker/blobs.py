"""Where the bytes of attached files live, by their SHA-256: a folder next to the DuckDB
file (``cdv.files/ab/abcd…``), or the table ``stored_file_content`` of the PostgreSQL
store, which every server reads (no shared folder to mount). Both take, give and say
whether they hold a file the same way; ``files`` checks the hash on the way out."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.tracker.errors import TrackerError, disk_message


class Folder:
    """Files in a folder, each under ``<first two hex digits>/<sha256>``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.place = str(folder)

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes | None:
        target = self.path(sha256)
        return target.read_bytes() if target.is_file() else None

    def put(self, sha256: str, data: bytes) -> None:
        """Written whole or not at all (a temporary file renamed)."""
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return
        temporary = target.with_name(f".{sha256}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError as error:  # a full disk: nothing half-written stays behind
            temporary.unlink(missing_ok=True)
            raise TrackerError(disk_message(error, "le fichier joint")) from error


class Table:
    """Files in the PostgreSQL store's table ``stored_file_content``; ``connect``: a
    function giving a connection of the store (in autocommit: a file is written before
    the row naming it, as on disk)."""

    def __init__(self, connect, place: str):
        self._connect = connect
        self.place = place

    def has(self, sha256: str) -> bool:
        with self._connect() as con:
            found = con.execute(
                "select 1 from stored_file_content where sha256 = %s", (sha256,)
            ).fetchone()
        return found is not None

    def get(self, sha256: str) -> bytes | None:
        with self._connect() as con:
            found = con.execute(
                "select content from stored_file_content where sha256 = %s", (sha256,)
            ).fetchone()
        return bytes(found[0]) if found else None

    def put(self, sha256: str, data: bytes) -> None:
        with self._connect() as con:
            con.execute(
                "insert into stored_file_content values (%s, %s) on conflict do nothing",
                (sha256, data),
            )
