"""Attached files (a deliverable's report, an act's signed PDF, a meeting's minutes),
stored outside the database in a content-addressed folder next to it: the file whose
SHA-256 is ``abcd…`` lives at ``<base>.files/ab/abcd…``. The database keeps the hash,
size and type; the same file attached twice is stored once.

Only PDF, DOCX, XLSX, PPTX, ODT, PNG and JPEG are accepted, recognised by their first
bytes, not by the name the user gave: a file is data, never run nor shown as markup."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.tracker import fmt, validate, zipsafe
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import NotFound, ValidationError
from dashboard.tracker.records import audit, cancel_service, create, insert, require_row

MAX_BYTES = 25 * 1024 * 1024
#: type -> (French name, extension, media type)
TYPES = {
    "pdf": ("PDF", ".pdf", "application/pdf"),
    "docx": ("Word (DOCX)", ".docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel (XLSX)", ".xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("PowerPoint (PPTX)", ".pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("OpenDocument texte (ODT)", ".odt", "application/vnd.oasis.opendocument.text"),
    "png": ("PNG", ".png", "image/png"),
    "jpg": ("JPEG", ".jpg", "image/jpeg"),
    # kept, never accepted as an attachment (kind_of does not recognise it): the contours
    "geojson": ("GeoJSON", ".geojson", "application/geo+json"),
}  # fmt: skip
ALLOWED = "PDF, DOCX, XLSX, PPTX, ODT, PNG ou JPG"
ENTITY_TABLES = {"deliverable": "deliverable", "legal_act": "legal_act", "meeting": "meeting",
                 "budget_line": "budget_line",
                 "citizen_council_opinion": "citizen_council_opinion",
                 "annual_report": "annual_report",
                 "annual_report_consultation": "annual_report_consultation"}  # fmt: skip
_OOXML_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name (kept for download) and its bytes."""

    name: str
    data: bytes


def kind_of(data: bytes) -> str | None:
    """The accepted type the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
                return "odt" if mimetype == b"application/vnd.oasis.opendocument.text" else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    for kind, part in _OOXML_PART.items():
        if part in names:
            return kind
    return None


def path_of(db: Database, sha256: str) -> Path:
    return db.files_dir / sha256[:2] / sha256


def check_upload(upload: object) -> tuple[Upload, str, str]:
    """The upload, its type and hash; a French refusal for anything not accepted."""
    if not isinstance(upload, Upload) or not isinstance(upload.data, bytes):
        raise ValidationError("Aucun fichier reçu.")
    name = validate.text(upload.name, "Nom du fichier", max_len=200)
    if "/" in name or "\\" in name:
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
    if not upload.data:
        raise ValidationError(f"Le fichier « {name} » est vide.")
    if len(upload.data) > MAX_BYTES:
        raise ValidationError(
            f"Le fichier « {name} » pèse {fmt.number(len(upload.data) / 1024 / 1024, 1)} Mo : "
            f"la limite est de {MAX_BYTES // 1024 // 1024} Mo."
        )
    refused = (
        f"Le fichier « {name} » n'est pas d'un type accepté ({ALLOWED}) : son contenu a "
        "été vérifié, pas seulement son nom. Rien n'a été enregistré."
    )
    if upload.data.startswith(b"PK"):
        zipsafe.check(upload.data, name, refused)
    kind = kind_of(upload.data)
    if kind is None:
        raise ValidationError(refused)
    return Upload(name, upload.data), kind, hashlib.sha256(upload.data).hexdigest()


def _write_blob(db: Database, sha256: str, data: bytes) -> None:
    db.blobs.put(sha256, data)


def store(db: Database, data: bytes) -> str:
    """Write bytes to the content-addressed folder (before the row that names them: an
    orphan file on disk is harmless); their SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    _write_blob(db, sha256, data)
    return sha256


