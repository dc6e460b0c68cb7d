"""The write services on PostgreSQL (dashboard/tracker/pg_db.py, in progress): each
service's valid call of the role matrix (tests/tracker/service_calls.py) made by an
administrator on the seeded tracker twice — in its DuckDB file and in a PostgreSQL copy
of it — and every table compared after (every column but the times of the writes).
Every one of them, none left aside."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile

import duckdb
import pytest

from dashboard.tracker import store
from dashboard.tracker.access import WRITE_SERVICES, Actor
from dashboard.tracker.db import Database
from dashboard.tracker.pg_db import PostgresDatabase
from tests.tracker.pg_reads import _same, install_rules
from tests.tracker.service_calls import VALID_CALLS

pytestmark = pytest.mark.xdist_group("postgres")

#: columns whose value is drawn at random on each write (salted hashes, tokens)
SALTED = ("hash", "token", "secret", "salt")
#: the administrator of the role matrix (an account service_calls creates)
ACTOR = Actor("user-administrateur", "administrateur")


@pytest.fixture(scope="module")
def template(pg_cluster, seeded_template):
    """A PostgreSQL copy of the seeded tracker, its rules installed, as a template."""
    url = pg_cluster.new_database()
    store.copy(str(seeded_template), url)
    with duckdb.connect(str(seeded_template), read_only=True) as duck, store.connect(url) as pg:
        assert install_rules(duck, pg) == {}
    return url


def rows(cur, table: store.Table, blobs) -> list:
    """The table's rows but the times of the writes (columns, and ``…_at`` keys of the
    JSON images the audit keeps), in a canonical order; a stored file's hash as what the
    file says (``blobs``: where its bytes are kept)."""
    kept = [
        (c, kind)
        for c, kind in table.columns
        if not kind.startswith("TIMESTAMP") and not any(w in c for w in SALTED)
    ]
    columns = ", ".join(f'"{c}"' for c, _ in kept) or "count(*) as n"
    kept = kept or [("n", "BIGINT")]
    found = cur.execute(f"select {columns} from {table.name}").fetchall()
    untimed = [
        tuple(
            _untimed(v, blobs) if kind == "JSON" else _said(v, blobs) if c == "sha256" else v
            for v, (c, kind) in zip(row, kept, strict=True)
        )
        for row in found
    ]
    return sorted(map(repr, _same(untimed)))


def _untimed(text: str | None, blobs):
    if text is None:
        return None
    value = json.loads(text)
    if isinstance(value, dict):
        return {
            k: _said(v, blobs) if k == "sha256" else v
            for k, v in value.items()
            if not k.endswith("_at")
        }
    return value


#: what a generated PDF or DOCX carries of the moment it was made
_MOMENT = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)|/ID\s*\[[^\]]*\]")


def _said(sha256: str, blobs) -> str:
    """What a stored file says, its moment of making left aside: a generated document
    (the report's DOCX and PDF) is made on each store at another second."""
    data = blobs.get(sha256)
    if data is None:
        return f"absent {sha256}"
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(n) for n in sorted(archive.namelist()) if "core" not in n]
        data = b"".join(parts)
    return hashlib.sha256(_MOMENT.sub(b"", data)).hexdigest()


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
def test_a_write_service_does_on_postgresql_what_it_does_on_duckdb(
    service, template, pg_cluster, seeded_template, tmp_path
):
    path = tmp_path / "cdv.duckdb"
    shutil.copy(seeded_template, path)
    copy = pg_cluster.copy_of(template.rsplit("/", 1)[1])
    _, _, function = WRITE_SERVICES[service]
    with Database(path) as duck, PostgresDatabase(copy) as pg:
        outcomes = []
        for db in (duck, pg):
            try:
                args, kwargs = VALID_CALLS[service](db)
                function(db, ACTOR, *args, **kwargs)
                outcomes.append("written")
            except Exception as error:  # noqa: BLE001 - said by the assertion below
                outcomes.append(f"{type(error).__name__}: {str(error).splitlines()[0][:120]}")
        assert outcomes == ["written", "written"]
        with duck.reader() as d, pg.reader() as p:
            for table in store.tables(d).values():
                assert rows(p, table, pg.blobs) == rows(d, table, duck.blobs), table.name
