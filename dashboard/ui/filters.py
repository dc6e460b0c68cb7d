"""Filters kept in the URL's query string, so a filtered view can be shared."""

from __future__ import annotations

import streamlit as st


def multiselect(
    label: str, param: str, options: list[str], format_func=str, *, key: str
) -> list[str]:
    """A multiselect whose choice lives in ``?param=a&param=b``."""
    wanted = [v for v in st.query_params.get_all(param) if v in options]
    chosen = st.multiselect(
        label, options, default=wanted, format_func=format_func, key=key, placeholder="Tous"
    )
    if chosen:
        st.query_params[param] = chosen
    else:
        st.query_params.pop(param, None)
    return chosen


def item_key(kind: str, item_id: int) -> str:
    return f"{kind}-{item_id}"


def parse_item_key(value: str | None) -> tuple[str, int] | None:
    if not value or "-" not in value:
        return None
    kind, _, raw = value.partition("-")
    return (
        (kind, int(raw)) if raw.isdigit() and kind in ("phase", "orientation", "action") else None
    )
