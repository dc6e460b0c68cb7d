"""Filters kept in the URL's query string, so a filtered view can be shared."""

from __future__ import annotations

import streamlit as st

from dashboard.tracker import fmt


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


def item_picker(items: list[dict], *, key: str, label: str = "Élément") -> tuple[str, dict]:
    """One work item chosen from ``items``, kept in the URL (``?element=phase-2``)."""
    keys = [item_key(i["item_kind"], i["item_id"]) for i in items]
    by_key = dict(zip(keys, items, strict=True))
    wanted = st.query_params.get("element")
    chosen = st.selectbox(
        label,
        keys,
        index=keys.index(wanted) if wanted in keys else 0,
        key=key,
        format_func=lambda k: (
            f"{fmt.ITEM_KIND_LABELS[by_key[k]['item_kind']].capitalize()} — "
            f"{fmt.shorten(fmt.capitalize_first(by_key[k]['title']), 90)}"
        ),
    )
    st.query_params["element"] = chosen
    return chosen, by_key[chosen]
