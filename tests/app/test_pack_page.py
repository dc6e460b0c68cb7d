"""Présentation trimestrielle: the preview follows the chosen quarter, the three
downloads are offered, the presentation mode shows one slide and moves with the
buttons the arrow keys are bound to."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from tests.helpers import charts_sent, page_text


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.setenv("CDV_PUBLIC_READ", "1")
    return AppTest.from_file(str(app_file()), default_timeout=60)


def open_pack(app: AppTest, **params) -> AppTest:
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("app_pages/pack.py")
    return app.run()


def shown(at: AppTest) -> str:
    return page_text(at)


def test_preview_of_a_quarter_and_its_downloads(app):
    # the COPIL of 21 March 2019 is known only from avenant n° 2, in force at the
    # earliest on 19 December 2019: the T4 2019 pack is the first to tell it
    at = open_pack(app, trimestre="2019-T1")
    assert "Réunion du comité : 21 mars 2019" not in shown(at)
    at.selectbox(key="pack-quarter").set_value((2019, 4)).run()
    assert not at.exception
    text = shown(at)
    assert "Point trimestriel — T4 2019" in text
    assert "Aucune réunion de comité enregistrée ce trimestre" in text  # held in March
    assert "21 mars 2019 · Comité de pilotage" in text  # among the decisions made known
    assert "Les phases 2 et 3 ont été validées." in text
    assert "1er octobre – 31 décembre 2019" in text
    assert "Diapositive 15 / 15" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Présentation (.pptx)", "Document (.pdf)", "Classeur (.xlsx)"]
    # another quarter, chosen in the page
    at.selectbox(key="pack-quarter").set_value((2022, 3)).run()
    text = shown(at)
    assert "Point trimestriel — T3 2022" in text and "Aucune décision ce trimestre." in text
    assert at.query_params["trimestre"] == "2022-T3"


def test_presentation_mode_one_slide_at_a_time(app, db_path):
    import datetime as dt

    from dashboard.tracker import status
    from dashboard.tracker.db import Database
    from tests.conftest import LEAD

    with Database(db_path) as db:  # a progress known in T1 2019: slide 3 has its chart
        status.change_status(db, LEAD, "phase", 2, to_status="in_progress", seen_event_id=None,
                             progress=20, occurred_on=dt.date(2019, 3, 25))  # fmt: skip
    at = open_pack(app, trimestre="2019-T1")
    [start] = [b for b in at.button if b.label == "Mode présentation"]
    at = start.click().run()
    assert "Diapositive 1 / 15" in shown(at) and "Diapositive 2 / 15" not in shown(at)
    at = at.button(key="next").click().run()
    at = at.button(key="next").click().run()
    assert "Diapositive 3 / 15" in shown(at)
    assert len(charts_sent(at)) == 1
    at = at.button(key="prev").click().run()
    assert "Chiffres clés au 31 mars 2019" in shown(at)
    at = at.button(key="quit").click().run()
    assert "Aperçu" in [s.value for s in at.header]
