"""Write the quarterly pack: ``<stem>.pptx``, ``<stem>.pdf`` and ``<stem>.xlsx``."""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from dashboard.tracker import pack as pack_module
from dashboard.tracker.db import Database
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.pack.pdf import FontMissing, pdf_bytes
from dashboard.tracker.pack.pptx import deck_bytes
from dashboard.tracker.pack.xlsx import workbook_bytes


def write_pack(
    db: Database,
    quarter: str,
    out: Path,
    *,
    programme_code: str | None = None,
    template: Path | None = None,
    public: bool = False,
    side_by_side: bool = False,
) -> dict[str, Path]:
    """The three files of the pack, in ``out`` (created if needed); their paths by format.

    The deck and the workbook are written even when the PDF cannot be (no Unicode font):
    ``FontMissing`` then says what was written and how to install the font.
    ``side_by_side`` (``cdv report`` on a machine of several cores): the workbook, the
    longest of the three at national scale, is written by a copy of this process while
    this one writes the deck and the PDF; if that copy fails or does not finish, this
    process writes the workbook itself."""
    if template is not None and not Path(template).is_file():
        raise ValidationError(f"Modèle introuvable : {template}.")
    pack = pack_module.build(db, quarter, programme_code, public=public)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / f"{pack.file_stem}.{kind}" for kind in ("pptx", "xlsx", "pdf")}

    def workbook() -> None:
        paths["xlsx"].write_bytes(workbook_bytes(pack))

    aside = _aside(workbook) if side_by_side else None
    paths["pptx"].write_bytes(deck_bytes(pack, template))
    try:
        content = pdf_bytes(pack)
    except FontMissing as error:
        _finish(aside, workbook)
        raise FontMissing(
            f"{error.message} Déjà écrits : {paths['pptx']}, {paths['xlsx']}."
        ) from error
    paths["pdf"].write_bytes(content)
    _finish(aside, workbook)
    return paths


#: how long the copy writing the workbook may take before this process writes it itself
ASIDE_SECONDS = 300


def _aside(render: Callable[[], None]) -> int | None:
    """``render()`` in a copy of this process (``fork``: the pack is already in its
    memory, nothing is sent over); the copy's pid, or None where there is no fork. The
    copy runs only ``render`` — pure Python writing one file — and leaves with
    ``os._exit``: no lock, connection or buffer of this process is used or closed by it."""
    if not hasattr(os, "fork"):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    with warnings.catch_warnings():  # Python >= 3.12 warns of forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the copy
        code = 1
        try:
            render()
            code = 0
        finally:
            os._exit(code)
    return pid


def _finish(pid: int | None, render: Callable[[], None]) -> None:
    """Wait for the copy ``pid``; if there is none, or it failed or took more than
    ``ASIDE_SECONDS``, ``render()`` here (the file is written whole again)."""
    if pid is not None and _succeeded(pid):
        return
    render()


def _succeeded(pid: int) -> bool:
    deadline = time.monotonic() + ASIDE_SECONDS
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return False
