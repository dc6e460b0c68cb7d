"""``cdv store copy``: a tracker moved from its DuckDB file into a PostgreSQL database
of the tests' own (tests/postgres.py) and back, without loss — every table's rows and
checksum, the sequences, the attached files —, one run or nothing, and every refusal
in French with nothing written."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from dashboard import cli
from dashboard.tracker import files, programmes, store
from dashboard.tracker.db import Database
from dashboard.tracker.errors import TrackerError
from tests.conftest import ADMIN
from tests.tracker.evaluation_calls import PDF, deliverable

pytestmark = pytest.mark.xdist_group("postgres")
KIND = "city_contract"

#: values CSV, quoting and NULLs could bend on the way
ODD_VALUES = {
    "t-empty": "",
    "t-odd": 'a"b\nc,d\té\\N « » 𝄞',
    "t-null-word": "NULL",
}


def digests(path) -> dict[str, tuple[int, str]]:
    with Database(path, read_only=True) as db, db.reader() as cur:
        return {name: store.digest(cur, name) for name in sorted(store.tables(cur))}


@pytest.fixture
def source(db, tmp_path):
    """The seeded tracker with odd values, an attached file and a used sequence."""
    with db.transaction() as cur:
        for key, value in ODD_VALUES.items():
            cur.execute("insert into app_meta values ($k, $v)", {"k": key, "v": value})
    files.attach_file(db, ADMIN, entity="deliverable", entity_id=deliverable(db),
                      upload=files.Upload("rapport.pdf", PDF))  # fmt: skip
    db.checkpoint()
    path, folder = db.path, db.files_dir
    db.close()
    return path, folder


def test_a_tracker_goes_to_postgresql_and_back_unchanged(source, pg_url, tmp_path):
    path, folder = source
    before = digests(path)
    into = store.copy(str(path), pg_url)
    assert into.rows == {name: count for name, (count, _) in before.items()}
    assert into.files == 1 and into.missing_files == 0
    with psycopg.connect(pg_url) as pg:
        assert (
            pg.execute("select count(*) from status_event").fetchone()[0]
            == (before["status_event"][0])
        )
        odd = dict(pg.execute("select key, value from app_meta where key like 't-%'").fetchall())
        assert odd == ODD_VALUES
        # the next id continues after the copied ones
        top = pg.execute("select max(id) from programme").fetchone()[0]
        assert pg.execute("select nextval('programme_id_seq')").fetchone()[0] > top

    back = tmp_path / "retour.duckdb"
    out = store.copy(pg_url, str(back))
    assert out.rows == into.rows and out.files == 1
    assert digests(back) == before

    def kept(root):  # each attached file, where the tracker looks for it
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert kept(back.with_suffix(".files")) == kept(folder) != {}
    # the copy is a working tracker: a new record takes the next id
    with Database(back) as moved:
        top = moved.scalar("select max(id) from programme")
        created = programmes.create_programme(moved, ADMIN, code="COPIE-1", title="Après copie",
                                              kind=KIND)  # fmt: skip
        assert created > top


def test_a_copy_into_a_database_that_is_not_empty_is_refused(source, pg_url):
    path, _ = source
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute("create table already_here (id integer)")
    with pytest.raises(store.StoreError, match="n'est pas vide.*Rien n'a été écrit"):
        store.copy(str(path), pg_url)
    with psycopg.connect(pg_url) as pg:
        assert (
            pg.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0]
            == 1
        )


def test_a_value_postgresql_cannot_hold_leaves_it_empty(source, pg_url):
    """PostgreSQL's text holds no NUL character, DuckDB's does: the copy fails at that
    table, the transaction is rolled back, and not one table is left behind."""
    path, _ = source
    with Database(path) as db, db.transaction() as cur:
        cur.execute("insert into app_meta values ('t-nul', 'a' || chr(0) || 'b')")
    with pytest.raises(store.StoreError, match="caractère nul.*app_meta.*Rien n'a été écrit"):
        store.copy(str(path), pg_url)
    with psycopg.connect(pg_url) as pg:
        assert (
            pg.execute(
                "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                " where n.nspname = 'public'"
            ).fetchone()[0]
            == 0
        )


def test_a_copy_back_that_fails_leaves_no_file(source, pg_url, tmp_path):
    path, _ = source
    store.copy(str(path), pg_url)
    with psycopg.connect(pg_url, autocommit=True) as pg:
        # a row the tracker's schema refuses, slipped in behind PostgreSQL's back
        check = pg.execute(
            "select conname from pg_constraint where conrelid = 'legal_act'::regclass"
            " and contype = 'c' and pg_get_constraintdef(oid) like '%btrim(title)%'"
        ).fetchone()[0]
        pg.execute(f"alter table legal_act drop constraint {check}")
        assert pg.execute("update legal_act set title = '  ' where id ="
                          " (select max(id) from legal_act)").rowcount == 1  # fmt: skip
    back = tmp_path / "retour.duckdb"
    with pytest.raises(store.StoreError, match="hors des valeurs admises.*Rien n'a été écrit"):
        store.copy(pg_url, str(back))
    assert not back.exists()
    assert not list(tmp_path.glob(".retour.duckdb.copie-*"))


def test_a_copy_never_overwrites_a_file(source, pg_url):
    path, _ = source
    store.copy(str(path), pg_url)
    before = path.read_bytes()
    with pytest.raises(store.StoreError, match="existe déjà"):
        store.copy(pg_url, str(path))
    assert path.read_bytes() == before


def test_an_older_schema_is_refused(source, pg_url):
    path, _ = source
    with Database(path) as db, db.transaction() as cur:
        cur.execute(
            "delete from schema_migrations where version = (select max(version) from schema_migrations)"
        )
    with pytest.raises(store.StoreError, match="mettez-la à jour d'abord"):
        store.copy(str(path), pg_url)


def test_both_ends_must_differ(tmp_path, db_path):
    with pytest.raises(store.StoreError, match="ou l'inverse"):
        store.copy(str(db_path), str(tmp_path / "autre.duckdb"))


def test_an_unreachable_server_is_said_in_french_without_the_password(pg_cluster, source):
    path, _ = source
    from tests.postgres import _free_port

    url = f"postgresql://cdv:secret@127.0.0.1:{_free_port()}/cdv"
    with pytest.raises(store.StoreError) as error:
        store.copy(str(path), url)
    assert "aucun serveur PostgreSQL n'écoute" in error.value.message
    assert "secret" not in error.value.message and "***" in error.value.message
    missing = pg_cluster.url("nulle_part")
    with pytest.raises(store.StoreError, match="cette base n'existe pas"):
        store.copy(str(path), missing)
    for invalid in ("postgresql://cdv@127.0.0.1:99999999/x", "postgresql://a b@/x",
                    "postgresql://cdv@127.0.0.1/x?sslmode=nimporte"):  # fmt: skip
        with pytest.raises(store.StoreError, match="Adresse PostgreSQL invalide"):
            store.copy(str(path), invalid)
    with pytest.raises(store.StoreError, match="nom d'hôte inconnu"):
        store.copy(str(path), "postgresql://cdv@hote-inconnu.invalid/x")


def test_the_command_copies_and_says_what_it_compared(source, pg_url, capsys):
    path, _ = source
    assert cli.main(["store", "copy", "--from", str(path), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "chaque table comparée" in out and "1 pièce(s) jointe(s)" in out
    assert cli.main(["store", "copy", "--from", str(path), "--to", pg_url]) == 1
    assert "n'est pas vide" in capsys.readouterr().err


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_file_only_commands_refuse_a_postgresql_url_and_create_nothing(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CDV_DB", "postgresql://cdv@127.0.0.1:1/cdv")
    assert cli.main(["demo"]) == 1
    assert "Cette commande travaille sur un fichier DuckDB" in capsys.readouterr().err
    assert cli.main(["init"]) == 1  # nobody listens on port 1
    assert "Base PostgreSQL injoignable" in capsys.readouterr().err
    wrong = "postgresql://cdv:secret@127.0.0.1:1/cdv"
    assert cli.main(["serve", "--db", wrong, "--port", str(_free_port())]) == 1
    said = capsys.readouterr().err
    assert "Base PostgreSQL injoignable" in said and "secret" not in said
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(TrackerError):
        from dashboard.tracker.db import resolve_path

        resolve_path()


def test_the_schema_is_postgresql_s_own(db, pg_url):
    """Every table, default, check, reference and index of the migrated schema is
    accepted by PostgreSQL as written by postgres_schema (a new migration whose DDL
    has no translation fails here, not at a deployment)."""
    with db.reader() as cur:
        before, after = store.postgres_schema(cur)
        names = set(store.tables(cur))
    with psycopg.connect(pg_url) as pg:
        for statement in before + after:
            pg.execute(statement)
        created = {r[0] for r in pg.execute(
            "select tablename from pg_tables where schemaname = 'public'").fetchall()}  # fmt: skip
        assert created == names | {store.FILES_TABLE}
        # a check translated from DuckDB's words still refuses what it refused
        with pytest.raises(psycopg.errors.CheckViolation):
            pg.execute(
                "insert into organisation (code, name, kind, siret, updated_by)"
                " values ('x', 'x', 'other', '12', 'test')"
            )


def test_a_copy_of_a_copy_is_the_same(source, pg_cluster, tmp_path):
    """DuckDB -> PostgreSQL -> DuckDB -> PostgreSQL: the second database holds what
    the first does (the way back loses nothing the way there needs)."""
    path, _ = source
    first, second = pg_cluster.new_database(), pg_cluster.new_database()
    store.copy(str(path), first)
    middle = tmp_path / "milieu.duckdb"
    store.copy(first, str(middle))
    shutil.rmtree(middle.with_suffix(".files"))  # the files travel through the database
    again = store.copy(str(middle), second)
    assert again.missing_files == 1  # said, not hidden: the folder was removed
    with psycopg.connect(first) as a, psycopg.connect(second) as b:
        for table in ("programme", "status_event", "audit_log", "app_meta"):
            query = f"select * from {table} order by 1, 2"
            assert a.execute(query).fetchall() == b.execute(query).fetchall()
