"""What a pack is made of: slides (lines, an optional table and chart, speaker
notes) and workbook sheets, and the pack itself; the renderers (pdf, pptx, xlsx)
import only this module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.tracker import fmt


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


#: above this many programmes, slides show one line per programme rather than per phase
DETAILED_PROGRAMMES = 6


#: rows of a slide table; the rest is in the workbook
SLIDE_ROWS = 12


STATUS_LOG = "journal des statuts"


@dataclass
class Pack:
    year: int
    quarter: int
    programme_code: str | None
    programmes: list[dict]
    generated_at: dt.datetime
    meeting_on: dt.date | None
    slides: list[Slide]
    sheets: list[Sheet]
    #: made from a demonstration database: every page and slide says « données fictives »
    fictional: bool = False
    #: marked for publication: small counts hidden (statistical secrecy), at this threshold
    public_threshold: int | None = None

    @property
    def publication_note(self) -> str | None:
        if self.public_threshold is None:
            return None
        return (f"version publique : effectifs inférieurs à {self.public_threshold} masqués "
                "(« s », secret statistique)")  # fmt: skip

    @property
    def label(self) -> str:
        return fmt.quarter_label(self.year, self.quarter)

    @property
    def span(self) -> str:
        return fmt.quarter_span(self.year, self.quarter)

    @property
    def as_of(self) -> dt.date:
        return fmt.quarter_bounds(self.year, self.quarter)[1]

    @property
    def stamp(self) -> str:
        """What every page and slide carries when the data are fictional."""
        stamp = "DONNÉES FICTIVES (base de démonstration) · " if self.fictional else ""
        return stamp + ("VERSION PUBLIQUE · " if self.public_threshold is not None else "")

    @property
    def file_stem(self) -> str:
        scope = self.programme_code or "tous-programmes"
        public = "-public" if self.public_threshold is not None else ""
        return f"cdv-{self.year}-T{self.quarter}-{scope}{public}"
