"""Attached files as every page shows them: a download button per file for every
reader, and, for contributors, an upload that checks the file's type and size."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import files, fmt
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data
from dashboard.ui.widgets import escape_markdown, show_error


def owner_label(row: dict) -> str:
    """What a deliverable belongs to, in words."""
    if row.get("phase_id"):
        return f"Phase {row['phase_number']}"
    if row.get("orientation_id"):
        return f"Orientation — {fmt.shorten(row['orientation_title'], 60)}"
    if row.get("action_id"):
        return f"Action — {fmt.shorten(row['action_title'], 60)}"
    return fmt.UNKNOWN


def downloads(entity: str, entity_id: int, title: str) -> None:
    """The record's files, each with its download button; a missing file is said so."""
    rows = files.attachments(data.database(), entity, entity_id)
    if not rows:
        return
    st.markdown(f"**Fichiers — {escape_markdown(fmt.shorten(title, 80))}**")
    for row in rows:
        size = fmt.number(row["size_bytes"] / 1024, 0)
        label = f"{row['file_name']} ({size} Ko, joint par {row['recorded_by']})"
        if not row["present"]:
            show_error(files.missing_message(data.database(), row["file_name"]))
            continue
        # read (and checked against its hash) when clicked, not on every run of the page
        st.download_button(  # a file's name is stored text: never read as markdown
            f"Télécharger {escape_markdown(label)}",
            lambda i=row["id"]: files.read(data.database(), i)[2],
            file_name=row["file_name"], mime=row["media_type"],
            key=f"download-{entity}-{entity_id}-{row['id']}", icon=":material/download:",
        )  # fmt: skip


def uploader(entity: str, entity_id: int, actor, *, key: str) -> None:
    """Attach a file to the record (contributors): accepted types only, checked by content."""
    extensions = [t[1].lstrip(".") for k, t in files.TYPES.items() if k != "geojson"] + ["jpeg"]
    upload = st.file_uploader(
        f"Joindre un fichier ({files.ALLOWED}, {files.MAX_BYTES // 1024 // 1024} Mo au plus)",
        type=extensions, key=key, max_upload_size=files.MAX_BYTES // 1024 // 1024,
    )  # fmt: skip
    if upload is not None and st.button("Joindre ce fichier", key=f"{key}-go", type="primary"):
        try:
            files.attach_file(data.database(), actor, entity=entity, entity_id=entity_id,
                              upload=files.Upload(upload.name, upload.getvalue()))  # fmt: skip
        except TrackerError as error:
            show_error(error, " Rien n'a été enregistré.")
        else:
            st.session_state[f"flash-attach-{key}"] = f"« {upload.name} » a été joint."
            st.session_state.pop(key, None)
            st.rerun()
    if message := st.session_state.pop(f"flash-attach-{key}", None):
        st.success(escape_markdown(message))


def section(entity: str, titles: dict[int, str], heading: str) -> None:
    """The files of the shown records of one kind (``titles``: id -> title), under
    ``heading``; nothing when none of them has a file."""
    attached = [r["entity_id"] for r in data.records("attached_records", entity=entity)]
    shown = [i for i in attached if i in titles]
    if not shown:
        return
    st.header(heading)
    for entity_id in shown:
        downloads(entity, entity_id, titles[entity_id])
