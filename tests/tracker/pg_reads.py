"""Run the named reads on both stores and compare their rows (tests/tracker/test_pg_reads.py,
and by hand while porting: which reads PostgreSQL already answers as DuckDB does)."""

from __future__ import annotations

import decimal

import psycopg

from dashboard.tracker import pg_sql, rules
from dashboard.tracker.queries import names, parameters, sql
from tests.tracker.test_queries import SAMPLE_PARAMS


def install_rules(duck, pg: psycopg.Connection) -> dict[str, str]:
    """compat.sql and every rule in PostgreSQL; the rules that could not be, and why."""
    pg.execute(pg_sql.compat())
    failed = {}
    for name in rules.order():
        try:
            with pg.transaction():
                pg.execute(pg_sql.rule_ddl(name, duck))
        except (pg_sql.NotTranslated, psycopg.Error) as error:
            failed[name] = str(error).splitlines()[0][:160]
    return failed


def _same(value):
    """A value as both drivers should agree on it (floats to 6 places, decimals
    normalised, nested values alike)."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, decimal.Decimal):
        return value.normalize()
    if isinstance(value, dict):
        return {k: _same(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_same(v) for v in value]
    return value


def compare(duck, pg: psycopg.Connection, params: dict | None = None) -> dict[str, str]:
    """Each named read: ``same`` (and how many rows: ``same 12``), ``differ``, or why
    PostgreSQL did not answer."""
    given = {**SAMPLE_PARAMS, **(params or {})}
    result = {}
    for name in names():
        values = {p: given.get(p) for p in parameters(sql(name))}
        try:
            with pg.transaction():
                theirs = pg.execute(pg_sql.read(name), values).fetchall()
        except (pg_sql.NotTranslated, psycopg.Error) as error:
            result[name] = str(error).splitlines()[0][:160]
            continue
        result_set = duck.execute(sql(name), values)
        ours = result_set.fetchall()
        theirs = pg_sql.shape_rows(theirs, result_set.description)
        if _same(theirs) == _same(ours):
            result[name] = f"same {len(ours)}"
        elif sorted(map(repr, _same(theirs))) == sorted(map(repr, _same(ours))):
            result[name] = "same rows, another order"  # its ORDER BY leaves ties
        else:
            result[name] = "differ"
    return result
