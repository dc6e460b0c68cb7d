"""AppTest sessions of a logged-in actor (no public read access)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker.access import Actor
from dashboard.ui import session


@pytest.fixture
def signed_in(db_path, monkeypatch):
    """``signed_in(actor, page=None, **query)``: the app run as ``actor``, then on ``page``."""
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)

    def open_as(actor: Actor, page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(str(app_file()), default_timeout=60)
        at.session_state[session.ACTOR_KEY] = actor
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return open_as
