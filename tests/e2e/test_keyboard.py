"""Keyboard only, in real Chromium (RGAA 7.3, 10.7, 12.7 to 12.9): a project lead signs
in, opens every page of the menu, changes a status, records a meeting with its decision
and a payment, downloads the pack, runs the presentation mode and leaves it — never a
mouse click. Every element the Tab key stops on shows its focus (something of it or of
its frame changes when it has the focus), the order runs from the skip link through the
menu to the page, and no element keeps the focus (no trap).

Then zoom and reflow (RGAA 10.4, 10.11, 10.12): at 200 % zoom and in a 320 px wide
window nothing of the page runs off the side (the page never scrolls sideways; wide
tables scroll inside their own frame), and with the text spacing of WCAG 1.4.12 no
text of a tile or a button is cut."""

from __future__ import annotations

import re

import pytest

from dashboard.ui.menu import NEEDS, READ_PAGES, WRITE_PAGES
from tests.e2e.conftest import (
    database_with_accounts,
    screenshot,
    start_server,
    stop_server,
    wait_idle,
    wait_ready,
    watch,
)
from tests.e2e.test_write_flows import PASSWORD

#: the focused element: its name as a screen reader gives it (label, aria-label,
#: labelledby, text without what is hidden from screen readers), and whether the
#: element Tab left showed that it had the focus: its style or its frame's (four levels
#: up) differs now that the focus has moved (both read once they hold still)
STEP = r"""async () => {
  const frame = () => new Promise(done => requestAnimationFrame(done));
  const text = el => { const copy = el.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach(n => n.remove());
    return copy.textContent; };
  const describe = el => {
    const by = el.getAttribute('aria-labelledby');
    const name = el.getAttribute('aria-label')
      || (by && by.split(' ').map(i => document.getElementById(i)?.innerText || '').join(' '))
      || (el.labels && el.labels[0] && text(el.labels[0])) || text(el) || el.value || '';
    return `${el.tagName.toLowerCase()}:${name.trim().replace(/\s+/g, ' ').slice(0, 100)}`;
  };
  const look = el => {
    const chain = [];
    for (let e = el, i = 0; e && i < 5; e = e.parentElement, i++) chain.push(e);
    return chain.map(e => { const s = getComputedStyle(e);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor,
              s.backgroundColor].join('|'); }).join('/');
  };
  // a widget restyles itself on focus in its own time: wait until its look (and the
  // look of the element left) holds still for three frames (sixty at most)
  const both = () => [document.activeElement, window.__kbPrevious?.el]
    .map(e => (e && e.isConnected ? look(e) : '')).join('#');
  let last = both(), still = 0;
  for (let i = 0; i < 60 && still < 3; i++) {
    await frame();
    const now = both();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const el = document.activeElement;
  const previous = window.__kbPrevious;
  // (the focus moving inside the same frame — a field to its own clear button — keeps
  // the frame's ring: nothing to judge then)
  const frameOf = e => { let f = e; for (let i = 0; i < 4 && f.parentElement; i++) f = f.parentElement; return f; };
  if (previous && previous.el !== el && previous.el.isConnected
      && !(el && frameOf(previous.el).contains(el))) {
    (window.__kbSeen = window.__kbSeen || []).push(
      {name: previous.name, shown: look(previous.el) !== previous.look});
  }
  if (!el || el === document.body) { window.__kbPrevious = null; return null; }
  window.__kbPrevious = {el, name: describe(el), look: look(el)};
  return window.__kbPrevious.name;
}"""


