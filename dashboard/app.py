"""Streamlit entry point: page config, login gate, navigation. Nothing else."""

import time

import streamlit as st

from dashboard.tracker import accessibility, fmt
from dashboard.tracker.errors import Unavailable
from dashboard.ui import data, login_form, password_form, session, sso
from dashboard.ui.layout import APP_NAME, APP_TAGLINE
from dashboard.ui.menu import (
    ADMIN_PAGES,
    LOGIN,
    NEEDS,
    NOTIFICATIONS,
    OVERVIEW_ALIAS,
    READ_PAGES,
    STATEMENT,
    WRITE_PAGES,
)
from dashboard.ui.widgets import SIMPLE_TABLES, escape_markdown, html

st.set_page_config(page_title=APP_NAME, page_icon="🏛️", layout="wide")
#: the keyboard's focus always visible (RGAA 10.7): Streamlit shows it on most controls,
#: not on the page's scrolling area, which the Tab key reaches too; and on a touch
#: screen, where a table's toolbar stays shown 44 px above it, room for that toolbar (it
#: covered the heading or the tabs above the table)
GLOBAL_CSS = (
    "<style>[data-testid='stMain']:focus-visible, [data-testid='stSidebarContent']"
    ":focus-visible {outline: 3px solid #1f4e79; outline-offset: -3px;}"
    "@media (hover: none) {[data-testid='stElementContainer']:has(> "
    "[data-testid='stFullScreenFrame'] > [data-testid='stDataFrame']) {padding-top: 44px;}}"
    "</style>"
)


#: how long a page that could not reach the shared store waits before trying again
RETRY_SECONDS = 3
#: whether this run has called st.navigation (a run that failed before has not)
NAVIGATED = False


def may_open(actor, needs: str | None) -> bool:
    if needs == "public":  # the accessibility statement: anyone, signed in or not
        return True
    if actor is None:
        return needs is None and session.public_read()
    return needs is None or actor.can(needs)


@st.cache_resource(show_spinner=False)
def _made_pages() -> dict:
    return {}


def shown(spec: dict, visible: bool) -> st.Page:
    """Every page stays routable (a link to it never ends on « page introuvable »);
    those this user cannot open are left out of the menu. Each page made once per
    process and kept (``st.Page`` resolves its file on the disk: about 5 ms of each
    run for the 26 pages, measured on the server); the same spec, the same page."""
    key = (__file__, tuple(sorted(spec.items())), visible)
    made = _made_pages()
    page = made.get(key)
    if page is None:
        page = made[key] = st.Page(**spec, visibility="visible" if visible else "hidden")
    return page


def _bell(actor) -> dict:
    """« Notifications », with the count of the unread ones (the bell of the menu)."""
    if actor is None:
        return NOTIFICATIONS
    # read afresh on each run (one count): notifications are written outside the read
    # cache's versions (a sending run changes nothing else the pages show)
    [row] = data.database().records("unread_notifications", login=actor.login)
    count = row["unread"]
    return {
        **NOTIFICATIONS,
        "title": f"Notifications ({count} non lue{'s' if count > 1 else ''})"
        if count
        else "Notifications",
    }


def navigation(actor):
    sections = {
        "Consulter": [shown(p, may_open(actor, None)) for p in READ_PAGES],
        "Mettre à jour": [shown(p, may_open(actor, "contributeur")) for p in WRITE_PAGES],
        "Administrer": [shown(p, may_open(actor, "administrateur")) for p in ADMIN_PAGES],
        "Compte": [
            shown(LOGIN, actor is None),
            shown(_bell(actor), actor is not None),
            shown(STATEMENT, True),
            shown(OVERVIEW_ALIAS, False),
        ],
    }
    signed_out = actor is None and not session.public_read()
    global NAVIGATED
    NAVIGATED = True
    return st.navigation(sections, position="hidden" if signed_out else "sidebar", expanded=True)


def hold_page() -> None:
    """Every page known, none shown, nothing run: while the shared store cannot be
    reached, the page the address names stays the one tried again (without a navigation
    of the run, the retry would land on the overview)."""
    pages = [*READ_PAGES, *WRITE_PAGES, *ADMIN_PAGES, LOGIN, NOTIFICATIONS, STATEMENT]
    st.navigation([shown(p, False) for p in pages] + [shown(OVERVIEW_ALIAS, False)],
                  position="hidden")  # fmt: skip


def sidebar(actor) -> None:
    with st.sidebar:
        if actor is not None:
            st.markdown(
                f"Connecté : **{escape_markdown(actor.name)}** ({fmt.ROLE_LABELS[actor.role]})"
            )
            if st.button("Se déconnecter", icon=":material/logout:"):
                if session.log_out(via_provider=sso.provider_signed_in()):
                    st.stop()
                st.rerun()
        elif session.public_read():
            st.caption("Consultation publique (lecture seule).")
        st.toggle(
            "Tableaux simples",
            key=SIMPLE_TABLES,
            help="Les tableaux en HTML simple (titre, en-têtes de colonnes), plus faciles à "
            "parcourir au clavier et avec un lecteur d'écran que les grilles.",
        )
        st.caption(f"**{APP_NAME}** — {APP_TAGLINE}")
        # the footer every page shares: the accessibility statement, reachable signed out
        # (« Accessibilité : partiellement conforme », as the RGAA asks: whole, where a
        # page link would cut it; relative, so that it holds behind a proxy's path)
        html(f"<p style='font-size:0.9rem;margin:0'><a href='{STATEMENT['url_path']}'>"
             f"Accessibilité : {accessibility.compliance()}</a></p>")  # fmt: skip


def demo_banner() -> None:
    """A demonstration database says so on every page, above everything else."""
    if data.records("demo_flag"):
        st.warning(
            "**Données fictives** — base de démonstration (« cdv demo ») : les territoires, "
            "indicateurs, valeurs et livrables marqués « fictif » sont inventés. Ne citez "
            "aucun de ces chiffres.",
            icon=":material/science:",
        )


def run() -> None:
    actor = session.current_actor() or sso.signed_in_actor()
    page = navigation(actor)
    demo_banner()
    st.session_state[session.PAGE_KEY] = page.url_path
    sidebar(actor)
    session.closed_session_notice()
    needs = NEEDS.get(page.url_path)
    with session.this_run(actor):
        if actor is not None and actor.provisional:
            password_form.render_required(actor)
        elif page.url_path == LOGIN["url_path"] or may_open(actor, needs):
            # the window's title says which page it is (RGAA 8.6), then the tracker's name
            st.set_page_config(page_title=f"{page.title} — {APP_NAME}")
            page.run()
        elif actor is None:
            st.set_page_config(page_title=f"{LOGIN['title']} — {APP_NAME}")
            login_form.render(session.current_path())
        else:
            session.require(needs)


html(GLOBAL_CSS)
try:
    data.catch_up()  # what other servers of the shared store wrote (PostgreSQL)
    run()
except Unavailable as error:  # PostgreSQL restarting: said, and tried again by itself
    if not NAVIGATED:
        hold_page()
    st.error(error.message, icon=":material/cloud_off:")
    st.button("Réessayer", type="primary")
    time.sleep(RETRY_SECONDS)
    st.rerun()
