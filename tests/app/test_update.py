"""Mise à jour: a contributeur changes a status; a second save made on a stale view is
refused with both values and can be re-applied; a lecteur gets no write page and a
crafted lecteur session cannot write."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker import status
from dashboard.tracker.access import Actor
from dashboard.ui import session
from tests.helpers import plain, start_phases

LEAD = Actor("lea", "contributeur", "Léa")
READER = Actor("rene", "lecteur", "René")


@pytest.fixture
def page(signed_in):
    def open_as(actor: Actor, **params) -> AppTest:
        return signed_in(
            actor, "app_pages/update.py" if actor.can("contributeur") else None, **params
        )

    return open_as


def test_a_contributeur_changes_a_status(page, db_path):
    at = page(LEAD, programme="EVAL-CDV-2015-2020", element="phase-2")
    assert not at.exception
    assert any("Mise à jour" == t.value for t in at.title)
    at.selectbox[2].set_value("blocked")
    at.text_area[0].input("En attente des données")
    at.button[0].click().run()  # the form's submit
    assert not at.exception
    assert any("Enregistré : bloqué" in plain(s.value) for s in at.success)
    from dashboard.ui import data

    latest = status.current_status(data.database(), "phase", 2)
    assert (latest["to_status"], latest["actor"]) == ("blocked", "Léa")


def test_a_stale_save_is_refused_then_reapplied(page):
    from dashboard.ui import data

    start_phases(data.database(), 3)
    at = page(LEAD, programme="EVAL-CDV-2015-2020", element="phase-3")
    # someone else saves phase 3 after this page was shown
    db = data.database()
    other = Actor("marc", "contributeur", "Marc")
    status.change_status(
        db,
        other,
        "phase",
        3,
        to_status="in_progress",
        seen_event_id=status.current_status(db, "phase", 3)["id"],
        progress=70,
    )
    at.selectbox[2].set_value("blocked")
    at.button[0].click().run()
    assert any("modifié par Marc" in plain(e.value) for e in at.error)
    assert (
        status.current_status(db, "phase", 3)["to_status"] == "in_progress"
    )  # nothing overwritten
    reapply = [b for b in at.button if b.label.startswith("Réappliquer")][0]
    reapply.click().run()
    assert not at.exception
    latest = status.current_status(db, "phase", 3)
    assert (latest["to_status"], latest["actor"]) == ("blocked", "Léa")


def test_a_lecteur_has_no_write_page_and_cannot_write(page, db_path):
    at = page(READER)
    assert not at.exception
    assert not any(b.label == "Enregistrer" for b in at.button)
    # the write page is out of the lecteur's menu and, opened by its link, says why...
    at.switch_page("app_pages/update.py").run()
    assert any("réservée au rôle contributeur" in plain(e.value) for e in at.error)
    assert not at.get("form")
    # ...a crafted session running its script anyway is stopped before any form...
    crafted = AppTest.from_file(
        str(app_file().parent / "app_pages" / "update.py"), default_timeout=60
    )
    crafted.session_state[session.ACTOR_KEY] = READER
    crafted.run()
    assert any("réservée au rôle contributeur" in plain(e.value) for e in crafted.error)
    assert not crafted.get("form")
    # ...and the service refuses a lecteur whatever the page does
    from dashboard.tracker.errors import PermissionDenied
    from dashboard.ui import data

    with pytest.raises(PermissionDenied):
        status.change_status(
            data.database(), READER, "phase", 2, to_status="blocked", seen_event_id=2
        )
