"""The named reads and the rules of ``queries/`` on PostgreSQL (dashboard/tracker/pg_sql.py):
two bases — the hand-made tiny one (status events, weights, payments) and the
demonstration one (référentiel, indicators, councils, rapport annuel, files) — copied
into PostgreSQL by ``cdv store copy``; then every read, at several dates and programmes,
gives the same rows in the same order on both stores, and every rule, a view or a SQL
function in PostgreSQL, gives the rows DuckDB's gives."""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import pytest

from dashboard import cli
from dashboard.tracker import pg_sql, rules, store
from tests.tracker.pg_reads import _same, compare, install_rules

pytestmark = pytest.mark.xdist_group("postgres")

TODAY = dt.date.today()
#: the values each rule parameter takes in the comparison
RULE_VALUES = {
    "as_of": [dt.date(2018, 6, 30), dt.date(2022, 9, 30), TODAY],
    "since": [dt.date(2015, 1, 1), dt.date(2020, 3, 1)],
    "until": [dt.date(2020, 6, 30), TODAY],
    "structure": [True, False],
    "entity_kind": ["programme", "action", "meeting"],
    "chosen_territory": [1, 2],
}


@pytest.fixture(scope="module", params=["tiny", "demo"])
def stores(request, pg_cluster, tmp_path_factory, tiny_template):
    folder = tmp_path_factory.mktemp(f"pg-{request.param}")
    path = folder / f"{request.param}.duckdb"
    if request.param == "tiny":
        path.write_bytes(tiny_template.read_bytes())
    else:
        assert cli.main(["demo", "--db", str(path)]) == 0
    url = pg_cluster.new_database()
    store.copy(str(path), url)
    duck = duckdb.connect(str(path), read_only=True)
    pg = store.connect(url)
    failed = install_rules(duck, pg)
    code = duck.execute("select code from programme order by id limit 1").fetchone()[0]
    yield duck, pg, failed, code
    pg.close()
    duck.close()


@pytest.mark.parametrize(
    "when",
    [
        {},
        {"as_of": dt.date(2018, 6, 30)},
        {"as_of": dt.date(2022, 9, 30), "since": dt.date(2020, 1, 1),
         "until": dt.date(2022, 9, 30)},
        {"as_of": "today"},
        {"as_of": "today", "programme_code": "first"},
    ],
    ids=["sample", "2018", "2022-T3", "today", "today-one-programme"],
)  # fmt: skip
def test_postgresql_answers_each_read_as_duckdb_does(stores, when):
    duck, pg, _, code = stores
    params = {
        key: TODAY if value == "today" else code if value == "first" else value
        for key, value in when.items()
    }
    result = compare(duck, pg, params)
    assert {
        name: outcome for name, outcome in result.items() if not outcome.startswith("same")
    } == {}
    if when.get("as_of") == "today":  # not empty-handed: today, many reads have rows
        with_rows = [name for name, outcome in result.items() if outcome != "same 0"]
        assert len(with_rows) >= len(result) // 3, with_rows


def rule_calls(name: str, chosen: list[int]):
    """``select * from`` the rule with each combination of its parameters' values."""
    text = rules.text(name)
    if " as table" not in text and "create or replace view" not in text:
        return  # a scalar macro: the reads that call it are compared above
    types = pg_sql.declared_types(text)
    names = list(types)
    if not names:
        yield f"select * from {name}", {}
        return
    options = [RULE_VALUES.get(p, [chosen]) for p in names]
    for values in itertools.product(*options):
        arguments = ", ".join(f"${p}" for p in names)
        yield f"select * from {name}({arguments})", dict(zip(names, values, strict=True))


def test_every_rule_is_a_postgresql_object_that_gives_duckdb_s_rows(stores):
    duck, pg, failed, _ = stores
    assert failed == {}
    chosen = [r[0] for r in duck.execute("select id from programme order by id").fetchall()]
    compared = 0
    for name in rules.order():
        for call, values in rule_calls(name, chosen):
            result = duck.execute(call, values)
            ours = result.fetchall()
            given = pg.execute(pg_sql.rule_call(name, call), values).fetchall()
            theirs = pg_sql.shape_rows(given, result.description)
            assert sorted(map(repr, _same(theirs))) == sorted(map(repr, _same(ours))), (
                name,
                values,
            )
            compared += bool(ours)
    assert compared > 0


def test_a_small_result_handed_as_given_is_what_duckdb_s_conversion_gives(pg_db):
    """A result of plain types is handed as psycopg gave it (``pg_db.as_given``): for
    every named read of the seeded tracker, each value and its Python type are those the
    conversion through DuckDB gives."""
    from dashboard.tracker.pg_db import as_duckdb, as_given, read_types
    from dashboard.tracker.queries import bind, names, parameters, sql
    from tests.tracker.test_queries import SAMPLE_PARAMS

    given = 0
    for name in names():
        params = {p: SAMPLE_PARAMS.get(p) for p in parameters(sql(name))}
        with pg_db.reader() as cur:
            rows = cur.read(name, bind(name, params)).fetchall()
        if not as_given(read_types(name), rows):
            continue
        given += bool(rows)
        converted = as_duckdb(name, rows).fetchall()
        assert [[(type(v), v) for v in row] for row in rows] == [
            [(type(v), v) for v in row] for row in converted
        ], name
    assert given >= 10  # many reads take the short way, with rows