class Keyboard:
    """Tab and keys only; remembers every stop and whether its focus showed."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops: list[str] = []

    def tab_to(self, wanted: str, *, limit: int = 120) -> str:
        """Tab until the focused element's name matches ``wanted`` (a regex)."""
        pattern = re.compile(wanted)
        seen: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            name = self.page.evaluate(STEP)
            seen.append(str(name))
            if len(seen) >= 4 and len(set(seen[-4:])) == 1:
                raise AssertionError(f"piège au clavier sur « {name} »")
            if name and pattern.search(name):
                self.stops += seen
                # leave it and come back before using it: its focus is judged on a plain
                # move (typing or choosing changes how it looks for other reasons)
                self.page.keyboard.press("Shift+Tab")
                self.page.evaluate(STEP)
                self.page.keyboard.press("Tab")
                assert self.page.evaluate(STEP) == name
                return name
        screenshot(self.page, "echec-clavier")
        raise AssertionError(f"« {wanted} » jamais atteint au clavier ; arrêts : {seen[-40:]}")

    def forget(self) -> None:
        """After typing or choosing: the element's look is no longer its plain focus."""
        self.page.evaluate("() => { window.__kbPrevious = null; }")

    def type_in(self, wanted: str, text: str) -> None:
        self.tab_to(wanted)
        self.page.keyboard.type(text)
        self.forget()

    def choose(self, wanted: str, option: str) -> None:
        """A selectbox: reach it, type to filter its options, Enter takes the first."""
        self.tab_to(wanted)
        self.page.keyboard.type(option)
        self.page.get_by_role("option").first.wait_for(timeout=10_000)
        self.page.keyboard.press("Enter")
        self.forget()

    def press(self, wanted: str, key: str = "Enter") -> None:
        """Reach a button or a link, activate it, wait for the app's run."""
        self.tab_to(wanted)
        self.page.keyboard.press(key)
        wait_ready(self.page)
        self.forget()

    def open_page(self, title: str) -> None:
        """From the top of the page, through the menu."""
        self.page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        self.page.evaluate("() => document.body.focus()")
        self.press(f"^a:{re.escape(title)}$")
        self.page.wait_for_function(
            "title => document.title === title", arg=f"{title} — cdv-tracker", timeout=60_000
        )

    def unseen_focus(self) -> list[str]:
        seen = self.page.evaluate("() => window.__kbSeen || []")
        return sorted({s["name"] for s in seen if not s["shown"]})


@pytest.fixture(scope="module")
def lead_server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("clavier")
    db_path = database_with_accounts(folder / "cdv.duckdb", {"lea": ("Léa", "contributeur")})
    process, url, log = start_server(db_path, cwd=folder, CDV_PUBLIC_READ="0")
    yield url
    stop_server(process, log)


def test_a_project_lead_does_the_week_with_the_keyboard_only(lead_server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900},
                                  accept_downloads=True)  # fmt: skip
    page = watch(context.new_page())
    keys = Keyboard(page)
    try:
        page.goto(lead_server + "/connexion")
        wait_ready(page)
        # the skip link comes first (RGAA 12.7)
        keys.tab_to("^a:Aller au contenu principal$", limit=1)
        keys.type_in("^input:Identifiant$", "lea")
        keys.type_in("^input:Mot de passe$", PASSWORD)
        with page.expect_navigation(url=lambda u: "/_cdv/" not in u, timeout=60_000):
            page.keyboard.press("Enter")
        page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
        wait_idle(page)
        # the focus styles at once (what is shown is the same, only not animated): the
        # check compares an element focused and left a moment later
        page.add_style_tag(content="*, *::before, *::after {transition: none !important;}")

        # every page of the menu, opened from the menu
        for spec in [*READ_PAGES, *WRITE_PAGES]:
            assert NEEDS[spec["url_path"]] in (None, "contributeur")
            keys.open_page(spec["title"])

        # a status: phase 2 delivered
        keys.open_page("Mise à jour")
        keys.choose("Élément", "Exploitation du référentiel")
        wait_ready(page)
        keys.choose("Nouveau statut", "livré")
        keys.type_in("^textarea:Commentaire", "Rapport remis (au clavier).")
        keys.press("^button:Enregistrer$")
        page.get_by_test_id("stAlertContentSuccess").get_by_text("Enregistré : livré").wait_for(
            timeout=60_000
        )

        # a meeting and its decision
        keys.open_page("Réunions")
        keys.type_in("^input:Lieu$", "Marseille (au clavier)")
        keys.choose("Nature", "Validation")
        keys.type_in("^textarea:Texte de la décision", "Phase 2 validée au clavier.")
        keys.choose("Éléments concernés", "Exploitation du référentiel")
        page.keyboard.press("Escape")
        keys.press("^button:Enregistrer la séance$")
        page.get_by_text("1 élément(s) passé(s) à « validé »").wait_for(timeout=60_000)

        # a payment on the 2022 budget line
        keys.open_page("Paiements")
        keys.choose("^input:Programme", "modernisation")
        wait_ready(page)
        keys.type_in(r"^input:Montant en euros", "1 000,50")
        keys.type_in(r"^input:Référence", "ENG-CLAVIER-1")
        keys.press("^button:Enregistrer$")
        page.get_by_test_id("stAlertContentSuccess").get_by_text(
            re.compile(r"Engagement de 1\s000,50\s€ enregistré")
        ).wait_for(timeout=60_000)

        # the pack: downloaded, then shown in presentation mode and left
        keys.open_page("Présentation trimestrielle")
        keys.tab_to(r"^button:Présentation \(\.pptx\)$")
        with page.expect_download(timeout=120_000) as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename.endswith(".pptx")
        keys.press("^button:Mode présentation$")
        page.get_by_text(re.compile(r"Diapositive 1 / \d+")).wait_for(timeout=60_000)
        page.keyboard.press("ArrowRight")
        wait_ready(page)
        page.get_by_text(re.compile(r"Diapositive 2 / \d+")).wait_for(timeout=60_000)
        page.keyboard.press("Escape")
        wait_ready(page)
        page.get_by_role("button", name="Mode présentation").wait_for(timeout=60_000)
        keys.tab_to("^button:Mode présentation$")  # the page goes on by keyboard

        unseen = keys.unseen_focus()
        assert unseen == [], "\n".join(unseen)
        assert len(keys.stops) > 50
    finally:
        context.close()


