"""Short French names of acts, made only of what the record says: the short name a
person gave it (« nom court saisi »), else its kind, number and reference, else its
own title cut at a word — never a name the act does not carry."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.tracker import fmt

#: how long an act's own title may be when it names the act
TITLE_LIMIT = 70


def act_name(act: Mapping) -> str:
    """``Convention DEVT 013-2609/17/BM``, ``Avenant n° 2 à la convention DEVT …``, a
    short name given by a person, or the act's title cut at a word. ``act``: a row with
    ``kind``, ``number``, ``reference``, ``title`` and, when known, ``short_name`` and
    ``amends_reference``."""
    if act.get("short_name"):
        return act["short_name"]
    kind, number, reference = act.get("kind"), act.get("number"), act.get("reference")
    label = fmt.capitalize_first(fmt.ACT_KIND_LABELS.get(kind, kind or "acte"))
    if kind == "amendment":
        head = f"Avenant n° {number}" if number else "Avenant"
        if act.get("amends_reference"):
            return f"{head} à la convention {act['amends_reference']}"
    elif reference:
        return f"{label} n° {number} {reference}" if number else f"{label} {reference}"
    if act.get("title"):
        return fmt.shorten(act["title"], TITLE_LIMIT)
    return f"{label} n° {number}" if number else label


def act_row(row: Mapping, prefix: str = "act_") -> dict:
    """An act's naming fields out of a row that prefixes them (``act_kind`` …)."""
    return {
        key: row.get(f"{prefix}{key}")
        for key in ("kind", "number", "reference", "title", "short_name")
    } | {"amends_reference": row.get("amends_reference")}
