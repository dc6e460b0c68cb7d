"""Zip-based files (Word, Excel, PowerPoint and OpenDocument files, the backups) are
read only after their archive is checked, so that a small file cannot explode in
memory (a « bombe zip »). The limits live here, in one place:

- the central directory first: at most ``entries`` members, declared sizes adding up
  to at most ``total`` bytes, no member over ``member`` bytes, and no member over 1 MB
  that claims to inflate more than ``ratio`` times its compressed size;
- then (``check``) every member is inflated once, in chunks, counting the real bytes:
  headers can lie, and a damaged member (a bad CRC) is refused here, in French, rather
  than halfway through a library's read.

A refusal is a ``ValidationError`` in French that names the file; nothing has been
read into memory beyond one chunk."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dashboard.tracker.errors import ValidationError

_CHUNK = 1024 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    entries: int = 1_000
    total: int = 100 * _MB
    member: int = 25 * _MB
    ratio: int = 100


#: what an office document the tracker reads may hold (an act of 1 000 pages has a
#: document.xml of about 5 MB; python-docx and python-pptx parse every part whole)
DOCUMENT = Limits()


def _open(source: bytes | Path | BinaryIO) -> zipfile.ZipFile:
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    return zipfile.ZipFile(source)


def problem(archive: zipfile.ZipFile, limits: Limits = DOCUMENT) -> str | None:
    """What the central directory announces beyond ``limits`` (French), or None."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        return f"elle contient {len(infos)} éléments (au plus {limits.entries})"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member:
            return (
                f"l'élément « {info.filename[:60]} » se décompresse en "
                f"{info.file_size // _MB} Mo (au plus {limits.member // _MB} Mo)"
            )
        if info.file_size > _MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            return f"l'élément « {info.filename[:60]} » se décompresse de façon anormale"
    if total > limits.total:
        return (
            f"son contenu décompressé atteint {total // _MB} Mo (au plus {limits.total // _MB} Mo)"
        )
    return None


def check(
    source: bytes | Path | BinaryIO,
    name: str,
    unreadable: str,
    limits: Limits = DOCUMENT,
) -> None:
    """Refuse a zip-based file that is not a readable archive within ``limits``;
    ``unreadable`` is the French message for a damaged archive (or no archive)."""
    try:
        with _open(source) as archive:
            reason = problem(archive, limits)
            if reason:
                raise _refused(name, reason)
            budget = limits.total
            for info in archive.infolist():
                budget -= _inflate(archive, info, name, min(limits.member, budget))
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            OSError, ValueError, RuntimeError) as error:  # fmt: skip
        raise ValidationError(unreadable) from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> int:
    """Inflate one member chunk by chunk (never whole in memory); its real size."""
    read = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            read += len(chunk)
            if read > budget:
                raise _refused(name, f"l'élément « {info.filename[:60]} » est plus gros qu'annoncé")
    return read


def _refused(name: str, reason: str) -> ValidationError:
    return ValidationError(
        f"« {name} » est refusé : son archive est anormale ({reason}), ce qui ressemble à une bombe de décompression. "
        "Rien n'a été lu."
    )
