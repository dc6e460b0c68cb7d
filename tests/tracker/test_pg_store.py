"""The shared store (issue 29): a PostgreSQL database several servers serve at once.
Each test has a new database of the tests' own PostgreSQL (tests/postgres.py); two
"servers" are two ``PostgresDatabase`` objects on it with counters of their own (one per
URL, as one per process), or a second process where it matters (a server killed
mid-write)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading

import pytest

from dashboard import cli
from dashboard.tracker import auth, sessions, store, users, work
from dashboard.tracker.db import open_target
from dashboard.tracker.errors import ConflictError, Unavailable
from dashboard.tracker.pg_db import PostgresDatabase, open_store
from dashboard.tracker.programmes import update_programme
from tests.conftest import ADMIN

pytestmark = pytest.mark.xdist_group("postgres")

PASSWORD = "phrase de passe correcte"
BROWSER = "navigateur-de-lea-" + "x" * 20


def _version(db) -> int:
    return next(r["version"] for r in db.records("programme_records") if r["programme_id"] == 1)


def replica(url: str, name: str) -> PostgresDatabase:
    """Another server on the same store: its own pool and its own counters (the URL
    differs only by the name it gives PostgreSQL)."""
    return PostgresDatabase(f"{url}?application_name={name}")


@pytest.fixture(scope="module")
def tracker_template(pg_cluster):
    """A PostgreSQL store created from the two acts, as ``cdv serve`` creates it."""
    url = pg_cluster.new_database()
    open_store(url, create=True).close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def tracker(pg_cluster, tracker_template):
    """A new copy of that store for this test."""
    return pg_cluster.copy_of(tracker_template)


def test_an_empty_database_becomes_the_tracker_of_the_two_acts(pg_url, tmp_path, capsys):
    assert cli.main(["init", "--db", pg_url]) == 0
    assert "créée à partir des deux actes" in capsys.readouterr().out
    assert cli.main(["init", "--db", pg_url]) == 0
    assert "déjà à jour" in capsys.readouterr().out
    path = tmp_path / "cdv.duckdb"
    seen = dict.fromkeys(("programme_overview", "deadlines", "work_items"), 0)
    with open_target(path) as duck, open_target(pg_url) as pg:
        for day in (dt.date(2018, 6, 30), dt.date(2019, 6, 30), dt.date.today()):
            for read in seen:
                params = {"as_of": day, "programme_code": None}
                theirs = pg.records(read, **_only(read, params))
                assert theirs == duck.records(read, **_only(read, params)), (read, day)
                seen[read] += len(theirs)
        assert all(seen.values()), seen


def _only(read: str, params: dict) -> dict:
    from dashboard.tracker.queries import read_parameters

    return {k: v for k, v in params.items() if k in read_parameters(read)}


def test_a_command_never_makes_a_tracker_of_a_database_it_was_not_asked_to(pg_url, capsys):
    assert cli.main(["export", "--format", "json", "--db", pg_url]) == 1
    assert "ne contient pas de suivi cdv-tracker" in capsys.readouterr().err
    assert (
        not store.connect(pg_url)
        .execute("select count(*) from pg_tables where schemaname = 'public'")
        .fetchone()[0]
    )


def test_servers_starting_together_make_one_tracker(pg_url):
    errors: list[BaseException] = []

    def start():
        try:
            open_store(pg_url, create=True).close()
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.connect(pg_url) as con:
        assert con.execute("select count(*) from programme").fetchone()[0] == 2
        from dashboard.tracker.db import migration_files

        applied = con.execute("select count(*) from schema_migrations").fetchone()[0]
        assert applied == len(migration_files())


def test_a_write_on_one_server_shows_on_the_other_at_its_next_run(tracker):
    with replica(tracker, "a") as a, replica(tracker, "b") as b:
        b.keep_reads()
        before = {r["code"]: r["description"] for r in b.records("programme_records")}
        version = _version(a)
        update_programme(a, ADMIN, 1, expected_version=version, description="Écrit par A")
        kept = {r["code"]: r["description"] for r in b.records("programme_records")}
        assert kept == before  # b has not looked yet: its kept read is what it was
        b.catch_up()  # what each page run does first
        after = {r["code"]: r["description"] for r in b.records("programme_records")}
        assert "Écrit par A" in after.values() and after != before


def test_writers_on_two_servers_lose_no_update(tracker):
    """Each writer reads the action's version and writes with it, again when refused
    (a ConflictError: someone wrote in between): every write lands, none overwritten."""
    with replica(tracker, "setup") as setup:
        action = work.create_action(setup, ADMIN, orientation_id=5, title="Partagée")
    per_writer, landed, refused = 15, [], []

    def writer(name: str) -> None:
        with replica(tracker, name) as db:
            for number in range(per_writer):
                while True:
                    version = db.scalar("select version from action where id = $id", {"id": action})
                    try:
                        work.update_action(db, ADMIN, action, expected_version=version,
                                           title=f"{name} {number}")  # fmt: skip
                        landed.append(name)
                        break
                    except ConflictError:
                        refused.append(name)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.connect(tracker) as con:
        version = con.execute("select version from action where id = %s", (action,)).fetchone()
        audited = con.execute(
            "select count(*) from audit_log where entity = 'action' and entity_id = %s"
            " and operation = 'update'", (str(action),),
        ).fetchone()  # fmt: skip
    assert len(landed) == 4 * per_writer
    assert version[0] == 1 + 4 * per_writer  # each landed write moved it once
    assert audited[0] == 4 * per_writer


def test_a_right_removed_on_one_server_ends_at_once_on_the_other(tracker):
    with replica(tracker, "a") as a, replica(tracker, "b") as b:
        a.keep_reads(), b.keep_reads()
        users.add_user(a, ADMIN, login="lea", display_name="Léa", role="contributeur",
                       password=PASSWORD, provisional=False)  # fmt: skip
        lea = auth.login(a, "lea", PASSWORD)
        token, _ = sessions.redeem_handoff(
            a, sessions.open_handoff(a, lea, browser=BROWSER), BROWSER
        )
        assert sessions.resume(b, token, idle_minutes=30).actor.login == "lea"
        users.set_active(a, ADMIN, login="lea", active=False)
        resumed = sessions.resume(b, token, idle_minutes=30)  # no catch-up needed
        assert resumed.actor is None and resumed.ended == "access"


def test_a_restart_of_postgresql_is_said_and_recovered_from(tracker, pg_cluster):
    with replica(tracker, "a") as a:
        version = _version(a)
        update_programme(a, ADMIN, 1, expected_version=version, description="Avant l'arrêt")
        pg_cluster.stop()
        try:
            with pytest.raises(Unavailable, match="Base momentanément indisponible"):
                a.records("programme_records")
            with pytest.raises(Unavailable, match="Rien n'a été écrit"):
                update_programme(a, ADMIN, 1, expected_version=version + 1, description="x")
        finally:
            pg_cluster.start()
        rows = a.records("programme_records")  # the pool replaced its lost connections
        assert "Avant l'arrêt" in {r["description"] for r in rows}


WRITER = """
import sys
from dashboard.tracker.pg_db import PostgresDatabase
db = PostgresDatabase(sys.argv[1])
with db.transaction() as cur:
    cur.execute("update programme set description = 'à moitié' where id = 1")
    cur.execute("insert into app_meta values ('moitie', 'oui')")
    print("inside", flush=True)
    sys.stdin.read()  # killed here, before the commit
