"""Every page's charts reach the browser as plotly's own validated figure of them would
(``charts.Drawn``: plotly's dicts handed to Streamlit without building a Figure), titled
by the page's text rather than inside the chart."""

from __future__ import annotations

import pytest

from dashboard.tracker.db import Database
from tests.conftest import ADMIN
from tests.helpers import charts_sent, page_text, start_phases

PAGES = {
    "app_pages/overview.py": 2,  # one chronology per programme
    "app_pages/progress.py": 1,
    "app_pages/budget.py": 1,
    "app_pages/committees.py": 1,
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_charts_sent_are_plotly_s_own(signed_in, db_path, page):
    with Database(db_path) as db:  # work under way: the works calendar is drawn
        start_phases(db)
    at = signed_in(ADMIN, page, programme="EVAL-CDV-2015-2020")
    assert not at.exception, at.exception
    specs = charts_sent(at)
    assert len(specs) >= PAGES[page]
    text = page_text(at)
    for spec in specs:
        assert "text" not in spec["layout"]["title"]  # the title is the page's text
        assert spec["layout"]["margin"]["t"] == 40
        assert spec["data"] and spec["layout"]["separators"] == ",\u202f"
    assert "En bref :" in text
