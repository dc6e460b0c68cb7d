"""What several sections of slides share: how a source is cited, how an item, a
programme's progress and a tax basis are named, the stages of the spending chain."""

from __future__ import annotations

from dashboard.tracker import fmt


def item_label(item: dict) -> str:
    if item["item_kind"] == "phase":
        return f"Phase {item['position']}"
    if item["item_kind"] == "orientation":
        rank = f"Orientation {item['position']}" if item["position"] else "Orientation"
        return f"Ph. {item['phase_number']} · {rank.lower()}" if item["phase_number"] else rank
    return "Action"


def progress_text(summary: dict) -> str:
    value = summary.get("weighted_progress")
    return fmt.percent(value) if value is not None else fmt.UNKNOWN


def progress_with_base(summary: dict) -> str:
    """``100 % (1 sur 7 renseignés)``: a weighted progress says what it rests on."""
    if summary.get("weighted_progress") is None:
        return fmt.UNKNOWN
    return (
        f"{progress_text(summary)} ({summary['progress_known']} sur "
        f"{summary['items_total']} renseignés)"
    )


def basis_title(basis: str) -> str:
    return fmt.capitalize_first(fmt.basis_phrase(basis))


STAGES = (("Alloué", "allocated"), ("Engagé", "committed"), ("Mandaté", "ordered"),
          ("Versé", "paid"))  # fmt: skip


def as_float(value) -> float | None:
    return None if value is None else float(value)