"""


def test_a_server_killed_mid_write_leaves_nothing_half_done(tracker):
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, tracker],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "inside"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    with replica(tracker, "after") as db:
        assert "à moitié" not in {r["description"] for r in db.records("programme_records")}
        assert db.scalar("select count(*) from app_meta where key = 'moitie'") == 0
        version = _version(db)
        # its write lock ended with its connection: the next write goes through
        update_programme(db, ADMIN, 1, expected_version=version, description="Après")


def test_exports_and_backups_of_the_store_are_those_of_its_file(tracker, tmp_path):
    """JSON, workbook and Parquet exports and the backup of the shared store hold what
    those of the same tracker in a DuckDB file hold."""
    import duckdb
    import openpyxl

    from dashboard.tracker import backup, export
    from dashboard.tracker.db import Database

    with open_target(tracker) as pg:  # a restore asks for an administrator
        users.create_first_admin(pg, login="admin", display_name="Admin", password=PASSWORD)
    path = tmp_path / "copie.duckdb"
    store.copy(tracker, str(path))
    with open_target(tracker) as pg, Database(path) as duck:
        assert export.to_json(pg) == export.to_json(duck)
        export.to_xlsx(pg, tmp_path / "pg.xlsx")
        export.to_xlsx(duck, tmp_path / "duck.xlsx")
        written = export.to_parquet(pg, tmp_path / "pg")
        export.to_parquet(duck, tmp_path / "duck")
    theirs, ours = (openpyxl.load_workbook(tmp_path / f"{s}.xlsx") for s in ("pg", "duck"))
    assert theirs.sheetnames == ours.sheetnames
    for name in ours.sheetnames:
        cells = [[c.value for c in row] for row in ours[name].iter_rows()]
        assert [[c.value for c in row] for row in theirs[name].iter_rows()] == cells, name
    assert written
    for file in written:
        query = "select * from read_parquet($p)"
        mine = duckdb.execute(query, {"p": str(tmp_path / "duck" / file.name)}).fetchall()
        assert duckdb.execute(query, {"p": str(file)}).fetchall() == mine, file.name
    assert cli.main(["backup", str(tmp_path / "pg.zip"), "--db", tracker]) == 0
    restored = tmp_path / "restaure.duckdb"
    assert cli.main(["restore", str(tmp_path / "pg.zip"), "--db", str(restored), "--yes"]) == 0
    with Database(restored) as back, Database(path) as duck, back.reader() as b, duck.reader() as d:
        for table in backup.schema_tables(d):
            # a restore moves every account's access epoch (sessions sign in again)
            kept = "login, role, active" if table == "app_user" else "*"
            query = f"select {kept} from {table} order by all"  # names from the catalogue
            assert b.execute(query).fetchall() == d.execute(query).fetchall(), table
