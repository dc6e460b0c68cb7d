"""Short French names of acts, made only of what the record says (kind, number,
reference); an act with no reference is named by its programme, said as such."""

from __future__ import annotations

from dashboard.tracker import fmt


def act_name(
    kind: str,
    number: int | None,
    reference: str | None,
    amends_reference: str | None = None,
    programme_title: str | None = None,
) -> str:
    """``Convention DEVT 013-2609/17/BM``, ``Avenant n° 2 à la convention DEVT …``,
    ``Convention sans référence (programme « Modernisation … »)``."""
    label = fmt.capitalize_first(fmt.ACT_KIND_LABELS.get(kind, kind))
    if kind == "amendment":
        head = f"Avenant n° {number}" if number else "Avenant"
        if amends_reference:
            return f"{head} à la convention {amends_reference}"
        return f"{head} (programme « {programme_title} »)" if programme_title else head
    head = f"{label} n° {number}" if number else label
    if reference:
        return f"{head} {reference}"
    return f"{head} sans référence (programme « {programme_title} »)" if programme_title else head
