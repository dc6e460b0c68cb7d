"""Backups carry data, never code. Each crafted backup is refused in French with the
current database untouched and no file left behind: SQL in the archive, unknown or
missing tables, changed columns, tampered data, rows that break a constraint, no
administrator, a zip bomb, odd names, a full disk. A good backup restores exactly,
from a path or from an upload held in memory, and a restore signs everyone out."""

from __future__ import annotations

import errno
import io
import json
import os
import zipfile
from pathlib import Path

import duckdb
import pytest

from dashboard.tracker import backup, users
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from tests.conftest import ADMIN
from tests.helpers import snapshot

PASSWORD = "une phrase assez longue"


@pytest.fixture
def admin_db(db):
    users.add_user(
        db,
        ADMIN,
        login="chef",
        display_name="Chef",
        role="administrateur",
        password=PASSWORD,
        provisional=False,
    )
    return db


@pytest.fixture
def archive(admin_db, tmp_path) -> Path:
    path = tmp_path / "sauvegarde.zip"
    backup.backup(admin_db, path)
    return path


@pytest.fixture
def target(tmp_path, admin_db, db_path):
    """The live database file, closed (as the page and the CLI do before a swap)."""
    admin_db.checkpoint()
    return db_path


@pytest.fixture(autouse=True)
def private_temp(tmp_path, monkeypatch):
    """Temporary folders go to a folder of the test's own, to prove none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def write(path: Path, files: dict[str, bytes], *, compression=zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zipped:
        for name, data in files.items():
            zipped.writestr(name, data)
    return path


def manifest_of(files: dict[str, bytes]) -> dict:
    return json.loads(files["manifest.json"])


def with_manifest(files: dict[str, bytes], manifest: dict) -> dict[str, bytes]:
    return {**files, "manifest.json": json.dumps(manifest).encode()}


def refused(source, target: Path, private_temp: Path, fragment: str) -> None:
    before = target.read_bytes()
    with pytest.raises(TrackerError) as caught:
        backup.restore(source, target)
    assert fragment in caught.value.message, caught.value.message
    assert "rien n'a changé" in caught.value.message.lower()
    assert target.read_bytes() == before
    leftovers = [p.name for p in target.parent.iterdir() if "restauration" in p.name]
    assert leftovers == [] and list(private_temp.iterdir()) == []


def test_a_backup_holds_data_and_a_manifest_only(archive):
    files = members(archive)
    manifest = manifest_of(files)
    assert set(files) == {"manifest.json"} | {t["file"] for t in manifest["tables"]}
    assert all(name.endswith(".parquet") for name in files if name != "manifest.json")
    phase = next(t for t in manifest["tables"] if t["name"] == "phase")
    assert phase["rows"] == 3 and ["title", "VARCHAR"] in phase["columns"]
    assert manifest["summary"]["programmes"] == 2 and manifest["summary"]["accounts"] == 1


def test_a_good_backup_restores_exactly_and_signs_everyone_out(admin_db, archive, target):
    before = snapshot(admin_db)
    admin_db.close()
    counts = backup.restore(archive, target)
    assert counts["phase"] == 3
    with Database(target) as restored:
        after = snapshot(restored)
        assert restored.scalar("select access_epoch from app_user") == 2
    for table in before:
        if table not in ("app_user", "schema_migrations"):
            assert after[table] == before[table], table
    assert (target.parent / (target.name + ".avant-restauration")).exists()


def test_a_backup_restores_from_an_upload_held_in_memory(admin_db, archive, target):
    admin_db.close()
    counts = backup.restore(io.BytesIO(archive.read_bytes()), target)
    assert counts["legal_act"] == 3


def test_the_preview_says_what_the_restore_would_undo(admin_db, archive):
    from dashboard.tracker import work

    work.create_action(admin_db, ADMIN, orientation_id=1, title="Après la sauvegarde")
    lines = backup.preview(backup.read_manifest(archive), admin_db)
    assert lines[1].startswith("Elle contient : 2 programmes, 3 actes, aucun changement de statut")
    assert lines[-1] == "Restaurer effacerait ce qui a été enregistré depuis : 1 action."


def test_sql_in_an_archive_is_never_run(archive, target, private_temp, tmp_path):
    evil = tmp_path / "evil.py"
    files = members(archive)
    files["schema.sql"] = f"COPY (SELECT 'import os') TO '{evil}';".encode()
    files["load.sql"] = b"CREATE TABLE leak AS SELECT content FROM read_text('/etc/passwd');"
    refused(write(tmp_path / "x.zip", files), target, private_temp, "SQL exécutable")
    assert not evil.exists()


def test_an_extra_file_is_refused(archive, target, private_temp, tmp_path):
    files = {**members(archive), "notes.txt": b"bonjour"}
    refused(write(tmp_path / "x.zip", files), target, private_temp, "fichier inattendu")


@pytest.mark.parametrize("name", ["../evil.parquet", "/etc/passwd.parquet", "Phase.parquet"])
def test_odd_table_names_are_refused(archive, target, private_temp, tmp_path, name):
    files = members(archive)
    manifest = manifest_of(files)
    manifest["tables"].append(
        {"name": name[:-8], "file": name, "rows": 0, "sha256": "0", "columns": []}
    )
    files = with_manifest({**files, name: b"x"}, manifest)
    refused(write(tmp_path / "x.zip", files), target, private_temp, "mal formée")


def test_a_missing_table_is_refused(archive, target, private_temp, tmp_path):
    files = members(archive)
    manifest = manifest_of(files)
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] != "budget_line"]
    files = with_manifest(files, manifest)
    del files["budget_line.parquet"]
    refused(write(tmp_path / "x.zip", files), target, private_temp, "table absente : budget_line")


def test_an_unknown_table_is_refused(archive, target, private_temp, tmp_path):
    files = members(archive)
    manifest = manifest_of(files)
    extra = dict(next(t for t in manifest["tables"] if t["name"] == "phase"))
    extra.update(name="leak", file="leak.parquet")
    manifest["tables"].append(extra)
    files = with_manifest({**files, "leak.parquet": files["phase.parquet"]}, manifest)
    refused(write(tmp_path / "x.zip", files), target, private_temp, "table inconnue : leak")


def test_tampered_data_is_refused(archive, target, private_temp, tmp_path):
    files = members(archive)
    files["phase.parquet"] = files["orientation.parquet"]
    refused(write(tmp_path / "x.zip", files), target, private_temp, "somme de contrôle")


def _rewritten(files: dict, table: str, statement: str, tmp_path: Path) -> dict[str, bytes]:
    """``table``'s Parquet rewritten by ``statement`` (over a view named t), with a
    manifest that matches it: the checksum alone cannot catch a crafted backup."""
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    source.write_bytes(files[f"{table}.parquet"])
    con = duckdb.connect()
    con.execute(f"create view t as select * from read_parquet('{source}')")
    con.execute(f"copy ({statement}) to '{out}' (format parquet)")
    data = out.read_bytes()
    manifest = manifest_of(files)
    entry = next(t for t in manifest["tables"] if t["name"] == table)
    entry["sha256"] = backup.hashlib.sha256(data).hexdigest()
    entry["rows"] = con.execute(f"select count(*) from read_parquet('{out}')").fetchone()[0]
    con.close()
    return with_manifest({**files, f"{table}.parquet": data}, manifest)


def test_sums_in_a_backup_are_recomputed_not_trusted(admin_db, archive, target, tmp_path):
    """A backup whose month sums were rewritten (every count inflated) restores with the
    sums its own rows give: the overview is never read from what a file claims."""
    from tests.helpers import rollup_drift

    files = _rewritten(members(archive), "programme_month",
                       "select * replace (planned + 1000 as planned) from t", tmp_path)  # fmt: skip
    admin_db.close()
    backup.restore(write(tmp_path / "x.zip", files), target)
    with Database(target) as restored:
        assert rollup_drift(restored) == []
        assert restored.scalar("select max(planned) from programme_month") < 1000


def test_a_changed_column_is_refused(archive, target, private_temp, tmp_path):
    files = _rewritten(members(archive), "phase", "select * exclude (lead) from t", tmp_path)
    refused(write(tmp_path / "x.zip", files), target, private_temp, "colonnes du fichier")


def test_rows_that_break_a_constraint_are_refused(archive, target, private_temp, tmp_path):
    files = _rewritten(
        members(archive),
        "budget_line",
        "select * replace (cast(-5 as decimal(14, 2)) as amount) from t",
        tmp_path,
    )
    refused(write(tmp_path / "x.zip", files), target, private_temp, "hors des valeurs admises")


def test_a_reference_to_nothing_is_refused(archive, target, private_temp, tmp_path):
    files = _rewritten(
        members(archive),
        "legal_act",
        "select * replace (case when kind = 'amendment' then 99 end as amends_act_id) from t",
        tmp_path,
    )
    refused(write(tmp_path / "x.zip", files), target, private_temp, "acte absent")


def test_row_counts_must_match_the_manifest(archive, target, private_temp, tmp_path):
    files = members(archive)
    manifest = manifest_of(files)
    next(t for t in manifest["tables"] if t["name"] == "phase")["rows"] = 4
    refused(
        write(tmp_path / "x.zip", with_manifest(files, manifest)),
        target,
        private_temp,
        "nombre de lignes",
    )


def test_a_backup_without_an_active_administrator_is_refused(db, target, private_temp, tmp_path):
    path = tmp_path / "sans-admin.zip"
    with Database(tmp_path / "autre.duckdb") as other:
        from dashboard.ingest.seed import initialize

        initialize(other)
        backup.backup(other, path)  # no account at all
    refused(path, target, private_temp, "aucun compte administrateur actif")


def test_a_zip_bomb_is_refused_before_anything_is_extracted(
    archive, target, private_temp, tmp_path
):
    files = members(archive)
    files["phase.parquet"] = b"\0" * (300 * 1024 * 1024)
    bomb = write(tmp_path / "bomb.zip", files, compression=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    refused(bomb, target, private_temp, "bombe zip")


def test_an_archive_too_large_is_refused(archive, target, private_temp, monkeypatch):
    monkeypatch.setattr(backup, "MAX_ARCHIVE_BYTES", 1000)
    refused(archive, target, private_temp, "dépasse")


@pytest.mark.parametrize(
    "content",
    [b"pas une archive", b"PK\x03\x04tronque", b""],
    ids=["texte", "zip tronqué", "vide"],
)
def test_files_that_are_not_backups(target, private_temp, tmp_path, content):
    path = tmp_path / "faux.zip"
    path.write_bytes(content)
    refused(path, target, private_temp, "n'est pas une sauvegarde")


def test_a_newer_schema_is_refused(archive, target, private_temp, tmp_path):
    files = members(archive)
    manifest = manifest_of(files)
    manifest["schema_version"] = 999
    refused(
        write(tmp_path / "x.zip", with_manifest(files, manifest)),
        target,
        private_temp,
        "version plus récente",
    )


def test_a_full_disk_gives_a_french_message_and_leaves_nothing(
    admin_db, archive, target, private_temp, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_swap", full)
    refused(archive, target, private_temp, "Le disque est plein")

    monkeypatch.setattr(backup.zipfile.ZipFile, "write", full)
    out = target.parent / "nouvelle.zip"
    with pytest.raises(TrackerError, match="Le disque est plein"):
        backup.backup(admin_db, out)
    assert not out.exists() and not (target.parent / "nouvelle.zip.partial").exists()
    assert list(private_temp.iterdir()) == []


HOLD_MIDWAY = """
import sys, tempfile, time
from pathlib import Path
root, archive, target, temp, marker = sys.argv[1:]
sys.path.insert(0, root)
tempfile.tempdir = temp
from dashboard.tracker import backup

