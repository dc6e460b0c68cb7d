"""Attached files: accepted types recognised by their content, size limit, the same
file stored once, kept by backups and restores, and a missing file reported in
French instead of a crash."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.tracker import backup, files, users
from dashboard.tracker.db import Database
from dashboard.tracker.errors import NotFound, TrackerError, ValidationError
from tests.conftest import ADMIN
from tests.helpers import snapshot
from tests.tracker.evaluation_calls import PDF, deliverable


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def attach(db, name: str, data: bytes, entity_id: int) -> int:
    return files.attach_file(db, ADMIN, entity="deliverable", entity_id=entity_id,
                             upload=files.Upload(name, data))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rapport.pdf", b"MZ\x90\x00 not a pdf"),  # an executable named .pdf
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("note.txt", b"du texte"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 30),  # a zip that is no office file
    ],
)
def test_a_file_of_another_type_is_refused_whatever_its_name(db, name, data):
    target = deliverable(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match="type accepté"):
        attach(db, name, data, target)
    assert snapshot(db) == before
    assert not any(db.files_dir.rglob("*")) if db.files_dir.exists() else True


def test_office_files_are_recognised_by_their_parts(db):
    target = deliverable(db)
    attach(db, "rapport.docx", docx(), target)
    row = files.attachments(db, "deliverable", target)[0]
    assert row["media_type"].endswith("wordprocessingml.document")


def test_an_oversized_file_is_refused(db, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    target = deliverable(db)
    with pytest.raises(ValidationError, match="la limite est de"):
        attach(db, "gros.pdf", PDF + b"x" * 2048, target)


def test_the_same_file_twice_is_stored_once(db):
    first, second = deliverable(db), deliverable(db)
    attach(db, "rapport.pdf", PDF, first)
    attach(db, "copie.pdf", PDF, second)
    assert db.scalar("select count(*) from stored_file") == 1
    assert db.scalar("select count(*) from attachment") == 2
    assert len([p for p in db.files_dir.rglob("*") if p.is_file()]) == 1
    assert files.read(db, 2) == ("copie.pdf", "application/pdf", PDF)


def test_backup_and_restore_keep_the_files(db, db_path, tmp_path):
    users.add_user(db, ADMIN, login="admin", display_name="Admin", role="administrateur",
                   password="mot-de-passe-solide", provisional=False)  # fmt: skip
    attach(db, "rapport.pdf", PDF, deliverable(db))
    archive = tmp_path / "sauvegarde.zip"
    backup.backup(db, archive)
    with zipfile.ZipFile(archive) as opened:
        assert any(name.startswith("files/") for name in opened.namelist())
    db.close()
    target = tmp_path / "restauree.duckdb"
    backup.restore(archive, target)
    with Database(target) as restored:
        assert files.read(restored, 1) == ("rapport.pdf", "application/pdf", PDF)


def test_a_backup_whose_file_was_altered_is_refused(db, tmp_path):
    users.add_user(db, ADMIN, login="admin", display_name="Admin", role="administrateur",
                   password="mot-de-passe-solide", provisional=False)  # fmt: skip
    attach(db, "rapport.pdf", PDF, deliverable(db))
    archive = tmp_path / "sauvegarde.zip"
    backup.backup(db, archive)
    altered = tmp_path / "alteree.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(altered, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, PDF.replace(b"test", b"faux") if item.filename.startswith(
                "files/") else data)  # fmt: skip
    with pytest.raises(backup.RestoreRefused, match="pièce jointe"):
        backup.restore(altered, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()


def test_a_missing_file_is_reported_not_a_crash(db):
    attach(db, "rapport.pdf", PDF, deliverable(db))
    for path in db.files_dir.rglob("*"):
        if path.is_file():
            path.unlink()
    assert files.attachments(db, "deliverable", 1)[0]["present"] is False
    assert [row["file_name"] for row in files.missing_files(db)] == ["rapport.pdf"]
    with pytest.raises(NotFound, match="manque dans le dossier"):
        files.read(db, 1)


def test_a_file_changed_on_disk_is_reported(db):
    attach(db, "rapport.pdf", PDF, deliverable(db))
    stored = next(p for p in db.files_dir.rglob("*") if p.is_file())
    stored.write_bytes(PDF + b"modifie")
    with pytest.raises(NotFound, match="empreinte"):
        files.read(db, 1)


def test_a_detached_file_leaves_the_record_and_stays_in_the_audit(db):
    attachment = attach(db, "rapport.pdf", PDF, deliverable(db))
    files.detach_file(db, ADMIN, attachment, reason="Mauvaise version")
    assert files.attachments(db, "deliverable", 1) == []
    assert db.scalar("select count(*) from audit_log where entity = 'attachment'") == 2


def test_a_full_disk_says_so_and_leaves_nothing_half_written(db):
    """The kernel's own « no space left » (/dev/full) where the file is written: a
    French « disque plein », no row, no temporary file left."""
    import hashlib
    import os

    target = deliverable(db)
    data = docx()
    sha = hashlib.sha256(data).hexdigest()
    temporary = files.path_of(db, sha).with_name(f".{sha}.{os.getpid()}.tmp")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    temporary.symlink_to("/dev/full")
    before = snapshot(db)
    with pytest.raises(TrackerError, match="Le disque est plein"):
        attach(db, "rapport.docx", data, target)
    assert snapshot(db) == before
    assert list(temporary.parent.iterdir()) == []
