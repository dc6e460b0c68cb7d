"""AppTest: every page renders without exception and shows its key facts."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    return AppTest.from_file(str(app_file()), default_timeout=30)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts).replace("\u202f", " ").replace("\u00a0", " ")


def test_overview_renders_the_seeded_programmes(app):
    at = app.run()
    assert not at.exception
    shown = texts(at)
    assert "Évaluation des contrats de ville 2015-2020" in shown
    assert "Modernisation de la Politique de la ville" in shown
    assert "100 000 €" in shown
    assert "Phases livrées 1 / 3" in shown
    assert "données au" in shown
    assert "Avenant n° 1" in shown
