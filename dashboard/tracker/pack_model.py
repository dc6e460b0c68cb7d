"""What a pack is made of: slides (lines, an optional table and chart, speaker
notes) and workbook sheets; the renderers lay them out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Chart:
    """A bar chart: categories, and one list of values per series (None: unknown, no
    bar drawn, never a bar at zero)."""

    title: str
    categories: list[str]
    series: dict[str, list[float | None]]
    number_format: str  # "percent" | "euro"
    horizontal: bool = False

    @property
    def top(self) -> float:
        """The largest known value (0 when none is known)."""
        return max((v for values in self.series.values() for v in values if v is not None),
                   default=0)  # fmt: skip


@dataclass
class Slide:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """A workbook sheet: columns with their kind (text, int, euro, percent, date)."""

    name: str
    columns: list[tuple[str, str]]
    rows: list[list]
