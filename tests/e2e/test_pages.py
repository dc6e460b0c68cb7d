"""Read pages in real Chromium against ``cdv serve`` with a fresh database: the
overview's key figures, navigation, a filter and the .ics download work. (That every
page loads, draws its charts and says what each shows is checked by the walks of
test_french.py, for each role and size.)"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_ready


def body_text(page) -> str:
    return page.inner_text("body").replace("\u202f", " ").replace("\u00a0", " ")


def test_overview_key_figures(server, page):
    page.goto(server)
    wait_ready(page)
    text = body_text(page)
    assert "100 000 €" in text
    assert "dernière : 21 mars 2019" in text


def test_navigation_from_the_sidebar(server, page):
    page.goto(server)
    wait_ready(page)
    page.get_by_role("link", name="Échéances").click()
    page.wait_for_url("**/echeances")
    wait_ready(page)
    assert "31 décembre 2022" in body_text(page)


def test_a_filter_in_the_url_and_in_the_page(server, page):
    page.goto(f"{server}/avancement?programme=EVAL-CDV-2015-2020&statut=cancelled")
    wait_ready(page)
    assert "0 élément(s) affiché(s) sur 7" in body_text(page)
    page.get_by_text("abandonné", exact=False).first.wait_for()
    # remove the status filter from the page: the URL follows
    page.locator("[data-testid='stMultiSelect']").first.locator(
        "[aria-label='Tout effacer']"
    ).first.click()
    wait_ready(page)
    assert "7 élément(s) affiché(s) sur 7" in body_text(page)
    assert "statut=" not in page.url


def test_ics_download_parses(server, page):
    from icalendar import Calendar

    page.goto(f"{server}/echeances")
    wait_ready(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les échéances").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(open(download.path(), "rb").read())
    events = [c for c in calendar.walk("VEVENT")]
    starts = sorted(str(e.decoded("dtstart")) for e in events)
    assert "2022-12-31" in starts and "2020-12-31" in starts
    # article 4 of the 2022 convention allows an extension without dating it: no event
    # of its own; the term says it, with the general rule said as such
    assert not any("Dernier jour pour signer" in str(e.get("summary")) for e in events)
    assert any("règle générale" in str(e.get("description")) for e in events)


def test_keyboard_navigation_reaches_a_page(server, page):
    page.goto(server)
    wait_ready(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.innerText")
        if focused and focused.strip().endswith("Budget et dépenses"):
            break
    else:
        pytest.fail("le lien « Budget et dépenses » n'est pas atteignable au clavier")
    page.keyboard.press("Enter")
    page.wait_for_url("**/budget")
    wait_ready(page)
    assert page.locator("h1", has_text="Budget et dépenses").count() >= 1
