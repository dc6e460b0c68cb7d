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
        (kind, int(raw))
        if raw.isdigit() and kind in ("phase", "orientation", "action", "deliverable")
        else None
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


def territory_key(row: dict) -> str:
    """How a territory reads in the URL: ``commune-13055``, ``qpv-QN01301M``; one that
    an act named without its code, by its id (``qpv-n12``) until the code is given."""
    return f"{row['kind']}-{row['code'] or 'n' + str(row['id'])}"


def territory(container=None, *, key: str, as_of=None) -> tuple[dict | None, set[int] | None]:
    """The territory the page is filtered by (Conseil de Territoire, commune or QPV),
    kept in the URL (``?territoire=commune-13055``), and the ids it covers (itself and
    every territory within it); (None, None) for no filter."""
    import datetime as dt

    from dashboard.ui import data

    rows = data.records("territories", as_of=as_of or dt.date.today())
    if not rows:
        return None, None
    by_key = {territory_key(r): r for r in rows}
    options = [None, *by_key]
    wanted = st.query_params.get("territoire")
    chosen = (container or st).selectbox(
        "Territoire",
        options,
        index=options.index(wanted) if wanted in options else 0,
        key=key,
        format_func=lambda k: "Tous les territoires" if k is None else fmt.territory(by_key[k]),
        help="Un Conseil de Territoire ou une commune comprend les territoires situés dedans.",
    )  # fmt: skip
    if chosen is None:
        st.query_params.pop("territoire", None)
        return None, None
    st.query_params["territoire"] = chosen
    row = by_key[chosen]
    return row, {r["id"] for r in data.records("territory_scope", territory_id=row["id"])}
