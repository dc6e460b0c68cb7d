"""Administration: an administrateur creates an account, downloads a backup that holds
the whole database, and reads the audit log; a contributeur has no such page."""

from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker.access import Actor
from dashboard.ui import session

ADMIN = Actor("root-admin", "administrateur", "Administratrice")


@pytest.fixture
def admin_page(signed_in):
    return signed_in(ADMIN, "app_pages/admin.py")


def test_create_an_account(admin_page):
    at = admin_page
    assert not at.exception
    at.text_input[0].input("nina")
    at.text_input[1].input("Nina")
    at.selectbox[0].set_value("contributeur")
    at.text_input[2].input("phrase de passe provisoire")
    [create] = [b for b in at.button if b.label == "Créer le compte"]
    at = create.click().run()
    assert any("Compte « nina » créé (contributeur)." in s.value for s in at.success)
    assert "nina" in at.dataframe[0].value.to_string()


def test_backup_download_holds_the_database(admin_page):
    at = admin_page
    [prepare] = [b for b in at.button if b.label == "Préparer la sauvegarde"]
    at = prepare.click().run()
    assert not at.exception
    archive = at.session_state["admin-backup"]
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = zipped.namelist()
        manifest = zipped.read("cdv-backup.txt").decode()
    assert "schema.sql" in names and "phase.parquet" in names
    assert "phase=3" in manifest


def test_audit_log_lists_the_seed(admin_page):
    at = admin_page
    shown = "\n".join(frame.value.to_string() for frame in at.dataframe)
    assert "Import des actes" in shown and "création" in shown


def test_a_contributeur_has_no_administration_page(db_path, monkeypatch):
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60)
    at.session_state[session.ACTOR_KEY] = Actor("lea", "contributeur", "Léa")
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/admin.py")
    crafted = AppTest.from_file(
        str(app_file().parent / "app_pages" / "admin.py"), default_timeout=60
    )
    crafted.session_state[session.ACTOR_KEY] = Actor("lea", "contributeur", "Léa")
    crafted.run()
    assert any("réservée au rôle administrateur" in e.value for e in crafted.error)
