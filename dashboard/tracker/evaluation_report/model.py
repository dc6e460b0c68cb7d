"""What an evaluation report is made of: numbered sections of paragraphs, bullet lists,
tables and figures (each with its source), and the report itself; the renderers
(docx, pdf) import only this module and ``figures``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    source: str
    note: str | None = None


@dataclass
class Figure:
    """A bar chart of values per period, one series per territory (None: unknown or
    secret, no bar drawn), with its alternative text and the data table beside it."""

    number: int
    title: str
    periods: list[str]
    series: dict[str, list[float | None]]
    unit: str
    alt: str
    table: Table


@dataclass
class MapFigure:
    """An indicator's values of one period on a map of the territories' contours (drawn
    offline), with its text alternative and the table of what it shows."""

    number: int
    title: str
    areas: list  # contours.Area
    unit: str
    ratio: float
    alt: str
    table: Table


@dataclass
class Section:
    level: int  # 1, 2 or 3: « Titre 1/2/3 »
    title: str
    #: str | list[str] (bullets) | Table | Figure | MapFigure
    blocks: list = field(default_factory=list)


@dataclass
class Report:
    programme_code: str
    programme_title: str
    as_of: dt.date
    generated_at: dt.datetime
    sections: list[Section]
    #: « Projet » on every page until a committee decision validates the report
    draft: bool = True
    validated_note: str | None = None
    fictional: bool = False
    threshold: int = 11
    #: what the document is (the rapport annuel uses the same renderers)
    heading: str = "Rapport d'évaluation"
    stem: str = "rapport-evaluation"
    subject: str = "Évaluation"
    draft_note: str = "PROJET — non validé par le comité"

    @property
    def title(self) -> str:
        return f"{self.heading} — {self.programme_title}"

    @property
    def stamp(self) -> str:
        """What every page carries: « PROJET », « DONNÉES FICTIVES »."""
        parts = []
        if self.draft:
            parts.append(self.draft_note)
        if self.fictional:
            parts.append("DONNÉES FICTIVES (base de démonstration)")
        return " · ".join(parts)

    @property
    def file_stem(self) -> str:
        return f"{self.stem}-{self.programme_code}-{self.as_of.isoformat()}"

    @property
    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    @property
    def maps(self) -> list[MapFigure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, MapFigure)]
