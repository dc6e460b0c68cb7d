"""French everywhere, in real Chromium: every page, every tab, as each role, at the
desktop, phone and projector sizes. Fails on any English word of the list below in
what a person reads or hears: visible text, the document title, placeholders,
tooltips (``title``) and screen-reader labels (``aria-label``) — Streamlit's and
plotly's own included."""

from __future__ import annotations

import re

import pytest

from dashboard.ui.menu import ADMIN_PAGES, NEEDS, NOTIFICATIONS, READ_PAGES, WRITE_PAGES
from tests.e2e.accessibility import Audit
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
    "Help for", "does not seem to exist", "main page", "Link to heading", "App pages",
    "day", "month", "year", "start date", "end date", "unspecified", "bytes?",
    "January", "February", "March", "April", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", r"\d+(?:\.\d+)?\s?[kKMG]?B",
]  # fmt: skip
PATTERN = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")
#: a number as a person reads it in a field: « 1.00 » is English (« 1 » or « 1,5 »)
POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")

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

#: who walks, where, at which sizes (the first one at load, the others by resizing the
#: window on the same page), and whether each tab is opened too: the lecteur (a comité
#: member) on a phone, at a desk and on the meeting-room projector through the pages he
#: reads and the presentation mode; the contributeur at a desk and on a phone through the
#: pages only a contributeur has (the others are the lecteur's); the administrateur at a
#: desk and on a phone through every tab of every page (the tabs at the phone's size).
#: At each place the accessibility audit runs too (``tests/e2e/accessibility.py``).
PHONE_SIZE, DESK, PROJECTOR = (390, 844), (1440, 900), (1920, 1080)
WALKS = {
    "lecteur": ("marc", (None,), [PHONE_SIZE, DESK, PROJECTOR], False),
    "contributeur": ("lea", ("contributeur",), [DESK, PHONE_SIZE], False),
    "administrateur": ("admin", (None, "contributeur", "administrateur"), [DESK, PHONE_SIZE],
                       True),
}  # fmt: skip
#: the sizes each walk photographs (a full-page screenshot costs more than the audit)
SHOTS = {"lecteur": [PHONE_SIZE, PROJECTOR], "contributeur": [DESK], "administrateur": [DESK]}
#: pages a walk visits beyond the menu's
EXTRA = {"lecteur": ["presentation?mode=presentation"]}
SIZE_NAMES = {PHONE_SIZE: "telephone", DESK: "bureau", PROJECTOR: "projecteur"}
#: a phone as Streamlit recognises one (it closes the menu after a choice on phones)
PHONE = {
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
}


def heard(page) -> list[tuple[str, str]]:
    """What a screen reader announces: each node of Chromium's accessibility tree, its
    role and its name, description and value."""
    client = page.context.new_cdp_session(page)
    try:
        nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        client.detach()
    said = []
    for node in nodes:
        if node.get("ignored"):
            continue
        role = (node.get("role") or {}).get("value", "")
        for part in ("name", "description", "value"):
            text = str((node.get(part) or {}).get("value", "") or "")
            if text:
                said.append((role, part, text))
    return said


def english_on(page) -> set[str]:
    found = set(PATTERN.findall(page.evaluate(COLLECT)))
    for role, part, text in heard(page):
        found |= set(PATTERN.findall(text))
        if part == "value" and role in ("spinbutton", "textbox") and POINT_DECIMAL.match(text):
            found.add(f"« {text} » (point décimal dans un champ)")
    return found


#: each page's name, as the window's title must say it (« Budget et dépenses — cdv-tracker »)
TITLES = {spec["url_path"]: spec["title"]
          for spec in [*READ_PAGES, *WRITE_PAGES, *ADMIN_PAGES, NOTIFICATIONS]}  # fmt: skip


