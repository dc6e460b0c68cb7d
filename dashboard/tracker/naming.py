"""Short French names of acts, derived from what the acts say (never invented)."""

from __future__ import annotations


def act_name(
    kind: str,
    number: int | None,
    reference: str | None,
    amends_reference: str | None = None,
    programme_title: str | None = None,
) -> str:
    """``Convention DEVT 013-2609/17/BM``, ``Avenant n° 2 à la convention DEVT …``,
    ``Convention « Modernisation de la Politique de la ville »``."""
    if kind == "amendment":
        head = f"Avenant n° {number}" if number else "Avenant"
        return f"{head} à la convention {amends_reference}" if amends_reference else head
    if reference:
        return f"Convention {reference}"
    return f"Convention « {programme_title} »" if programme_title else "Convention"
