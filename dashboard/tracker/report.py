"""Write the quarterly pack: ``<stem>.pptx``, ``<stem>.pdf`` and ``<stem>.xlsx``."""

from __future__ import annotations

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
) -> dict[str, Path]:
    """The three files of the pack, in ``out`` (created if needed); their paths by format.

    The deck and the workbook are written even when the PDF cannot be (no Unicode font):
    ``FontMissing`` then says what was written and how to install the font."""
    if template is not None and not Path(template).is_file():
        raise ValidationError(f"Modèle introuvable : {template}.")
    pack = pack_module.build(db, quarter, programme_code, public=public)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, render in (
        ("pptx", lambda: deck_bytes(pack, template)),
        ("xlsx", lambda: workbook_bytes(pack)),
    ):
        path = out / f"{pack.file_stem}.{kind}"
        path.write_bytes(render())
        written[kind] = path
    try:
        content = pdf_bytes(pack)
    except FontMissing as error:
        raise FontMissing(
            f"{error.message} Déjà écrits : {', '.join(str(p) for p in written.values())}."
        ) from error
    path = out / f"{pack.file_stem}.pdf"
    path.write_bytes(content)
    written["pdf"] = path
    return written