def hold(folder, files_dir):  # the database is built, its files not yet placed
    Path(marker).write_text("ici")
    time.sleep(600)

backup._place_files = hold
backup.restore(Path(archive), Path(target))
"""


def test_a_restore_killed_midway_leaves_nothing_after_a_restart(
    archive, target, private_temp, tmp_path
):
    """``kill -9`` during a restore used to leave the half-built database and the
    temporary folder for good; opening the database again now removes both."""
    import signal
    import subprocess
    import sys
    import time

    before = target.read_bytes()
    marker = tmp_path / "a-mi-chemin"
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", HOLD_MIDWAY, str(root), str(archive),
                              str(target), str(private_temp), str(marker)])  # fmt: skip
    deadline = time.monotonic() + 120
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the child to reach the middle of its restore
    assert marker.exists(), "la restauration n'a pas atteint son milieu"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = [p for p in target.parent.iterdir() if "restauration" in p.name]
    left += list(private_temp.iterdir())
    assert len(left) >= 2  # the half-built database and the temporary folder
    removed = backup.clean_leftovers(target)
    assert sorted(removed) == sorted(left)
    assert [p for p in target.parent.iterdir() if "restauration" in p.name] == []
    assert list(private_temp.iterdir()) == []
    assert target.read_bytes() == before


def test_leftovers_of_a_restore_still_running_are_kept(target, private_temp):
    running = target.with_name(f".{target.name}.restauration-{os.getpid()}")
    running.write_bytes(b"en cours")
    assert backup.clean_leftovers(target) == []
    assert running.exists()
