"""``cdv serve`` in real Chromium: the home page loads from a fresh database."""

from __future__ import annotations

from tests.e2e.conftest import screenshot, wait_ready


def test_home_page_loads(server, page):
    page.goto(server)
    wait_ready(page)
    body = page.inner_text("body").replace("\u202f", " ").replace("\u00a0", " ")
    assert "Vue d'ensemble" in body
    assert "Évaluation des contrats de ville 2015-2020" in body
    assert "100 000 €" in body
    assert page.locator("[data-testid='stException']").count() == 0
    assert screenshot(page, "vue-d-ensemble").stat().st_size > 10_000
