"""What every creation and correction form shares: dates accepted from 1990 to 2100
(typed, never silently replaced), a fresh form after each save (so nothing is saved
twice), the version read kept across reruns (a save made meanwhile by someone else is
refused, not absorbed), a French message on refusal, an optional source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from dashboard.tracker import fmt, validate
from dashboard.tracker.citation import Source
from dashboard.tracker.errors import ConflictError, TrackerError
from dashboard.tracker.origins import Origin
from dashboard.ui.widgets import escape_markdown, show_error

#: how a date is typed, said in every date field's label (RGAA 11.10: the format is shown)
DATE_FORMAT = "JJ/MM/AAAA"


def date_field(
    label: str, value: dt.date | None = None, *, key: str, help: str | None = None
) -> dt.date | str | None:
    """A date typed as JJ/MM/AAAA, empty allowed. A calendar widget would turn an
    impossible date (30/02/2023) into another (28/02/2023); typed text is never
    replaced: an impossible or out-of-range date is said next to the field, with its
    label, and handed on as typed, so that the service refuses the save."""
    raw = st.text_input(
        f"{label} ({DATE_FORMAT})",
        value=value.strftime("%d/%m/%Y") if value else "",
        key=key,
        help=help,
        placeholder=DATE_FORMAT,
    )
    try:
        return validate.date(raw, label, required=False)
    except TrackerError as error:
        st.error(error.message, icon=":material/error:")
        return raw


def fresh(name: str) -> str:
    """The key of a form, new after each successful save."""
    return f"{name}-{st.session_state.get(f'saved-{name}', 0)}"


def flash(page: str) -> None:
    """The last save's message, at the top of the page and in a toast (seen wherever the
    page is scrolled)."""
    if message := st.session_state.pop(f"flash-{page}", None):
        st.success(escape_markdown(message))
        st.toast(escape_markdown(message), icon=":material/check_circle:")


def done(page: str, name: str, message: str) -> None:
    """After a save: a new empty form, the message on the next run, every version read
    forgotten (the next form reads the values as they are now)."""
    st.session_state[f"saved-{name}"] = st.session_state.get(f"saved-{name}", 0) + 1
    st.session_state[f"flash-{page}"] = message
    for key in [k for k in st.session_state if str(k).startswith("seen-")]:
        del st.session_state[key]
    st.rerun()


def seen_version(key: str, current: int) -> int:
    """The version this session read when it opened the form, kept across reruns."""
    return st.session_state.setdefault(f"seen-{key}", current)


def attempt(
    page: str,
    name: str,
    message: str | Callable[[], str],
    action: Callable[[], object],
    *,
    on_conflict: Callable[[ConflictError], None] | None = None,
) -> None:
    """Run a write service; on success a fresh form and ``message`` (or what it returns,
    read once the values are known good); on refusal the French message (with the
    current values for a conflict) and nothing written. ``on_conflict`` shows a
    conflict its own way (both values, and a way to re-apply over the newer one)."""
    try:
        action()
    except ConflictError as error:
        if on_conflict is not None:
            on_conflict(error)
            return
        show_error(error)
        st.session_state.pop(f"seen-{name}", None)
        st.info("Le formulaire montre maintenant la valeur actuelle : vérifiez, puis réappliquez.")
    except TrackerError as error:
        show_error(error, " Rien n'a été enregistré.")
    else:
        done(page, name, message() if callable(message) else message)


def source_fields(key: str) -> Source | None:
    """Where a fact comes from (document, article, excerpt): all three or none."""
    with st.expander("Source (document, article, extrait) — facultatif"):
        document = st.text_input("Document", key=f"{key}-doc")
        article = st.text_input("Article ou page", key=f"{key}-art")
        excerpt = st.text_area("Extrait (300 caractères au plus)", key=f"{key}-exc", max_chars=300)
    if not (document or article or excerpt):
        return None
    return Source(document, article, excerpt)


def origin_fields(key: str) -> Origin | None:
    """From when a new record exists, when it is before today: the date and its reason
    (kept in the audit); nothing given, it exists from the day it is recorded."""
    with st.expander("Existait déjà avant aujourd'hui ? (facultatif)"):
        on = date_field(
            "Existe depuis le", None, key=f"{key}-exists-on",
            help="Sans date, la fiche existe à partir d'aujourd'hui : les vues « état au » "
            "d'une date passée ne la montrent pas. Une date antérieure se justifie.",
        )  # fmt: skip
        why = st.text_input("Motif de cette date", key=f"{key}-exists-why")
    if on is None and not why:
        return None
    return Origin(stated_on=on, reason=why or None)


def choose(
    label: str,
    options: dict,
    *,
    key: str,
    none: str | None = None,
    index: int | None = 0,
):
    """A selectbox over ``{value: label}``; ``none`` adds a first « nothing » choice;
    ``index=None`` leaves it empty, to be chosen (the service refuses it left empty)."""
    values = ([None] if none is not None else []) + list(options)
    labels = {None: none, **options}
    return st.selectbox(
        label, values, index=index, key=key, format_func=lambda v: labels.get(v, str(v)),
        placeholder="Choisir…",
    )  # fmt: skip


def reason_field(key: str, *, required: bool, help: str | None = None) -> str:
    label = "Motif" + (
        " (obligatoire)" if required else " (obligatoire pour corriger un fait tiré d'un acte)"
    )
    return st.text_input(label, key=key, help=help)


def code_label(row: dict, *fields: str) -> str:
    return " · ".join(str(row[f]) for f in fields if row.get(f) not in (None, ""))


def short(text: str | None, limit: int = 80) -> str:
    return fmt.shorten(text, limit) if text else fmt.UNKNOWN


def decision_choices(programme: str, since: dt.date | None = None) -> dict[int, str]:
    """The live decisions of a programme's committees (held from ``since``), labelled
    « 4 décembre 2025 — text » for a select box."""
    from dashboard.ui import data

    return {d["decision_id"]: f"{fmt.date_fr(d['held_on'])} — {fmt.shorten(d['text'], 70)}"
            for d in data.records("decisions", programme_code=programme, since=since,
                                  until=None)}  # fmt: skip
