"""Issue 27, part 2: a small zip-based file never explodes in memory. Each path that
reads a Word, Excel, PowerPoint, OpenDocument or backup file gets a crafted bomb (one
member of 300 MB of zeros in about 300 KB), a bomb whose headers lie about its size,
an archive of too many members, and a backup whose small Parquet file holds millions
of rows: each is refused in French, nothing is written, and the peak memory of a
process that reads them all stays flat (measured in a child process)."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import duckdb
import pytest
from docx import Document
from openpyxl import Workbook
from pptx import Presentation

from dashboard.ingest import act_text, sheet_import, sheets
from dashboard.tracker import backup, files, users, zipsafe
from dashboard.tracker.errors import TrackerError, ValidationError
from dashboard.tracker.pack import pptx as pack_pptx
from dashboard.tracker.pack.model import Pack, Slide
from tests.conftest import ADMIN
from tests.helpers import snapshot
from tests.tracker.evaluation_calls import deliverable

MB = 1024 * 1024
BOMB_MB = 300
ODT = "application/vnd.oasis.opendocument.text"


# -- bombs ---------------------------------------------------------------------------------
def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


#: each path: a valid file of its kind, and the member its reader reads whole
BASES = {
    "odt": (odt, "mimetype"),
    "docx": (lambda: saved(Document()), "word/document.xml"),
    "xlsx": (lambda: saved(Workbook()), "xl/worksheets/sheet1.xml"),
    "pptx": (lambda: saved(Presentation()), "docProps/thumbnail.jpeg"),
}


def with_bomb(base: bytes, member: str, megabytes: int = BOMB_MB, *, lie: bool = False) -> bytes:
    """``base`` with ``member`` replaced by ``megabytes`` of zeros, deflated; ``lie``:
    its headers then declare 1 000 bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == member:
                with target.open(member, "w") as bomb:
                    zeros = bytes(MB)
                    for _ in range(megabytes):
                        bomb.write(zeros)
            else:
                target.writestr(info.filename, source.read(info))
    data = bytearray(out.getvalue())
    if lie:
        _declare(data, member, 1000)
    return bytes(data)


