"""French formats (babel): amounts, dates, quarters, percentages, unknowns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.tracker import fmt

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("100000"), f"100{NNBSP}000{NBSP}€"),
        (Decimal("1234567.50"), f"1{NNBSP}234{NNBSP}567,50{NBSP}€"),
        (Decimal("0.00"), f"0{NBSP}€"),
        (None, "non renseigné"),
    ],
)
def test_money(value, expected):
    assert fmt.money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2019, 3, 21), "21 mars 2019"),
        (dt.date(2022, 7, 1), "1er juillet 2022"),
        (dt.date(2020, 12, 31), "31 décembre 2020"),
        (None, "non renseigné"),
    ],
)
def test_dates(value, expected):
    assert fmt.date_fr(value) == expected


def test_quarters():
    assert fmt.quarter_of(dt.date(2022, 8, 15)) == (2022, 3)
    assert fmt.quarter_label(2022, 3) == "T3 2022"
    assert fmt.quarter_bounds(2022, 4) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    assert fmt.quarter_span(2022, 3) == "1er juillet – 30 septembre 2022"


def test_percent_period_and_labels():
    assert fmt.percent(45.5, 1) == f"45,5{NBSP}%"
    assert (
        fmt.period(None, dt.date(2022, 12, 31)) == "début non renseigné, terme le 31 décembre 2022"
    )
    assert fmt.label(fmt.STATUS_LABELS, "in_progress") == "en cours"
    assert fmt.label(fmt.STATUS_LABELS, None) == "non renseigné"
    assert fmt.month_year(dt.date(2019, 3, 1)) == "mars 2019"


def test_stored_utc_timestamps_are_shown_in_paris_time(monkeypatch):
    import datetime as dt

    from dashboard.tracker import fmt

    monkeypatch.delenv("CDV_TIMEZONE", raising=False)
    winter, summer = dt.datetime(2019, 3, 21, 13, 5), dt.datetime(2022, 7, 1, 22, 30)
    assert fmt.datetime_fr(winter) == "21 mars 2019 à 14:05"  # UTC+1
    assert fmt.datetime_fr(summer) == "2 juillet 2022 à 00:30"  # UTC+2, next day
    assert fmt.time_fr(summer) == "00:30"
    monkeypatch.setenv("CDV_TIMEZONE", "UTC")
    assert fmt.datetime_fr(winter) == "21 mars 2019 à 13:05"


def test_numbers_and_percents_read_the_same_whatever_the_type_they_come_in():
    """They are kept once formatted (the overview formats 502 rows at each change): an
    equal value of another type (a Decimal from the record, a float from a ratio) must
    read the same."""
    from decimal import Decimal

    assert fmt.percent(45) == fmt.percent(45.0) == fmt.percent(Decimal("45.0")) == "45\u00a0%"
    assert fmt.percent(Decimal("12.50"), 1) == fmt.percent(12.5, 1) == "12,5\u00a0%"
    assert fmt.number(Decimal("1250.50"), 2) == fmt.number(1250.5, 2) == "1\u202f250,50"
    assert fmt.percent(None) == fmt.number(None) == fmt.UNKNOWN