#: what a person reads clipped: an element that cuts its overflow and whose text does
#: not fit (Streamlit's menu labels, which end with « … » on purpose, are not text cut)
CUT = r"""() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(el => {
  const s = getComputedStyle(el);
  if (!(s.overflowX === 'hidden' || s.overflowY === 'hidden' || s.overflow === 'clip')) return false;
  if (s.textOverflow === 'ellipsis' || !el.innerText || !el.innerText.trim()) return false;
  if (el.closest('[aria-hidden="true"], .js-plotly-plot, [data-testid="stDataFrame"]')) return false;
  return el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2;
}).map(el => el.innerText.trim().slice(0, 60))"""
SIDEWAYS = r"""() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(document.documentElement.scrollWidth - window.innerWidth,
                  main ? main.scrollWidth - main.clientWidth : 0);
}"""
#: WCAG 1.4.12's text spacing, as the usual bookmarklet sets it
SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
           "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")  # fmt: skip
REFLOW_PAGES = ["", "avancement", "budget", "comites", "echeances", "paiements", "reunions"]


@pytest.mark.parametrize("width", [320, 720])  # 720 px: 1440 px at 200 % zoom
def test_nothing_runs_off_the_side_when_zoomed_or_narrow(lead_server, browser, width):
    from tests.e2e.test_write_flows import log_in

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = watch(context.new_page())
    sideways, cut = {}, {}
    try:
        log_in(page, lead_server + "/connexion", "lea")
        for path in REFLOW_PAGES:
            page.goto(f"{lead_server}/{path}")
            wait_ready(page)
            if (extra := page.evaluate(SIDEWAYS)) > 1:
                sideways[path or "accueil"] = extra
            page.add_style_tag(content=SPACING)
            if clipped := page.evaluate(CUT):
                cut[path or "accueil"] = clipped
            screenshot(page, f"reflow-{width}-{path or 'accueil'}")
    finally:
        context.close()
    assert sideways == {}, "la page défile en largeur"
    assert cut == {}, "texte coupé avec les espacements de WCAG 1.4.12"


def test_on_a_phone_a_table_toolbar_covers_nothing(lead_server, browser):
    """On a touch screen a table's toolbar (search, full screen) stays shown above the
    table: it has its own room, over neither the heading nor the tabs above."""
    from tests.e2e.test_french import PHONE
    from tests.e2e.test_write_flows import log_in

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, **PHONE)
    page = watch(context.new_page())
    covered = {}
    try:
        log_in(page, lead_server + "/connexion", "lea")
        for path in ("budget", "paiements", "comites"):
            page.goto(f"{lead_server}/{path}")
            wait_ready(page)
            overlaps = page.evaluate(
                """() => [...document.querySelectorAll('[data-testid="stElementToolbar"]')]
                  .filter(t => getComputedStyle(t).opacity !== '0').map(t => {
                    const box = t.getBoundingClientRect();
                    let block = t.closest('[data-testid="stElementContainer"]');
                    let above = block && block.previousElementSibling;
                    while (above && above.getBoundingClientRect().height === 0)
                      above = above.previousElementSibling;
                    return above ? above.getBoundingClientRect().bottom - box.top : 0;
                  }).filter(extra => extra > 1)"""
            )
            if overlaps:
                covered[path] = overlaps
                screenshot(page, f"barre-tableau-{path}")
    finally:
        context.close()
    assert covered == {}, "barre d'outils d'un tableau posée sur l'élément au-dessus (px)"