def visit(page, url: str, path: str, sizes: list, with_tabs: bool, walk: str, audit: Audit) -> dict:
    """English found on one page (at each size, in each tab), its accessibility audited,
    its screenshots taken; a window title that does not name the page is found too."""
    page.goto(f"{url}/{path}")
    wait_ready(page)
    name = (path or "vue-d-ensemble").replace("?mode=", "-")
    title = TITLES[path.split("?")[0] or "accueil"]
    found = {}
    # it loads: no exception, its charts drawn, each followed by its key figures in words
    # (a slide's chart has the slide's own lines for that)
    plots = page.locator(".js-plotly-plot").count()
    if plots:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    if "presentation" not in path and page.get_by_text("En bref :").count() < plots:
        found[f"{name} (graphique sans « En bref »)"] = {str(plots)}
    if page.locator("[data-testid='stException']").count():
        found[f"{name} (exception)"] = {
            page.locator("[data-testid='stException']").first.inner_text()
        }
    if not re.fullmatch(re.escape(title) + r"( \(\d+ non lues?\))? — cdv-tracker", page.title()):
        found[f"{name} (titre de la fenêtre)"] = {page.title()}
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        where = f"{name} ({SIZE_NAMES[width, height]})"
        audit.check(page, where)
        found[where] = english_on(page)
        if (width, height) in SHOTS[walk]:  # the others are audited, not photographed
            screenshot(page, f"fr-{walk}-{SIZE_NAMES[width, height]}-{name}")
    tabs = [t.inner_text().strip() for t in page.get_by_role("tab").all()] if with_tabs else []
    for tab in tabs[1:]:
        page.get_by_role("tab", name=tab, exact=True).click()
        wait_ready(page)
        where = f"{name} › {tab}"
        audit.check(page, where)
        found[where] = english_on(page)
    return found


def passed(audit: Audit) -> None:
    """No serious or critical violation; no rule failing on more places than in the last
    audit (the figures saved for the statement)."""
    before = audit.save()
    assert audit.blocking() == {}
    assert audit.worse_than(before) == {}, (
        "plus de violations qu'au dernier audit (data/accessibility/audit.json)"
    )


@pytest.mark.parametrize("walk", list(WALKS))
def test_every_page_is_french_and_accessible(signin_server, browser, walk):
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
    audit = Audit(walk)
    try:
        log_in(page, url + "/connexion", login)
        for path in paths + EXTRA.get(walk, []):
            found |= visit(page, url, path, sizes, with_tabs, walk, audit)
    finally:
        context.close()
    assert {where: words for where, words in found.items() if words} == {}
    passed(audit)


#: what anyone reaches without signing in: the login form (any page's address shows it),
#: the notice of a link to no page and the accessibility statement
ANONYMOUS = {"connexion": "/paiements", "page-introuvable": "/une-page-qui-n-existe-pas",
             "accessibilite": "/accessibilite"}  # fmt: skip


def test_pages_without_signing_in_are_french_and_accessible(signin_server, browser):
    audit, found = Audit("sans-connexion"), {}
    context = browser.new_context(locale="fr-FR", viewport={"width": DESK[0], "height": DESK[1]})
    page = watch(context.new_page())
    try:
        for name, path in ANONYMOUS.items():
            page.goto(signin_server[0] + path)
            wait_ready(page)
            expected = {"connexion": "Connexion", "accessibilite": "Déclaration d'accessibilité"}
            if name in expected and page.title() != f"{expected[name]} — cdv-tracker":
                found[f"{name} (titre de la fenêtre)"] = {page.title()}
            for width, height in (DESK, PHONE_SIZE):
                page.set_viewport_size({"width": width, "height": height})
                where = f"{name} ({SIZE_NAMES[width, height]})"
                audit.check(page, where)
                found[where] = english_on(page)
                screenshot(page, f"a11y-{name}-{SIZE_NAMES[width, height]}")
    finally:
        context.close()
    assert {where: words for where, words in found.items() if words} == {}
    passed(audit)


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
