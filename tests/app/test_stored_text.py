"""Stored text is text: a hostile value typed into every text field (markdown image
and link, HTML image and link, Streamlit directives, LaTeX) is shown as those very
characters on every page, never turned into markup; a URL parameter is never echoed
as markup either. (The browser check of the same pages is in tests/e2e.)"""

from __future__ import annotations

import json
import re

import pytest

from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database
from tests.helpers import PAYLOAD, build_payloads, page_text

HOSTILE = Actor("piege", "administrateur", PAYLOAD[:200])
PAGES = [
    "app_pages/overview.py",
    "app_pages/progress.py",
    "app_pages/budget.py",
    "app_pages/committees.py",
    "app_pages/deadlines.py",
    "app_pages/sources.py",
    "app_pages/programme.py",
    "app_pages/pack.py",
    "app_pages/update.py",
    "app_pages/meetings.py",
    "app_pages/payments.py",
    "app_pages/bulk.py",
    "app_pages/admin.py",
]
#: what would make markup of the payload, as it would appear in a raw element body
MARKUP = [
    re.compile(r"(?<!\\)\]\(http"),  # markdown link or image
    re.compile(r"(?<!\\)<img", re.I),
    re.compile(r"(?<!\\)<a\s+href", re.I),
    re.compile(r"(?<!\\):red\["),
    re.compile(r"(?<!\\):material/"),
    re.compile(r"(?<!\\)\$x\^2"),
    re.compile(r"(?<!\\)\*\*gras"),
]


@pytest.fixture
def hostile_db(db_path):
    with Database(db_path) as db:
        build_payloads(db)
    return db_path


def markdown_bodies(at) -> list[str]:
    groups = [at.markdown, at.caption, at.title, at.subheader, at.header, at.info]
    groups += [at.warning, at.error, at.success]
    bodies = [element.value for group in groups for element in group]
    return bodies + [e.label for e in at.expander] + [t.label for t in at.tabs]


def charts_json(at) -> str:
    return "\n".join(
        json.dumps(element.proto.spec) if hasattr(element.proto, "spec") else ""
        for element in at.get("plotly_chart")
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_hostile_text_as_text(signed_in, hostile_db, page):
    at = signed_in(HOSTILE, page, programme="PIEGE")
    assert not at.exception, at.exception
    for body in markdown_bodies(at):
        for pattern in MARKUP:
            assert not pattern.search(body), f"{page}: {pattern.pattern} in {body[:200]!r}"
    for element in at.html:
        assert "evil.example/html.png>" not in element.proto.body
        assert not re.search(r"<(img|a)\s[^>]*evil", element.proto.body, re.I)
    plotted = charts_json(at)
    assert "<img" not in plotted and "<a href" not in plotted
    if page not in ("app_pages/admin.py", "app_pages/pack.py", "app_pages/deadlines.py"):
        assert "![i](http://evil.example/md.png)" in page_text(at), page


def test_a_url_parameter_is_not_echoed_as_markup(signed_in, hostile_db):
    crafted = "[Session expirée, reconnectez-vous](http://evil.example/login)"
    at = signed_in(HOSTILE, "app_pages/pack.py", mode="presentation", programme=crafted)
    assert not at.exception
    bodies = markdown_bodies(at)
    assert any("Session expirée" in body for body in bodies)
    assert not any(re.search(r"(?<!\\)\]\(http", body) for body in bodies)
