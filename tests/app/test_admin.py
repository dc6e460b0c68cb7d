"""Administration: an administrateur creates an account, downloads a backup that holds
the whole database, and reads the audit log; a contributeur has no such page."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.resources import app_file
from dashboard.tracker import backup as backup_module
from dashboard.tracker import users
from dashboard.tracker.access import SEED_ACTOR, Actor
from dashboard.tracker.db import Database
from dashboard.ui import session
from tests.helpers import page_text, plain

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
    assert any("Compte « nina » créé (contributeur)." in plain(s.value) for s in at.success)
    assert "nina" in at.dataframe[0].value.to_string()


def test_backup_download_holds_the_database(admin_page):
    at = admin_page
    [prepare] = [b for b in at.button if b.label == "Préparer la sauvegarde"]
    at = prepare.click().run()
    assert not at.exception
    archive = at.session_state["admin-backup"]
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = zipped.namelist()
        manifest = json.loads(zipped.read("manifest.json"))
    assert "phase.parquet" in names and not [n for n in names if n.endswith(".sql")]
    assert {"name": "phase", "rows": 3} in [
        {"name": t["name"], "rows": t["rows"]} for t in manifest["tables"]
    ]


def test_audit_log_lists_the_seed(admin_page):
    at = admin_page
    shown = "\n".join(frame.value.to_string() for frame in at.dataframe)
    assert "Import des actes" in shown and "création" in shown


def test_a_contributeur_has_no_administration_page(db_path, monkeypatch):
    """The page stays routable (a link never ends on « page introuvable ») but is out
    of the menu, and shows only why it is closed."""
    monkeypatch.setenv("CDV_DB", str(db_path))
    monkeypatch.delenv("CDV_PUBLIC_READ", raising=False)
    at = AppTest.from_file(str(app_file()), default_timeout=60)
    at.session_state[session.ACTOR_KEY] = Actor("lea", "contributeur", "Léa")
    at.run()
    at.switch_page("app_pages/admin.py").run()
    assert any("réservée au rôle administrateur" in plain(e.value) for e in at.error)
    assert (
        not at.button and not at.text_input or all(b.label == "Se déconnecter" for b in at.button)
    )
    crafted = AppTest.from_file(
        str(app_file().parent / "app_pages" / "admin.py"), default_timeout=60
    )
    crafted.session_state[session.ACTOR_KEY] = Actor("lea", "contributeur", "Léa")
    crafted.run()
    assert any("réservée au rôle administrateur" in plain(e.value) for e in crafted.error)


def _by_label(widgets, label):
    [widget] = [w for w in widgets if w.label == label]
    return widget


def test_restore_from_the_page_previews_then_replaces(admin_page, db_path, tmp_path):
    archive = tmp_path / "sauvegarde.zip"
    with Database(db_path) as db:
        users.add_user(
            db,
            SEED_ACTOR,
            login="root-admin",
            display_name="Administratrice",
            role="administrateur",
            password="une phrase assez longue",
            provisional=False,
        )
        backup_module.backup(db, archive)
        users.add_user(
            db,
            SEED_ACTOR,
            login="apres",
            display_name="Après la sauvegarde",
            role="lecteur",
            password="une phrase assez longue",
            provisional=False,
        )
    at = admin_page
    at.file_uploader[0].set_value(("sauvegarde.zip", archive.read_bytes(), "application/zip"))
    at = at.run()
    assert not at.exception
    preview = page_text(at)
    assert "Elle contient : 2 programmes, 3 actes" in preview
    assert "Restaurer effacerait ce qui a été enregistré depuis : 1 compte" in preview
    at = _by_label(at.button, "Restaurer cette sauvegarde").click().run()
    assert not at.exception
    assert any("Base restaurée" in plain(s.value) for s in at.success)
    with Database(db_path) as db:
        logins = [u["login"] for u in db.records("users")]
    assert "apres" not in logins
    assert db_path.with_name(db_path.name + ".avant-restauration").exists() or any(
        p.name.endswith(".avant-restauration") for p in db_path.parent.iterdir()
    )


def test_a_bad_backup_file_is_refused_in_french(admin_page):
    at = admin_page
    at.file_uploader[0].set_value(("faux.zip", b"pas un zip", "application/zip"))
    at = at.run()
    assert not at.exception
    assert at.error and "sauvegarde" in plain(at.error[0].value).lower()


def test_the_secrecy_threshold_is_set_on_the_publication_tab(admin_page):
    from dashboard.tracker import secrecy
    from dashboard.ui import data

    at = admin_page
    [field] = [n for n in at.number_input if n.label == "Seuil du secret statistique"]
    assert field.value == 11
    field.set_value(5)
    [save] = [b for b in at.button if b.label == "Enregistrer le seuil"]
    at = save.click().run()
    assert not at.exception, at.exception
    assert any("Seuil du secret statistique : 5." in plain(s.value) for s in at.success)
    assert secrecy.threshold(data.database()) == 5
