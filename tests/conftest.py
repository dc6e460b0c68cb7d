"""Shared fixtures: a fresh database per test (a copy of a migrated, seeded template
built once per session), an empty migrated one, and the hand-made tiny dataset."""

from __future__ import annotations

import datetime as dt
import shutil
import sys

import pytest

from dashboard.ingest.seed import initialize
from dashboard.tracker.access import Actor
from dashboard.tracker.db import Database, migrate
from tests.helpers import build_tiny

ADMIN = Actor("admin", "administrateur", "Admin Test")
LEAD = Actor("lead", "contributeur", "Chargée de mission")
READER = Actor("reader", "lecteur", "Membre du comité")


def small_blocks(path):
    """An empty database file with 16 KB blocks instead of 256 KB: a template of forty
    small tables weighs 1.5 MB instead of 20, and every test copies it. Only the layout
    on disk differs; the tracker opens it like any other file."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as template (block_size 16384)")
        con.execute("detach template")
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    path = small_blocks(tmp_path_factory.mktemp("template") / "seeded.duckdb")
    with Database(path) as db:
        initialize(db)
        db.checkpoint()
    return path


@pytest.fixture(scope="session")
def tiny_template(tmp_path_factory):
    path = small_blocks(tmp_path_factory.mktemp("template") / "tiny.duckdb")
    with Database(path) as db:
        migrate(db)
        build_tiny(db)
        db.checkpoint()
    return path


@pytest.fixture
def db_path(tmp_path, seeded_template):
    path = tmp_path / "cdv.duckdb"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def db(db_path):
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def file_db(db_path):
    """``db`` under another name, for a module whose own ``db`` also runs on PostgreSQL."""
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def empty_db(tmp_path):
    database = Database(tmp_path / "empty.duckdb")
    migrate(database)
    yield database
    database.close()


@pytest.fixture
def tiny(tmp_path, tiny_template):
    path = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_template, path)
    database = Database(path)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _today_is_the_days_date(request):
    """A module's ``TODAY`` is read when it is imported; a suite that runs past midnight
    would then compare yesterday's date with the services' today. Each test sees the
    day it runs on (the module's, and its helpers' ``evaluation_calls``)."""
    today = dt.date.today()
    for module in (request.module, sys.modules.get("tests.tracker.evaluation_calls")):
        if isinstance(getattr(module, "TODAY", None), dt.date) and module.TODAY != today:
            module.TODAY = today


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """AppTest shares Streamlit's process-wide caches: clear them around each test."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()


#: the browser tests' modules in two groups of about the same length (measured alone:
#: about 5 min 30 s each); the others go in the second
FIRST_BROWSER_GROUP = {
    "test_french", "test_keyboard", "test_week", "test_sso", "test_annual_report",
    "test_imports", "test_pack",
}  # fmt: skip


def pytest_collection_modifyitems(config, items):
    """With ``-n 2 --dist loadgroup`` (pytest-xdist, on demand), the tests that drive
    Chromium run in two groups, each one test after the other on its worker: one
    browser and its server per worker at most, and the browser tests (eleven minutes
    end to end) no longer one long chain beside the others."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            module = item.module.__name__.rsplit(".", 1)[-1]
            group = "browser-1" if module in FIRST_BROWSER_GROUP else "browser-2"
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL server of the tests' own (tests/postgres.py), for the session."""
    from tests.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.close()


@pytest.fixture
def pg_url(pg_cluster):
    """A new, empty PostgreSQL database for this test."""
    return pg_cluster.new_database()


@pytest.fixture(scope="session")
def pg_seeded_template(pg_cluster, seeded_template):
    """The seeded tracker copied into PostgreSQL and made ready to serve (its rules and
    indexes), as a template database: its name."""
    from dashboard.tracker import store
    from dashboard.tracker.pg_db import open_store

    url = pg_cluster.new_database()
    store.copy(str(seeded_template), url)
    open_store(url).close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_db(pg_cluster, pg_seeded_template):
    """A fresh copy of the seeded tracker on PostgreSQL, for this test."""
    from dashboard.tracker.pg_db import PostgresDatabase

    database = PostgresDatabase(pg_cluster.copy_of(pg_seeded_template))
    yield database
    database.close()
