"""An indicator's periods: a year, a semester or a quarter, each stored as the date
it starts and read or written in French (« 2023 », « S1 2023 », « T2 2023 »)."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.tracker.errors import ValidationError

FORMS = {
    "year": "« 2023 »",
    "semester": "« S1 2023 » ou « 2023-S2 »",
    "quarter": "« T1 2023 » ou « 2023-T4 »",
}
_MONTHS = {"year": 12, "semester": 6, "quarter": 3}
_LETTER = {"semester": "S", "quarter": "T"}


def label(periodicity: str, start: dt.date) -> str:
    """« 2023 », « S2 2023 », « T4 2023 »."""
    if periodicity == "year":
        return str(start.year)
    number = (start.month - 1) // _MONTHS[periodicity] + 1
    return f"{_LETTER[periodicity]}{number} {start.year}"


def end(periodicity: str, start: dt.date) -> dt.date:
    """The period's last day."""
    month = start.month - 1 + _MONTHS[periodicity]
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse(value: object, periodicity: str, field: str = "Période") -> dt.date:
    """The start of the period written ``value``, in the indicator's periodicity. A
    date is accepted when it is a period's first day; anything else is refused."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value != start_of(periodicity, value):
            raise ValidationError(
                f"Le champ « {field} » doit être le premier jour d'une période "
                f"({label(periodicity, start_of(periodicity, value))} commence le "
                f"{start_of(periodicity, value):%d/%m/%Y})."
            )
        return value
    text = str(value or "").strip().upper().replace("Q", "T")
    year_only = re.fullmatch(r"(\d{4})", text)
    if periodicity == "year" and year_only:
        return _checked_year(int(year_only.group(1)), 1, field)
    letter = _LETTER.get(periodicity)
    if letter:
        match = re.fullmatch(rf"{letter}\s*([1-4])\s*[- ]?\s*(\d{{4}})", text) or re.fullmatch(
            rf"(\d{{4}})\s*[- ]?\s*{letter}\s*([1-4])", text
        )
        if match:
            first, second = match.groups()
            number, year = (int(first), int(second)) if len(first) == 1 else (
                int(second), int(first))  # fmt: skip
            if number <= 12 // _MONTHS[periodicity]:
                return _checked_year(year, (number - 1) * _MONTHS[periodicity] + 1, field)
    shown = str(value or "")[:30]
    raise ValidationError(
        f"Le champ « {field} » n'est pas une période de l'indicateur (reçu : « {shown} ») ; "
        f"écrivez {FORMS[periodicity]}."
    )


def start_of(periodicity: str, day: dt.date) -> dt.date:
    """The first day of the period that holds ``day``."""
    size = _MONTHS[periodicity]
    return dt.date(day.year, (day.month - 1) // size * size + 1, 1)


def _checked_year(year: int, month: int, field: str) -> dt.date:
    if not 1990 <= year <= 2100:
        raise ValidationError(f"Le champ « {field} » : année hors limites (reçu : {year}).")
    return dt.date(year, month, 1)