def stored_file(cur, actor: Actor, sha256: str, size: int, kind: str) -> int:
    """The ``stored_file`` row of these bytes (written once, audited)."""
    found = cur.execute("select id from stored_file where sha256 = $h", {"h": sha256}).fetchone()
    if found is not None:
        return found[0]
    values = {"sha256": sha256, "size_bytes": size, "media_type": TYPES[kind][2],
              "stored_by": actor.name, "stored_at": utcnow()}  # fmt: skip
    new_id = insert(cur, "stored_file", values)
    audit(cur, actor, "create", "stored_file", new_id, after={"id": new_id, **values})
    return new_id


def read_stored(db: Database, sha256: str, file_name: str) -> bytes:
    """The bytes of a stored file, checked against their hash (a French message when
    missing or changed on disk)."""
    data = db.blobs.get(sha256)
    if data is None:
        raise NotFound(missing_message(db, file_name))
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NotFound(
            f"Le fichier « {file_name} » a été modifié là où il est gardé : son empreinte ne "
            "correspond plus. Restaurez une sauvegarde ou joignez-le de nouveau."
        )
    return data


@dataclass(frozen=True)
class Prepared:
    """An upload checked and written to the files folder, ready to be attached."""

    name: str
    kind: str
    sha256: str
    size: int


def prepare(db: Database, upload: object) -> Prepared:
    """Check an upload and write its bytes (first: an orphan file on disk is harmless;
    a row naming a missing file is not)."""
    checked, kind, sha256 = check_upload(upload)
    _write_blob(db, sha256, checked.data)
    return Prepared(checked.name, kind, sha256, len(checked.data))


def attach_in(cur, actor: Actor, entity: str, entity_id: int, prepared: Prepared) -> int:
    """The attachment row of a prepared file, inside the caller's transaction."""
    file_id = stored_file(cur, actor, prepared.sha256, prepared.size, prepared.kind)
    return create(cur, actor, "attachment", {
        "file_id": file_id, "entity": entity, "entity_id": entity_id,
        "file_name": prepared.name, "recorded_by": actor.name, "recorded_at": utcnow(),
    })  # fmt: skip


@write_service("contributeur", "joindre un fichier")
def attach_file(db: Database, actor: Actor, *, entity: str, entity_id: int, upload: Upload) -> int:
    """Attach a file to a deliverable, an act, a meeting, a budget line or an opinion of
    a conseil citoyen. The bytes are written first."""
    table = validate.choice(entity, {k: k for k in ENTITY_TABLES}, "Élément")
    prepared = prepare(db, upload)
    with db.transaction() as cur:
        owner = require_row(cur, ENTITY_TABLES[table], entity_id, "Élément")
        return attach_in(cur, actor, table, owner["id"], prepared)


detach_file = cancel_service(
    "attachment", "contributeur", "retirer une pièce jointe", "detach_file", field="Pièce jointe"
)


def attachments(db: Database, entity: str, entity_id: int) -> list[dict]:
    """The live attachments of a record, each with whether its file is on disk."""
    rows = db.records("attachments", entity=entity, entity_id=entity_id)
    for row in rows:
        row["present"] = db.blobs.has(row["sha256"])
    return rows


def missing_message(db: Database, file_name: str) -> str:
    return (
        f"Le fichier « {file_name} » manque dans le dossier des pièces jointes "
        f"({db.blobs.place}) : restaurez une sauvegarde ou joignez-le de nouveau."
    )


def read(db: Database, attachment_id: int) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of an attachment; a French message when its file
    is missing on disk or does not match its hash."""
    rows = db.records("attachment_file", attachment_id=attachment_id)
    if not rows:
        raise NotFound(f"La pièce jointe n° {attachment_id} n'existe pas.")
    row = rows[0]
    return row["file_name"], row["media_type"], read_stored(db, row["sha256"], row["file_name"])


def missing_files(db: Database) -> list[dict]:
    """Attachments whose file is not on disk (the administration page lists them)."""
    rows = db.records("stored_files")
    return [row for row in rows if not db.blobs.has(row["sha256"])]