def _declare(data: bytearray, member: str, size: int) -> None:
    """Rewrite ``member``'s uncompressed size in its central and local headers."""
    position = 0
    while (position := data.find(b"PK\x01\x02", position + 1)) != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, position + 24, size)
            local = struct.unpack_from("<I", data, position + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
            return
    raise AssertionError(member)


def many_members(count: int = 2_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODT)
        for number in range(count):
            archive.writestr(f"x/{number}.xml", "<x/>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {kind: with_bomb(make(), member) for kind, (make, member) in BASES.items()}


# -- each path refuses, in French, and writes nothing --------------------------------------
def test_a_bomb_is_a_small_file(bombs):
    for data in bombs.values():
        assert len(data) < 2 * MB


def _pack() -> Pack:
    return Pack(2022, 3, None, [], dt.datetime(2022, 10, 1), None,
                [Slide("titre", "Titre")], [])  # fmt: skip


def read(kind: str, data: bytes, folder: Path) -> None:
    """Read ``data`` with the reader of ``kind`` alone (no database)."""
    path = folder / f"fichier.{kind}"
    path.write_bytes(data)
    if kind == "odt":
        files.check_upload(files.Upload(path.name, data))
    elif kind == "docx":
        act_text.read_text(path)
    elif kind == "xlsx":
        sheets.read_table(data, path.name)
    else:
        pack_pptx.deck_bytes(_pack(), path)


def read_with(kind: str, data: bytes, folder: Path, db, target: int) -> None:
    """Read ``data`` through the tracker's whole path for ``kind`` (its service);
    ``target``: the deliverable an attachment goes to."""
    if kind == "odt":
        files.attach_file(db, ADMIN, entity="deliverable", entity_id=target,
                          upload=files.Upload("rapport.odt", data))  # fmt: skip
    elif kind == "xlsx":
        sheet_import.import_sheet(db, ADMIN, kind="payments", data=data, file_name="x.xlsx")
    else:
        read(kind, data, folder)


@pytest.mark.parametrize("kind", sorted(BASES))
def test_each_path_refuses_a_bomb_and_writes_nothing(db, bombs, kind, tmp_path):
    target = deliverable(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="bombe de décompression") as caught:
        read_with(kind, bombs[kind], tmp_path, db, target)
    assert "Rien n'a été lu" in caught.value.message
    assert snapshot(db) == before


@pytest.mark.parametrize("kind", sorted(BASES))
def test_headers_that_lie_are_caught_while_reading(db, kind, tmp_path):
    make, member = BASES[kind]
    liar = with_bomb(make(), member, 30, lie=True)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert archive.getinfo(member).file_size == 1000  # the directory looks harmless
    target = deliverable(db)
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        read_with(kind, liar, tmp_path, db, target)
    assert "lisible" in caught.value.message or "type accepté" in caught.value.message
    assert "CRC" not in caught.value.message and "Error" not in caught.value.message
    assert snapshot(db) == before


def test_too_many_members_are_refused(db, tmp_path):
    with pytest.raises(ValidationError, match="2001 éléments"):
        read_with("odt", many_members(), tmp_path, db, deliverable(db))


def test_a_real_office_file_passes(tmp_path):
    for make, _ in BASES.values():
        zipsafe.check(make(), "modèle", "illisible")


# -- backups --------------------------------------------------------------------------------
@pytest.fixture
def archive(db, tmp_path) -> Path:
    users.add_user(db, ADMIN, login="chef", display_name="Chef", role="administrateur",
                   password="un mot de passe assez long", provisional=False)  # fmt: skip
    path = tmp_path / "sauvegarde.zip"
    backup.backup(db, path)
    db.checkpoint()
    return path


def millions_of_rows(archive: Path, folder: Path, rows: int, declared: int | None) -> Path:
    """The backup with its ``phase`` table repeated to ``rows`` rows (a few hundred KB
    of Parquet); the manifest says ``declared`` rows (``None``: the truth)."""
    with zipfile.ZipFile(archive) as source:
        members = {name: source.read(name) for name in source.namelist()}
    original, grown = folder / "phase.parquet", folder / "grown.parquet"
    original.write_bytes(members["phase.parquet"])
    with duckdb.connect() as con:
        con.execute(f"copy (select t.* from read_parquet('{original}') t, range({rows})) "
                    f"to '{grown}' (format parquet, row_group_size 1000000)")  # fmt: skip
        actual = con.execute(f"select count(*) from read_parquet('{grown}')").fetchone()[0]
    data = grown.read_bytes()
    manifest = json.loads(members["manifest.json"])
    entry = next(t for t in manifest["tables"] if t["name"] == "phase")
    entry["rows"] = actual if declared is None else declared
    entry["sha256"] = backup.hashlib.sha256(data).hexdigest()
    members |= {"phase.parquet": data, "manifest.json": json.dumps(manifest).encode()}
    out = folder / "lignes.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out


def test_a_backup_announcing_too_many_rows_is_refused_before_reading(
    archive, db_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(backup, "MAX_ROWS", 100_000)
    source = millions_of_rows(archive, tmp_path, 50_000, None)  # 4 phases x 50 000
    before = db_path.read_bytes()
    with pytest.raises(TrackerError, match="CDV_RESTORE_MAX_ROWS"):
        backup.restore(source, db_path)
    assert db_path.read_bytes() == before


def test_a_small_parquet_hiding_millions_of_rows_is_refused_before_loading(
    archive, db_path, tmp_path
):
    source = millions_of_rows(archive, tmp_path, 1_000_000, 4)
    assert source.stat().st_size < MB  # 4 million rows in a few KB
    before = db_path.read_bytes()
    with pytest.raises(TrackerError, match="nombre de lignes annoncé"):
        backup.restore(source, db_path)
    assert db_path.read_bytes() == before


# -- memory ---------------------------------------------------------------------------------
PROBE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from tests.tracker.test_zip_bombs import read  # imports every reader

    def peak_mb():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    folder = Path(sys.argv[2])
    grown = {}
    for kind in ("odt", "docx", "xlsx", "pptx"):
        data = (folder / f"bombe.{kind}").read_bytes()
        Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
        start = peak_mb()
        try:
            read(kind, data, folder)
            outcome = "lu"
        except Exception as error:  # the outcome is reported, the peak is what counts
            outcome = type(error).__name__
        grown[kind] = {"peak_mb": round(peak_mb() - start, 1), "outcome": outcome}
    print(json.dumps(grown))
    """
)


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux seulement")
def test_reading_the_bombs_keeps_the_peak_memory_flat(bombs, tmp_path):
    """Before this guard, each of these bombs raised the peak of the reading process by
    about 600 MB (and the PowerPoint template was read and used); now by about 0-1 MB."""
    for kind, data in bombs.items():
        (tmp_path / f"bombe.{kind}").write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", PROBE, str(root), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    grown = json.loads(done.stdout.strip().splitlines()[-1])
    for kind, figures in grown.items():
        assert figures["outcome"] == "ValidationError", (kind, figures)
        assert figures["peak_mb"] < 50, (kind, figures)
