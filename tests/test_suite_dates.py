"""The suite's own clock: a module's TODAY, read at import, is the day each test runs on
(a run that passes midnight compared yesterday's date with the services' today)."""

import datetime as dt

TODAY = dt.date(2000, 1, 1)  # as a module imported before midnight holds it after


def test_a_module_today_is_the_day_the_test_runs():
    assert dt.date.today() == TODAY
