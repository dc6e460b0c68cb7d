"""French everywhere, in real Chromium: every page, every tab, as each role, at the
desktop, phone and projector sizes. Fails on any English word of the list below in
what a person reads or hears: visible text, the document title, placeholders,
tooltips (``title``) and screen-reader labels (``aria-label``) — Streamlit's and
plotly's own included."""

from __future__ import annotations

import re

import pytest

from dashboard.ui.menu import NEEDS
from tests.e2e.conftest import screenshot, wait_ready, watch
from tests.e2e.test_write_flows import log_in

#: English that Streamlit, plotly or a forgotten label could show; none is French
ENGLISH = [
    "Skip to main content", "View more", "View less", r"View \d+ more", "Upload",
    "per file", "Browse files", "Drag and drop", "Select all", "Press Enter",
    "Press Ctrl", "to submit", "Choose an option", "Choose options", "No results",
    "Clear all", "Show password", "Hide password", "Download as CSV", "Fullscreen",
    "Search", "Collapse sidebar", "Expand sidebar", "Page not found", "Zoom in",
    "Zoom out", "Autoscale", "Reset axes", "Download plot", "Produced with Plotly",
    "Toggle", "dd/mm/yyyy", "DD/MM/YYYY", "Close", "Show/hide", "Deploy", "Settings",
    "Rerun", "Made with Streamlit", "Previous month", "Next month", "Choose a date",
    "Running", "Loading", "Copy to clipboard", "Open in new", "Select a date",
    "Selected", "Clear value", "Exit fullscreen", "Show data", "Delete", "Add row",
    "Download", "Sort ascending", "Sort descending", "Increment", "Decrement",
    "Open", "Remove", "Chart", "Item", "Error", "Warning", "Info", "Success",
    "Help for", "does not seem to exist", "main page",
]  # fmt: skip
PATTERN = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")

COLLECT = """() => {
  const seen = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],[data-title]')) {
    const style = el.closest('[hidden]') ? null : el;
    if (!style) continue;
    for (const a of ['title', 'placeholder', 'aria-label', 'data-title']) {
      const v = el.getAttribute(a);
      if (v) seen.push(v);
    }
  }
  return seen.join('\\n');
}"""

#: who walks, at what size, and whether each tab is opened too: the lecteur (a comité
#: member) on a phone and on the meeting-room projector, the contributeur at a desk,
#: the administrateur at a desk through every tab of every page
#: who walks, where, at which sizes (the first one at load, the others by resizing the
#: window on the same page), and whether each tab is opened too: the lecteur (a comité
#: member) on a phone then on the meeting-room projector through the pages he reads; the
#: contributeur at a desk through the pages only a contributeur has (the others are the
#: lecteur's); the administrateur at a desk through every tab of every page
PHONE_SIZE, DESK, PROJECTOR = (390, 844), (1440, 900), (1920, 1080)
WALKS = {
    "lecteur": ("marc", (None,), [PHONE_SIZE, PROJECTOR], False),
    "contributeur": ("lea", ("contributeur",), [DESK], False),
    "administrateur": ("admin", (None, "contributeur", "administrateur"), [DESK], True),
}
SIZE_NAMES = {PHONE_SIZE: "telephone", DESK: "bureau", PROJECTOR: "projecteur"}
#: a phone as Streamlit recognises one (it closes the menu after a choice on phones)
PHONE = {
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
}


def english_on(page) -> set[str]:
    return set(PATTERN.findall(page.evaluate(COLLECT)))


def visit(page, url: str, path: str, sizes: list, with_tabs: bool, walk: str) -> dict:
    """English found on one page (at each size, in each tab), its screenshots taken."""
    page.goto(f"{url}/{path}")
    wait_ready(page)
    name = path or "vue-d-ensemble"
    found = {}
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        found[f"{name} ({SIZE_NAMES[width, height]})"] = english_on(page)
        screenshot(page, f"fr-{walk}-{SIZE_NAMES[width, height]}-{name}")
    tabs = [t.inner_text().strip() for t in page.get_by_role("tab").all()] if with_tabs else []
    for tab in tabs[1:]:
        page.get_by_role("tab", name=tab, exact=True).click()
        wait_ready(page)
        found[f"{name} › {tab}"] = english_on(page)
    return found


@pytest.mark.parametrize("walk", list(WALKS))
def test_no_english_on_any_page(signin_server, browser, walk):
    login, needs, sizes, with_tabs = WALKS[walk]
    url = signin_server[0]
    # the overview is the default page, served at « / »
    paths = ["" if p == "accueil" else p for p, need in NEEDS.items() if need in needs]
    width, height = sizes[0]
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": width, "height": height},
        **(PHONE if sizes[0] == PHONE_SIZE else {}),
    )
    page = watch(context.new_page())
    found: dict[str, set[str]] = {}
    try:
        log_in(page, url + "/connexion", login)
        for path in paths:
            found |= visit(page, url, path, sizes, with_tabs, walk)
    finally:
        context.close()
    assert {where: words for where, words in found.items() if words} == {}


def test_the_login_page_and_its_controls_are_french(signin_server, page):
    page.goto(signin_server[0] + "/paiements")
    wait_ready(page)
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    page.get_by_label("Mot de passe", exact=True).fill("x")
    assert english_on(page) == set()


def test_a_link_to_no_page_says_so_in_french(signin_server, page):
    """A mistyped or outdated link: Streamlit's own « page not found » notice, in French."""
    page.goto(signin_server[0] + "/une-page-qui-n-existe-pas")
    page.get_by_text("Page introuvable").wait_for(timeout=60_000)
    wait_ready(page)
    assert "Cette page n'existe pas : voici la page d'accueil." in page.inner_text("body")
    assert english_on(page) == set()


def test_on_a_phone_the_menu_closes_after_a_choice(signin_server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, **PHONE)
    page = watch(context.new_page())
    try:
        log_in(page, signin_server[0] + "/connexion", "marc")
        page.get_by_role("button", name="Déplier le menu").click()
        link = page.get_by_role("link", name="Budget et dépenses", exact=True)
        link.wait_for()
        link.click()
        wait_ready(page)
        page.get_by_role("button", name="Déplier le menu").wait_for()  # the menu is closed
        page.wait_for_function(
            """() => { const s = document.querySelector("[data-testid='stSidebar']");
                       const box = s.getBoundingClientRect(); return box.right <= 1; }"""
        )  # slid out of the screen
        assert "Montants alloués par les actes" in page.inner_text("body")
    finally:
        context.close()
